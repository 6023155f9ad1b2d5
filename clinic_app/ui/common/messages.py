"""Every message box, question and file/print prompt the GUI shows, in one place.

Each public function describes its prompt as a :class:`Prompt` and hands it to
:func:`_ask`, which shows the real dialog unless a test has installed an answerer with
:func:`set_answerer` (tests/ui/conftest.py's ``prompts`` fixture does that for every UI test,
so an unexpected prompt fails the test instead of blocking it). Widgets never call
``QMessageBox``/``QInputDialog``/``QFileDialog``/``QPrintDialog`` themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from clinic_app.domain.errors import ClinicError

T = TypeVar("T")
Button = QMessageBox.StandardButton


@dataclass(frozen=True)
class Prompt:
    """What a prompt asks: ``name`` is the function of this module that showed it."""

    name: str
    title: str
    text: str
    options: tuple[str, ...] = ()
    #: What a typed-answer prompt starts with (text the user typed before, kept).
    default: str = ""


Answerer = Callable[[Prompt], Any]
_answerer: Answerer | None = None


def set_answerer(answerer: Answerer | None) -> Answerer | None:
    """Answer prompts with ``answerer`` instead of showing dialogs; returns the previous one."""
    global _answerer
    previous, _answerer = _answerer, answerer
    return previous


def _ask(prompt: Prompt, show: Callable[[], T]) -> T:
    if _answerer is not None:
        answer: T = _answerer(prompt)
        return answer
    return show()


# ---------------------------------------------------------------------- notices
def show_error(parent: QWidget | None, title: str, exc: ClinicError) -> None:
    """Tell the user what went wrong, in the service's own words."""
    warn(parent, title, str(exc), name="show_error")


def warn(parent: QWidget | None, title: str, text: str, *, name: str = "warn") -> None:
    """A warning the user acknowledges."""
    _ask(Prompt(name, title, text), lambda: QMessageBox.warning(parent, title, text))


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """A piece of information the user acknowledges."""
    _ask(Prompt("inform", title, text), lambda: QMessageBox.information(parent, title, text))


def about(parent: QWidget | None, title: str, text: str) -> None:
    """The "About" box."""
    _ask(Prompt("about", title, text), lambda: QMessageBox.about(parent, title, text))


def fatal(title: str, text: str) -> None:
    """The app cannot go on (shown before any window exists)."""
    _ask(Prompt("fatal", title, text), lambda: QMessageBox.critical(None, title, text))


# ---------------------------------------------------------------------- questions
def _question(
    name: str,
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: Button,
    default: Button,
    meaning: Callable[[Button], T],
) -> T:
    """Ask with ``buttons``; a test's answer is what ``meaning`` makes of the button."""
    return _ask(
        Prompt(name, title, text),
        lambda: meaning(QMessageBox.question(parent, title, text, buttons, default)),
    )


def _is_discard(answer: Button) -> bool:
    return answer == Button.Discard


def confirm_discard(parent: QWidget | None) -> bool:
    """Ask before throwing away edits; True only when the user chooses Discard."""
    return _question(
        "confirm_discard",
        parent,
        "Discard changes?",
        "You have changes that are not saved. Discard them?",
        Button.Discard | Button.Cancel,
        Button.Cancel,
        _is_discard,
    )


def confirm_deactivate_user(parent: QWidget | None, user_label: str) -> bool:
    """Ask before deactivating an account; True only when the user chooses Yes."""
    return _question(
        "confirm_deactivate_user",
        parent,
        "Deactivate user",
        f"Deactivate {user_label}?\n\nThey can no longer sign in. Their account and everything "
        "they recorded are kept, and an administrator can reactivate it.",
        Button.Yes | Button.Cancel,
        Button.Cancel,
        _is_yes,
    )


def confirm_lot_recall(parent: QWidget | None, lot_label: str) -> bool:
    """Ask before marking a lot recalled; True only when the user chooses Yes."""
    return _question(
        "confirm_lot_recall",
        parent,
        "Mark lot recalled",
        f"Mark {lot_label} recalled?\n\nIt is no longer offered for a dose. Doses already "
        "charted keep it, and the recall search lists the patients who received it.",
        Button.Yes | Button.Cancel,
        Button.Cancel,
        _is_yes,
    )


