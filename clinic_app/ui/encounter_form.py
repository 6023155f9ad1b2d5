"""The encounter form beside the site table: screening, consent, indication, outcome.

A pure view over :class:`EncounterInput`: :meth:`EncounterForm.set_form` shows one,
:meth:`EncounterForm.form_input` reads it back, and every edit by the user emits
``form_changed`` (the editor's autosave listens). Nothing here talks to a service.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.enums import SkinPrep, Tolerance
from clinic_app.domain.rules import default_rules
from clinic_app.domain.validation import PAIN_MAX, PAIN_MIN
from clinic_app.services.dto import EncounterInput
from clinic_app.ui.checks_panel import ChecksPanel, CodesBox
from clinic_app.ui.sign_dialog import SignatureBox

#: Screening questions (tpi-reference.md §5, resources/rules/screening.toml), in their order;
#: stored as {code: {"answer": bool|None, "note": str}}.
SCREENING_ITEMS: tuple[tuple[str, str, str], ...] = tuple(
    (q.code, q.label, q.help) for q in default_rules().questions
)
SKIN_PREP_LABELS = {
    SkinPrep.ALCOHOL: "Alcohol",
    SkinPrep.CHLORHEXIDINE: "Chlorhexidine",
    SkinPrep.POVIDONE_IODINE: "Povidone-iodine",
}
TOLERANCE_LABELS = {Tolerance.WELL: "Well", Tolerance.FAIR: "Fair", Tolerance.POOR: "Poor"}
COMPLICATION_PRESETS = ("None", "Vasovagal reaction", "Bleeding / hematoma")
NOT_RECORDED = "Not recorded"
_ANSWERS: tuple[tuple[str, bool | None], ...] = (("Not asked", None), ("Yes", True), ("No", False))
_NEEDLE_INTACT: tuple[tuple[str, bool | None], ...] = (
    (NOT_RECORDED, None),
    ("Yes", True),
    ("No", False),
)


def _combo(name: str, items: Sequence[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for text, value in items:
        combo.addItem(text, value)
    return combo


def _select(combo: QComboBox, value: object) -> None:
    index = next((i for i in range(combo.count()) if combo.itemData(i) == value), 0)
    combo.setCurrentIndex(index)


def _text_box(name: str, placeholder: str, lines: int = 2) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class PainBox(QSpinBox):
    """A 0–10 pain score that starts as "Not recorded" (one below the scale)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        # A pain score nobody asked is not a 0.
        self.setRange(PAIN_MIN - 1, PAIN_MAX)
        self.setSpecialValueText(NOT_RECORDED)
        self.setValue(PAIN_MIN - 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A digit typed over "Not recorded" replaces it instead of being appended (refused).
        if self.value() < PAIN_MIN and event.text().isdigit():
            self.lineEdit().clear()
        super().keyPressEvent(event)


class EncounterForm(QWidget):
    """Everything about the encounter except its sites.

    Signals:
        form_changed(): the user changed something (not emitted by :meth:`set_form`).

    Attributes:
        checks: the live checks panel. codes: the codes summary.
        signature: a signed encounter's signature and override reasons (hidden in a draft).
        screening: per screening code, its answer list and its note field.
        consent, time_out, skin_prep, indication, icd10, pain_before, pain_after,
        tolerance, complications, needle_intact, disposition, follow_up: the fields.
    """

    form_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Encounter form")
        self._loading = False
        self._extra_screening: dict[str, Any] = {}
        self.checks = ChecksPanel()
        self.codes = CodesBox()
        self.signature = SignatureBox()

        self.indication = _text_box("Indication", "Why: diagnosis, trigger points found…")
        self.icd10 = QLineEdit()
        self.icd10.setAccessibleName("ICD-10 codes")
        self.icd10.setPlaceholderText("Comma-separated, e.g. M79.18, M54.2")
        self.screening: dict[str, tuple[QComboBox, QLineEdit]] = {}
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        for row, (code, text, tip) in enumerate(SCREENING_ITEMS):
            label = QLabel(text)
            label.setToolTip(tip)
            answer = _combo(f"{text}: answer", _ANSWERS)
            note = QLineEdit()
            note.setAccessibleName(f"{text}: note")
            note.setPlaceholderText("Note")
            label.setBuddy(answer)
            grid.addWidget(label, row, 0)
            grid.addWidget(answer, row, 1)
            grid.addWidget(note, row, 2)
            self.screening[code] = (answer, note)
        self.consent = QCheckBox("Consent obtained (risks discussed)")
        self.time_out = QCheckBox("Time-out done")
        self.skin_prep = _combo(
            "Skin prep", [(NOT_RECORDED, None), *((t, v) for v, t in SKIN_PREP_LABELS.items())]
        )
        before = QGroupBox("Before the first needle")
        before_form = QFormLayout(before)
        # Text fields take the width; pick lists keep their natural size.
        before_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        before_form.addRow("&Indication:", self.indication)
        before_form.addRow("ICD-&10:", self.icd10)
        before_form.addRow(grid)
        checks_row = QHBoxLayout()
        checks_row.addWidget(self.consent)
        checks_row.addWidget(self.time_out)
        checks_row.addStretch(1)
        before_form.addRow(checks_row)
        before_form.addRow("Skin &prep:", self.skin_prep)

        self.pain_before = PainBox("Pain before (0–10)")
        self.pain_after = PainBox("Pain after (0–10)")
        self.tolerance = _combo(
            "Tolerance", [(NOT_RECORDED, None), *((t, v) for v, t in TOLERANCE_LABELS.items())]
        )
        self.complications = QComboBox()
        self.complications.setEditable(True)
        self.complications.setAccessibleName("Complications")
        self.complications.addItems(["", *COMPLICATION_PRESETS])
        self.complications.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.complications.setSizePolicy(
            QSizePolicy.Policy.Expanding, self.complications.sizePolicy().verticalPolicy()
        )
        self.needle_intact = _combo("Needle intact after removal", _NEEDLE_INTACT)
        self.disposition = QLineEdit()
        self.disposition.setAccessibleName("Disposition")
        self.disposition.setPlaceholderText("e.g. Home with a companion; stable")
        self.follow_up = _text_box("Follow-up plan", "e.g. review in 3 weeks; home stretches")
        after = QGroupBox("Outcome")
        after_form = QFormLayout(after)
        after_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        pain_row = QHBoxLayout()
        pain_row.addWidget(QLabel("Before:"))
        pain_row.addWidget(self.pain_before)
        pain_row.addSpacing(12)
        pain_row.addWidget(QLabel("After:"))
        pain_row.addWidget(self.pain_after)
        pain_row.addStretch(1)
        after_form.addRow("Pain (NRS):", pain_row)
        after_form.addRow("&Tolerance:", self.tolerance)
        after_form.addRow("&Complications:", self.complications)
        after_form.addRow("Needle intact after re&moval:", self.needle_intact)
        after_form.addRow("&Disposition:", self.disposition)
        after_form.addRow("&Follow-up:", self.follow_up)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.signature)
        layout.addWidget(self.checks)
        layout.addWidget(self.codes)
        layout.addWidget(before)
        layout.addWidget(after)
        layout.addStretch(1)
        self._connect_changes()

    def _connect_changes(self) -> None:
        for box in (self.indication, self.follow_up):
            box.textChanged.connect(self._on_edited)
        for edit in (self.icd10, self.disposition, *(note for _a, note in self.screening.values())):
            edit.textEdited.connect(self._on_edited)
        for combo in (
            self.skin_prep,
            self.tolerance,
            self.needle_intact,
            *(a for a, _n in self.screening.values()),
        ):
            combo.currentIndexChanged.connect(self._on_edited)
        self.complications.currentTextChanged.connect(self._on_edited)
        for check in (self.consent, self.time_out):
            check.toggled.connect(self._on_edited)
        for spin in (self.pain_before, self.pain_after):
            spin.valueChanged.connect(self._on_edited)

    def _on_edited(self, *_args: object) -> None:
        if not self._loading:
            self.form_changed.emit()

    # ------------------------------------------------------------------ public API
    def set_form(self, form: EncounterInput) -> None:
        """Show ``form`` (does not emit ``form_changed``)."""
        self._loading = True
        try:
            self.indication.setPlainText(form.indication)
            self.icd10.setText(", ".join(form.icd10_codes))
            known = {item[0] for item in SCREENING_ITEMS}
            self._extra_screening = {k: v for k, v in form.screening.items() if k not in known}
            for code, (answer, note) in self.screening.items():
                entry = form.screening.get(code) or {}
                _select(answer, entry.get("answer") if isinstance(entry, dict) else None)
                note.setText(str(entry.get("note", "")) if isinstance(entry, dict) else "")
            self.consent.setChecked(form.consent_obtained)
            self.time_out.setChecked(form.time_out_done)
            _select(self.skin_prep, form.skin_prep)
            for spin, value in (
                (self.pain_before, form.pain_before),
                (self.pain_after, form.pain_after),
            ):
                spin.setValue(PAIN_MIN - 1 if value is None else value)
            _select(self.tolerance, form.tolerance)
            self.complications.setCurrentText(form.complications)
            _select(self.needle_intact, form.needle_intact)
            self.disposition.setText(form.disposition)
            self.follow_up.setPlainText(form.follow_up_plan)
        finally:
            self._loading = False

    def form_input(self) -> EncounterInput:
        """What the form shows now."""
        screening: dict[str, Any] = dict(self._extra_screening)
        for code, (answer, note) in self.screening.items():
            value = answer.currentData()
            if value is not None or note.text().strip():
                screening[code] = {"answer": value, "note": note.text().strip()}
        codes = tuple(c.strip().upper() for c in self.icd10.text().split(",") if c.strip())
        return EncounterInput(
            indication=self.indication.toPlainText(),
            icd10_codes=codes,
            screening=screening,
            consent_obtained=self.consent.isChecked(),
            time_out_done=self.time_out.isChecked(),
            skin_prep=self._enum(self.skin_prep, SkinPrep),
            pain_before=self._pain(self.pain_before),
            pain_after=self._pain(self.pain_after),
            tolerance=self._enum(self.tolerance, Tolerance),
            complications=self.complications.currentText().strip(),
            follow_up_plan=self.follow_up.toPlainText(),
            needle_intact=self.needle_intact.currentData(),
            disposition=self.disposition.text().strip(),
        )

    def set_read_only(self, read_only: bool) -> None:
        """Signed encounters: text stays selectable, nothing can change."""
        texts: list[QLineEdit | QPlainTextEdit] = [
            self.indication,
            self.follow_up,
            self.icd10,
            self.disposition,
            *(note for _a, note in self.screening.values()),
        ]
        for widget in texts:
            widget.setReadOnly(read_only)
        for spin in (self.pain_before, self.pain_after):
            spin.setReadOnly(read_only)
            spin.setButtonSymbols(
                QSpinBox.ButtonSymbols.NoButtons
                if read_only
                else QSpinBox.ButtonSymbols.UpDownArrows
            )
        for other in (
            self.consent,
            self.time_out,
            self.skin_prep,
            self.tolerance,
            self.complications,
            self.needle_intact,
            *(answer for answer, _n in self.screening.values()),
        ):
            other.setEnabled(not read_only)

    @staticmethod
    def _pain(spin: QSpinBox) -> int | None:
        return None if spin.value() < PAIN_MIN else spin.value()

    @staticmethod
    def _enum(combo: QComboBox, enum: type[Any]) -> Any:
        value = combo.currentData()
        return None if value is None else enum(value)
