"""What the encounter editor offers when another workstation saved the same draft first.

Once a save is refused as stale (or the draft was deleted elsewhere), this window's copy can
never be saved into that encounter again. The :class:`EncounterSession` keeps that state;
:class:`ConflictBar` shows it on the message bar with the two ways out (reload their
version, or save these edits as a second draft), and asks the right question when the
window is closed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from clinic_app.domain.errors import ClinicError
from clinic_app.ui.common import messages
from clinic_app.ui.common.labels import local_timestamp
from clinic_app.ui.encounter.parts import (
    DISCARD_MINE_TEXT,
    RELOAD_THEIRS_TEXT,
    SAVE_AS_NEW_TEXT,
    MessageBar,
)
from clinic_app.ui.encounter.session import REMOVED, EncounterSession


class ConflictBar(QObject):
    """The message bar's part in a save conflict, and the questions it asks.

    Args:
        session: the encounter session whose conflicts are shown.
        message_bar: where the conflict and its ways out are shown.
        window: the parent of the questions asked.
    """

    def __init__(self, session: EncounterSession, message_bar: MessageBar, window: QWidget):
        super().__init__(window)
        self._session = session
        self._bar = message_bar
        self._window = window
        session.conflicted.connect(self.show)

    def show(self, problem: str = "") -> None:
        """Say on the message bar that the edits are only in this window, and what to do."""
        # Not the service's wording: it suggests reopening, and the bar offers better.
        if self._session.conflict_state == REMOVED:
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
        self._bar.show_message(
            "\n".join([problem, *lines] if problem else lines), "error", actions, closable=False
        )

    def reload_theirs(self) -> bool:
        """Drop this window's edits (after asking) and show the encounter as stored now."""
        if not messages.confirm_reload_theirs(self._window):
            return False
        try:
            self._session.reload_theirs()
        except ClinicError as exc:
            self._session.report_conflict(f"Could not reload: {exc}")
            return False
        self._bar.hide()
        return True

    def save_as_new_draft(self) -> bool:
        """Save this window's edits as a new draft and chart it (both drafts then exist)."""
        try:
            view = self._session.save_as_new_draft()
        except ClinicError as exc:
            self._session.report_conflict(f"Could not save a new draft: {exc}")
            return False
        when = local_timestamp(view.performed_at, view.clinic_timezone)
        self._bar.show_message(
            f"Your edits were saved as a new draft ({when}), "
            "which this window now shows. Both drafts now exist in the patient's history: "
            "yours and the one saved on the other workstation. Sign the right one.",
            "info",
        )
        return True

    def may_close(self) -> bool:
        """Ask what to do with unsaved edits before the window closes; False to stay open.

        Edits that can still be saved get "Save / Discard / Cancel"; edits that cannot (a
        conflict, found now or earlier) get "Save mine as a new draft / Discard / Cancel".
        """
        session = self._session
        buttons = QMessageBox.StandardButton
        if session.dirty and not session.in_conflict:
            answer = messages.ask_unsaved_close(self._window)
            if answer == buttons.Cancel:
                return False
            if answer == buttons.Save and not session.save_and_wait() and not session.in_conflict:
                return False
        if session.dirty and session.in_conflict:
            answer = messages.ask_conflict_close(self._window, SAVE_AS_NEW_TEXT, DISCARD_MINE_TEXT)
            if answer == buttons.Cancel:
                return False
            if answer == buttons.Save:
                return self.save_as_new_draft()
        return True
