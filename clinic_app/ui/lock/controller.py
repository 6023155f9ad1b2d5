"""What locking, unlocking, signing out and changing user do to every window (issue 10 §3).

Locking hides every window of the application at once (the main window, each encounter
editor, the front desk, any dialog over them) behind the :class:`LockScreen`, strips their
titles, empties the patient list and summary, and saves every editor's pending edits (the
save runs as the locked user). Unlocking with the same user's password shows them again as
they were. When someone else signs in, the first user's editors are closed without any
prompt or housekeeping under the new user's name (their drafts stay in the database for
them), their dialogs are dismissed, and the main window shows what the new user's roles
allow. What could not be saved is kept for the first user instead: a patient form with
unsaved edits, and an editor whose save failed at lock time, stay hidden in memory on this
workstation (never shown to the other user, out of the main window's list of editors) and
come back as they were when the first user signs in again. A sign-out is a lock whose
screen asks who signs in next.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

from clinic_app.domain.errors import ClinicError, ValidationError
from clinic_app.domain.sign_in import IDLE_LOCK_DEFAULT
from clinic_app.services.dto import UserView
from clinic_app.ui.admin.change_password_dialog import ChangePasswordDialog
from clinic_app.ui.common import icons
from clinic_app.ui.common.chrome import make_action
from clinic_app.ui.common.idle import IdleMonitor
from clinic_app.ui.lock.screen import LOCKED_TITLE, LockScreen
from clinic_app.ui.patients.dialog import PatientDialog

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices
    from clinic_app.ui.encounter.windows import EncounterWindows
    from clinic_app.ui.patients.list_view import PatientList


class LockedWindow(Protocol):
    """What the lock needs of the main window (which sits above it, so is not imported)."""

    encounters: EncounterWindows
    patient_list: PatientList

    def clear_patient_data(self) -> str: ...
    def refresh(self) -> None: ...
    def show_patient_dialog(self, dialog: PatientDialog) -> None: ...


log = logging.getLogger(__name__)


class SessionLock(QObject):
    """Locks and unlocks every window of ``window``'s application.

    Signals:
        locked(): every window is hidden and the lock screen shown.
        unlocked(UserView): the windows are back, for this user (the same or another).

    Attributes:
        monitor: the idle monitor (its clock is injectable for tests).
        screen: the lock screen.
        lock_action: Ctrl+L, "Lock now", active in every window of the application.
        sign_out_action: File → Sign out.
    """

    locked = Signal()
    unlocked = Signal(object)

    def __init__(
        self,
        services: AppServices,
        window: QMainWindow,
        *,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(window)
        self._services = services
        self._window = window
        self._main = cast("LockedWindow", window)  # the main window's own API
        self._hidden: list[tuple[QWidget, str]] = []
        # Per user id: their windows with unsaved work, hidden while someone else works.
        self._kept: dict[int, list[tuple[QWidget, str]]] = {}
        self._user: UserView | None = None
        self._search = ""
        kwargs = {} if clock is None else {"clock": clock}
        self.monitor = IdleMonitor(IDLE_LOCK_DEFAULT * 60.0, self, **kwargs)
        self.monitor.idle.connect(self.lock)
        self.screen = LockScreen()
        self.screen.unlock_requested.connect(self.unlock)
        self.screen.sign_in_requested.connect(self.sign_in)
        self.lock_action = make_action(
            window, "&Lock now", self.lock, "Ctrl+L", "Hide every patient detail until you "
            "type your password again",
        )  # fmt: skip
        # Ctrl+L locks from whichever window has the focus (an editor, the front desk...).
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.sign_out_action = make_action(
            window, "Sign &out", self.sign_out, None, "Lock, and let someone else sign in"
        )
        icons.apply(self.lock_action, "lock")
        icons.apply(self.sign_out_action, "sign_out")
        self.read_settings()

    @property
    def is_locked(self) -> bool:
        return self.screen.isVisible()

    def read_settings(self) -> None:
        """Take the clinic's idle minutes (again, after the clinic settings were saved)."""
        try:
            profile = self._services.clinic.profile()
        except ClinicError:
            return  # keep the current setting; the next read may work
        if profile is not None:
            self.monitor.set_timeout_minutes(profile.idle_lock_minutes)

    # ------------------------------------------------------------------ locking
    def lock(self) -> None:
        """Hide every window now, then save what the editors hold (as the locked user)."""
        if self.is_locked:
            return
        self.monitor.pause()
        try:
            self._user = self._services.clinic.current_user()
        except ClinicError:
            self._user = None
        self._hide_windows()
        self._search = self._main.clear_patient_data()
        self.screen.show_unlock(self._user.label if self._user else "")
        if self._user is None:
            self.screen.show_sign_in(can_go_back=False)
        self.screen.showMaximized()  # covers the desktop the windows were on
        self.screen.raise_()
        self.screen.activateWindow()
        for editor in self._main.encounters.editors():
            if not editor.read_only:
                editor.session.stop_timers()
                editor.live_checks.stop()  # no check runs as whoever signs in next
                editor.session.save_and_wait()  # nothing typed is lost while locked
        if self._user is not None:
            try:
                self._services.clinic.record_lock()
            except ClinicError as exc:  # the lock holds all the same
                log.warning("the lock could not be audited: %s", type(exc).__name__)
        self.locked.emit()

    def sign_out(self) -> None:
        """Lock, and sign the user out: the screen asks who signs in next."""
        self.lock()
        if self._services.actor.user_id is not None:
            try:
                self._services.clinic.sign_out()
            except ClinicError as exc:
                log.warning("the sign-out could not be audited: %s", type(exc).__name__)
                self._services.actor.sign_out()
        self.screen.show_sign_in(can_go_back=False)

    def _hide_windows(self) -> None:
        shown = [
            w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not self.screen
        ]
        # The main window first, so it is shown first again.
        shown.sort(key=lambda w: w is not self._window)
        for widget in shown:
            self._hidden.append((widget, widget.windowTitle()))
            widget.setWindowTitle(LOCKED_TITLE)
            widget.hide()

    # ------------------------------------------------------------------ unlocking
    def unlock(self, password: str) -> bool:
        """The locked user's password: every window comes back as it was."""
        try:
            user = self._services.clinic.unlock(password)
        except ValidationError as exc:
            self.screen.show_error(exc.message)
            return False
        except ClinicError as exc:
            self.screen.show_error(str(exc))
            return False
        self._restore(user, same_user=True)
        return True

    def sign_in(self, username: str, password: str) -> bool:
        """Someone signs in at the lock screen (the locked user is signed out first)."""
        if self._services.actor.user_id is not None:
            try:
                self._services.clinic.sign_out()
            except ClinicError as exc:
                log.warning("the sign-out could not be audited: %s", type(exc).__name__)
                self._services.actor.sign_out()
        try:
            user = self._services.clinic.authenticate(username, password)
        except ValidationError as exc:
            self.screen.show_error(exc.message)
            return False
        except ClinicError as exc:
            self.screen.show_error(str(exc))
            return False
        if user.must_change_password and not self._change_password(user):
            return False
        same = self._user is not None and user.id == self._user.id
        self._restore(user, same_user=same)
        return True

    def _change_password(self, user: UserView) -> bool:
        """A reset password is replaced before anything else, as at start-up; declining
        signs the user out again and the screen stays locked."""
        dialog = ChangePasswordDialog(self._services, self.screen, required=True)
        try:
            changed = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if changed:
            return True
        try:
            self._services.clinic.sign_out()
        except ClinicError as exc:
            log.warning("the sign-out could not be audited: %s", type(exc).__name__)
            self._services.actor.sign_out()
        self.screen.show_error(f"{user.display_name} must choose a new password to continue.")
        return False

    def _restore(self, user: UserView, *, same_user: bool) -> None:
        if not same_user:
            self._hand_over()
            self._take_back(user)
        self._user = user
        self._main.patient_list.set_search_text_quietly(self._search if same_user else "")
        self._search = ""
        hidden, self._hidden = self._hidden, []
        for widget, title in hidden:
            widget.setWindowTitle(title)
            if isinstance(widget, PatientDialog):
                self._main.show_patient_dialog(widget)
            else:
                widget.show()
        for editor in self._main.encounters.editors():
            if editor.read_only:
                continue
            editor.live_checks.schedule()  # stopped by the lock
            if editor.session.dirty:
                editor.session.content_changed()  # autosave again what the lock could not
        self._main.refresh()  # the list again, with what this user's roles allow
        self.read_settings()
        self.screen.hide()
        self._window.activateWindow()
        self.monitor.resume()
        self.unlocked.emit(user)

    def _hand_over(self) -> None:
        """Another user: close the first user's windows; only the main window stays.

        Unsaved work is set aside for the first user instead (see the module)."""
        first = self._user.id if self._user is not None else None
        windows = self._main.encounters
        editors = set(windows.editors())
        shown: list[tuple[QWidget, str]] = []
        aside: list[tuple[QWidget, str]] = []
        for widget, title in self._hidden:
            if widget is self._window:
                shown.append((widget, title))
            elif widget in editors:
                continue  # below
            elif first is not None and isinstance(widget, PatientDialog) and widget.is_dirty():
                aside.append((widget, title))
            elif isinstance(widget, QDialog):
                widget.setWindowTitle(title)
                widget.done(QDialog.DialogCode.Rejected)
            else:
                widget.setWindowTitle(title)
                widget.close()
        titles = dict(self._hidden)
        for editor in editors:
            if first is not None and not editor.read_only and editor.session.dirty:
                windows.set_aside(editor)  # the save failed: its edits live only here
                aside.append((editor, titles.get(editor, editor.windowTitle())))
            else:
                editor.hand_over()
        if first is not None and aside:
            self._kept.setdefault(first, []).extend(aside)
            log.info("unsaved work of user %s kept for them while another user works", first)
        self._hidden = shown

    def _take_back(self, user: UserView) -> None:
        """``user``'s work set aside at an earlier hand-over comes back with their windows."""
        from clinic_app.ui.encounter.editor import EncounterEditor  # loaded on first use

        for widget, title in self._kept.pop(user.id, []):
            if isinstance(widget, EncounterEditor):
                self._main.encounters.take_back(widget)
            self._hidden.append((widget, title))

    def actions(self) -> list[QAction]:
        return [self.lock_action, self.sign_out_action]
