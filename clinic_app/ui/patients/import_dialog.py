"""Patient → Import patients…: a FHIR JSON file or a CSV export, mapped, previewed, then
imported all at once (issue 14 §3).

Reading the file, the preview and the import run on a worker thread (:mod:`jobs`), so a file
of ten thousand patients keeps the window painting; the import reports its progress and can
be cancelled, which rolls back everything it wrote. Closing the dialog at any step before
the import saves nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.errors import ClinicError
from clinic_app.domain.patient_import import ImportStatus
from clinic_app.domain.patient_import_csv import CsvTable, csv_rows, read_csv
from clinic_app.domain.patient_import_fhir import parse_fhir
from clinic_app.services.patient_import import ImportPreview, ImportResult
from clinic_app.ui.common import messages
from clinic_app.ui.common.jobs import JobQueue
from clinic_app.ui.patients.import_mapping import ColumnMappingPage
from clinic_app.ui.patients.import_preview import ImportPreviewPage, counts_text

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

log = logging.getLogger(__name__)

TITLE = "Import patients"
FILE_FILTER = "Patient files (*.csv *.json);;CSV export (*.csv *.txt);;FHIR JSON (*.json)"
INTRO = (
    "Import patients from another system so nobody retypes them: a FHIR JSON file (a Bundle "
    "of Patient resources, or one Patient) or a CSV export of a practice-management system. "
    "You see every row before anything is saved; patients whose MRN is already registered "
    "are reported and left alone."
)


#: Lines of skipped rows the result names before "…".
SHOWN_LINES = 20


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


class CancelledImportError(ClinicError):
    """The user cancelled a running import (it rolls back: nothing was imported)."""


class _Relay(QObject):
    """Lives on the GUI thread; the worker reports the import's progress through it."""

    moved = Signal(int, int)