def confirm_restore(parent: QWidget | None, what: str) -> bool:
    """Ask before replacing the whole database with a backup; True only for Yes."""
    return _question(
        "confirm_restore",
        parent,
        "Restore from backup?",
        f"{what}\n\nEvery record in the database will be replaced by the backup's. A copy "
        "of the database as it is now is kept first. Other workstations must close the app. "
        "clinic_app closes when the restore is done; start it again.",
        Button.Yes | Button.Cancel,
        Button.Cancel,
        _is_yes,
    )


def _is_yes(answer: Button) -> bool:
    return answer == Button.Yes


def confirm_reload_theirs(parent: QWidget | None) -> bool:
    """Ask before dropping this window's edits for the other workstation's version."""
    return _question(
        "confirm_reload_theirs",
        parent,
        "Reload their version?",
        "Your edits in this window will be discarded and the encounter shown as it was "
        "saved on the other workstation.",
        Button.Discard | Button.Cancel,
        Button.Cancel,
        _is_discard,
    )


def ask_unsaved_close(parent: QWidget | None) -> Button:
    """Closing a window with unsaved edits: Save, Discard or Cancel."""
    return _question(
        "ask_unsaved_close",
        parent,
        "Unsaved changes",
        "Some changes to this encounter are not saved yet.",
        Button.Save | Button.Discard | Button.Cancel,
        Button.Save,
        Button,
    )


def conflict_close_box(parent: QWidget | None, save_text: str, discard_text: str) -> QMessageBox:
    """The question asked when a window in a save conflict is closed.

    Save is relabelled ``save_text`` ("Save mine as a new draft") and Discard ``discard_text``
    ("Discard my edits"): the encounter itself cannot take these edits any more, so a plain
    "Save" would be a lie.
    """
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        CONFLICT_CLOSE_TITLE,
        CONFLICT_CLOSE_TEXT,
        Button.Save | Button.Discard | Button.Cancel,
        parent,
    )
    box.setInformativeText(
        f"{save_text}: your edits become a second draft for this patient, beside "
        f"theirs.\n{discard_text}: only their version is kept."
    )
    box.button(Button.Save).setText(save_text)
    box.button(Button.Discard).setText(discard_text)
    box.setDefaultButton(Button.Save)
    box.setEscapeButton(Button.Cancel)
    return box


CONFLICT_CLOSE_TITLE = "Edits not saved"
CONFLICT_CLOSE_TEXT = (
    "This encounter was changed on another workstation after you opened it, so your "
    "edits could not be saved into it."
)


def ask_conflict_close(parent: QWidget | None, save_text: str, discard_text: str) -> Button:
    """Ask :func:`conflict_close_box`: Save (as a new draft), Discard or Cancel."""
    return _ask(
        Prompt("ask_conflict_close", CONFLICT_CLOSE_TITLE, CONFLICT_CLOSE_TEXT),
        lambda: Button(conflict_close_box(parent, save_text, discard_text).exec()),
    )


# ---------------------------------------------------------------------- typed answers
def _text(
    name: str, parent: QWidget | None, title: str, prompt: str, default: str = ""
) -> str | None:
    def show() -> str | None:
        text, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.EchoMode.Normal, default)
        return text if ok else None

    return _ask(Prompt(name, title, prompt, default=default), show)


def ask_void_reason(parent: QWidget | None, patient_label: str) -> str | None:
    """Ask why a patient is being voided; ``None`` when the user cancels."""
    return _text(
        "ask_void_reason",
        parent,
        "Void patient",
        f"Void {patient_label}?\n\nVoiding hides a patient registered in error; the record "
        "and its history are kept.\nReason (required):",
    )


def ask_lot_missing_reason(parent: QWidget | None, lot_of: str) -> str | None:
    """Ask why no lot can be recorded for a dose; ``None`` when the user cancels."""
    return _text(
        "ask_lot_missing_reason",
        parent,
        "Lot not available",
        f"{lot_of}: why can no lot be recorded?\n(e.g. label unreadable, sample without a "
        "lot number) The reason goes into the procedure note.",
    )


def ask_stock_adjustment(parent: QWidget | None, lot_label: str) -> str | None:
    """Ask how many mL to take off a lot's stock (negative: found in a count); ``None`` on
    cancel."""
    return _text(
        "ask_stock_adjustment",
        parent,
        "Adjust stock",
        f"{lot_label}: how many mL to take off the stock? (wastage, a broken vial: e.g. 5; "
        "more found in a count than on record: e.g. -2)",
    )


