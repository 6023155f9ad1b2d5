"""The procedure note as PDF (issue 5 §2, issue 8 §2 and §8; content from tpi-reference.md §6).

:func:`render_note` takes a :class:`~clinic_app.reports.note_data.NoteData` (plain values,
already worded by the service) and returns PDF bytes. :class:`NoteRenderer` is a
:class:`~clinic_app.reports.base.BaseRenderer` (STYLE.md #9): this module says how the note
looks (styles, the header, the footer with the seal, the diagonal DRAFT or ALTERED mark on
every page of an unsigned or altered note); :mod:`clinic_app.reports.note_sections` says what
it prints. Every user string is escaped before it reaches Paragraph markup.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate

from clinic_app.reports.base import BOLD, REGULAR
from clinic_app.reports.note_data import (
    NoteData,
)
from clinic_app.reports.note_sections import ALTERED, NoteSections, when

DRAFT_RED = colors.HexColor("#c0392b")
#: The smallest type on the note (issue 8 §8): nothing is printed smaller.
MIN_FONT_SIZE = 9.0


class NoteRenderer(NoteSections):
    """Builds one procedure note. Subclass and override a template step to vary it."""

    margin = 0.55 * inch
    header_gap = 8.0
    body_size = 9.5
    header_size = MIN_FONT_SIZE
    cell_size = MIN_FONT_SIZE

    # ------------------------------------------------------------ template steps

    def _get_stylesheet(self) -> StyleSheet1:
        size = self.body_size
        sheet = StyleSheet1()
        body = ParagraphStyle(
            "Body", fontName=REGULAR, fontSize=size, leading=size * 1.3, spaceAfter=2
        )
        sheet.add(body)
        cell = self.cell_size
        sheet.add(
            ParagraphStyle("Cell", parent=body, fontSize=cell, leading=cell * 1.2, spaceAfter=0)
        )
        sheet.add(ParagraphStyle("CellBold", parent=sheet["Cell"], fontName=BOLD))
        sheet.add(ParagraphStyle("Label", parent=body, fontName=BOLD, spaceAfter=0))
        sheet.add(ParagraphStyle("Value", parent=body, spaceAfter=0))
        sheet.add(ParagraphStyle("Title", parent=body, fontName=BOLD, fontSize=16, leading=20))
        sheet.add(
            ParagraphStyle(
                "Alert",
                parent=body,
                fontName=BOLD,
                fontSize=11.5,
                leading=14,
                textColor=DRAFT_RED,
                borderColor=DRAFT_RED,
                borderWidth=1.2,
                borderPadding=5,
                spaceBefore=4,
                spaceAfter=10,
            )
        )
        sheet.add(
            ParagraphStyle(
                "Heading",
                parent=body,
                fontName=BOLD,
                fontSize=11.5,
                leading=14,
                spaceBefore=8,
                spaceAfter=3,
            )
        )
        return sheet

    def _furniture_size(self) -> float:
        return self.header_size

    def _header_height(self) -> float:
        return self.header_size * 3.4

    def _status(self) -> str:
        d = self.data
        if d.altered:
            return "ALTERED"
        return "Signed" if d.signed else "DRAFT — not signed"

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Header on every page: clinic, document, the patient's name, birth date and MRN."""
        d = self.data
        top = self.pagesize[1] - self.margin
        canvas.saveState()
        self._draw_header_lines(
            canvas,
            self.margin,
            top,
            (
                (self._clean(d.clinic_name), f"Procedure note · {self._status()}"),
                (self._patient_line(), f"Date: {when(d.performed_at, d.timezone)}"),
            ),
            alert=DRAFT_RED if d.altered else None,
        )
        self._draw_rule(canvas, top - self._header_height())
        canvas.restoreState()

    def _page_label(self, page: int, pages: int) -> str:
        return f"Page {page} of {pages}"

    def _footer_left(self) -> str:
        return self._patient_line()

    def _on_page_counted(self, canvas: Canvas, page: int, pages: int) -> None:
        """The seal under the footer, and the DRAFT or ALTERED mark drawn over the content."""
        width, height = self.pagesize
        d = self.data
        seal_line = self.margin - self.header_size * 1.3
        if d.altered:
            canvas.setFillColor(DRAFT_RED)
            canvas.setFont(BOLD, self.header_size)
            canvas.drawString(self.margin, seal_line, ALTERED)
        elif d.seal is not None:
            canvas.drawString(self.margin, seal_line, f"Signed content seal SHA-256 {d.seal.short}")
        mark = "ALTERED" if d.altered else None if d.signed else "DRAFT"
        if mark is not None:
            canvas.setFillColor(DRAFT_RED)
            canvas.setFillAlpha(0.16)
            canvas.setFont(BOLD, 140 if mark == "DRAFT" else 100)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(50)
            canvas.drawCentredString(0, -50, mark)

    def _document_info(self) -> dict[str, str]:
        seal = self.data.seal
        return {
            "title": "Procedure note",
            "author": self._clean(self.data.clinic_name),
            "subject": f"Signed content seal SHA-256 {seal.digest}" if seal else "",
            "lang": "en",
        }


def render_note(data: NoteData) -> bytes:
    """The procedure note for ``data`` as PDF bytes.

    Raises:
        MissingGlyphError: a user string has a character the embedded font lacks.
    """
    return NoteRenderer(data).render()
