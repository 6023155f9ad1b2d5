"""The patient panel and the encounter header show the same clinical alerts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from PySide6.QtWidgets import QLabel

from clinic_app.domain.enums import EncounterStatus, Language, Sex
from clinic_app.services.dto import EncounterInput, EncounterView, PatientView
from clinic_app.ui.encounter.parts import EncounterHeader
from clinic_app.ui.patients.panel import PatientPanel


def patient(**flags: bool) -> PatientView:
    values = {"anticoagulant": False, "diabetes": False, "pregnant_or_breastfeeding": False}
    values.update(flags)
    return PatientView(
        1, "M1", "Rosa", "Diaz", date(1980, 5, 1), Sex.FEMALE, Decimal("60"), None,
        Language.SPANISH, "", "", notes="", voided=False, **values,
    )  # fmt: skip


ENCOUNTER = EncounterView(
    1, 1, 1, "Ana Ruiz", datetime(2026, 1, 5, 10, tzinfo=UTC), EncounterStatus.DRAFT, 0,
    EncounterInput(), (),
)  # fmt: skip


def shown(qtbot, view: PatientView) -> tuple[str, str]:
    panel = PatientPanel(today=lambda: date(2026, 1, 5))
    qtbot.addWidget(panel)
    panel.set_patient(view)
    header = EncounterHeader(view, ENCOUNTER, today=lambda: date(2026, 1, 5))
    qtbot.addWidget(header)
    texts = []
    for widget in (panel, header):
        label = widget.findChild(QLabel, "alerts")
        assert label is not None
        texts.append(label.text() if not label.isHidden() else "")
    return texts[0], texts[1]


def test_both_views_show_the_same_alerts(qtbot) -> None:
    every = patient(anticoagulant=True, diabetes=True, pregnant_or_breastfeeding=True)
    text = "Anticoagulant / antiplatelet · Diabetes · Pregnant or breastfeeding"
    assert shown(qtbot, every) == (text, text)
    assert shown(qtbot, patient(diabetes=True)) == ("Diabetes", "Diabetes")


def test_no_alert_hides_the_label_in_both(qtbot) -> None:
    assert shown(qtbot, patient()) == ("", "")
