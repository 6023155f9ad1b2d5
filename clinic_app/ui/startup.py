"""What the app shows before the main window: first-run setup or sign-in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

from clinic_app.ui.admin.change_password_dialog import ChangePasswordDialog
from clinic_app.ui.admin.setup_dialog import SetupDialog
from clinic_app.ui.admin.sign_in_dialog import SignInDialog

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices
    from clinic_app.ui.main_window import MainWindow


def run_startup(services: AppServices, parent: QWidget | None = None) -> bool:
    """Set up a new database or sign in to an existing one.

    Shows :class:`SetupDialog` while the database has no clinic and administrator (after
    it, the new administrator is already the signed-in actor), otherwise
    :class:`SignInDialog`; after a sign-in to an account whose password an administrator
    reset, :class:`ChangePasswordDialog` must be completed too.

    Returns:
        True when someone is signed in; False when a dialog was cancelled.

    Raises:
        ClinicError: the database could not be read to decide which dialog to show.
    """
    if services.clinic.needs_setup():
        return _run(SetupDialog(services, parent))
    sign_in = SignInDialog(services, parent)
    if not _run(sign_in):
        return False
    if sign_in.user is not None and sign_in.user.must_change_password:
        return _run(ChangePasswordDialog(services, parent, required=True))
    return True


def _run(dialog: QDialog) -> bool:
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


def create_main_window(services: AppServices) -> MainWindow:
    """The main window for the signed-in user (not shown yet); its module is imported only
    now, after the sign-in dialog (issue 13)."""
    from clinic_app.ui.main_window import MainWindow

    return MainWindow(services)
