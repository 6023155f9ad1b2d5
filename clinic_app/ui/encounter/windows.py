"""Opening encounter editors from the main window: new, repeat, existing; one window each."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from clinic_app.domain.errors import ClinicError
from clinic_app.ui.common.chrome import make_action
from clinic_app.ui.common.emergency import open_chart
from clinic_app.ui.common.messages import ask_choice, show_error

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices
    from clinic_app.ui.encounter.editor import EncounterEditor


def _editor_class() -> type[EncounterEditor]:
    """The editor, imported when the first encounter opens: its body map, tables and checks
    would otherwise delay the sign-in dialog (issue 13)."""
    from clinic_app.ui.encounter.editor import EncounterEditor

    return EncounterEditor


class EncounterWindows(QObject):
    """Opens encounter editors over ``window`` and keeps track of them.

    An encounter already open is brought to the front instead of opening twice (two
    windows on one draft would refuse each other's saves).

    Attributes:
        new_encounter_action, repeat_visit_action: act on the window's current patient.

    Signals:
        encounter_changed(int, int): patient id, encounter id: an editor saved or closed
            (an untouched draft is deleted on close), or a new draft was created (the
            patient's history is out of date).
    """

    encounter_changed = Signal(int, int)

    def __init__(
        self,
        services: AppServices,
        window: QWidget,
        current_patient: Callable[[], int | None],
    ) -> None:
        super().__init__(window)
        self._services = services
        self._window = window
        self._current_patient = current_patient
        self._editors: dict[int, EncounterEditor] = {}
        self.new_encounter_action = make_action(
            window,
            "New en&counter",
            self.on_new_encounter,
            "Ctrl+Shift+N",
            "Chart a new encounter for the selected patient",
        )
        self.repeat_visit_action = make_action(
            window,
            "&Repeat last visit",
            self.on_repeat_last_visit,
            "Ctrl+R",
            "Start today's encounter as a copy of the selected patient's last visit",
        )

    def editors(self) -> list[EncounterEditor]:
        """The editors open now."""
        return list(self._editors.values())

    def set_aside(self, editor: EncounterEditor) -> None:
        """Forget ``editor`` without closing it: the lock keeps it hidden for its user while
        someone else works (it is no longer among :meth:`editors`)."""
        if self._editors.get(editor.encounter_id) is editor:
            del self._editors[editor.encounter_id]

    def take_back(self, editor: EncounterEditor) -> None:
        """An editor set aside comes back: its user signed in again."""
        self._editors.setdefault(editor.encounter_id, editor)

    def open(self, encounter_id: int) -> EncounterEditor | None:
        """Show an existing encounter (read-only when signed)."""
        existing = self._editors.get(encounter_id)
        if existing is not None:
            if existing.isMinimized():
                existing.showNormal()
            existing.raise_()
            existing.activateWindow()
            return existing
        services, window = self._services, self._window
        editor_class = _editor_class()
        try:
            editor = open_chart(
                window,
                services,
                self._current_patient(),
                lambda: editor_class(services, encounter_id, window),
            )
        except ClinicError as exc:
            show_error(self._window, "Could not open the encounter", exc)
            return None
        return None if editor is None else self._show(editor)

    def new_encounter(self, patient_id: int) -> EncounterEditor | None:
        """Start an empty draft for the patient, with the provider doing it."""
        provider_id = self.choose_provider()
        if provider_id is None:
            return None
        try:
            encounter = self._services.encounters.create(patient_id, provider_id)
        except ClinicError as exc:
            show_error(self._window, "Could not start the encounter", exc)
            return None
        self.encounter_changed.emit(patient_id, encounter.id)
        return self.open(encounter.id)

    def repeat_last_visit(self, patient_id: int) -> EncounterEditor | None:
        """Start today's draft as a copy of the patient's last visit."""
        provider_id = self.choose_provider()
        if provider_id is None:
            return None
        try:
            editor = _editor_class().repeat_last_visit(
                self._services, patient_id, provider_id, self._window
            )
        except ClinicError as exc:
            show_error(self._window, "Could not repeat the last visit", exc)
            return None
        self.encounter_changed.emit(patient_id, editor.encounter_id)
        return self._show(editor)

    def choose_provider(self) -> int | None:
        """The signed-in user when they are a provider; otherwise ask which provider."""
        try:
            user = self._services.clinic.current_user()
            if user is not None and user.is_provider and user.active:
                return user.id
            providers = self._services.clinic.users(providers_only=True)
        except ClinicError as exc:
            show_error(self._window, "Could not load the providers", exc)
            return None
        if not providers:
            show_error(
                self._window,
                "No provider",
                ClinicError("No active provider account exists; an administrator can add one."),
            )
            return None
        labels = [p.label for p in providers]
        label = ask_choice(self._window, "Provider", "Who performs this encounter?", labels)
        if label is None:
            return None
        return providers[labels.index(label)].id

    def close_all(self) -> bool:
        """Close every editor (each asks about unsaved edits); False if one stayed open."""
        return all(editor.close() for editor in self.editors())

    def on_new_encounter(self) -> None:
        patient_id = self._current_patient()
        if patient_id is not None:
            self.new_encounter(patient_id)

    def on_repeat_last_visit(self) -> None:
        patient_id = self._current_patient()
        if patient_id is not None:
            self.repeat_last_visit(patient_id)

    # ------------------------------------------------------------------ helpers
    def _show(self, editor: EncounterEditor) -> EncounterEditor:
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        patient_id = editor.patient_id
        editor.encounter_saved.connect(
            lambda encounter_id: self.encounter_changed.emit(patient_id, encounter_id)
        )
        editor.encounter_closed.connect(self.on_editor_closed)
        editor.encounter_switched.connect(self.on_editor_switched)
        self._editors[editor.encounter_id] = editor
        editor.show()
        return editor

    def on_editor_switched(self, old_id: int, new_id: int) -> None:
        # Saved as a new draft after a conflict: the window now stands for the new one.
        editor = self._editors.pop(old_id, None)
        if editor is not None:
            self._editors[new_id] = editor
            self.encounter_changed.emit(editor.patient_id, new_id)

    def on_editor_closed(self, encounter_id: int) -> None:
        editor = self._editors.pop(encounter_id, None)
        if editor is not None:
            self.encounter_changed.emit(editor.patient_id, encounter_id)
