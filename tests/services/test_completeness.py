"""Signing needs complete documentation; a clinic may lower a completeness rule; relief rule.

Real databases (SQLite and PostgreSQL): the facts come from what the services store.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest

from clinic_app.domain import clock
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import EncounterStatus, Role, Side
from clinic_app.domain.errors import PermissionDenied, ValidationError
from clinic_app.domain.rules import Severity
from clinic_app.services.dto import (
    DoseInput,
    EncounterInput,
    NewUser,
    SiteDraft,
    SiteInput,
)
from tests.complete_documentation import complete_form
from tests.conftest import Services
from tests.factories import medication_ids, register_patient, set_up_clinic

SCREENING = {
    "allergies_reviewed": {"answer": True, "note": ""},
    "infection": {"answer": False, "note": ""},
    "anticoagulant": {"answer": False, "note": ""},
    "pregnancy": {"answer": False, "note": ""},
}


@dataclasses.dataclass
class Clinic:
    s: Services
    admin_id: int
    patient_id: int
    lido: int


def clinic(services: Services, payer: str = "none") -> Clinic:
    admin = set_up_clinic(services, "Complete clinic", username="doc", display_name="Dana Doc")
    patient = register_patient(
        services, "K1", "Kim", "Complete", date(1960, 5, 5), weight_kg="70", payer=payer
    )
    return Clinic(services, admin.id, patient.id, medication_ids(services)["lidocaine_1"])


def sites(c: Clinic, lot_id: int | None = None, reason: str = "") -> list[SiteDraft]:
    site = SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, 0.5, 0.3)
    return [SiteDraft(site, (DoseInput(c.lido, "1", lot_id, reason),))]


def rules_of(c: Clinic, encounter_id: int, form: EncounterInput, drafts: list[SiteDraft]) -> dict:
    result = c.s.checks.assess_draft(encounter_id, form, drafts)
    return {f.rule: f for f in result.findings}


def test_an_empty_note_is_refused_and_names_every_missing_element(services: Services) -> None:
    c = clinic(services)
    enc = c.s.encounters.create(c.patient_id, c.admin_id)
    form = EncounterInput(screening=SCREENING)
    found = rules_of(c, enc.id, form, sites(c))
    missing = {r for r in found if r.startswith("documentation.")}
    assert missing == {
        "documentation.consent",
        "documentation.time_out",
        "documentation.skin_prep",
        "documentation.pain_before",
        "documentation.pain_after",
        "documentation.indication",
        "documentation.needle_intact",
        "documentation.disposition",
    }  # no lot rule: this clinic keeps no lots of lidocaine yet
    assert found["documentation.consent"].target == "consent"
    with pytest.raises(ValidationError) as refused:
        c.s.checks.sign(enc.id, enc.version, form, sites(c), {})
    assert "Consent is not recorded" in refused.value.message
    assert "Disposition is not recorded" in refused.value.message
    assert c.s.encounters.get(enc.id).status is EncounterStatus.DRAFT


def test_a_complete_note_signs(services: Services) -> None:
    c = clinic(services)
    enc = c.s.encounters.create(c.patient_id, c.admin_id)
    form = complete_form(EncounterInput(screening=SCREENING))
    assert not [r for r in rules_of(c, enc.id, form, sites(c)) if r.startswith("documentation.")]
    signed = c.s.checks.sign(enc.id, enc.version, form, sites(c), {})
    assert signed.status is EncounterStatus.SIGNED


def test_pain_after_may_be_replaced_by_a_reason(services: Services) -> None:
    c = clinic(services)
    enc = c.s.encounters.create(c.patient_id, c.admin_id)
    form = complete_form(EncounterInput(screening=SCREENING), pain_after=None)
    assert "documentation.pain_after" in rules_of(c, enc.id, form, sites(c))
    form = dataclasses.replace(form, pain_after_reason="Left before rescoring (ride waiting)")
    signed = c.s.checks.sign(enc.id, enc.version, form, sites(c), {})
    assert signed.form.pain_after_reason.startswith("Left before")


def test_a_product_with_lots_needs_its_lot_or_a_typed_reason(services: Services) -> None:
    c = clinic(services)
    lot = c.s.clinic.add_lot(c.lido, "L-55", clock.today() + timedelta(days=200))
    enc = c.s.encounters.create(c.patient_id, c.admin_id)
    form = complete_form(EncounterInput(screening=SCREENING))
    missing = rules_of(c, enc.id, form, sites(c))["documentation.lot"]
    assert (missing.sites, missing.target, missing.severity) == ((1,), "lot", Severity.BLOCK)
    with pytest.raises(ValidationError, match="no lot recorded for Lidocaine 1%"):
        c.s.checks.sign(enc.id, enc.version, form, sites(c), {})
    assert "documentation.lot" not in rules_of(c, enc.id, form, sites(c, lot.id))
    reason = "Vial label torn; pharmacy asked"
    view = c.s.encounters.get(enc.id)
    signed = c.s.checks.sign(enc.id, view.version, form, sites(c, None, reason), {})
    assert signed.sites[0].doses[0].lot_missing_reason == reason


# ---------------------------------------------------------------- the clinic lowers a rule


def settings_version(c: Clinic) -> int:
    """The clinic profile's version, as the settings dialog reads it with the checks."""
    return int(c.s.clinic.rule_settings().version)


