"""The encounter session: what one editor window stands for, and its calls to the services.

:class:`EncounterSession` holds no widget. It owns the encounter's id and version, the
autosave timers, the save-conflict state and every write the editor makes (save, sign,
reload, save as a new draft, addendum). It reads the content to save through one
``snapshot()`` callable that the editor passes in, and says what happened by signals; the
editor, the conflict bar and the sign dialog are views that talk to it, never to each other
(STYLE.md #14).

Every write runs on the session's :class:`JobQueue` (one worker thread, in order), so a slow
database never freezes the window (STYLE.md #16). Autosave and Ctrl+S return at once; a save
asked for while one is under way is coalesced into one more save after it, with the version
the first one returned. Signing, reloading and saving as a new draft wait for the saves
queued before them in a local event loop (the window keeps painting) and then return.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from clinic_app.domain import clock
from clinic_app.domain.clock import clinic_day, to_clinic_time
from clinic_app.domain.enums import EncounterStatus, SkinPrep
from clinic_app.domain.errors import ClinicError, ConflictError, NotFoundError, ValidationError
from clinic_app.services.dto import AddendumView, EncounterInput, EncounterView, SiteDraft
from clinic_app.ui.common.jobs import JobQueue

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
        save_state_changed(str): a short text for the status bar ("Unsaved changes…",
            "Saving…" once a save takes longer than a moment).
        status_reported(str): a passing message for the status bar.

    Attributes:
        view: the encounter as last loaded or saved.
        jobs: the worker that runs this session's service calls, in order.
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
        self._edits = 0  # changes told so far: a save covers those before its snapshot
        self._saving = False
        self._save_again = False
        self.jobs = JobQueue(f"encounter {view.id}", self)
        self.jobs.progress_changed.connect(self._on_progress)
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
            repeat = self._services.encounters.has_earlier_visit(self.view.id)
            profile = self._services.clinic.profile()
            weeks = profile.follow_up_weeks if profile else None
        return repeat, weeks

    def default_skin_prep(self) -> SkinPrep | None:
        """The clinic's default skin prep (issue 12); None when it cannot be read."""
        with contextlib.suppress(ClinicError):
            profile = self._services.clinic.profile()
            return profile.default_skin_prep if profile else None
        return None

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
        self._edits += 1
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
        """Queue a save of the snapshot (one transaction); ``saved`` or ``save_failed`` follow.

        False at once when it cannot succeed (a conflict); a save already under way makes
        this one more save after it.
        """
        self.stop_timers()
        if not self._dirty:
            self.status_reported.emit("Nothing to save: every change is saved.")
            return True
        if self.in_conflict:  # a stale copy is refused every time: say what can be done
            self._say_conflict()
            return False
        if self._saving:  # its result carries the version the next save needs
            self._save_again = True
            return True
        form, sites = self._snapshot()
        encounters, encounter_id, version = (
            self._services.encounters,
            self.encounter_id,
            self.version,
        )
        edits = self._edits
        self._saving = True
        self.jobs.submit(
            lambda: encounters.save_draft(encounter_id, version, form, list(sites)),
            lambda view: self._on_save_done(view, edits),
            self._on_save_error,
            progress="Saving…",
        )
        return True

    def save_and_wait(self) -> bool:
        """Save now and wait for it (and any save under way); True when all is saved."""
        self.jobs.wait_idle()
        if self._dirty and not self.in_conflict and self.save_now():
            self.jobs.wait_idle()
        return not self._dirty

    def finish_pending(self) -> None:
        """Wait for every queued call (a save under way) before the window closes."""
        self.jobs.wait_idle()

    def close(self, *, keep_draft: bool = False) -> None:
        """The window closes: delete a draft opened by mistake (unless ``keep_draft``: it
        is handed over to another user), then stop the worker."""
        self.stop_timers()
        if not self.jobs.closed:
            if not keep_draft:
                self.discard_if_untouched()
            self.jobs.shutdown()

    def _on_save_done(self, view: EncounterView, edits: int) -> None:
        self._saving = False
        if edits == self._edits:
            self._saved(view)
        else:  # changed while saving: those changes are still to save
            self.view = view
            self.save_state_changed.emit("Unsaved changes…")
            self.saved.emit(view.id)
        if self._save_again:
            self._save_again = False
            if self._dirty:
                self.save_now()

    def _on_save_error(self, exc: Exception) -> None:
        self._saving = self._save_again = False
        if isinstance(exc, (ConflictError, NotFoundError)):
            # NotFound: another workstation closed this draft while it was still empty,
            # which deletes it.
            self._conflict = REMOVED if isinstance(exc, NotFoundError) else CHANGED
            self._say_conflict()
        elif isinstance(exc, ClinicError):
            self.save_state_changed.emit("Not saved")
        else:
            raise exc
        self.save_failed.emit(str(exc))

    def _on_progress(self, text: str) -> None:
        if text:
            self.save_state_changed.emit(text)

    def sign(self, reasons: Mapping[str, str]) -> EncounterView:
        """Save the snapshot and sign it (raises the service's refusals).

        A refusal by the checks or for missing reasons comes after the save, which stands.
        """
        self.stop_timers()
        self.jobs.wait_idle()  # the saves queued first (signing needs their version)
        form, sites = self._snapshot()
        checks, encounter_id, version = (
            self._services.checks,
            self.encounter_id,
            self.version,
        )
        try:
            view: EncounterView = self.jobs.call(
                lambda: checks.sign(encounter_id, version, form, list(sites), reasons),
                progress="Signing…",
            )
        except ValidationError as exc:
            if exc.field in ("checks", "reasons"):
                with contextlib.suppress(ClinicError):
                    self._saved(self.stored())
            raise
        self._saved(view)
        self.signed.emit(view)
        return view

    def reload_theirs(self) -> EncounterView:
        """Drop this copy and take the encounter as stored now (raises ClinicError)."""
        view = self.stored()
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
        encounters, patient_id, provider_id = (
            self._services.encounters,
            self.patient_id,
            self.provider_id,
        )
        form, sites = self._snapshot()

        def save_as_new() -> EncounterView:
            new = encounters.create(patient_id, provider_id)
            try:
                return encounters.save_draft(new.id, new.version, form, list(sites))
            except ClinicError:
                with contextlib.suppress(ClinicError):  # leave no empty draft behind
                    encounters.discard_if_empty(new.id, expected_version=new.version)
                raise

        view: EncounterView = self.jobs.call(save_as_new, progress="Saving…")
        old_id = self.encounter_id
        self._conflict = ""
        self.view = view
        self.switched.emit(old_id, view.id)
        self._saved(view)
        return view

    def add_addendum(self, text: str) -> AddendumView:
        """Sign and store an addendum to this signed encounter (raises ClinicError)."""
        encounters, encounter_id = self._services.encounters, self.encounter_id
        added: AddendumView = self.jobs.call(
            lambda: encounters.add_addendum(encounter_id, text), progress="Signing…"
        )
        return added

    def stored(self) -> EncounterView:
        """The encounter as stored now (raises ClinicError)."""
        encounters, encounter_id = self._services.encounters, self.encounter_id
        view: EncounterView = self.jobs.call(lambda: encounters.get(encounter_id))
        return view

    def discard_if_untouched(self) -> None:
        """Delete a draft opened by mistake (the service keeps it if it holds anything)."""
        if not self.is_draft or self.in_conflict:  # theirs is not ours to delete
            return
        encounters, encounter_id = self._services.encounters, self.encounter_id
        version = self.view.version
        with contextlib.suppress(ClinicError):  # closing must not fail over housekeeping
            self.jobs.call(
                lambda: encounters.discard_if_empty(encounter_id, expected_version=version)
            )

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
