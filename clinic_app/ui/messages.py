"""Message boxes and prompts, kept in one place so tests can answer them by monkeypatching."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from clinic_app.domain.errors import ClinicError


def show_error(parent: QWidget | None, title: str, exc: ClinicError) -> None:
    """Tell the user what went wrong, in the service's own words."""
    QMessageBox.warning(parent, title, str(exc))


def confirm_discard(parent: QWidget | None) -> bool:
    """Ask before throwing away edits; True only when the user chooses Discard."""
    answer = QMessageBox.question(
        parent,
        "Discard changes?",
        "You have changes that are not saved. Discard them?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


def ask_void_reason(parent: QWidget | None, patient_label: str) -> str | None:
    """Ask why a patient is being voided; ``None`` when the user cancels."""
    text, ok = QInputDialog.getText(
        parent,
        "Void patient",
        f"Void {patient_label}?\n\nVoiding hides a patient registered in error; the record "
        "and its history are kept.\nReason (required):",
        QLineEdit.EchoMode.Normal,
        "",
    )
    return text if ok else None
