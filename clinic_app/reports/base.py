"""Shared reportlab pieces: the embedded fonts, user text as markup, the "page X of Y" canvas.

Documents follow pretix's ``BaseReportlabInvoiceRenderer`` (STYLE.md #9): a renderer class with
template methods, a plain data object in and PDF bytes out. Every string they print goes through
:mod:`clinic_app.reports.text` (any script, right-to-left order, a font for every letter):
Paragraph text through :func:`esc`, canvas text through the canvas that :func:`numbered_canvas`
makes, whose ``drawString`` family does the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame

from clinic_app.domain.fonts import font_dir
from clinic_app.reports.text import (
    BOLD,
    FALLBACK,
    REGULAR,
    MissingGlyphError,
    UnicodeCanvas,
    check_glyphs,
    markup,
    register_fonts,
)

FONT_DIR = font_dir()

#: Streams (images, fonts, pages) stay Flate-compressed binary rather than also being
#: ASCII85-encoded: same content, a quarter smaller, and the pure-Python encoder was most of
#: the time spent writing a handout with its figure.
rl_config.useA85 = 0


def esc(text: str) -> str:
    """A user or resource string made safe for reportlab Paragraph markup.

    Escaped, in visual order (right-to-left names reversed and Arabic joined), with characters
    the main font lacks (Chinese, Japanese, Korean) set in the fallback font.
    """
    return markup(text)


def numbered_canvas(draw_page_count: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A Canvas class that knows the page count when each page is finished.

    Pages are kept until ``save()``, then ``draw_page_count(canvas, page, pages)`` runs on each.
    Its ``drawString``, ``drawRightString`` and ``drawCentredString`` print any script.
    """

    class NumberedCanvas(UnicodeCanvas):
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


__all__ = [
    "BOLD",
    "FALLBACK",
    "FONT_DIR",
    "REGULAR",
    "MissingGlyphError",
    "body_frame",
    "check_glyphs",
    "esc",
    "numbered_canvas",
    "register_fonts",
]
