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
from pathlib import Path


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

SHIPPED_FONTS: tuple[ShippedFont, ...] = (
    ShippedFont("DejaVuSans.ttf", DEJAVU),
    ShippedFont("DejaVuSans-Bold.ttf", DEJAVU, bold=True),
    ShippedFont("DroidSansFallback.ttf", DROID_FALLBACK),
)

#: Families in the order a character is looked up: the main font, then the fallbacks.
FONT_CHAIN: tuple[str, ...] = (DEJAVU, DROID_FALLBACK)


def font_dir() -> Path:
    """``resources/fonts`` in the source tree."""
    return Path(__file__).resolve().parents[2] / "resources" / "fonts"


def font_path(font: ShippedFont) -> Path:
    """Where ``font``'s file is."""
    return font_dir() / font.file