def ask_stock_adjustment_reason(parent: QWidget | None, lot_label: str) -> str | None:
    """Ask why a lot's stock is adjusted; ``None`` on cancel."""
    return _text(
        "ask_stock_adjustment_reason",
        parent,
        "Adjust stock",
        f"{lot_label}: why? (required; kept with the adjustment and in the audit trail)",
    )


def ask_rule_lowering_reason(parent: QWidget | None, check: str, typed: str = "") -> str | None:
    """Ask why the clinic lowers a documentation check to a warning; ``None`` on cancel.

    ``typed`` fills the answer in: a reason typed before whose change was not saved.
    """
    return _text(
        "ask_rule_lowering_reason",
        parent,
        "Lower a check to a warning",
        f"“{check}” will no longer block signing; providers then type a reason when they "
        "sign without it.\nWhy does the clinic lower this check? (required)",
        typed,
    )


def ask_rule_change_reason(
    parent: QWidget | None, check: str, severity: str, typed: str = ""
) -> str | None:
    """Ask why the clinic sets a check to ``severity`` (words); ``None`` on cancel."""
    return _text(
        "ask_rule_change_reason",
        parent,
        "Change how a check is enforced",
        f"“{check}” becomes: {severity}.\nWhy does the clinic change this check? (required, "
        "recorded in the audit trail)",
        typed,
    )


def ask_rule_picks(parent: QWidget | None, check: str, picks: str) -> str | None:
    """The standard reasons for a check, one per line; ``None`` on cancel."""
    title = "Standard reasons"
    prompt = (
        f"Standard reasons offered at signing for “{check}”, one per line.\n"
        "Leave it empty to go back to the reasons shipped with the app."
    )

    def show() -> str | None:
        text, ok = QInputDialog.getMultiLineText(parent, title, prompt, picks)
        return text if ok else None

    return _ask(Prompt("ask_rule_picks", title, prompt, default=picks), show)


def ask_emergency_reason(parent: QWidget | None, refusal: str) -> str | None:
    """Offer emergency access after ``refusal``; the reason typed, ``None`` on cancel."""
    return _text(
        "ask_emergency_reason",
        parent,
        "Emergency access",
        f"{refusal}\n\nIn an emergency you may open this patient's chart for reading for "
        "the next hour. Your name, the time and your reason go into the audit trail and "
        "the administrator's report.\nWhy do you need this chart now? (required)",
    )


def ask_choice(
    parent: QWidget | None, title: str, prompt: str, choices: Sequence[str]
) -> str | None:
    """One of ``choices`` (the first is preselected); ``None`` when the user cancels."""
    options = tuple(choices)

    def show() -> str | None:
        label, ok = QInputDialog.getItem(parent, title, prompt, list(options), 0, False)
        return label if ok and label in options else None

    return _ask(Prompt("ask_choice", title, prompt, options), show)


# ---------------------------------------------------------------------- files and printers
def ask_open_file(parent: QWidget | None, title: str, file_filter: str) -> str:
    """A file to read; "" when the user cancels."""

    def show() -> str:
        path, _filter = QFileDialog.getOpenFileName(parent, title, "", file_filter)
        return path

    return _ask(Prompt("ask_open_file", title, file_filter), show)


def ask_save_file(parent: QWidget | None, title: str, suggested: str, file_filter: str) -> str:
    """Where to write a file, starting at ``suggested``; "" when the user cancels."""

    def show() -> str:
        path, _filter = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
        return path

    return _ask(Prompt("ask_save_file", title, suggested), show)


def ask_folder(parent: QWidget | None, title: str, start: str) -> str:
    """A folder, starting at ``start``; "" when the user cancels."""

    def show() -> str:
        return QFileDialog.getExistingDirectory(parent, title, start)

    return _ask(Prompt("ask_folder", title, start), show)


def ask_printer(parent: QWidget | None, title: str, printer: QPrinter) -> QPrinter | None:
    """Let the user set up ``printer`` in the system print dialog; ``None`` when cancelled.

    A test's answerer returns the printer to use (or ``None``).
    """

    def show() -> QPrinter | None:
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(title)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    return _ask(Prompt("ask_printer", title, printer.printerName()), show)


def confirm_patient_import(parent: QWidget | None, what: str) -> bool:
    """Ask before registering the patients of an imported file; True only for Yes."""
    return _question(
        "confirm_patient_import",
        parent,
        "Import patients?",
        f"{what}\n\nThey are registered all at once, or not at all if anything fails. "
        "Duplicates and invalid rows are not imported.",
        Button.Yes | Button.Cancel,
        Button.Cancel,
        _is_yes,
    )
