"""Signing an encounter: what stands in the way, the override reasons, the signature shown.

:class:`SignDialog` lists the blocks (signing is then impossible, and it says why), each
warning that needs a typed reason with its reason field and a quick pick of the clinic's
standard reasons (a pick fills the field with its text; "Other…" leaves it for free text), and
the other findings for information. Sign calls the function it was given (the encounter
session's ``sign``); a refusal keeps the dialog open with the service's message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.errors import ConflictError, ValidationError
from clinic_app.domain.rules import Assessment, Finding
from clinic_app.services.dto import EncounterView
from clinic_app.ui.common.labels import local_timestamp
from clinic_app.ui.encounter.checks_panel import BADGES

SIGN_TEXT = "Sign"
BLOCKED_TEXT = "Signing is refused until every block below is resolved in the encounter."
REASONS_TEXT = "Type a reason for each warning below to sign despite it."
READY_TEXT = "Nothing stands in the way: signing makes the encounter read-only."
PICK_PROMPT = "Standard reason…"
OTHER_TEXT = "Other… (type below)"


def signed_line(view: EncounterView, signer: str) -> str:
    """ "Signed by Ana Ruiz on 2026-01-05 10:00 CST" (the clinic's time and zone)."""
    when = f" on {local_timestamp(view.signed_at, view.clinic_timezone)}" if view.signed_at else ""
    return f"Signed by {signer}{when}"


def _label(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setAccessibleName(name)
    return label


def _finding_text(finding: Finding) -> str:
    return f"{BADGES[finding.severity][0]}: {finding.message}"


class SignDialog(QDialog):
    """Sign the encounter, once no block stands and every needed reason is typed.

    Attributes:
        status: why Sign is (not) possible, or the service's refusal.
        reasons: the reason field per rule id of each warning that needs one.
        picks: the quick pick per rule id, for the warnings whose rule has standard reasons
            (first item the prompt, last "Other…").
        sign_button: Sign; enabled only without blocks and with every reason filled.
        signed: the signed encounter, once signing succeeded.
    """

    def __init__(
        self,
        assessment: Assessment,
        sign: Callable[[Mapping[str, str]], EncounterView],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign encounter")
        self.setAccessibleName("Sign encounter")
        self.setMinimumWidth(560)
        self._sign = sign
        self._blocked = bool(assessment.blocks)
        self.signed: EncounterView | None = None
        self.reasons: dict[str, QLineEdit] = {}
        self.picks: dict[str, QComboBox] = {}
        layout = QVBoxLayout(self)
        self.status = _label("", "Signing status")
        self.status.setStyleSheet("QLabel { font-weight: bold; }")
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addWidget(self.status)
        if assessment.blocks:
            layout.addWidget(self._group("Blocks", assessment.blocks))
        needed = assessment.reasons_needed
        if needed:
            box = QGroupBox("Warnings that need a reason")
            box_layout = QVBoxLayout(box)
            for finding in needed:
                box_layout.addWidget(_label(_finding_text(finding), "Warning"))
                edit = QLineEdit()
                edit.setAccessibleName(f"Reason: {finding.message}")
                edit.setPlaceholderText("Reason to go ahead (goes into the signed note)")
                edit.textChanged.connect(self._update)
                if finding.picks and finding.rule not in self.picks:
                    combo = self._pick_box(finding, edit)
                    box_layout.addWidget(combo)
                    self.picks[finding.rule] = combo
                box_layout.addWidget(edit)
                self.reasons.setdefault(finding.rule, edit)
            layout.addWidget(box)
        others = tuple(
            f for f in assessment.findings if f not in assessment.blocks and f not in needed
        )
        if others:
            layout.addWidget(self._group("For information", others))
        layout.addStretch(1)  # spare height goes below the findings, not into the labels
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = QPushButton(SIGN_TEXT)
        self.sign_button.setAccessibleName("Sign the encounter")
        buttons.addButton(self.sign_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.on_sign)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update()

    @staticmethod
    def _pick_box(finding: Finding, edit: QLineEdit) -> QComboBox:
        """The quick pick: choosing a standard reason types it into ``edit``."""
        combo = QComboBox()
        combo.setAccessibleName(f"Standard reason: {finding.message}")
        combo.addItem(PICK_PROMPT)
        combo.addItems(list(finding.picks))
        combo.addItem(OTHER_TEXT)
        last = combo.count() - 1

        def chosen(index: int) -> None:
            if 0 < index < last:
                edit.setText(combo.itemText(index))
            elif index == last:
                if edit.text() in finding.picks:
                    edit.clear()
                edit.setFocus()

        combo.currentIndexChanged.connect(chosen)
        return combo

    @staticmethod
    def _group(title: str, findings: tuple[Finding, ...]) -> QGroupBox:
        box = QGroupBox(title)
        box_layout = QVBoxLayout(box)
        for finding in findings:
            box_layout.addWidget(_label(_finding_text(finding), title))
        return box

    def reason_texts(self) -> dict[str, str]:
        return {rule: edit.text().strip() for rule, edit in self.reasons.items()}

    def _update(self, *_args: object) -> None:
        missing = [rule for rule, text in self.reason_texts().items() if not text]
        self.sign_button.setEnabled(not self._blocked and not missing)
        colour = "#b71c1c" if self._blocked else "palette(window-text)"
        self.status.setStyleSheet(f"QLabel {{ font-weight: bold; color: {colour}; }}")
        if self._blocked:
            self.status.setText(BLOCKED_TEXT)
        elif missing:
            self.status.setText(REASONS_TEXT)
        else:
            self.status.setText(READY_TEXT)

    def on_sign(self) -> None:
        """Sign through the service; a refusal stays here with its message."""
        try:
            self.signed = self._sign(self.reason_texts())
        except (ValidationError, ConflictError) as exc:
            self.status.setText(f"Not signed: {exc}")
            self.status.setStyleSheet("QLabel { font-weight: bold; color: #b71c1c; }")
            return
        self.accept()
