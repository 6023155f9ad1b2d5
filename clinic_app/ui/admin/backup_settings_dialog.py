"""This workstation's backup settings: the folder, how many daily backups to keep, on/off."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.backup_schedule import MAX_KEEP
from clinic_app.domain.errors import ClinicError
from clinic_app.services import backup_settings
from clinic_app.ui.common import messages

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

NOTE = (
    "Settings of this computer only. The automatic backup runs once a day while clinic_app "
    "is open, into this folder, and deletes the oldest beyond the number kept. Keep the "
    "folder on another disk or copy it off-site: a backup on the same disk is lost with it."
)


class BackupSettingsDialog(QDialog):
    """Signals:
    saved(BackupSettings): the settings were saved.
    """

    saved = Signal(object)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("Backup settings")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        current = backup_settings.load_settings()
        self._current = current
        self.folder_edit = QLineEdit(str(current.folder))
        self.folder_edit.setAccessibleName("Backup folder")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.on_browse)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        self.keep_spin = QSpinBox()
        self.keep_spin.setRange(1, MAX_KEEP)
        self.keep_spin.setValue(current.keep)
        self.keep_spin.setAccessibleName("Daily backups to keep")
        self.keep_spin.setSuffix(" daily backups")
        self.automatic_check = QCheckBox("Back up automatically once a day")
        self.automatic_check.setChecked(current.automatic_for(services.is_sqlite))
        form = QFormLayout()
        folder_label = QLabel("&Folder:")
        folder_label.setBuddy(self.folder_edit)
        form.addRow(folder_label, row)
        keep_label = QLabel("&Keep:")
        keep_label.setBuddy(self.keep_spin)
        form.addRow(keep_label, self.keep_spin)
        form.addRow("", self.automatic_check)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.on_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def on_browse(self) -> None:
        chosen = messages.ask_folder(self, "Backup folder", self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    def on_save(self) -> None:
        wanted = replace(
            self._current,
            folder=Path(self.folder_edit.text().strip()).expanduser(),
            keep=self.keep_spin.value(),
            automatic=self.automatic_check.isChecked(),
        )
        try:
            saved = self._services.backups.configure(wanted)
        except ClinicError as exc:
            messages.show_error(self, "Backup settings", exc)
            return
        self.saved.emit(saved)
        self.accept()
