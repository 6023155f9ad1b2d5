"""Patient → Export to FHIR…: the selected patient's signed encounters as a FHIR R4 Bundle.

A save dialog asks where; the export (the notes are drawn as PDF, one per encounter) and the
file write run on a worker thread (:mod:`clinic_app.ui.common.jobs`), so the window keeps
painting; the outcome comes back as a message. The service checks the permission and audits
every exported encounter; this module only asks and reports.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow

from clinic_app.domain.errors import ClinicError
from clinic_app.ui.common import messages
from clinic_app.ui.common.jobs import JobQueue

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices
    from clinic_app.services.dto import PatientView
    from clinic_app.services.fhir_export import FhirExport

FILE_FILTER = "FHIR JSON (*.json)"
TITLE = "Export to FHIR"


def write_replacing(out: Path, content: bytes) -> None:
    """Write beside ``out`` then rename over it: a reader never sees half a file, and a
    failure leaves ``out`` as it was. The file gets the usual permissions (as if created
    plainly), not the owner-only ones of a temporary file."""
    fd, temp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        mask = os.umask(0)
        os.umask(mask)
        temp.chmod(0o666 & ~mask)
        os.replace(temp, out)
    except OSError:
        temp.unlink(missing_ok=True)
        raise


class FhirExporter(QObject):
    """Runs one patient's export at a time for the main window.

    Signals:
        exported(str, int): the file written and how many encounters it holds.
        failed(str): the export or the write failed; the message shown.

    Attributes:
        jobs: the worker queue the export runs on.
    """

    exported = Signal(str, int)
    failed = Signal(str)

    def __init__(self, services: AppServices, window: QMainWindow) -> None:
        super().__init__(window)
        self._services = services
        self._window = window
        self.jobs = JobQueue("fhir export", self)
        self.jobs.progress_changed.connect(self._on_progress)

    def export_patient(self, patient: PatientView) -> bool:
        """Ask where, then export ``patient``'s signed encounters; False when not started."""
        if self.jobs.pending:
            return False
        chosen = messages.ask_save_file(
            self._window, TITLE, f"fhir-{patient.mrn}.json", FILE_FILTER
        )
        if not chosen:
            return False
        out = Path(chosen)
        if not out.suffix:
            out = out.with_suffix(".json")
        fhir, patient_id = self._services.fhir, patient.id

        def run() -> FhirExport:
            export = fhir.export_patient(patient_id)
            write_replacing(out, export.json_bytes())
            return export

        self.jobs.submit(
            run,
            lambda export: self._on_done(out, export),
            self._on_error,
            progress="Exporting to FHIR…",
        )
        return True

    def _on_progress(self, text: str) -> None:
        if text:
            self._window.statusBar().showMessage(text)

    def _on_done(self, out: Path, export: FhirExport) -> None:
        count = export.encounters
        text = f"{count} signed encounter{'s' if count != 1 else ''} written to {out}."
        self._window.statusBar().showMessage(f"Exported to FHIR: {text}", 8000)
        messages.inform(self._window, TITLE, f"FHIR R4 bundle saved: {text}")
        self.exported.emit(str(out), count)

    def _on_error(self, exc: Exception) -> None:
        self._window.statusBar().clearMessage()
        if isinstance(exc, ClinicError):
            messages.show_error(self._window, "Could not export to FHIR", exc)
            self.failed.emit(str(exc))
        elif isinstance(exc, OSError):
            text = f"The file could not be written: {exc.strerror or exc}."
            messages.warn(self._window, "Could not save the file", text)
            self.failed.emit(text)
        else:  # pragma: no cover - a bug: let the app's error handler see it
            raise exc
