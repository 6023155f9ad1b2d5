"""The administrator's Users window: accounts (File → Users…) and the permission matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.access import role_label
from clinic_app.domain.enums import Role
from clinic_app.domain.errors import ClinicError, StaleVersionError
from clinic_app.services.dto import UserView
from clinic_app.ui.admin.permissions_view import PermissionsView
from clinic_app.ui.admin.user_form import ResetPasswordDialog, UserFormDialog
from clinic_app.ui.common import messages

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

COLUMNS = ("Name", "Username", "Roles", "Credentials", "NPI", "Active", "Must change password")


def roles_text(roles: frozenset[Role]) -> str:
    return ", ".join(role_label(role) for role in Role if role in roles)


class UsersDialog(QDialog):
    """Every account in a table, with the commands an administrator needs; never deletes.

    Signals:
        users_changed(): an account was created or changed (the list was reloaded).

    Attributes:
        tabs: "Users" and "Permissions".
        table: one row per account (active first).
        permissions: the read-only permission matrix.
        new_button, edit_button, reset_button, active_button: the commands (Ctrl+N,
            Ctrl+E or Enter, Ctrl+R, Ctrl+D); the last reads Deactivate or Reactivate.
        form: the account form or password reset open over this window, if any.
    """

    users_changed = Signal()

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._users: list[UserView] = []
        self.form: QDialog | None = None
        self.setWindowTitle("Users — clinic_app")
        self.setAccessibleName("Users")
        self.resize(900, 520)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("User accounts")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self.on_selection_changed)
        self.table.itemActivated.connect(lambda _item: self.on_edit())

        self.new_button = self._button("&New user…", "Ctrl+N", self.on_new)
        self.edit_button = self._button("&Edit…", "Ctrl+E", self.on_edit)
        self.reset_button = self._button("&Reset password…", "Ctrl+R", self.on_reset_password)
        self.active_button = self._button("&Deactivate", "Ctrl+D", self.on_toggle_active)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.reset_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        users_tab = QWidget()
        users_layout = QVBoxLayout(users_tab)
        users_layout.addWidget(self.table, 1)
        users_layout.addLayout(buttons)
        self.permissions = PermissionsView()
        self.tabs = QTabWidget()
        self.tabs.addTab(users_tab, "&Users")
        self.tabs.addTab(self.permissions, "&Permissions")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.refresh()

    def _button(self, text: str, keys: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        shortcut = QKeySequence(keys)
        button.setToolTip(shortcut.toString(QKeySequence.SequenceFormat.NativeText))
        button.clicked.connect(slot)
        QShortcut(shortcut, self, slot)  # type: ignore[call-overload]
        return button

    # ------------------------------------------------------------------ the list
    @property
    def users(self) -> list[UserView]:
        """The accounts listed, in table order."""
        return list(self._users)

    def refresh(self, select_id: int | None = None) -> None:
        """Reload the accounts; keep (or move to ``select_id``) the selection."""
        keep = select_id if select_id is not None else self._selected_id()
        try:
            self._users = self._services.users.accounts()
        except ClinicError as exc:
            messages.show_error(self, "Could not list the users", exc)
            return
        self.table.setRowCount(len(self._users))
        for row, user in enumerate(self._users):
            cells = (
                user.display_name,
                user.username,
                roles_text(user.roles),
                user.credentials,
                user.npi,
                "yes" if user.active else "no",
                "yes" if user.must_change_password else "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not user.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        ids = [u.id for u in self._users]
        self.table.selectRow(ids.index(keep) if keep in ids else 0)
        self.on_selection_changed()

    def select_user(self, username: str) -> None:
        self.table.selectRow([u.username for u in self._users].index(username))

    def selected(self) -> UserView | None:
        rows = self.table.selectionModel().selectedRows()
        return self._users[rows[0].row()] if rows else None

    def _selected_id(self) -> int | None:
        user = self.selected() if self._users else None
        return user.id if user else None

    def on_selection_changed(self) -> None:
        user = self.selected()
        for button in (self.edit_button, self.reset_button, self.active_button):
            button.setEnabled(user is not None)
        self.active_button.setText("Re&activate" if user and not user.active else "&Deactivate")

    # ------------------------------------------------------------------ commands
    def _open(self, form: QDialog) -> QDialog:
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.finished.connect(self.on_form_finished)
        self.form = form
        form.open()
        return form

    def on_form_finished(self, _result: int) -> None:
        self.form = None

    def on_saved(self, user: UserView) -> None:
        self.refresh(select_id=user.id)
        self.users_changed.emit()

    def on_stale(self, user_id: int) -> None:
        """Another workstation changed the account: show it as it is now."""
        self.refresh(select_id=user_id)

    def on_new(self) -> None:
        form = UserFormDialog(self._services, None, self)
        form.saved.connect(self.on_saved)
        self._open(form)

    def on_edit(self) -> None:
        user = self.selected()
        if user is None:
            return
        form = UserFormDialog(self._services, user, self)
        form.saved.connect(self.on_saved)
        form.stale.connect(self.on_stale)
        self._open(form)

    def on_reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        form = ResetPasswordDialog(self._services, user, self)
        form.password_reset.connect(self.on_saved)
        form.stale.connect(self.on_stale)
        self._open(form)

    def on_toggle_active(self) -> None:
        """Deactivate the selected account (after asking) or reactivate it.

        Refused when the account changed on another workstation since the list was loaded:
        the message says so and the list shows the account as it is now.
        """
        user = self.selected()
        if user is None:
            return
        try:
            if user.active:
                if not messages.confirm_deactivate_user(self, user.label):
                    return
                changed = self._services.users.deactivate(user.id, expected_version=user.version)
            else:
                changed = self._services.users.reactivate(user.id, expected_version=user.version)
        except StaleVersionError as exc:
            messages.show_error(self, "Changed on another workstation", exc)
            self.refresh(select_id=user.id)
            return
        except ClinicError as exc:
            title = "Cannot deactivate" if user.active else "Cannot reactivate"
            messages.show_error(self, title, exc)
            return
        self.on_saved(changed)
