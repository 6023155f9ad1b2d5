"""The right-hand panel: the selected patient's summary and encounter history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain import clock
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.labels import LANGUAGE_LABELS, SEX_LABELS
from clinic_app.domain.rules.data import default_rules
from clinic_app.services.dto import EncounterSummary, PatientView
from clinic_app.ui.common.labels import age_in_years, alerts_of, allergy_line
from clinic_app.ui.common.refresh import ViewState
from clinic_app.ui.patients.history_model import EncounterHistoryModel

NO_PATIENT_TEXT = "Select a patient to see their details and encounter history."
NO_HISTORY_TEXT = "No encounters recorded for this patient yet."
#: The payer profile every patient has unless one is chosen (payers.toml).
DEFAULT_PAYER = "none"


def payer_names() -> dict[str, str]:
    """Payer profile code → the name people read, in the rule book's order.

    When the rule book cannot be read, only the default profile is offered (saving a
    patient then reports the rule book's problem).
    """
    try:
        return {code: profile.name for code, profile in default_rules().payers.items()}
    except ClinicError:
        return {DEFAULT_PAYER: "No payer rules"}


def payer_label(code: str) -> str:
    """How a patient's payer profile reads; a code the rule book no longer has says so."""
    return payer_names().get(code) or f"{code} (not in the rule book)"


_PANEL_STYLE = """
QLabel#patientName { font-size: 15pt; font-weight: 600; }
QLabel#alerts { background: #fff3e0; color: #8a3b00; border: 1px solid #f0b27a;
                border-radius: 3px; padding: 4px 6px; }
QLabel#emptyState { color: palette(mid); padding: 12px; }
"""


class PatientPanel(QWidget):
    """Shows one patient: who they are, what to watch for, and what was done before.

    A pure view: the main window fetches the patient and their history and hands them
    over with :meth:`set_patient`.

    Signals:
        encounter_activated(int): a history row was double-clicked or Enter was pressed on
            it; the encounter's id.

    Attributes:
        history_model: the encounter rows shown.
        history_view: the table showing them.
    """

    encounter_activated = Signal(int)

    def __init__(
        self, parent: QWidget | None = None, *, today: Callable[[], date] = clock.today
    ) -> None:
        super().__init__(parent)
        self._today = today
        self.setStyleSheet(_PANEL_STYLE)
        self.setAccessibleName("Patient details")

        self._pages = QStackedWidget(self)
        self._placeholder = _empty_label(NO_PATIENT_TEXT, "No patient selected")
        self._pages.addWidget(self._placeholder)

        details = QWidget()
        self._name = QLabel(details)
        self._name.setObjectName("patientName")
        self._name.setTextFormat(Qt.TextFormat.PlainText)
        self._name.setWordWrap(True)
        self._name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._alerts = QLabel(details)
        self._alerts.setObjectName("alerts")
        self._alerts.setTextFormat(Qt.TextFormat.PlainText)
        self._alerts.setWordWrap(True)
        self._alerts.setAccessibleName("Clinical alerts")

        self._values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, caption in (
            ("mrn", "MRN"),
            ("born", "Date of birth"),
            ("sex", "Sex"),
            ("language", "Language"),
            ("phone", "Phone"),
            ("weight", "Weight"),
            ("payer", "Payer rules"),
            ("allergies", "Allergies"),
            ("notes", "Notes"),
        ):
            value = QLabel()
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(caption)
            self._values[key] = value
            form.addRow(f"{caption}:", value)

        self.history_model = EncounterHistoryModel(self)
        self.history_view = QTableView()
        self.history_view.setModel(self.history_model)
        self.history_view.setAccessibleName("Encounter history")
        self.history_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_view.setAlternatingRowColors(True)
        self.history_view.verticalHeader().hide()
        self.history_view.setToolTip("Double-click an encounter to open it")
        self.history_view.activated.connect(self.on_history_activated)
        header = self.history_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._no_history = _empty_label(NO_HISTORY_TEXT, "Encounter history")
        self._history_pages = QStackedWidget()
        self._history_pages.addWidget(self._no_history)
        self._history_pages.addWidget(self.history_view)

        history_box = QGroupBox("Encounter history")
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self._history_pages)

        layout = QVBoxLayout(details)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._name)
        layout.addWidget(self._alerts)
        layout.addLayout(form)
        layout.addWidget(history_box, 1)
        self._pages.addWidget(details)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 0, 0, 0)
        outer.addWidget(self._pages)
        self._patient: PatientView | None = None

    @property
    def patient(self) -> PatientView | None:
        """The patient shown, if any."""
        return self._patient

    def set_clinic_zone(self, zone: str) -> None:
        """The clinic's time zone name, for the history's dates."""
        self.history_model.set_zone(zone)

    def set_patient(
        self, patient: PatientView | None, history: Sequence[EncounterSummary] = ()
    ) -> None:
        """Show ``patient`` and their ``history`` (``None`` shows the empty state)."""
        self._patient = patient
        if patient is None:
            self.history_model.set_rows([])
            self._pages.setCurrentWidget(self._placeholder)
            return
        self._name.setText(patient.display_name)
        alerts = alerts_of(patient)
        self._alerts.setText(" · ".join(alerts))
        self._alerts.setVisible(bool(alerts))
        age = age_in_years(patient.date_of_birth, self._today())
        weight = "Not recorded"
        if patient.weight_kg is not None:
            weight = f"{patient.weight_kg} kg"
            if patient.weight_measured_on is not None:
                weight += f" (measured {patient.weight_measured_on.isoformat()})"
        values = {
            "mrn": patient.mrn,
            "born": f"{patient.date_of_birth.isoformat()} (age {age})",
            "sex": SEX_LABELS.get(patient.sex, str(patient.sex)),
            "language": LANGUAGE_LABELS.get(
                patient.preferred_language, str(patient.preferred_language)
            ),
            "phone": patient.phone or "—",
            "weight": weight,
            "payer": payer_label(patient.payer),
            "allergies": allergy_line(patient),
            "notes": patient.notes or "—",
        }
        for key, text in values.items():
            self._values[key].setText(text)
        self.history_model.set_rows(history)
        self._history_pages.setCurrentWidget(self.history_view if history else self._no_history)
        self._pages.setCurrentIndex(1)

    def update_patient(self, patient: PatientView, history: Sequence[EncounterSummary]) -> bool:
        """Fresh values of the patient shown (another workstation changed them), keeping the
        selected visit; False when nothing changed (nothing is touched)."""
        if patient == self._patient and list(history) == self.history_model.rows():
            return False
        state = ViewState.capture(self.history_view, EncounterHistoryModel.EncounterIdRole)
        self.set_patient(patient, history)
        state.restore(self.history_view, EncounterHistoryModel.EncounterIdRole)
        return True

    def on_history_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.encounter_activated.emit(int(index.data(EncounterHistoryModel.EncounterIdRole)))

    def summary_text(self, key: str) -> str:
        """The text shown for one summary line (``mrn``, ``born``, ``allergies``...)."""
        return self._values[key].text()

    def history_is_empty(self) -> bool:
        """True when the empty-state text is shown instead of the history table."""
        return self._history_pages.currentWidget() is self._no_history


def _empty_label(text: str, accessible_name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("emptyState")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    return label
