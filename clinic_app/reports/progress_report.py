"""The one-page progress report (issue 14 §1): the series' effect at a glance.

For a payer or a referring doctor: who, the period and number of signed visits, pain then and
now, the average relief and how long it lasted, the sessions against the payer's limit, the
chart (:mod:`.progress_chart`, drawn with reportlab graphics), the muscles treated and, when
kept, the outcome questionnaires. :class:`ProgressReportRenderer` is a
:class:`~clinic_app.reports.base.BaseRenderer`; every user string is escaped.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Spacer

from clinic_app.domain.labels import SIDE_LABELS
from clinic_app.domain.progress_text import change_text, number, summary
from clinic_app.reports.base import BOLD, BaseRenderer, table_report_styles
from clinic_app.reports.progress_chart import progress_drawing
from clinic_app.reports.progress_data import ProgressReportData, ReportMeasure
from clinic_app.reports.tables import grid_table, label_value_table

#: The note's smallest type; the report prints nothing smaller.
MIN_FONT_SIZE = 9.0
#: Muscle rows printed (most treated first); the rest are counted in one line, so the
#: report stays on one page.
MAX_MUSCLE_ROWS = 10
MAX_MEASURE_ROWS = 6
CHART_HEIGHT = 2.5 * inch
TITLE = "Progress report"

__all__ = [
    "ProgressReportData",
    "ProgressReportRenderer",
    "ReportMeasure",
    "render_progress_report",
]


class ProgressReportRenderer(BaseRenderer[ProgressReportData]):
    """Lays out the progress report. Subclass and override a template step to vary it."""

    margin = 0.6 * inch
    header_gap = 10.0
    body_size = 10.0
    header_size = MIN_FONT_SIZE
    cell_size = MIN_FONT_SIZE

    def _get_stylesheet(self) -> StyleSheet1:
        sheet = table_report_styles(self.body_size, self.cell_size)
        body = sheet["Body"]
        sheet.add(ParagraphStyle("Label", parent=body, fontName=BOLD, spaceAfter=1))
        sheet.add(ParagraphStyle("Value", parent=body, spaceAfter=1))
        sheet.add(ParagraphStyle("Title", parent=body, fontName=BOLD, fontSize=15, leading=19))
        sheet.add(
            ParagraphStyle(
                "Heading", parent=body, fontName=BOLD, fontSize=11, spaceBefore=6, spaceAfter=3
            )
        )
        sheet.add(ParagraphStyle("Small", parent=body, fontSize=MIN_FONT_SIZE, leading=11))
        return sheet

    def _furniture_size(self) -> float:
        return self.header_size

    def _header_height(self) -> float:
        return self.header_size * 3.4

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The clinic's name, address and phone, and the day the report was made."""
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
            (
                (self._clean(d.clinic_name), TITLE),
                (contact, f"Made {d.made_on.isoformat()}"),
            ),
        )
        self._draw_rule(canvas, top - self._header_height())
        canvas.restoreState()

    def _page_label(self, page: int, pages: int) -> str:
        return f"Page {page} of {pages}"

    def _footer_left(self) -> str:
        return self._patient_line()

    def _patient_line(self) -> str:
        d = self.data
        return (
            f"{self._clean(d.patient_name)} · MRN {self._clean(d.patient_mrn)}"
            f" · born {d.date_of_birth.isoformat()}"
        )

    # ------------------------------------------------------------ the story

    def _get_story(self) -> list[Flowable]:
        d = self.data
        width = self._content_width()
        story: list[Flowable] = [
            self._para("Trigger point treatment: progress over the series", "Title"),
            self._para(f"Patient: {self._patient_line()}"),
            Spacer(1, 4),
            label_value_table(
                [(label, [text]) for label, text in summary(d.progress)],
                width,
                self.body_size,
                self._para,
            ),
        ]
        if not d.progress.points:
            return story
        story += [
            self._para("Pain before and after each visit", "Heading"),
            progress_drawing(d.progress, width, CHART_HEIGHT),
            self._para(
                "Pain on a 0-10 scale, scored before and after the injections at each visit; "
                "the bars are the relief that visit gave, as the patient reported it at the "
                "following visit. Signed visits only.",
                "Small",
            ),
            self._para("Muscles treated", "Heading"),
            *self._muscles(),
        ]
        if d.measures:
            story += [self._para("Outcome questionnaires", "Heading"), *self._measures()]
        return story

    def _muscles(self) -> list[Flowable]:
        d = self.data
        tallies = d.progress.muscles
        rows = [
            [
                self._clean(d.muscle_names.get(t.muscle_code, t.muscle_code)),
                SIDE_LABELS.get(t.side, t.side.value.capitalize()),
                str(t.times),
                change_text(t.average_change),
            ]
            for t in tallies[:MAX_MUSCLE_ROWS]
        ]
        if not rows:
            return [self._para("No sites recorded on the signed visits.")]
        columns = [
            ("Muscle", 0.46),
            ("Side", 0.14),
            ("Times treated", 0.18),
            ("Average change in pain", 0.22),
        ]
        out: list[Flowable] = [
            grid_table(columns, rows, self._content_width(), self.cell_size, self._para)
        ]
        hidden = len(tallies) - MAX_MUSCLE_ROWS
        if hidden > 0:
            noun = "muscle" if hidden == 1 else "muscles"
            out.append(self._para(f"… and {hidden} more {noun}, each treated less often.", "Small"))
        return out

    def _measures(self) -> list[Flowable]:
        measures: tuple[ReportMeasure, ...] = self.data.measures[-MAX_MEASURE_ROWS:]
        rows = [
            [
                m.taken_on.isoformat(),
                self._clean(m.label),
                str(m.total),
                f"{number(m.percent)}%",
                self._clean(m.band),
            ]
            for m in measures
        ]
        columns = [("Date", 0.16), ("Questionnaire", 0.36), ("Score", 0.12), ("%", 0.12)]
        columns.append(("Level", 0.24))
        return [grid_table(columns, rows, self._content_width(), self.cell_size, self._para)]

    def _document_info(self) -> dict[str, str]:
        return {
            "title": f"{TITLE}: {self._clean(self.data.patient_name)}",
            "author": self._clean(self.data.clinic_name),
            "subject": "Trigger point treatment: progress over the series",
            "lang": "en",
        }

    def user_strings(self) -> list[str]:
        d = self.data
        texts = [d.clinic_name, d.clinic_address, d.clinic_phone, d.patient_name, d.patient_mrn]
        texts += list(d.muscle_names.values())
        for m in d.measures:
            texts += [m.label, m.band]
        return texts


def render_progress_report(data: ProgressReportData) -> bytes:
    """The progress report for ``data`` as PDF bytes.

    Raises:
        MissingGlyphError: a user string has a character the embedded fonts lack.
    """
    return ProgressReportRenderer(data).render()
