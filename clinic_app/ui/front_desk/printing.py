"""Printing and saving handouts from the front desk, each copy logged.

The PDF is rendered by the documents service on the front desk's worker (reportlab takes a
moment per handout); printing it through Qt happens on the GUI thread, as Qt requires.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget

from clinic_app.domain.enums import Language
from clinic_app.domain.errors import ClinicError
from clinic_app.services.documents import MAX_COPIES
from clinic_app.ui.common import messages
from clinic_app.ui.common.jobs import JobQueue
from clinic_app.ui.common.print_support import PrintError, print_pdf, printer_named
from clinic_app.ui.front_desk.models import doc_name

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

SETTINGS_ORG = "clinic_app"
SETTINGS_APP = "clinic_app"
PRINTER_KEY = "front_desk/printer"
NOT_PRINTED_YET = (
    "This handout has not been printed yet. Use Print… to choose the printer the first time."
)


def reprint_tip(printer: str, printed_before: bool) -> str:
    """The Reprint button's tooltip: what it does, or why it is not available."""
    if not printed_before:
        return NOT_PRINTED_YET
    if not printer:
        return "No printer used from the front desk yet: use Print… once."
    return f"Print this handout again on {printer}"


RENDERING_TEXT = "Rendering the handout…"


@dataclass(frozen=True)
class ShownHandout:
    """The handout the front desk shows: its encounter, options and PDF (once rendered)."""

    encounter_id: int
    language: Language
    large_print: bool
    pdf: bytes | None


class HandoutPrinting(QObject):
    """Print, reprint, save and batch-print handouts; log every copy.

    Signals:
        handout_printed(int): this encounter's handout was printed or saved and logged.
        batch_finished(int): "print all unprinted" printed this many handouts.
    """

    handout_printed = Signal(int)
    batch_finished = Signal(int)

    def __init__(
        self,
        services: AppServices,
        jobs: Callable[[], JobQueue],
        shown: Callable[[], ShownHandout | None],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._services = services
        self._jobs = jobs
        self._shown = shown
        self._window = window

    def render(self, encounter_id: int, language: Language, large_print: bool) -> bytes:
        """The handout's PDF, rendered on the worker (the window keeps painting)."""
        documents = self._services.documents
        pdf: bytes = self._jobs().call(
            lambda: documents.render_handout(
                encounter_id, language=language, large_print=large_print
            ),
            progress=RENDERING_TEXT,
        )
        return pdf

    @staticmethod
    def _settings() -> QSettings:
        return QSettings(SETTINGS_ORG, SETTINGS_APP)

    def remembered_printer(self) -> str:
        """The printer used last from the front desk, "" when none."""
        return str(self._settings().value(PRINTER_KEY, "") or "")

    def choose_printer(self) -> QPrinter | None:
        """Ask with the system print dialog, starting at the remembered printer."""
        printer = printer_named(self.remembered_printer()) or QPrinter(
            QPrinter.PrinterMode.HighResolution
        )
        return messages.ask_printer(self._window, "Print handout", printer)

    def _current(self) -> ShownHandout | None:
        self._jobs().wait_idle()  # the preview being rendered is the one to print
        return self._shown()

    def print_selected(self) -> bool:
        """Print the shown handout after the print dialog; True when printed and logged."""
        if self._current() is None:
            return False
        printer = self.choose_printer()
        return printer is not None and self.print_to(printer)

    def reprint_selected(self) -> bool:
        """One click: print the shown handout again on the remembered printer.

        Only a handout printed before is reprinted (the print log says so, read afresh: another
        desk may have printed it meanwhile); the first print goes through the print dialog.
        """
        shown = self._current()
        if shown is None:
            return False
        try:
            printed_before = bool(self._services.documents.handout_info(shown.encounter_id).prints)
        except ClinicError as exc:
            self._warn("Handout not printed", str(exc))
            return False
        if not printed_before:
            self._warn("Nothing to reprint", NOT_PRINTED_YET)
            return False
        printer = printer_named(self.remembered_printer())
        if printer is None:
            self._warn("Printer not found", "The last printer used is not installed any more.")
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter, encounter_id: int | None = None) -> bool:
        """Print a handout (the shown one by default) on ``printer`` and log it."""
        shown = self._current()
        target = shown.encounter_id if encounter_id is None and shown else encounter_id
        if target is None:
            return False
        try:
            if shown is not None and target == shown.encounter_id:
                language, large, pdf = shown.language, shown.large_print, shown.pdf
            else:
                language, large, pdf = self._defaults(target), False, None
            print_pdf(pdf or self.render(target, language, large), printer, doc_name(target))
        except (ClinicError, PrintError) as exc:
            self._warn("Handout not printed", str(exc))
            return False
        if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
            self._settings().setValue(PRINTER_KEY, printer.printerName())
        copies = min(max(printer.copyCount(), 1), MAX_COPIES)
        return self._log(target, language, copies)

    def save_selected(self) -> bool:
        """Save the shown handout as a PDF file and log it."""
        shown = self._current()
        if shown is None or shown.pdf is None:
            return False
        path = messages.ask_save_file(
            self._window,
            "Save handout as PDF",
            f"{doc_name(shown.encounter_id)}.pdf",
            "PDF documents (*.pdf)",
        )
        if not path:
            return False
        try:
            Path(path).write_bytes(shown.pdf)
        except OSError as exc:
            self._warn("Handout not saved", f"Could not write {path}: {exc.strerror or exc}")
            return False
        return self._log(shown.encounter_id, shown.language, 1)

    def print_all_unprinted(self, day: date, provider_id: int | None) -> int:
        """Print every handout of the day not printed yet; returns how many were printed."""
        documents = self._services.documents
        try:
            rows = documents.procedures_on(day, provider_id=provider_id, status="not_printed")
        except ClinicError as exc:
            self._warn("Procedures not loaded", str(exc))
            return 0
        if not rows:
            messages.inform(
                self._window, "Nothing to print", "Every handout of this day is printed already."
            )
            return 0
        printer = self.choose_printer()
        if printer is None:
            return 0
        progress = QProgressDialog("Printing handouts…", "Stop", 0, len(rows), self._window)
        progress.setWindowTitle("Print all unprinted")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        done, failed = 0, []
        for number, row in enumerate(rows):
            if progress.wasCanceled():
                break
            progress.setLabelText(f"Printing {row.patient_name} ({number + 1} of {len(rows)})…")
            progress.setValue(number)
            try:
                pdf = self.render(row.encounter_id, row.language, False)
                print_pdf(pdf, printer, doc_name(row.encounter_id))
                documents.record_print(
                    row.encounter_id, row.language, min(max(printer.copyCount(), 1), MAX_COPIES)
                )
                done += 1
            except (ClinicError, PrintError) as exc:
                failed.append(f"{row.patient_name} ({row.mrn}): {exc}")
        progress.setValue(len(rows))
        if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and done:
            self._settings().setValue(PRINTER_KEY, printer.printerName())
        if failed:
            self._warn("Some handouts not printed", "\n".join(failed))
        self.batch_finished.emit(done)
        return done

    def _defaults(self, encounter_id: int) -> Language:
        return self._services.documents.handout_info(encounter_id).default_language

    def _log(self, encounter_id: int, language: Language, copies: int) -> bool:
        try:
            self._services.documents.record_print(encounter_id, language, copies)
        except ClinicError as exc:
            self._warn("Print not logged", f"The handout was printed but not logged: {exc}")
            return False
        self.handout_printed.emit(encounter_id)
        return True

    def _warn(self, title: str, text: str) -> None:
        messages.warn(self._window, title, text)
