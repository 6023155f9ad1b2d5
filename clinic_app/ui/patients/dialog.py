"""The patient form: register a new patient or edit one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.access import may
from clinic_app.domain.allergies import NKDA_TEXT, means_no_known_allergies
from clinic_app.domain.enums import Language, Sex
from clinic_app.domain.errors import ClinicError, ConflictError, ValidationError
from clinic_app.domain.labels import LANGUAGE_LABELS, SEX_LABELS
from clinic_app.services.dto import PatientInput, PatientView
from clinic_app.ui.common.forms import FORM_STYLE, DateField, FormErrors
from clinic_app.ui.common.messages import confirm_discard
from clinic_app.ui.patients.panel import DEFAULT_PAYER, payer_label, payer_names

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

_Snapshot = tuple[object, ...]


class PatientDialog(QDialog):
    """Registers a new patient, or edits one, through ``services.patients``.

    OK saves; on a refused value the field at fault is marked and everything typed stays.
    Cancel, Esc or the window's close button ask before discarding unsaved edits.

    Signals:
        patient_saved(PatientView): the patient was created or updated.

    Attributes:
        errors: the inline error display (tests read messages from it).
        save_button: the button that saves (OK role).
    """

    patient_saved = Signal(object)

    def __init__(
        self,
        services: AppServices,
        patient: PatientView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._original = patient
        self._saved: PatientView | None = None
        self.setWindowTitle("Edit patient" if patient else "New patient")
        self.setAccessibleName(self.windowTitle())
        self.setStyleSheet(FORM_STYLE)
        self.setMinimumWidth(520)

        general = QLabel(self)
        general.setAccessibleName("Error")
        self.errors = FormErrors(general)
        self._build_fields()

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.save_button = self._buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save patient")

        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addWidget(general)
        layout.addWidget(self._buttons)

        if patient is not None:
            self._load(patient)
        #: Weight, allergies and safety flags may be changed (the matrix's patient.clinical);
        #: for other roles (front desk) they are shown read-only, and the service refuses.
        self.may_chart = may(services.actor.granted, "patient.clinical")
        if not self.may_chart:
            self._freeze_clinical_fields()
        self._initial = self.snapshot()
        self.mrn.setFocus()

    # ------------------------------------------------------------------ building
    def _build_fields(self) -> None:
        e = self.errors
        form = self._form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.mrn = _line("MRN", "Medical record number")
        self.given_name = _line("Given name")
        self.family_name = _line("Family name")
        self.date_of_birth = DateField(self, placeholder="YYYY-MM-DD")
        self.date_of_birth.setAccessibleName("Date of birth")
        self.sex = QComboBox()
        self.sex.setAccessibleName("Sex")
        for sex in (Sex.FEMALE, Sex.MALE, Sex.OTHER, Sex.UNKNOWN):
            self.sex.addItem(SEX_LABELS[sex], sex)
        self.sex.setCurrentIndex(self.sex.findData(Sex.UNKNOWN))

        self.weight_kg = _line("Weight in kilograms", "e.g. 72.5")
        self.weight_kg.setMaximumWidth(110)
        self.weight_measured_on = DateField(self, placeholder="today if blank")
        self.weight_kg.textEdited.connect(self.on_weight_edited)
        self.weight_measured_on.setAccessibleName("Weight measured on")
        weight_row = QWidget()
        row = QHBoxLayout(weight_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.weight_kg)
        row.addWidget(QLabel("kg, measured on"))
        row.addWidget(self.weight_measured_on, 1)
        weight_field = e.wrap("weight_kg", self.weight_kg, shown=weight_row)
        # The weight's date sits on the weight's row, so it shares its error line.
        e.share("weight_measured_on", self.weight_measured_on, "weight_kg")

        self.preferred_language = QComboBox()
        self.preferred_language.setAccessibleName("Preferred language")
        for language in Language:
            self.preferred_language.addItem(LANGUAGE_LABELS[language], language)
        self.phone = _line("Phone")
        self.payer = QComboBox()
        self.payer.setAccessibleName("Payer rules")
        self.payer.setToolTip(
            "Which payer's coverage rules the encounter checks apply (visit intervals, "
            "covered diagnoses)"
        )
        for code, name in payer_names().items():
            self.payer.addItem(name, code)
        self._select_payer(DEFAULT_PAYER)
        self.allergies = _text_box(
            "Allergies",
            "Drug, latex, adhesive or antiseptic "
            "allergies and the reaction; leave blank if not asked yet",
        )
        allergy_field = self._build_nkda()
        self.anticoagulant = QCheckBox("Takes an anticoagulant or antiplatelet")
        self.diabetes = QCheckBox("Diabetes")
        self.pregnant = QCheckBox("Pregnant or breastfeeding")
        checks = QWidget()
        check_layout = QVBoxLayout(checks)
        check_layout.setContentsMargins(0, 0, 0, 0)
        for box in (self.anticoagulant, self.diabetes, self.pregnant):
            box.setAccessibleName(box.text())
            check_layout.addWidget(box)
        self.notes = _text_box("Notes")

        rows: list[tuple[str, QWidget, QWidget]] = [
            ("&MRN:", e.wrap("mrn", self.mrn), self.mrn),
            ("&Given name:", e.wrap("given_name", self.given_name), self.given_name),
            ("&Family name:", e.wrap("family_name", self.family_name), self.family_name),
            (
                "Date of &birth:",
                e.wrap("date_of_birth", self.date_of_birth),
                self.date_of_birth.line_edit,
            ),
            ("&Sex:", self.sex, self.sex),
            ("&Weight:", weight_field, self.weight_kg),
            ("&Language:", self.preferred_language, self.preferred_language),
            ("&Phone:", e.wrap("phone", self.phone), self.phone),
            ("Payer &rules:", e.wrap("payer", self.payer), self.payer),
            ("&Allergies:", e.wrap("allergies", self.allergies, shown=allergy_field), self.nkda),
            ("Health:", checks, self.anticoagulant),
            ("&Notes:", e.wrap("notes", self.notes), self.notes),
        ]
        # The weight is registered before the MRN; problems are listed in the rows' order.
        e.set_order(["mrn", "given_name", "family_name", "date_of_birth", "weight_kg"])
        e.share("no_known_drug_allergies", self.nkda, "allergies")
        for caption, field, buddy in rows:
            label = QLabel(caption)
            label.setBuddy(buddy)
            form.addRow(label, field)

    def _build_nkda(self) -> QWidget:
        """ "No known drug allergies" as its own choice above the list (issue 12)."""
        self.nkda = QCheckBox(f"{NKDA_TEXT} (NKDA)")
        self.nkda.setAccessibleName(NKDA_TEXT)
        self.nkda.setToolTip("Asked, and the patient knows of no drug allergy")
        self.nkda_hint = QLabel()
        self.nkda_hint.setAccessibleName("Allergy hint")
        self.nkda_hint.setWordWrap(True)
        self.nkda.toggled.connect(self.on_nkda_toggled)
        self.allergies.textChanged.connect(self.on_allergies_changed)
        field = QWidget()
        column = QVBoxLayout(field)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.nkda)
        column.addWidget(self.allergies)
        column.addWidget(self.nkda_hint)
        self.nkda_hint.hide()
        return field

    def on_nkda_toggled(self, checked: bool) -> None:
        # NKDA and a list exclude each other: ticking NKDA empties and locks the list.
        if checked:
            self.allergies.clear()
        self.allergies.setEnabled(not checked)

    def on_allergies_changed(self) -> None:
        typed_none = means_no_known_allergies(self.allergies.toPlainText())
        self.nkda_hint.setText(f"Saved as “{NKDA_TEXT}”, not as an allergy." if typed_none else "")
        self.nkda_hint.setVisible(typed_none)

    def clinical_fields(self) -> list[QWidget]:
        """The fields of clinical data (what ``patient.clinical`` guards)."""
        return [
            self.weight_kg,
            self.weight_measured_on,
            self.nkda,
            self.allergies,
            self.anticoagulant,
            self.diabetes,
            self.pregnant,
        ]

    def _freeze_clinical_fields(self) -> None:
        tip = "Recorded by a nurse or provider; your role shows it read-only."
        for field in self.clinical_fields():
            if isinstance(field, (QLineEdit, QPlainTextEdit)):
                field.setReadOnly(True)
            else:
                field.setEnabled(False)
            field.setToolTip(tip)

    def _load(self, p: PatientView) -> None:
        self.mrn.setText(p.mrn)
        self.given_name.setText(p.given_name)
        self.family_name.setText(p.family_name)
        self.date_of_birth.set_date(p.date_of_birth)
        self.sex.setCurrentIndex(max(self.sex.findData(p.sex), 0))
        self.weight_kg.setText("" if p.weight_kg is None else str(p.weight_kg))
        self.weight_measured_on.set_date(p.weight_measured_on)
        self.preferred_language.setCurrentIndex(
            max(self.preferred_language.findData(p.preferred_language), 0)
        )
        self.phone.setText(p.phone)
        self.allergies.setPlainText(p.allergies)
        self.nkda.setChecked(p.no_known_drug_allergies)
        self.anticoagulant.setChecked(p.anticoagulant)
        self.diabetes.setChecked(p.diabetes)
        self.pregnant.setChecked(p.pregnant_or_breastfeeding)
        self.notes.setPlainText(p.notes)
        self._select_payer(p.payer)

    def _select_payer(self, code: str) -> None:
        index = self.payer.findData(code)
        if index < 0:  # kept as it is rather than silently changed to another profile
            self.payer.addItem(payer_label(code), code)
            index = self.payer.count() - 1
        self.payer.setCurrentIndex(index)

    # ------------------------------------------------------------------ state
    @property
    def patient(self) -> PatientView | None:
        """The patient as saved by OK (``None`` until a save succeeded)."""
        return self._saved

    @property
    def is_new(self) -> bool:
        return self._original is None

    def is_dirty(self) -> bool:
        """True when any field differs from what the dialog opened with."""
        return self.snapshot() != self._initial

    def snapshot(self) -> _Snapshot:
        """Every field's raw value, as typed (what "unsaved changes" compares)."""
        return (
            self.mrn.text(),
            self.given_name.text(),
            self.family_name.text(),
            self.date_of_birth.text(),
            self.sex.currentData(),
            self.weight_kg.text(),
            self.weight_measured_on.text(),
            self.preferred_language.currentData(),
            self.phone.text(),
            self.allergies.toPlainText(),
            self.nkda.isChecked(),
            self.anticoagulant.isChecked(),
            self.diabetes.isChecked(),
            self.pregnant.isChecked(),
            self.notes.toPlainText(),
            self.payer.currentData(),
        )

    def form_input(self, problems: list[ValidationError] | None = None) -> PatientInput:
        """What the form holds, for the service to check.

        Raises:
            ValidationError: a date that is not a date (when ``problems`` is None; else the
                problem is added to it and the date left out, so the other fields are still
                checked and every problem is shown at once).
        """
        return PatientInput(
            mrn=self.mrn.text(),
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            date_of_birth=_date_of(self.date_of_birth, "date_of_birth", "Date of birth", problems),
            sex=self.sex.currentData(),
            weight_kg=self.weight_kg.text(),
            weight_measured_on=_date_of(
                self.weight_measured_on, "weight_measured_on", "The weight's date", problems
            ),
            preferred_language=self.preferred_language.currentData(),
            phone=self.phone.text(),
            allergies=self.allergies.toPlainText(),
            no_known_drug_allergies=self.nkda.isChecked(),
            anticoagulant=self.anticoagulant.isChecked(),
            diabetes=self.diabetes.isChecked(),
            pregnant_or_breastfeeding=self.pregnant.isChecked(),
            notes=self.notes.toPlainText(),
            payer=self.payer.currentData(),
        )

    def on_weight_edited(self, _text: str) -> None:
        # A newly typed weight was measured now, not on the old weight's date: clear a date
        # the user has not touched, so the service stamps today instead of a stale day.
        if self._original is not None and self.weight_measured_on.text() == (
            self._original.weight_measured_on.isoformat()
            if self._original.weight_measured_on
            else ""
        ):
            self.weight_measured_on.set_date(None)

    # ------------------------------------------------------------------ QDialog
    def accept(self) -> None:
        """Save; stays open with the field marked when the service refuses."""
        self.errors.clear()
        problems: list[ValidationError] = []
        try:
            data = self.form_input(problems)
            if problems:  # the form's own; the service checks the rest, nothing is saved
                self._services.patients.check(
                    data, patient_id=None if self._original is None else self._original.id
                )
                self.errors.show_all(problems)
                return
            if self._original is None:
                saved = self._services.patients.create(data)
            else:
                saved = self._services.patients.update(
                    self._original.id, data, expected_version=self._original.version
                )
        except ValidationError as exc:
            self.errors.show_exception(exc, also=problems)
            return
        except ConflictError as exc:
            self.errors.show_exception(exc, exc.field)
            return
        except ClinicError as exc:
            self.errors.show_exception(exc)
            return
        self._saved = saved
        self._initial = self.snapshot()
        self.patient_saved.emit(saved)
        super().accept()

    def reject(self) -> None:
        """Cancel, Esc and the close button: ask first when edits would be lost."""
        if self.is_dirty() and not confirm_discard(self):
            return
        super().reject()


def _line(accessible_name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible_name)
    edit.setPlaceholderText(placeholder)
    return edit


def _text_box(accessible_name: str, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(accessible_name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 3 + 14)
    return box


def _date_of(
    field: DateField, name: str, label: str, problems: list[ValidationError] | None = None
) -> date | None:
    try:
        return field.date()
    except ValueError:
        error = ValidationError(
            name, f"{label} {field.text().strip()!r} is not a date; enter it as YYYY-MM-DD."
        )
        if problems is None:
            raise error from None
        problems.append(error)
        return None
