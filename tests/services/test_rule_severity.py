"""An administrator raises or lowers a rule for the clinic (within its floor) and edits the
standard typed reasons offered at signing (issue 12 §6). Both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.errors import ValidationError
from clinic_app.domain.rules import Severity, default_rules
from clinic_app.models import AuditEvent
from clinic_app.services.dto import EncounterInput
from tests.complete_documentation import complete_form
from tests.conftest import Services
from tests.services.test_completeness import SCREENING, clinic, rules_of, sites

APEX = "site.pneumothorax"  # the site is the right upper trapezius (lung apex): an INFO


def version(s: Services) -> int:
    return int(s.clinic.rule_settings().version)


def actions(db: sessionmaker[Session]) -> list[str]:
    with db() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_every_rule_is_listed_with_its_choices(services: Services) -> None:
    c = clinic(services)
    rows = {r.rule_id: r for r in c.s.clinic.rule_settings().rules}
    assert set(rows) == set(default_rules().rules)
    apex, dose = rows[APEX], rows["dose.anesthetic_max"]
    assert (apex.severity, apex.shipped, apex.choices) == (
        "info",
        "info",
        ("block", "warning", "info"),
    )
    assert (dose.choices, dose.changed) == (("block",), False)
    assert (
        rows["site.bilateral_chest_wall"].picks
        == default_rules().reasons["site.bilateral_chest_wall"]
    )


def test_a_raised_apex_note_needs_a_reason_and_a_pick_is_one(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = clinic(services)
    enc = c.s.encounters.create(c.patient_id, c.admin_id)
    form = complete_form(EncounterInput(screening=SCREENING))
    assert rules_of(c, enc.id, form, sites(c))[APEX].severity is Severity.INFO
    settings = c.s.clinic.set_rule_override(
        APEX, "Clinic policy after an incident", expected_version=version(c.s), severity="warning"
    )
    row = next(r for r in settings.rules if r.rule_id == APEX)
    assert (row.severity, row.changed, row.lowered, row.by) == ("warning", True, False, "doc")
    assert actions(db)[-1] == "clinic.rule_raise"
    finding = rules_of(c, enc.id, form, sites(c))[APEX]
    assert (finding.severity, finding.needs_reason) == (Severity.WARNING, True)
    assert "Raised to a warning by the clinic: Clinic policy after an incident" in finding.message
    assert finding.picks == default_rules().reasons[APEX]
    with pytest.raises(ValidationError, match="Type a reason"):
        c.s.checks.sign(enc.id, c.s.encounters.get(enc.id).version, form, sites(c), {})
    pick = finding.picks[0]
    view = c.s.encounters.get(enc.id)
    signed = c.s.checks.sign(enc.id, view.version, form, sites(c), {APEX: pick})
    assert (APEX, finding.message, pick) in signed.overrides


def test_a_raised_block_refuses_and_a_restore_brings_the_note_back(services: Services) -> None:
    c = clinic(services)
    enc = c.s.encounters.create(c.patient_id, c.admin_id)
    form = complete_form(EncounterInput(screening=SCREENING))
    raised = c.s.clinic.set_rule_override(
        APEX, "No apex needling here", expected_version=version(c.s), severity="block"
    )
    finding = rules_of(c, enc.id, form, sites(c))[APEX]
    assert (finding.severity, finding.needs_reason) == (Severity.BLOCK, False)
    c.s.clinic.set_rule_override(APEX, None, expected_version=raised.version)
    assert rules_of(c, enc.id, form, sites(c))[APEX].severity is Severity.INFO


@pytest.mark.parametrize(
    ("rule", "severity", "field", "words"),
    [("dose.anesthetic_max", "warning", "rule_id", "cannot be lowered by a clinic below block"),
     ("site.bilateral_chest_wall", "info", "rule_id", "below warning"),
     ("site.pneumothorax", "info", "severity", "restore it instead"),
     ("site.pneumothorax", "fatal", "severity", "is not a severity")],
)  # fmt: skip
def test_never_below_the_floor(
    services: Services, rule: str, severity: str, field: str, words: str
) -> None:
    c = clinic(services)
    with pytest.raises(ValidationError) as refused:
        c.s.clinic.set_rule_override(
            rule, "alert fatigue", expected_version=version(c.s), severity=severity
        )
    assert (refused.value.field, words in refused.value.message) == (field, True)
    assert not any(r.changed for r in c.s.clinic.rule_settings().rules)


def test_a_warning_lowered_to_a_note_needs_no_reason(services: Services) -> None:
    c = clinic(services)
    c.s.clinic.set_rule_override(
        "icd10.unknown", "Our coder checks", expected_version=version(c.s), severity="info"
    )
    enc = c.s.encounters.create(c.patient_id, c.admin_id)
    form = complete_form(EncounterInput(screening=SCREENING, icd10_codes=("M79.99",)))
    finding = rules_of(c, enc.id, form, sites(c))["icd10.unknown"]
    assert (finding.severity, finding.needs_reason, finding.picks) == (Severity.INFO, False, ())


def test_the_clinic_edits_the_standard_reasons(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = clinic(services)
    raised = c.s.clinic.set_rule_override(
        APEX, "policy", expected_version=version(c.s), severity="warning"
    )
    edited = c.s.clinic.set_rule_reasons(
        APEX, [" Ultrasound-guided ", "", "Ultrasound-guided", "Pincer grasp"],
        expected_version=raised.version,
    )  # fmt: skip
    row = next(r for r in edited.rules if r.rule_id == APEX)
    assert (row.picks, row.custom_picks, row.severity) == (
        ("Ultrasound-guided", "Pincer grasp"), True, "warning"
    )  # fmt: skip
    assert actions(db)[-1] == "clinic.rule_reasons"
    enc = c.s.encounters.create(c.patient_id, c.admin_id)
    form = complete_form(EncounterInput(screening=SCREENING))
    assert rules_of(c, enc.id, form, sites(c))[APEX].picks == ("Ultrasound-guided", "Pincer grasp")
    restored = c.s.clinic.set_rule_override(APEX, None, expected_version=edited.version)
    row = next(r for r in restored.rules if r.rule_id == APEX)
    assert (row.severity, row.custom_picks) == ("info", True)  # the picks stay the clinic's
    shipped = c.s.clinic.set_rule_reasons(APEX, None, expected_version=restored.version)
    row = next(r for r in shipped.rules if r.rule_id == APEX)
    assert (row.picks, row.custom_picks) == (default_rules().reasons[APEX], False)


@pytest.mark.parametrize(
    ("picks", "words"),
    [("one text", "must be a list"), (["x" * 301], "longer than 300"),
     ([f"reason {n}" for n in range(13)], "at most 12")],
)  # fmt: skip
def test_bad_reason_lists_are_refused(services: Services, picks: object, words: str) -> None:
    c = clinic(services)
    with pytest.raises(ValidationError, match=words):
        c.s.clinic.set_rule_reasons(APEX, picks, expected_version=version(c.s))  # type: ignore[arg-type]
    assert not any(r.custom_picks for r in c.s.clinic.rule_settings().rules)
