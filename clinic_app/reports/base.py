"""Shared reportlab pieces: the embedded DejaVu fonts and the "page X of Y" canvas.

Documents follow pretix's ``BaseReportlabInvoiceRenderer`` (STYLE.md #9): a renderer class with
template methods, a plain data object in and PDF bytes out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame

from clinic_app.domain.errors import ClinicError

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


#: Streams (images, fonts, pages) stay Flate-compressed binary rather than also being
#: ASCII85-encoded: same content, a quarter smaller, and the pure-Python encoder was most of
#: the time spent writing a handout with its figure.
rl_config.useA85 = 0


class MissingGlyphError(ClinicError):
    """A user string has a character the embedded font cannot print (it would show as a box)."""


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold) once per process, embedded and subset in each PDF."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)


def check_glyphs(texts: Iterable[str]) -> None:
    """Fail loudly when a character is missing from the embedded font.

    Raises:
        MissingGlyphError: naming the character and the text it came from.
    """
    register_fonts()
    for name in (REGULAR, BOLD):
        cmap = pdfmetrics.getFont(name).face.charToGlyph
        for text in texts:
            for char in text:
                if char.isprintable() and ord(char) not in cmap and not char.isspace():
                    raise MissingGlyphError(
                        f"the font {name} cannot print {char!r} (U+{ord(char):04X}) in {text!r}"
                    )


def esc(text: str) -> str:
    """A user or resource string made safe for reportlab Paragraph markup."""
    return escape(text)


def numbered_canvas(draw_page_count: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A Canvas class that knows the page count when each page is finished.

    Pages are kept until ``save()``, then ``draw_page_count(canvas, page, pages)`` runs on each.
    """

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_page_states: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._saved_page_states)
            for number, state in enumerate(self._saved_page_states, start=1):
                self.__dict__.update(state)
                draw_page_count(self, number, pages)
                super().showPage()
            super().save()

    return NumberedCanvas


def body_frame(pagesize: tuple[float, float], margin: float, top: float, bottom: float) -> Frame:
    """The page's text frame: inside the margins, below the header and above the footer."""
    width, height = pagesize
    return Frame(
        margin,
        margin + bottom,
        width - 2 * margin,
        height - 2 * margin - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
