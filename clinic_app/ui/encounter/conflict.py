"""What the encounter editor offers when another workstation saved the same draft first.

Once a save is refused as stale (or the draft was deleted elsewhere), this window's copy can
never be saved into that encounter again. :class:`ConflictHandler` then keeps the state,
shows the message bar with the two ways out (reload their version, or save these edits as a
second draft), and asks the right question when the window is closed.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from clinic_app.domain.errors import ClinicError
from clinic_app.ui.common import messages
from clinic_app.ui.common.labels import local_timestamp
from clinic_app.ui.encounter.parts import (
    DISCARD_MINE_TEXT,
    RELOAD_THEIRS_TEXT,
    SAVE_AS_NEW_TEXT,
)

if TYPE_CHECKING:
    from clinic_app.ui.encounter.editor import EncounterEditor

#: ``ConflictHandler.state`` values.
CHANGED = "changed"
REMOVED = "removed"


class ConflictHandler:
    """The save-conflict state of one editor and the ways out of it.

    Attributes:
        state: "" normally; "changed" or "removed" once another workstation's change makes
            the editor's copy unsavable into its encounter.
    """

    def __init__(self, editor: EncounterEditor) -> None:
        self._editor = editor
        self.state = ""

    def __bool__(self) -> bool:
        return bool(self.state)

    def show(self, problem: str = "") -> None:
        """Say on the message bar that the edits are only in this window, and what to do."""
        editor = self._editor
        editor.stop_timers()
        editor.save_label.setText("Not saved — changed elsewhere")
        # Not the service's wording: it suggests reopening, and the bar offers better.
        if self.state == REMOVED:
            lines = [
                "Not saved: this draft was removed on another workstation (it was closed "
                "there while still empty). Your edits are only in this window.",
                f"“{SAVE_AS_NEW_TEXT}” keeps them in a new draft.",
            ]
            actions = [(SAVE_AS_NEW_TEXT, self.save_as_new_draft)]
        else:
            lines = [
                "Not saved: another workstation saved or signed this encounter after you "
                "opened it, so your edits can no longer be saved into it. They are only in "
                "this window.",
                f"“{RELOAD_THEIRS_TEXT}” discards them and shows the other workstation's "
                f"version; “{SAVE_AS_NEW_TEXT}” keeps them as a second draft beside theirs.",
            ]
            actions = [
                (RELOAD_THEIRS_TEXT, self.reload_theirs),
                (SAVE_AS_NEW_TEXT, self.save_as_new_draft),
            ]
        editor.message_bar.show_message(
            "\n".join([problem, *lines] if problem else lines), "error", actions, closable=False
        )

    def reload_theirs(self) -> bool:
        """Drop the editor's edits (after asking) and show the encounter as stored now."""
        editor = self._editor
        if not messages.confirm_reload_theirs(editor):
            return False
        try:
            encounter = editor.services.encounters.get(editor.encounter_id)
        except ClinicError as exc:
            self.show(f"Could not reload: {exc}")
            return False
        self.state = ""
        editor.message_bar.hide()
        editor.show_stored(encounter)
        editor.on_status_message("Reloaded the version saved on the other workstation.")
        return True

    def save_as_new_draft(self) -> bool:
        """Save the editor's edits as a new draft (same patient and provider) and chart it.

        The other workstation's draft is left as they saved it, so both drafts exist.
        """
        editor = self._editor
        encounters = editor.services.encounters
        try:
            new = encounters.create(editor.patient_id, editor.provider_id)
        except ClinicError as exc:
            self.show(f"Could not start a new draft: {exc}")
            return False
        try:
            view = encounters.save_draft(
                new.id, new.version, editor.form.form_input(), editor.chart.drafts()
            )
        except ClinicError as exc:
            with contextlib.suppress(ClinicError):  # leave no empty draft behind
                encounters.discard_if_empty(new.id)
            self.show(f"Could not save a new draft: {exc}")
            return False
        old_id = editor.encounter_id
        self.state = ""
        editor.switch_to(view)
        when = local_timestamp(view.performed_at, view.clinic_timezone)
        editor.message_bar.show_message(
            f"Your edits were saved as a new draft ({when}), "
            "which this window now shows. Both drafts now exist in the patient's history: "
            "yours and the one saved on the other workstation. Sign the right one.",
            "info",
        )
        editor.encounter_switched.emit(old_id, view.id)
        editor.encounter_saved.emit(view.id)
        return True

    def may_close(self) -> bool:
        """Ask what to do with unsaved edits before the window closes; False to stay open.

        Edits that can still be saved get "Save / Discard / Cancel"; edits that cannot (a
        conflict, found now or earlier) get "Save mine as a new draft / Discard / Cancel".
        """
        editor = self._editor
        buttons = QMessageBox.StandardButton
        if editor.is_dirty() and not self:
            answer = messages.ask_unsaved_close(editor)
            if answer == buttons.Cancel:
                return False
            if answer == buttons.Save and not editor.save_now() and not self:
                return False
        if editor.is_dirty() and self:
            answer = messages.ask_conflict_close(editor, SAVE_AS_NEW_TEXT, DISCARD_MINE_TEXT)
            if answer == buttons.Cancel:
                return False
            if answer == buttons.Save:
                return self.save_as_new_draft()
        return True
