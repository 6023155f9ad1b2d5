"""The front desk's handout preview: rendered off the GUI thread, only the newest one shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView

from clinic_app.domain.enums import Language
from clinic_app.domain.errors import ClinicError
from clinic_app.ui.common.jobs import JobQueue
from clinic_app.ui.common.print_support import PrintError, load_pdf
from clinic_app.ui.front_desk.printing import RENDERING_TEXT

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices


class HandoutPreview(QObject):
    """A :class:`QPdfView` (``view``) and the PDF bytes it shows (``pdf``, printable as is).

    Each :meth:`load` renders on the window's job queue; an answer to an older request is
    dropped, so switching quickly between procedures never shows the wrong patient's handout.

    Signals:
        shown(int): the handout of this encounter is on screen (``pdf`` holds its bytes).
        failed(str): the newest request could not be rendered (the message to show).
        changed(): ``pdf`` changed (set, or cleared while a new one renders).
    """

    shown = Signal(int)
    failed = Signal(str)
    changed = Signal()

    def __init__(
        self, services: AppServices, jobs: Callable[[], JobQueue], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._jobs = jobs
        self._request = 0
        self._document: QPdfDocument | None = None
        self.pdf: bytes | None = None
        self._blank = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setAccessibleName("Handout preview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    @property
    def page_count(self) -> int:
        return self._document.pageCount() if self._document is not None else 0

    def load(self, encounter_id: int, language: Language, large: bool, *, keep: bool) -> None:
        """Render this encounter's handout on the worker and show it when it comes.

        ``keep``: the same encounter's preview stays in sight meanwhile (not printable).
        """
        self._request += 1
        request = self._request
        documents = self._services.documents
        if keep:
            self.pdf = None  # nothing to print until the new one is shown
            self.changed.emit()
        else:
            self.clear()
        self._jobs().submit(
            lambda: documents.render_handout(encounter_id, language=language, large_print=large),
            lambda pdf: self._arrived(request, encounter_id, pdf),
            lambda exc: self._refused(request, exc),
            progress=RENDERING_TEXT,
        )

    def cancel(self) -> None:
        """A preview still rendering is not wanted any more."""
        self._request += 1

    def clear(self) -> None:
        self._set(None)

    def _arrived(self, request: int, encounter_id: int, pdf: bytes) -> None:
        if request != self._request:
            return  # an older request: a newer preview is on its way
        try:
            document = load_pdf(pdf, self)
        except PrintError as exc:
            self._refused(request, exc)
            return
        self.pdf = pdf
        self._set(document)
        self.shown.emit(encounter_id)

    def _refused(self, request: int, exc: Exception) -> None:
        if request != self._request:
            return
        if not isinstance(exc, (ClinicError, PrintError)):
            raise exc
        self._set(None)
        self.failed.emit(str(exc))

    def _set(self, document: QPdfDocument | None) -> None:
        old = self._document
        self._document = document
        # An empty document rather than None: QPdfView warns on a null document.
        self.view.setDocument(document or self._blank)
        if document is None:
            self.pdf = None
        if old is not None:
            old.deleteLater()
        self.changed.emit()
