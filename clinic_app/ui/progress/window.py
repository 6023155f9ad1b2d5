"""The Progress view: one patient's series of signed visits (issue 14 §1).

Shows the series in words (period, pain then and now, relief, sessions against the payer's
limit), the pain chart, the outcome questionnaires when any are kept, and the per-muscle
table. The chart exports as PNG; the one-page progress report saves as PDF or prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.errors import ClinicError
from clinic_app.domain.progress_text import summary
from clinic_app.services.dto import ProgressView
from clinic_app.ui.common import icons, messages
from clinic_app.ui.common.jobs import JobQueue
from clinic_app.ui.common.print_support import PrintError, print_pdf
from clinic_app.ui.progress.chart import RENDER_HINT, measures_chart, pain_chart
from clinic_app.ui.progress.muscles_model import MuscleTableModel, muscle_rows

if TYPE_CHECKING:
    from clinic_app.services.progress import ProgressService

CHART_HEIGHT = 300
MEASURES_HEIGHT = CHART_HEIGHT * 2 // 3


def file_stem(view: ProgressView) -> str:
    """ "progress-N-7": a file name without the patient's name in it."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in view.patient_mrn)
    return f"progress-{safe or view.patient_id}"


class ProgressWindow(QDialog):
    """One patient's Progress view (modeless).

    Signals:
        exported(str): the chart was written as PNG to this path.
        report_saved(str): the progress report was written as PDF to this path.

    Attributes:
        chart_view: the pain chart.
        measures_view: the questionnaires' chart (None when none are kept).
        muscles: the per-muscle table's model.
    """

    exported = Signal(str)
    report_saved = Signal(str)

    def __init__(
        self, service: ProgressService, view: ProgressView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self.view = view
        self.setWindowTitle(f"Progress — {view.patient_name} (MRN {view.patient_mrn})")
        self.setModal(False)
        self.resize(960, 820)

        layout = QVBoxLayout(self)
        heading = QLabel(f"{view.patient_name} · MRN {view.patient_mrn}")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setStyleSheet("font-size: 14pt; font-weight: 600;")
        layout.addWidget(heading)

        form = QFormLayout()
        self.summary_labels: dict[str, QLabel] = {}
        for caption, text in summary(view.progress):
            value = QLabel(text)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(caption)
            if caption == "Sessions" and view.progress.series.over:
                value.setStyleSheet("color: #b03a2e; font-weight: 600;")
            form.addRow(f"{caption}:", value)
            self.summary_labels[caption] = value
        layout.addLayout(form)

        self.chart_view = QChartView(pain_chart(view.progress))
        self.chart_view.setRenderHint(RENDER_HINT)
        self.chart_view.setMinimumHeight(CHART_HEIGHT)
        self.chart_view.setAccessibleName("Pain chart")
        layout.addWidget(self.chart_view, 3)

        self.measures_view: QChartView | None = None
        if view.measures:
            visit_days = [p.performed_on for p in view.progress.points]
            self.measures_view = QChartView(measures_chart(view.measures, visit_days))
            self.measures_view.setRenderHint(RENDER_HINT)
            self.measures_view.setMinimumHeight(MEASURES_HEIGHT)
            self.measures_view.setAccessibleName("Outcome questionnaires chart")
            layout.addWidget(self.measures_view, 2)

        self.muscles = MuscleTableModel(self)
        self.muscles.set_rows(muscle_rows(view.progress.muscles, view.muscle_names))
        self.table = QTableView()
        self.table.setModel(self.muscles)
        self.table.setAccessibleName("Muscles treated")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)  # it scrolls: the charts take the height first

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = QPushButton("Export chart as PNG…")
        self.save_button = QPushButton(icons.icon("save_pdf"), "Save report as PDF…")
        self.print_button = QPushButton(icons.icon("print"), "Print report…")
        for button in (self.export_button, self.save_button, self.print_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.on_export_png)
        self.save_button.clicked.connect(self.on_save_report)
        self.print_button.clicked.connect(self.on_print_report)
        buttons.rejected.connect(self.close)
        self.status = QLabel()
        self.status.setAccessibleName("Report status")
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        # The report is made on a worker thread (the window keeps painting); a slow one says so.
        self.jobs = JobQueue("progress report", self)
        self.jobs.progress_changed.connect(self.status.setText)

    # ------------------------------------------------------------ exporting

    def export_png(self, path: str) -> bool:
        """Write the pain chart as it is shown to ``path`` (PNG)."""
        return self.chart_view.grab().save(path, "PNG")

    def on_export_png(self) -> bool:
        path = messages.ask_save_file(
            self, "Export chart as PNG", f"{file_stem(self.view)}.png", "PNG images (*.png)"
        )
        if not path:
            return False
        if not self.export_png(path):
            messages.warn(self, "Chart not exported", f"Could not write {path}.")
            return False
        self.exported.emit(path)
        return True

    def _report(self) -> bytes | None:
        """The report's PDF, made on the worker; None (the error shown) when it failed."""
        service, patient_id = self._service, self.view.patient_id
        commands = (self.export_button, self.save_button, self.print_button)
        for button in commands:  # one report at a time
            button.setEnabled(False)
        try:
            pdf: bytes = self.jobs.call(
                lambda: service.render_report(patient_id), progress="Making the progress report…"
            )
            return pdf
        except ClinicError as exc:
            messages.show_error(self, "Progress report not made", exc)
            return None
        finally:
            for button in commands:
                button.setEnabled(True)
            self.status.clear()

    def done(self, result: int) -> None:
        """Close (Escape, Close, the title bar): a report being made is finished first, as
        its audit row is written with it; then the worker stops."""
        self.jobs.wait_idle()
        self.jobs.shutdown()
        super().done(result)

    def on_save_report(self) -> bool:
        path = messages.ask_save_file(
            self, "Save progress report as PDF", f"{file_stem(self.view)}.pdf", "PDF (*.pdf)"
        )
        if not path:
            return False
        pdf = self._report()
        if pdf is None:
            return False
        try:
            Path(path).write_bytes(pdf)
        except OSError as exc:
            messages.warn(self, "Report not saved", f"Could not write {path}: {exc.strerror}")
            return False
        self.report_saved.emit(path)
        return True

    def on_print_report(self) -> bool:
        printer = messages.ask_printer(
            self, "Print progress report", QPrinter(QPrinter.PrinterMode.HighResolution)
        )
        if printer is None:
            return False
        pdf = self._report()
        if pdf is None:
            return False
        try:
            print_pdf(pdf, printer, file_stem(self.view))
        except PrintError as exc:
            messages.warn(self, "Report not printed", str(exc))
            return False
        return True


def open_progress(
    service: ProgressService, patient_id: int, parent: QWidget | None = None
) -> ProgressWindow | None:
    """Load the patient's series and show the Progress view; an error is shown instead."""
    try:
        view = service.progress(patient_id)
    except ClinicError as exc:
        messages.show_error(parent, "Progress not shown", exc)
        return None
    window = ProgressWindow(service, view, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window
