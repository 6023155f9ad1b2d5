"""The renderer both documents share, and the reportlab pieces it is built from.

:class:`BaseRenderer` follows pretix's ``BaseReportlabInvoiceRenderer`` (STYLE.md #9): a plain
data object in, PDF bytes out, with template methods a document overrides: the stylesheet
(``_get_stylesheet``), the page frames (``_get_frames`` / ``_get_page_templates``), the
furniture on every page (``_on_page`` for the header, ``_draw_page_count`` for the footer with
"page X of Y"), and the story (``_get_story``). The procedure note and the aftercare handout are
its subclasses.

Every string they print goes through :mod:`clinic_app.reports.text` (any script, right-to-left
order, a font for every letter): Paragraph text through :func:`esc`, canvas text through the
canvas that :func:`numbered_canvas` makes, whose ``drawString`` family does the same.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, Generic, NamedTuple, TypeVar

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from clinic_app.domain.fonts import font_dir
from clinic_app.domain.handout import clean
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
#: The rule under every page's header.
RULE_GREY = colors.HexColor("#9a9a9a")

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


DataT = TypeVar("DataT")


def table_report_styles(body_size: float, cell_size: float) -> StyleSheet1:
    """The body and table-cell styles the one-page table reports share (access, progress):
    ``Body``, ``Cell`` and ``CellBold``; each report adds its own headings."""
    sheet = StyleSheet1()
    body = ParagraphStyle(
        "Body", fontName=REGULAR, fontSize=body_size, leading=body_size * 1.3, spaceAfter=3
    )
    sheet.add(body)
    sheet.add(
        ParagraphStyle(
            "Cell", parent=body, fontSize=cell_size, leading=cell_size * 1.2, spaceAfter=0
        )
    )
    sheet.add(ParagraphStyle("CellBold", parent=sheet["Cell"], fontName=BOLD))
    return sheet


class Built(NamedTuple):
    """One finished layout: the PDF and its number of pages."""

    pdf: bytes
    pages: int


class BaseRenderer(Generic[DataT]):
    """Lays out one document for ``data``. Subclass and override the template steps.

    A subclass provides the stylesheet, the header (:meth:`_on_page`), the footer's texts
    (:meth:`_page_label`, :meth:`_footer_left`), the story, the document's metadata and the
    user strings whose glyphs are checked before anything is drawn.

    Attributes:
        data: the plain values the document prints.
        styles: the paragraph styles, made again before each layout.
    """

    pagesize: tuple[float, float] = LETTER
    margin: float = 0.5 * inch
    #: Space between the header's rule and the text frame, in points.
    header_gap: float = 6.0

    def __init__(self, data: DataT) -> None:
        self.data = data
        self.styles = self._get_stylesheet()

    # ------------------------------------------------------------ template steps

    def _get_stylesheet(self) -> StyleSheet1:
        raise NotImplementedError

    def _furniture_size(self) -> float:
        """The type size of the header and footer."""
        raise NotImplementedError

    def _header_height(self) -> float:
        raise NotImplementedError

    def _footer_height(self) -> float:
        return self._furniture_size() * 2.5

    def _get_frames(self) -> list[Frame]:
        top = self._header_height() + self.header_gap
        return [body_frame(self.pagesize, self.margin, top, self._footer_height())]

    def _get_page_templates(self) -> list[PageTemplate]:
        return [PageTemplate("page", self._get_frames(), onPage=self._on_page)]

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The header, drawn on each page as it starts."""
        raise NotImplementedError

    def _page_label(self, page: int, pages: int) -> str:
        """The footer's right end: "Page 1 of 2" in the document's language."""
        raise NotImplementedError

    def _footer_left(self) -> str:
        """The footer's left end: whose document this is."""
        raise NotImplementedError

    def _draw_page_count(self, canvas: Canvas, page: int, pages: int) -> None:
        """The footer, drawn on each page once the page count is known."""
        width, _ = self.pagesize
        canvas.saveState()
        canvas.setFont(REGULAR, self._furniture_size())
        canvas.drawRightString(width - self.margin, self.margin, self._page_label(page, pages))
        canvas.drawString(self.margin, self.margin, self._footer_left())
        self._on_page_counted(canvas, page, pages)
        canvas.restoreState()

    def _on_page_counted(self, canvas: Canvas, page: int, pages: int) -> None:
        """Anything drawn over a finished page, after the footer (nothing by default)."""

    def _get_story(self) -> list[Flowable]:
        raise NotImplementedError

    def _document_info(self) -> dict[str, str]:
        """The PDF's metadata: ``title``, ``author``, ``lang`` and optionally ``subject``."""
        raise NotImplementedError

    def user_strings(self) -> list[str]:
        """Every user string the document prints, for the glyph check."""
        raise NotImplementedError

    # ------------------------------------------------------------ shared parts

    def _clean(self, text: str) -> str:
        """User text as printed on one line: NFC, whitespace runs as one space."""
        return clean(text)

    def _para(self, text: str, style: str = "Body") -> Paragraph:
        """``text`` (escaped) as a paragraph in the named style."""
        return Paragraph(esc(text), self.styles[style])

    def _content_width(self) -> float:
        return float(self.pagesize[0] - 2 * self.margin)

    def _draw_header_lines(
        self,
        canvas: Canvas,
        left: float,
        top: float,
        lines: tuple[tuple[str, str], tuple[str, str | None]],
        *,
        alert: Color | None = None,
    ) -> None:
        """The header's two lines: bold on the left of the first, regular elsewhere.

        Args:
            left: where the lines start (right of a logo, if any); they end at the margin.
            lines: (left, right) texts of each line; a right text of None is left out.
            alert: a colour for the first line's right text (black otherwise).
        """
        size = self._furniture_size()
        right = self.pagesize[0] - self.margin
        (first, status), (second, detail) = lines
        canvas.setFont(BOLD, size * 1.15)
        canvas.drawString(left, top - size, first)
        canvas.setFont(REGULAR, size)
        if alert is not None:
            canvas.setFillColor(alert)
        canvas.drawRightString(right, top - size, status)
        if alert is not None:
            canvas.setFillColor(colors.black)
        canvas.drawString(left, top - size * 2.4, second)
        if detail is not None:
            canvas.drawRightString(right, top - size * 2.4, detail)

    def _draw_rule(self, canvas: Canvas, y: float) -> None:
        """The grey rule under the header, from margin to margin."""
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.8)
        canvas.line(self.margin, y, self.pagesize[0] - self.margin, y)

    # ------------------------------------------------------------ output

    def render(self) -> bytes:
        """The PDF.

        Raises:
            MissingGlyphError: a user string has a character the embedded fonts lack.
        """
        self._check_glyphs()
        return self._build().pdf

    def _check_glyphs(self) -> None:
        register_fonts()
        check_glyphs(self._clean(s) for s in self.user_strings())

    def _build(self) -> Built:
        """Lay the story out once, with fresh styles."""
        self.styles = self._get_stylesheet()
        out = io.BytesIO()
        doc = BaseDocTemplate(
            out,
            pagesize=self.pagesize,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin,
            bottomMargin=self.margin,
            **self._document_info(),
        )
        doc.addPageTemplates(self._get_page_templates())
        self._watch(doc)
        doc.build(self._get_story(), canvasmaker=numbered_canvas(self._draw_page_count))
        return Built(out.getvalue(), doc.page)

    def _watch(self, doc: BaseDocTemplate) -> None:
        """Hook to observe the layout (e.g. ``doc.afterFlowable``); nothing by default."""


__all__ = [
    "BOLD",
    "FALLBACK",
    "FONT_DIR",
    "REGULAR",
    "RULE_GREY",
    "BaseRenderer",
    "Built",
    "MissingGlyphError",
    "body_frame",
    "check_glyphs",
    "esc",
    "numbered_canvas",
    "register_fonts",
]
