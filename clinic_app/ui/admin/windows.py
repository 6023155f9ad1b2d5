"""Opening the administrator's windows from the main window: clinic settings, users, the
audit trail, and anyone's own password change. One window of each at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QWidget

from clinic_app.services.dto import ClinicProfileView
from clinic_app.ui.admin.change_password_dialog import ChangePasswordDialog

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices
    from clinic_app.ui.admin.clinic_settings import ClinicSettingsDialog
    from clinic_app.ui.admin.lots_dialog import LotsDialog
    from clinic_app.ui.admin.users_dialog import UsersDialog
    from clinic_app.ui.common.refresh import ChangeListener

# Each dialog's module is imported when it first opens (issue 13: start-up).


class AdminWindows(QObject):
    """Opens the administration dialogs over ``parent`` (window-modal, deleted on close).

    The menu commands are enabled by the permission matrix; the services refuse anyone else
    whatever the screen shows.

    Signals:
        clinic_settings_saved(ClinicProfileView): the clinic settings dialog saved the profile.

    Attributes:
        clinic_settings_dialog: the clinic settings dialog while it is open, else ``None``.
        users_dialog: the Users window last opened, else ``None``.
        lots_dialog: the Lots and stock window while it is open, else ``None``.
    """

    clinic_settings_saved = Signal(object)

    def __init__(self, services: AppServices, parent: QWidget) -> None:
        super().__init__(parent)
        self._services = services
        self._parent = parent
        self.clinic_settings_dialog: ClinicSettingsDialog | None = None
        self.users_dialog: UsersDialog | None = None
        self.lots_dialog: LotsDialog | None = None
        #: The app's change listener (set by the main window): the Lots window follows it.
        self.changes: ChangeListener | None = None

    def open_clinic_settings(self) -> None:
        """Open the clinic settings, or bring the open one forward."""
        if self.clinic_settings_dialog is not None:
            self.clinic_settings_dialog.raise_()
            self.clinic_settings_dialog.activateWindow()
            return
        from clinic_app.ui.admin.clinic_settings import ClinicSettingsDialog

        dialog = ClinicSettingsDialog(self._services, self._parent)
        dialog.profile_saved.connect(self.on_clinic_settings_saved)
        dialog.finished.connect(self.on_clinic_settings_finished)
        self.clinic_settings_dialog = dialog
        self._open(dialog)

    def on_clinic_settings_saved(self, profile: ClinicProfileView) -> None:
        self.clinic_settings_saved.emit(profile)

    def on_clinic_settings_finished(self, _result: int) -> None:
        self.clinic_settings_dialog = None

    def open_users(self) -> None:
        """Open the Users window."""
        from clinic_app.ui.admin.users_dialog import UsersDialog

        self.users_dialog = UsersDialog(self._services, self._parent)
        self._open(self.users_dialog)

    def open_audit_trail(self) -> None:
        """Open the audit trail window."""
        from clinic_app.ui.admin.audit_dialog import AuditDialog

        self._open(AuditDialog(self._services, self._parent))

    def open_lots(self) -> None:
        """Open the Lots and stock window (one at a time)."""
        if self.lots_dialog is not None:
            self.lots_dialog.raise_()
            self.lots_dialog.activateWindow()
            return
        from clinic_app.ui.admin.lots_dialog import LotsDialog

        self.lots_dialog = LotsDialog(self._services, self._parent, self.changes)
        self.lots_dialog.finished.connect(self.on_lots_finished)
        self._open(self.lots_dialog)

    def on_lots_finished(self, _result: int) -> None:
        self.lots_dialog = None

    def open_change_password(self) -> None:
        """Let the signed-in user choose a new password."""
        self._open(ChangePasswordDialog(self._services, self._parent))

    @staticmethod
    def _open(dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # open(), not exec(): window-modal without a nested event loop.
        dialog.open()