def test_a_lowered_rule_warns_and_needs_a_typed_reason_at_signing(services: Services) -> None:
    c = clinic(services)
    settings = c.s.clinic.set_rule_override(
        "documentation.time_out", "Solo practice", expected_version=settings_version(c)
    )
    row = next(r for r in settings.rules if r.rule_id == "documentation.time_out")
    assert (row.severity, row.reason, row.by, row.lowered) == (
        "warning",
        "Solo practice",
        "doc",
        True,
    )
    assert datetime.fromisoformat(row.at).tzinfo is not None
    enc = c.s.encounters.create(c.patient_id, c.admin_id)
    form = complete_form(EncounterInput(screening=SCREENING), time_out_done=False)
    finding = rules_of(c, enc.id, form, sites(c))["documentation.time_out"]
    assert (finding.severity, finding.needs_reason) == (Severity.WARNING, True)
    assert "Solo practice" in finding.message
    with pytest.raises(ValidationError, match="Type a reason"):
        c.s.checks.sign(enc.id, enc.version, form, sites(c), {})
    view = c.s.encounters.get(enc.id)
    reasons = {"documentation.time_out": "Confirmed site with the patient aloud"}
    signed = c.s.checks.sign(enc.id, view.version, form, sites(c), reasons)
    assert ("documentation.time_out", finding.message, reasons["documentation.time_out"]) in (
        signed.overrides
    )


def test_restoring_a_rule_makes_it_block_again(services: Services) -> None:
    c = clinic(services)
    lowered = c.s.clinic.set_rule_override(
        "documentation.consent", "Consent on paper", expected_version=settings_version(c)
    )
    settings = c.s.clinic.set_rule_override(
        "documentation.consent", None, expected_version=lowered.version
    )
    assert settings.version == lowered.version + 1
    row = next(r for r in settings.rules if r.rule_id == "documentation.consent")
    assert (row.severity, row.reason, row.lowered) == ("block", "", False)
    enc = c.s.encounters.create(c.patient_id, c.admin_id)
    form = complete_form(EncounterInput(screening=SCREENING), consent_obtained=False)
    assert rules_of(c, enc.id, form, sites(c))["documentation.consent"].severity is Severity.BLOCK


@pytest.mark.parametrize(
    ("rule", "reason", "field", "words"),
    [("icd10.invalid", "we disagree", "rule_id", "cannot be lowered"),
     ("nonsense.rule", "why not", "rule_id", "cannot be lowered"),
     ("documentation.lot", "   ", "reason", "Type why")],
)  # fmt: skip
def test_lowering_is_refused_for_other_rules_and_without_a_reason(
    services: Services, rule: str, reason: str, field: str, words: str
) -> None:
    c = clinic(services)
    with pytest.raises(ValidationError) as refused:
        c.s.clinic.set_rule_override(rule, reason, expected_version=settings_version(c))
    assert refused.value.field == field
    assert words in refused.value.message
    assert all(not r.lowered for r in c.s.clinic.rule_settings().rules)


def test_only_an_administrator_lowers_a_rule(services: Services) -> None:
    c = clinic(services)
    c.s.users.create_user(
        NewUser("pat", "Pat Provider", "correct horse battery", frozenset({Role.PROVIDER}), "DO")
    )
    c.s.clinic.authenticate("pat", "correct horse battery")
    with pytest.raises(PermissionDenied, match=r"provider.*change how a check is enforced"):
        c.s.clinic.set_rule_override(
            "documentation.consent", "Consent on paper", expected_version=1
        )
    assert all(not r.lowered for r in c.s.clinic.rule_settings().rules)


# ---------------------------------------------------------------- relief between visits


@pytest.mark.parametrize(
    ("percent", "weeks", "warns"),
    [(60, 6, None), (30, 6, "30% relief"), (60, None, "no relief duration reported")],
)
def test_medicare_repeat_uses_the_relief_reported_at_this_visit(
    services: Services, percent: int, weeks: int | None, warns: str | None
) -> None:
    c = clinic(services, payer="medicare")
    earlier = c.s.encounters.create(c.patient_id, c.admin_id, clock.now() - timedelta(days=60))
    form = complete_form(EncounterInput(screening=SCREENING))
    c.s.checks.sign(earlier.id, earlier.version, form, sites(c), {})
    enc = c.s.encounters.create(c.patient_id, c.admin_id)
    today = dataclasses.replace(form, prior_relief_percent=percent, prior_relief_weeks=weeks)
    found = rules_of(c, enc.id, today, sites(c))
    if warns is None:
        assert "interval.relief" not in found
        c.s.checks.sign(enc.id, enc.version, today, sites(c), {})
        return
    assert warns in found["interval.relief"].message
    assert found["interval.relief"].needs_reason


def test_relief_stored_at_a_later_visit_describes_the_session_before_it(
    services: Services,
) -> None:
    c = clinic(services, payer="medicare")
    form = complete_form(EncounterInput(screening=SCREENING))
    first = c.s.encounters.create(c.patient_id, c.admin_id, clock.now() - timedelta(days=90))
    c.s.encounters.save_draft(first.id, first.version, form, sites(c))
    # 45 days ago: another muscle only; this visit reports the first session's relief.
    second = c.s.encounters.create(c.patient_id, c.admin_id, clock.now() - timedelta(days=45))
    gluteus = [SiteDraft(SiteInput("gluteus_medius", Side.LEFT, View.POSTERIOR, 0.5, 0.5))]
    reported = dataclasses.replace(form, prior_relief_percent=70, prior_relief_weeks=8)
    c.s.encounters.save_draft(second.id, second.version, reported, gluteus)
    enc = c.s.encounters.create(c.patient_id, c.admin_id)
    # Today's report is about the gluteus session and does not matter for the trapezius.
    today = dataclasses.replace(form, prior_relief_percent=5, prior_relief_weeks=1)
    assert "interval.relief" not in rules_of(c, enc.id, today, sites(c))
