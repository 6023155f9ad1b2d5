"""The encounter session: what one editor window stands for, and its calls to the services.

:class:`EncounterSession` holds no widget. It owns the encounter's id and version, the
autosave timers, the save-conflict state and every write the editor makes (save, sign,
reload, save as a new draft, addendum). It reads the content to save through one
``snapshot()`` callable that the editor passes in, and says what happened by signals; the
editor, the conflict bar and the sign dialog are views that talk to it, never to each other
(STYLE.md #14).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from clinic_app.domain import clock
from clinic_app.domain.clock import clinic_day, to_clinic_time
from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.errors import ClinicError, ConflictError, NotFoundError, ValidationError
from clinic_app.services.dto import AddendumView, EncounterInput, EncounterView, SiteDraft

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

#: Pause after the last change before saving: long enough to batch a burst of edits.
AUTOSAVE_MS = 1500
#: Longest wait for a save while changes keep coming (continuous typing restarts the pause).
MAX_WAIT_MS = 10_000
#: ``EncounterSession.conflict_state`` values.
CHANGED = "changed"
REMOVED = "removed"
NOT_SAVED_CONFLICT_TEXT = "Not saved — changed elsewhere"

#: What the editor shows: the form and every site, as plain values.
Snapshot = tuple[EncounterInput, Sequence[SiteDraft]]


class EncounterSession(QObject):
    """One encounter being charted: its stored identity, its saves and its conflicts.

    Signals:
        saved(int): the content was saved into the encounter with this id (autosave, Ctrl+S,
            signing's save, or a save as a new draft).
        save_failed(str): a save was refused; the service's message.
        conflicted(str): another workstation's change makes this copy unsavable into its
            encounter (``conflict_state`` says which); the argument is an extra problem to
            show, usually empty.
        reloaded(object): the :class:`EncounterView` stored now replaced this copy.
        switched(int, int): old id, new id: the content was saved as a new draft, which the
            session now stands for.
        signed(object): the signed :class:`EncounterView`.
        save_state_changed(str): a short text for the status bar ("Unsaved changes…").
        status_reported(str): a passing message for the status bar.

    Attributes:
        view: the encounter as last loaded or saved.
        autosave_timer: restarted by every change; saves when it fires.
        max_wait_timer: started by the first unsaved change; saves when it fires even if
            changes keep restarting ``autosave_timer``.
    """

    saved = Signal(int)
    save_failed = Signal(str)
    conflicted = Signal(str)
    reloaded = Signal(object)
    switched = Signal(int, int)
    signed = Signal(object)
    save_state_changed = Signal(str)
    status_reported = Signal(str)

    def __init__(
        self,
        services: AppServices,
        view: EncounterView,
        snapshot: Callable[[], Snapshot],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._snapshot = snapshot
        self.view = view
        self._conflict = ""
        self._dirty = False
        self.autosave_timer = self._timer(AUTOSAVE_MS)
        self.max_wait_timer = self._timer(MAX_WAIT_MS)

    def _timer(self, interval: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(self.save_now)
        return timer

    # ------------------------------------------------------------------ state
    @property
    def encounter_id(self) -> int:
        return self.view.id

    @property
    def version(self) -> int:
        """The encounter version last loaded or saved."""
        return self.view.version

    @property
    def patient_id(self) -> int:
        return self.view.patient_id

    @property
    def provider_id(self) -> int:
        """The provider of the encounter charted (a new draft keeps them)."""
        return self.view.provider_id

    @property
    def is_draft(self) -> bool:
        return self.view.status is EncounterStatus.DRAFT

    @property
    def performed_on(self) -> date:
        """The visit day in the clinic's calendar (7 pm in California is the next UTC day)."""
        return clinic_day(self.view.performed_at, self.view.clinic_timezone)

    def clinic_today(self) -> date:
        return clinic_day(clock.now(), self.view.clinic_timezone)

    @property
    def conflict_state(self) -> str:
        """ "" normally; CHANGED or REMOVED once another workstation's change refused a save."""
        return self._conflict

    @property
    def in_conflict(self) -> bool:
        return bool(self._conflict)

    @property
    def dirty(self) -> bool:
        """Some change told by :meth:`content_changed` is not saved yet."""
        return self._dirty

    def form_hints(self) -> tuple[bool, int | None]:
        """Whether this is a repeat visit (relief questions), and the clinic's follow-up.

        A hint that cannot be read is left out: it must not stop the editor.
        """
        repeat, weeks = False, None
        with contextlib.suppress(ClinicError):
            view = self.view
            repeat = any(
                visit.id != view.id and visit.performed_at < view.performed_at
                for visit in self._services.encounters.history(view.patient_id)
            )
            profile = self._services.clinic.profile()
            weeks = profile.follow_up_weeks if profile else None
        return repeat, weeks

    def user_name(self) -> str:
        """The name of the user signed in (who signs an addendum); raises ClinicError."""
        user = self._services.clinic.current_user()
        return user.display_name if user is not None else "the signed-in provider"

    def signer_name(self, view: EncounterView) -> str:
        """Who signed ``view`` (the provider, or the user who signed for them)."""
        if view.signed_by_id in (None, view.provider_id):
            return view.provider_name
        with contextlib.suppress(ClinicError):
            for user in self._services.clinic.users():
                if user.id == view.signed_by_id:
                    return user.display_name
        return f"user #{view.signed_by_id}"

    # ------------------------------------------------------------------ edits
    def content_changed(self, dirty: bool = True) -> None:
        """The content changed (``dirty``: it now differs from what was saved): autosave."""
        self._dirty = dirty
        if self.in_conflict:  # saving into this encounter cannot succeed any more
            self.save_state_changed.emit(NOT_SAVED_CONFLICT_TEXT)
            return
        self.save_state_changed.emit("Unsaved changes…")
        self.autosave_timer.start()
        # Not restarted by later changes: the longest a change waits while typing goes on.
        if not self.max_wait_timer.isActive():
            self.max_wait_timer.start()

    def mark_clean(self) -> None:
        """The content shown is the stored one (just loaded): nothing to save."""
        self._dirty = False
        self.stop_timers()

    def stop_timers(self) -> None:
        self.autosave_timer.stop()
        self.max_wait_timer.stop()

    # ------------------------------------------------------------------ writes
    def save_now(self) -> bool:
        """Save the snapshot in one transaction; False (and a signal saying why) on failure."""
        self.stop_timers()
        if not self._dirty:
            self.status_reported.emit("Nothing to save: every change is saved.")
            return True
        if self.in_conflict:  # a stale copy is refused every time: say what can be done
            self._say_conflict()
            return False
        form, sites = self._snapshot()
        try:
            view = self._services.encounters.save_draft(
                self.encounter_id, self.version, form, list(sites)
            )
        except (ConflictError, NotFoundError) as exc:
            # NotFound: another workstation closed this draft while it was still empty,
            # which deletes it.
            self._conflict = REMOVED if isinstance(exc, NotFoundError) else CHANGED
            self._say_conflict()
            self.save_failed.emit(str(exc))
            return False
        except ClinicError as exc:
            self.save_state_changed.emit("Not saved")
            self.save_failed.emit(str(exc))
            return False
        self._saved(view)
        return True

    def sign(self, reasons: Mapping[str, str]) -> EncounterView:
        """Save the snapshot and sign it (raises the service's refusals).

        A refusal by the checks or for missing reasons comes after the save, which stands.
        """
        self.stop_timers()
        form, sites = self._snapshot()
        encounters = self._services.encounters
        try:
            view = encounters.sign(self.encounter_id, self.version, form, list(sites), reasons)
        except ValidationError as exc:
            if exc.field in ("checks", "reasons"):
                with contextlib.suppress(ClinicError):
                    self._saved(encounters.get(self.encounter_id))
            raise
        self._saved(view)
        self.signed.emit(view)
        return view

    def reload_theirs(self) -> EncounterView:
        """Drop this copy and take the encounter as stored now (raises ClinicError)."""
        view = self._services.encounters.get(self.encounter_id)
        self._conflict = ""
        self.view = view
        self.mark_clean()
        self.reloaded.emit(view)
        self.status_reported.emit("Reloaded the version saved on the other workstation.")
        return view

    def save_as_new_draft(self) -> EncounterView:
        """Save the snapshot as a new draft (same patient and provider) and stand for it.

        The other workstation's draft is left as they saved it, so both drafts exist.

        Raises:
            ClinicError: the new draft could not be created or saved (none is left behind).
        """
        encounters = self._services.encounters
        new = encounters.create(self.patient_id, self.provider_id)
        form, sites = self._snapshot()
        try:
            view = encounters.save_draft(new.id, new.version, form, list(sites))
        except ClinicError:
            with contextlib.suppress(ClinicError):  # leave no empty draft behind
                encounters.discard_if_empty(new.id)
            raise
        old_id = self.encounter_id
        self._conflict = ""
        self.view = view
        self.switched.emit(old_id, view.id)
        self._saved(view)
        return view

    def add_addendum(self, text: str) -> AddendumView:
        """Sign and store an addendum to this signed encounter (raises ClinicError)."""
        return self._services.encounters.add_addendum(self.encounter_id, text)

    def stored(self) -> EncounterView:
        """The encounter as stored now (raises ClinicError)."""
        return self._services.encounters.get(self.encounter_id)

    def discard_if_untouched(self) -> None:
        """Delete a draft opened by mistake (the service keeps it if it holds anything)."""
        if not self.is_draft or self.in_conflict:  # theirs is not ours to delete
            return
        with contextlib.suppress(ClinicError):  # closing must not fail over housekeeping
            self._services.encounters.discard_if_empty(self.encounter_id)

    # ------------------------------------------------------------------ helpers
    def _say_conflict(self, problem: str = "") -> None:
        self.stop_timers()
        self.save_state_changed.emit(NOT_SAVED_CONFLICT_TEXT)
        self.conflicted.emit(problem)

    def report_conflict(self, problem: str) -> None:
        """Say again that this copy is unsavable, with ``problem`` (a way out that failed)."""
        self._say_conflict(problem)

    def _saved(self, view: EncounterView) -> None:
        self.view = view
        self._dirty = False
        now = to_clinic_time(clock.now(), view.clinic_timezone)
        self.save_state_changed.emit(f"Saved {now:%H:%M:%S}")
        self.saved.emit(view.id)
