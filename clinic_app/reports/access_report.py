"""A patient's "who looked at my chart" report as PDF (issue 10 §4).

:func:`render_access_report` takes an :class:`AccessReportData` (plain values, already worded
by the audit service: times in the clinic's zone, actions in words) and returns PDF bytes.
:class:`AccessReportRenderer` is a :class:`~clinic_app.reports.base.BaseRenderer`: the
clinic's header on every page, the patient and the period, then one table line per access.
Every user string is escaped before it reaches Paragraph markup.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Spacer

from clinic_app.reports.access_data import AccessLine, AccessReportData
from clinic_app.reports.base import BOLD, BaseRenderer, table_report_styles
from clinic_app.reports.tables import grid_table

#: The note's smallest type; the report prints nothing smaller.
MIN_FONT_SIZE = 9.0
EMERGENCY_MARK = "EMERGENCY ACCESS"

__all__ = ["AccessLine", "AccessReportData", "AccessReportRenderer", "render_access_report"]


class AccessReportRenderer(BaseRenderer[AccessReportData]):
    """Lays out the access report. Subclass and override a template step to vary it."""

    margin = 0.6 * inch
    header_gap = 10.0
    body_size = 10.0
    header_size = MIN_FONT_SIZE
    cell_size = MIN_FONT_SIZE

    def _get_stylesheet(self) -> StyleSheet1:
        sheet = table_report_styles(self.body_size, self.cell_size)
        body = sheet["Body"]
        sheet.add(ParagraphStyle("Title", parent=body, fontName=BOLD, fontSize=15, leading=19))
        return sheet

    def _furniture_size(self) -> float:
        return self.header_size

    def _header_height(self) -> float:
        return self.header_size * 3.4

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The clinic's name, address and phone on every page."""
        d = self.data
        top = self.pagesize[1] - self.margin
        canvas.saveState()
        contact = " · ".join(
            part for part in (self._clean(d.clinic_address), self._clean(d.clinic_phone)) if part
        )
        self._draw_header_lines(
            canvas,
            self.margin,
            top,
            ((self._clean(d.clinic_name), "Chart access report"), (contact, d.period)),
        )
        self._draw_rule(canvas, top - self._header_height())
        canvas.restoreState()

    def _page_label(self, page: int, pages: int) -> str:
        return f"Page {page} of {pages}"

    def _footer_left(self) -> str:
        d = self.data
        return f"{self._clean(d.patient_name)} · MRN {self._clean(d.patient_mrn)}"

    def _get_story(self) -> list[Flowable]:
        d = self.data
        story: list[Flowable] = [
            self._para("Who looked at this chart", "Title"),
            self._para(
                f"Patient: {self._clean(d.patient_name)} · MRN {self._clean(d.patient_mrn)}"
                f" · born {d.date_of_birth}"
            ),
            self._para(f"Period: {d.period}. Made {d.made_at}."),
            self._para(
                "Every opening, change and printing of this chart by the clinic's staff, "
                "from the clinic's tamper-evident audit trail. Times are the clinic's local "
                "time."
            ),
            Spacer(1, 6),
        ]
        if not d.lines:
            story.append(self._para("No one opened or changed this chart in this period."))
            return story
        columns = [("Date and time", 0.22), ("Who", 0.22), ("Role", 0.16), ("What", 0.40)]
        rows = [
            [
                line.when,
                self._clean(line.who) or "(unknown)",
                line.role,
                f"{line.what} — {EMERGENCY_MARK}" if line.emergency else line.what,
            ]
            for line in d.lines
        ]
        story.append(grid_table(columns, rows, self._content_width(), self.cell_size, self._para))
        return story

    def _document_info(self) -> dict[str, str]:
        return {
            "title": "Chart access report",
            "author": self._clean(self.data.clinic_name),
            "subject": "Who looked at the chart",
            "lang": "en",
        }

    def user_strings(self) -> list[str]:
        d = self.data
        texts = [d.clinic_name, d.clinic_address, d.clinic_phone, d.patient_name, d.patient_mrn]
        for line in d.lines:
            texts += [line.who, line.role, line.what]
        return texts


def render_access_report(data: AccessReportData) -> bytes:
    """The access report for ``data`` as PDF bytes.

    Raises:
        MissingGlyphError: a user string has a character the embedded fonts lack.
    """
    return AccessReportRenderer(data).render()
