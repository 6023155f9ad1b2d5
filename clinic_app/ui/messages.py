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


def ask_text(parent: QWidget | None, title: str, prompt: str) -> str | None:
    """One line of text typed in answer to ``prompt``; ``None`` when the user cancels."""
    text, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.EchoMode.Normal, "")
    return text if ok else None


def ask_void_reason(parent: QWidget | None, patient_label: str) -> str | None:
    """Ask why a patient is being voided; ``None`` when the user cancels."""
    return ask_text(
        parent,
        "Void patient",
        f"Void {patient_label}?\n\nVoiding hides a patient registered in error; the record "
        "and its history are kept.\nReason (required):",
    )


def ask_lot_missing_reason(parent: QWidget | None, lot_of: str) -> str | None:
    """Ask why no lot can be recorded for a dose; ``None`` when the user cancels."""
    return ask_text(
        parent,
        "Lot not available",
        f"{lot_of}: why can no lot be recorded?\n(e.g. label unreadable, sample without a "
        "lot number) The reason goes into the procedure note.",
    )


def ask_rule_lowering_reason(parent: QWidget | None, check: str) -> str | None:
    """Ask why the clinic lowers a documentation check to a warning; ``None`` on cancel."""
    return ask_text(
        parent,
        "Lower a check to a warning",
        f"“{check}” will no longer block signing; providers then type a reason when they "
        "sign without it.\nWhy does the clinic lower this check? (required)",
    )
