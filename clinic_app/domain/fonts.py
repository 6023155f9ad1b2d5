"""The fonts the app ships in ``resources/fonts``: one list for the PDF renderers and the GUI.

Patients' names come in every script a clinic sees; the app must print and show them the same
on every computer and printer, so it carries its own fonts and never relies on what the system
has (Windows and macOS installs may lack CJK fonts, a Linux box may lack Arabic).

- DejaVu Sans (regular and bold; Bitstream Vera licence, see ``LICENSE-DejaVu.txt``): Latin with
  every diacritic (including Vietnamese), Greek, Cyrillic, Arabic with its presentation forms,
  Hebrew. The main font of every document.
- Droid Sans Fallback (Apache-2.0, see ``LICENSE-DroidSansFallback.txt``): the 20,902 CJK
  unified ideographs, Japanese kana and all 11,172 Korean Hangul syllables, with TrueType
  outlines (reportlab can embed those, not CFF ones). The file is ``DroidSansFallback.ttf`` of
  Debian's fonts-droid-fallback, not its ``DroidSansFallbackFull.ttf``, which lacks Hangul.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from clinic_app.domain.resource_files import resource, resource_path


@dataclass(frozen=True)
class ShippedFont:
    """One font file in ``resources/fonts``.

    Attributes:
        file: the file name.
        family: the family name inside the file (what a font database reports).
        bold: whether this is the family's bold face.
    """

    file: str
    family: str
    bold: bool = False


DEJAVU = "DejaVu Sans"
DROID_FALLBACK = "Droid Sans Fallback"

REGULAR_FONT = ShippedFont("DejaVuSans.ttf", DEJAVU)
BOLD_FONT = ShippedFont("DejaVuSans-Bold.ttf", DEJAVU, bold=True)
FALLBACK_FONT = ShippedFont("DroidSansFallback.ttf", DROID_FALLBACK)
SHIPPED_FONTS: tuple[ShippedFont, ...] = (REGULAR_FONT, BOLD_FONT, FALLBACK_FONT)

#: Families in the order a character is looked up: the main font, then the fallbacks.
FONT_CHAIN: tuple[str, ...] = (DEJAVU, DROID_FALLBACK)


def font_dir() -> Traversable:
    """The shipped ``fonts`` folder (font files and their licences)."""
    return resource("fonts")


def font_path(font: ShippedFont) -> Path:
    """``font``'s file on disk (reportlab, Qt and Pillow open fonts by file name)."""
    return resource_path("fonts", font.file)