class PatientImportDialog(QDialog):
    """Choose a file, map its columns (CSV), preview, import.

    Signals:
        imported(int): patients were registered (how many).

    Attributes:
        pages: the steps; ``CHOOSE``, ``MAPPING``, ``PREVIEW``, ``DONE`` are their indexes.
        mapping_page: the CSV's column mapping.
        preview_page: the rows and what the import will do with them.
        result_label: what the import did.
        jobs: reading, previewing and importing, off the GUI thread.
    """

    imported = Signal(int)
    CHOOSE, MAPPING, PREVIEW, DONE = range(4)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(980, 620)
        self._importer = services.patient_import
        self._table: CsvTable | None = None
        self._ignored: dict[str, int] = {}
        self._preview: ImportPreview | None = None
        self._importing = False
        self._cancel = threading.Event()
        self._relay = _Relay(self)
        self._relay.moved.connect(self.on_progress)
        self.jobs = JobQueue("patient import", self)

        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.choose_button = QPushButton("Choose a file…")
        self.choose_button.clicked.connect(self.on_choose)
        choose_page = QWidget()
        choose_layout = QVBoxLayout(choose_page)
        choose_layout.addWidget(intro)
        choose_layout.addWidget(self.choose_button)
        choose_layout.addStretch(1)
        self.mapping_page = ColumnMappingPage()
        self.mapping_page.changed.connect(self._update_buttons)
        self.preview_page = ImportPreviewPage()
        self.result_label = QLabel()
        self.result_label.setAccessibleName("Import result")
        self.result_label.setWordWrap(True)
        done_page = QWidget()
        done_layout = QVBoxLayout(done_page)
        done_layout.addWidget(self.result_label)
        done_layout.addStretch(1)
        self.pages = QStackedWidget()
        for page in (choose_page, self.mapping_page, self.preview_page, done_page):
            self.pages.addWidget(page)

        self.file_label = QLabel()
        self.file_label.setAccessibleName("File")
        self.status_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Import progress")
        self.progress_bar.hide()
        self.back_button = QPushButton("Back")
        self.back_button.clicked.connect(self.on_back)
        self.preview_button = QPushButton("Preview")
        self.preview_button.clicked.connect(self.on_preview)
        self.import_button = QPushButton("Import")
        self.import_button.clicked.connect(self.on_import)
        self.close_button = QPushButton("Cancel")
        self.close_button.clicked.connect(self.on_close_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.progress_bar)
        for button in (self.back_button, self.preview_button, self.import_button):
            buttons.addWidget(button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # ------------------------------------------------------------------ state
    @property
    def busy(self) -> bool:
        return self.jobs.pending > 0

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self._update_buttons()

    def _update_buttons(self) -> None:
        page, busy = self.pages.currentIndex(), self.busy
        new = self._preview.count(ImportStatus.NEW) if self._preview else 0
        self.choose_button.setEnabled(not busy)
        self.back_button.setVisible(page in (self.MAPPING, self.PREVIEW))
        self.back_button.setEnabled(not busy)
        self.preview_button.setVisible(page == self.MAPPING)
        self.preview_button.setEnabled(not busy and not self.mapping_page.problems())
        self.import_button.setVisible(page == self.PREVIEW)
        self.import_button.setEnabled(not busy and new > 0)
        self.import_button.setText(f"Import {new} new patient{'s' if new != 1 else ''}")
        self.close_button.setText(
            "Close" if page == self.DONE else "Cancel import" if self._importing else "Cancel"
        )

    def _start(self, text: str, total: int = 0) -> None:
        self.status_label.setText(text)
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(0)
        self.progress_bar.show()

    def _stop(self) -> None:
        self.status_label.clear()
        self.progress_bar.hide()
        self._update_buttons()

    def _submit(
        self, run: Callable[[], Any], on_done: Callable[[Any], None], text: str, total: int = 0
    ) -> None:
        self._start(text, total)
        self.jobs.submit(run, on_done, self.on_job_error)
        self._update_buttons()

    # ------------------------------------------------------------------ steps
    def on_choose(self) -> None:
        path = messages.ask_open_file(self, TITLE, FILE_FILTER)
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        """Read ``path``: a .json file is FHIR and goes straight to the preview; anything
        else is a CSV export and goes to the column mapping."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            messages.warn(self, TITLE, f"The file cannot be read: {exc.strerror or exc}.")
            return
        self.file_label.setText(f"File: {path.name}")
        self._table, self._ignored, self._preview = None, {}, None
        importer = self._importer
        if path.suffix.lower() == ".json":

            def read_fhir() -> tuple[dict[str, int], ImportPreview]:
                found = parse_fhir(data)
                return found.ignored, importer.preview(list(found.rows))

            self._submit(read_fhir, self.on_fhir_previewed, "Reading the file…")
        else:
            self._submit(lambda: read_csv(data), self.on_csv_read, "Reading the file…")

    def on_csv_read(self, table: CsvTable) -> None:
        self._stop()
        self._table = table
        self.mapping_page.set_table(table)
        self._show_page(self.MAPPING)

    def on_fhir_previewed(self, found: tuple[dict[str, int], ImportPreview]) -> None:
        self._ignored = found[0]
        self.on_previewed(found[1])

    def on_preview(self) -> None:
        """Read the CSV's rows through the chosen mapping and check them."""
        if self._table is None or self.mapping_page.problems() or self.busy:
            return
        table, importer = self._table, self._importer
        mapping, order = self.mapping_page.mapping(), self.mapping_page.date_order()
        self._submit(
            lambda: importer.preview(csv_rows(table, mapping, order)),
            self.on_previewed,
            f"Checking {len(table.records)} rows…",
        )

    def on_previewed(self, preview: ImportPreview) -> None:
        self._stop()
        self._preview = preview
        self.preview_page.show_preview(preview, self._ignored)
        self._show_page(self.PREVIEW)

    def on_import(self) -> None:
        """After confirmation, register the new rows in one transaction, with progress."""
        if self._preview is None or self.busy:
            return
        rows = self._preview.new_rows()
        if not rows or not messages.confirm_patient_import(
            self, f"{counts_text(self._preview)}.\n\nImport the {len(rows)} new patients?"
        ):
            return
        importer, cancel, relay = self._importer, self._cancel, self._relay
        cancel.clear()

        def progress(done: int, total: int) -> None:
            if cancel.is_set():  # on the worker: raising rolls the whole import back
                raise CancelledImportError("The import was cancelled; nothing was imported.")
            relay.moved.emit(done, total)

        self._importing = True
        self._submit(
            lambda: importer.commit(rows, progress=progress),
            self.on_imported,
            f"Importing {len(rows)} patients…",
            len(rows),
        )

    def on_progress(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(done)
        self.status_label.setText(f"Importing… {done} of {total}")

    def on_imported(self, result: ImportResult) -> None:
        self._importing = False
        self._stop()
        preview = self._preview
        invalid = preview.count(ImportStatus.INVALID) if preview else 0
        # The preview's duplicates, and any another desk registered since the preview.
        duplicates = [
            v.line for v in (preview.rows if preview else ()) if v.status is ImportStatus.DUPLICATE
        ] + [v.line for v in result.duplicates]
        lines = [f"Imported {_plural(result.imported, 'patient', 'patients')}."]
        if duplicates:
            shown = ", ".join(str(line) for line in duplicates[:SHOWN_LINES])
            more = "…" if len(duplicates) > SHOWN_LINES else ""
            lines.append(
                f"{_plural(len(duplicates), 'duplicate was', 'duplicates were')} skipped "
                f"(lines {shown}{more}): the MRN is already registered or appears earlier "
                "in the file."
            )
        if invalid:
            lines.append(
                f"{_plural(invalid, 'invalid row was', 'invalid rows were')} not imported; "
                "correct them in the file and import it again."
            )
        self.result_label.setText("\n\n".join(lines))
        self._show_page(self.DONE)
        self.imported.emit(result.imported)

    def on_job_error(self, exc: Exception) -> None:
        self._importing = False
        self._stop()
        if isinstance(exc, ClinicError):
            messages.show_error(self, TITLE, exc)
            return
        # The type only: a message could quote a row of the file (patient data).
        log.error("Patient import failed: %s", type(exc).__name__)
        messages.warn(
            self, TITLE, f"The import failed ({type(exc).__name__}); nothing was imported."
        )

    def on_back(self) -> None:
        if self.busy:
            return
        page = self.pages.currentIndex()
        to_mapping = page == self.PREVIEW and self._table is not None
        self._show_page(self.MAPPING if to_mapping else self.CHOOSE)

    def on_close_clicked(self) -> None:
        """Cancel a running import (it rolls back), else close the dialog."""
        if self._importing:
            self._cancel.set()
            self.status_label.setText("Cancelling…")
            return
        if self.pages.currentIndex() == self.DONE:
            self.accept()
        else:
            self.reject()

    def done(self, result: int) -> None:
        # Closing stops the worker: a running import is cancelled and rolled back.
        self._cancel.set()
        self.jobs.shutdown()
        super().done(result)
