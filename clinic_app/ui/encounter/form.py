"""The encounter form beside the site table: screening, consent, indication, outcome.

A pure view over :class:`EncounterInput`: :meth:`EncounterForm.set_form` shows one,
:meth:`EncounterForm.form_input` reads it back, and every edit by the user emits
``form_changed`` (the editor's autosave listens). Nothing here talks to a service.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
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
from clinic_app.domain.labels import NOT_RECORDED, TOLERANCE_LABELS
from clinic_app.domain.screening import ScreeningAnswer
from clinic_app.domain.validation import PAIN_MIN
from clinic_app.services.dto import EncounterInput, PatientView
from clinic_app.ui.encounter.checks_panel import ChecksPanel, CodesBox
from clinic_app.ui.encounter.form_parts import (
    FollowUpRow,
    HandoutNoteTabs,
    ReliefRow,
    SignatureBox,
    combo_box,
    select_data,
    text_box,
)
from clinic_app.ui.encounter.pickers import (
    PICKERS_STYLE,
    AnswerPicker,
    PainPicker,
    PresetRow,
    SkinPrepButton,
    check_button,
)
from clinic_app.ui.encounter.screening import ScreeningBox, screening_proposals

COMPLICATION_PRESETS = ("None", "Vasovagal reaction", "Bleeding / hematoma")
#: One click fills the disposition with the words most visits end with.
DISPOSITION_PRESETS = ("Home, stable", "Home with a companion; stable")


class EncounterForm(QWidget):
    """Everything about the encounter except its sites.

    Signals:
        form_changed(): the user changed something (not emitted by :meth:`set_form`).

    Attributes:
        checks: the live checks panel. codes: the codes summary.
        signature: a signed encounter's signature and override reasons (hidden in a draft).
        screening: per screening code, its answer list and its note field.
        consent, time_out, skin_prep, indication, icd10, pain_before, pain_after,
        pain_after_reason, tolerance, complications, needle_intact, disposition, follow_up
        (the plan, on the note only), conservative_treatment, relief (percent and weeks the
        last session's relief lasted; shown for repeat visits), follow_up_when (structured
        follow-up for the handout), handout_note (per language): the fields.
        fields: the widget that holds each completeness target (Finding.target).
    """

    form_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Encounter form")
        self.setStyleSheet(PICKERS_STYLE)
        self._loading = False
        self._read_only = False
        self._repeat = False
        self._extra_screening: dict[str, Any] = {}
        self.checks = ChecksPanel()
        self.codes = CodesBox()
        self.signature = SignatureBox()

        self.indication = text_box("Indication", "Why: diagnosis, trigger points found…")
        self.icd10 = QLineEdit()
        self.icd10.setAccessibleName("ICD-10 codes")
        self.icd10.setPlaceholderText("Comma-separated, e.g. M79.18, M54.2")
        self.screening_box = ScreeningBox()
        #: Per question code, its answer picker and its note (as before issue 12).
        self.screening: dict[str, tuple[AnswerPicker, QLineEdit]] = {
            code: (row.answer, row.note) for code, row in self.screening_box.rows.items()
        }
        self.consent = check_button("Consent obtained (risks discussed)")
        self.time_out = check_button("Time-out done")
        self.skin_prep = SkinPrepButton()
        before = QGroupBox("Before the first needle")
        before_form = QFormLayout(before)
        # Text fields take the width; pick lists keep their natural size.
        before_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        before_form.addRow("&Indication:", self.indication)
        before_form.addRow("ICD-&10:", self.icd10)
        before_form.addRow(self.screening_box)
        checks_row = QHBoxLayout()  # one row of check buttons (issue 12 §4)
        checks_row.addWidget(self.consent)
        checks_row.addWidget(self.time_out)
        checks_row.addWidget(self.skin_prep)
        checks_row.addStretch(1)
        before_form.addRow(checks_row)

        self.pain_before = PainPicker("Pain before (0–10)")
        self.pain_after = PainPicker("Pain after (0–10)")
        self.tolerance = combo_box(
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
        self.needle_intact = AnswerPicker("Needle intact after removal", NOT_RECORDED)
        self.disposition = QLineEdit()
        self.disposition.setAccessibleName("Disposition")
        self.disposition.setPlaceholderText("e.g. Home with a companion; stable")
        self.disposition_presets = PresetRow(self.disposition, DISPOSITION_PRESETS)
        self.follow_up = text_box(
            "Follow-up plan (on the note only)", "e.g. home stretches; review response"
        )
        self.pain_after_reason = QLineEdit()
        self.pain_after_reason.setAccessibleName("Reason pain after was not scored")
        self.pain_after_reason.setPlaceholderText("Only when pain after was not scored: why")
        after = QGroupBox("Outcome")
        after_form = QFormLayout(after)
        after_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        before_label = QLabel("Pain &before (0–10):")
        before_label.setBuddy(self.pain_before)
        after_label = QLabel("Pain &after (0–10):")
        after_label.setBuddy(self.pain_after)
        after_form.addRow(before_label, self.pain_before)
        after_form.addRow(after_label, self.pain_after)
        after_form.addRow("Not scored after, &because:", self.pain_after_reason)
        after_form.addRow("&Tolerance:", self.tolerance)
        after_form.addRow("&Complications:", self.complications)
        after_form.addRow("Needle intact after re&moval:", self.needle_intact)
        after_form.addRow("&Disposition:", self.disposition_presets)
        after_form.addRow("P&lan (note only):", self.follow_up)
        payer = self._build_history_box()
        handout = self._build_handout_box()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.signature)
        layout.addWidget(self.checks)
        layout.addWidget(self.codes)
        layout.addWidget(before)
        layout.addWidget(payer)
        layout.addWidget(after)
        layout.addWidget(handout)
        layout.addStretch(1)
        self.fields: dict[str, QWidget] = {
            "consent": self.consent,
            "time_out": self.time_out,
            "skin_prep": self.skin_prep,
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "indication": self.indication,
            "icd10": self.icd10,
            "needle_intact": self.needle_intact,
            "disposition": self.disposition,
            "prior_relief": self.relief,
        }
        self._connect_changes()
        self._update_pain_after_reason()

    def _build_history_box(self) -> QGroupBox:
        """Treatment before today: conservative care, and relief since the last session."""
        self.conservative_treatment = text_box(
            "Conservative treatment tried",
            "e.g. 8 weeks of physical therapy, home stretches, NSAIDs (for payers that ask)",
        )
        self.relief = ReliefRow()
        self.relief_label = QLabel("&Relief since last session:")
        self.relief_label.setBuddy(self.relief.percent)
        self.relief_label.setToolTip(
            "Reported today about the previous session: how much relief and for how long"
        )
        box = QGroupBox("Treatment so far")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("Conser&vative treatment tried:", self.conservative_treatment)
        form.addRow(self.relief_label, self.relief)
        self._history_form = form
        self.set_repeat_visit(False)
        return box

    def _build_handout_box(self) -> QGroupBox:
        """Follow-up and the provider's words, as the patient's handout prints them."""
        self.follow_up_when = FollowUpRow()
        self.handout_note = HandoutNoteTabs()
        box = QGroupBox("Aftercare handout")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        label = QLabel("F&ollow-up visit:")
        label.setBuddy(self.follow_up_when.weeks)
        form.addRow(label, self.follow_up_when)
        form.addRow(self.handout_note)
        return box

    def _connect_changes(self) -> None:
        for box in (self.indication, self.follow_up, self.conservative_treatment):
            box.textChanged.connect(self._on_edited)
        for edit in (
            self.icd10,
            self.disposition,
            self.pain_after_reason,
            *(note for _a, note in self.screening.values()),
        ):
            edit.textEdited.connect(self._on_edited)
        self.screening_box.changed.connect(self._on_edited)
        self.skin_prep.prep_changed.connect(self._on_edited)
        for part in (self.relief, self.follow_up_when, self.handout_note):
            part.changed.connect(self._on_edited)
        self.pain_after.valueChanged.connect(self._update_pain_after_reason)
        for combo in (self.tolerance,):
            combo.currentIndexChanged.connect(self._on_edited)
        self.needle_intact.answered.connect(self._on_edited)
        self.disposition_presets.chosen.connect(self._on_edited)
        self.complications.currentTextChanged.connect(self._on_edited)
        for check in (self.consent, self.time_out):
            check.toggled.connect(self._on_edited)
        for spin in (self.pain_before, self.pain_after):
            spin.valueChanged.connect(self._on_edited)

    def _on_edited(self, *_args: object) -> None:
        if not self._loading:
            self.form_changed.emit()

    def _update_pain_after_reason(self, *_args: object) -> None:
        # A reason is for a score not taken: offered only while pain after is empty.
        scored = self._pain(self.pain_after) is not None
        self.pain_after_reason.setEnabled(not scored and not self._read_only)

    # ------------------------------------------------------------------ issue 8 fields
    def set_repeat_visit(self, repeat: bool) -> None:
        """Show the relief questions only when the patient had an earlier visit."""
        self._repeat = repeat
        self._history_form.setRowVisible(self.relief, repeat)

    def set_undo_stack(self, stack: QUndoStack) -> None:
        """Screening answers become undo commands on the editor's stack (Ctrl+Z)."""
        self.screening_box.set_undo_stack(stack)

    def set_record(self, patient: PatientView, skin_prep: SkinPrep | None) -> None:
        """What the patient record answers (carried over, to confirm) and the clinic's
        default skin prep; shown by the next :meth:`set_form`."""
        self.screening_box.set_proposals(screening_proposals(patient))
        self.skin_prep.set_default(skin_prep)

    def set_clinic_follow_up_weeks(self, weeks: int | None) -> None:
        """The clinic's follow-up interval, shown where no follow-up is chosen."""
        self.follow_up_when.set_clinic_weeks(weeks)

    def focus_field(self, target: str) -> QWidget | None:
        """Put the keyboard focus on the field a finding points at; None when unknown."""
        widget = self.fields.get(target)
        if widget is None or not widget.isVisibleTo(self):
            return None
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget

    # ------------------------------------------------------------------ public API
    def set_form(self, form: EncounterInput) -> None:
        """Show ``form`` (does not emit ``form_changed``)."""
        self._loading = True
        try:
            self.indication.setPlainText(form.indication)
            self.icd10.setText(", ".join(form.icd10_codes))
            known = set(self.screening)
            self._extra_screening = {k: v for k, v in form.screening.items() if k not in known}
            self.screening_box.set_values(
                {c: ScreeningAnswer.parse(form.screening.get(c)) for c in self.screening},
                propose=not self._read_only,
            )
            self.consent.setChecked(form.consent_obtained)
            self.time_out.setChecked(form.time_out_done)
            self.skin_prep.set_prep(form.skin_prep)
            for picker, value in (
                (self.pain_before, form.pain_before),
                (self.pain_after, form.pain_after),
            ):
                picker.setValue(PAIN_MIN - 1 if value is None else value)
            select_data(self.tolerance, form.tolerance)
            self.complications.setCurrentText(form.complications)
            self.needle_intact.set_answer(form.needle_intact)
            self.disposition.setText(form.disposition)
            self.follow_up.setPlainText(form.follow_up_plan)
            self.pain_after_reason.setText(form.pain_after_reason)
            self.conservative_treatment.setPlainText(form.conservative_treatment)
            self.relief.percent.set_number(form.prior_relief_percent)
            self.relief.weeks.set_number(form.prior_relief_weeks)
            self.follow_up_when.set_value(form.follow_up_weeks, form.follow_up_date)
            self.handout_note.set_value(form.handout_note)
            if form.prior_relief_percent is not None or form.prior_relief_weeks is not None:
                self.set_repeat_visit(True)  # recorded values are never hidden
        finally:
            self._loading = False
        self._update_pain_after_reason()

    def form_input(self) -> EncounterInput:
        """What the form shows now."""
        screening: dict[str, Any] = dict(self._extra_screening)
        for code, entry in self.screening_box.values().items():
            if entry.recorded:
                screening[code] = entry.to_json()
        codes = tuple(c.strip().upper() for c in self.icd10.text().split(",") if c.strip())
        weeks, on = self.follow_up_when.value()
        return EncounterInput(
            indication=self.indication.toPlainText(),
            icd10_codes=codes,
            screening=screening,
            consent_obtained=self.consent.isChecked(),
            time_out_done=self.time_out.isChecked(),
            skin_prep=self.skin_prep.prep(),
            pain_before=self._pain(self.pain_before),
            pain_after=self._pain(self.pain_after),
            tolerance=self._enum(self.tolerance, Tolerance),
            complications=self.complications.currentText().strip(),
            follow_up_plan=self.follow_up.toPlainText(),
            needle_intact=self.needle_intact.answer(),
            disposition=self.disposition.text().strip(),
            # A reason stands only for a score not taken.
            pain_after_reason=""
            if self._pain(self.pain_after) is not None
            else self.pain_after_reason.text().strip(),
            conservative_treatment=self.conservative_treatment.toPlainText().strip(),
            prior_relief_percent=self.relief.percent.number() if self._repeat else None,
            prior_relief_weeks=self.relief.weeks.number() if self._repeat else None,
            follow_up_weeks=weeks,
            follow_up_date=on,
            handout_note=self.handout_note.value(),
        )

    def set_read_only(self, read_only: bool) -> None:
        """Signed encounters: text stays selectable, nothing can change."""
        self._read_only = read_only
        texts: list[QLineEdit | QPlainTextEdit] = [
            self.indication,
            self.follow_up,
            self.icd10,
            self.disposition,
            self.pain_after_reason,
            self.conservative_treatment,
        ]
        for widget in texts:
            widget.setReadOnly(read_only)
        self.screening_box.set_read_only(read_only)
        for picker in (self.pain_before, self.pain_after):
            picker.setReadOnly(read_only)
        for spin in (self.relief.percent, self.relief.weeks):
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
        ):
            other.setEnabled(not read_only)
        self.needle_intact.setReadOnly(read_only)
        self.disposition_presets.set_read_only(read_only)
        self.follow_up_when.set_read_only(read_only)
        self.handout_note.set_read_only(read_only)
        self._update_pain_after_reason()

    @staticmethod
    def _pain(picker: PainPicker) -> int | None:
        return picker.number()

    @staticmethod
    def _enum(combo: QComboBox, enum: type[Any]) -> Any:
        value = combo.currentData()
        return None if value is None else enum(value)
