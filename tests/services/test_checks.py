"""Live checks and signing, gathered from a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from clinic_app.domain import clock
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import EncounterStatus, Role, Side, Technique
from clinic_app.domain.errors import ConflictError, PermissionDenied, ValidationError
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


@dataclass
class Ready:
    s: Services
    patient_id: int
    provider_id: int
    meds: dict[str, int]


def make(services: Services, **patient: object) -> Ready:
    admin = set_up_clinic(services, "Checks clinic", username="doc", display_name="Dana Doc")
    values: dict[str, object] = {"weight_kg": "72", "allergies": ""}
    values.update(patient)
    p = register_patient(services, "C1", "Ana", "Check", date(1970, 1, 1), **values)
    return Ready(services, p.id, admin.id, medication_ids(services))


def draft(
    muscle: str,
    side: Side,
    doses: tuple[DoseInput, ...] = (),
    technique: Technique = Technique.INJECTION,
) -> SiteDraft:
    return SiteDraft(SiteInput(muscle, side, View.POSTERIOR, 0.5, 0.3, technique=technique), doses)


SCREENED = complete_form(
    EncounterInput(
        icd10_codes=("M79.18",),
        screening={
            "allergies_reviewed": {"answer": True, "note": ""},
            "infection": {"answer": False, "note": ""},
            "anticoagulant": {"answer": False, "note": ""},
            "pregnancy": {"answer": False, "note": ""},
        },
    )
)


def test_a_lidocaine_dose_over_the_limit_is_named_and_blocks_signing(services: Services) -> None:
    r = make(services)
    enc = r.s.encounters.create(r.patient_id, r.provider_id)
    # 2% lidocaine = 20 mg/mL; 16 mL = 320 mg, above min(72 × 4.5 = 324, 300) = 300 mg.
    sites = [
        draft("trapezius_upper", Side.RIGHT, (DoseInput(r.meds["lidocaine_2"], "8"),)),
        draft("trapezius_upper", Side.LEFT, (DoseInput(r.meds["lidocaine_2"], "8"),)),
    ]
    result = r.s.checks.assess_draft(enc.id, SCREENED, sites)
    blocks = [f for f in result.findings if f.severity is Severity.BLOCK]
    assert any("320 mg" in f.message and "300 mg" in f.message for f in blocks), blocks
    assert not result.can_sign
    with pytest.raises(ValidationError, match="320 mg"):
        r.s.checks.sign(enc.id, enc.version, SCREENED, sites, {})
    again = r.s.encounters.get(enc.id)
    assert again.status is EncounterStatus.DRAFT
    assert len(again.sites) == 2  # the content was saved even though signing was refused


def test_an_allergy_to_a_drug_in_the_mix_blocks(services: Services) -> None:
    r = make(services, allergies="Lidocaine (rash)")
    enc = r.s.encounters.create(r.patient_id, r.provider_id)
    sites = [draft("rhomboids", Side.LEFT, (DoseInput(r.meds["lidocaine_1"], "1"),))]
    result = r.s.checks.assess_draft(enc.id, SCREENED, sites)
    assert any(f.rule == "screening.allergy" for f in result.blocks)


def test_a_warning_needs_a_typed_reason_which_lands_in_the_note(services: Services) -> None:
    r = make(services, anticoagulant=True)
    enc = r.s.encounters.create(r.patient_id, r.provider_id)
    sites = [draft("gluteus_medius", Side.RIGHT, (DoseInput(r.meds["lidocaine_1"], "1"),))]
    result = r.s.checks.assess_draft(enc.id, SCREENED, sites)
    needed = [f.rule for f in result.reasons_needed]
    assert "screening.anticoagulant" in needed
    with pytest.raises(ValidationError, match="Type a reason"):
        r.s.checks.sign(enc.id, enc.version, SCREENED, sites, {})
    current = r.s.encounters.get(enc.id)
    reasons = dict.fromkeys(needed, "INR 2.1 checked today; small-gauge needle, pressure held")
    signed = r.s.checks.sign(enc.id, current.version, SCREENED, sites, reasons)
    assert signed.status is EncounterStatus.SIGNED
    assert signed.signed_by_id == r.provider_id
    assert signed.signed_at is not None
    assert "screening.anticoagulant" in {o[0] for o in signed.overrides}
    assert all(o[2].startswith("INR 2.1") for o in signed.overrides)
    with pytest.raises(ConflictError, match="signed"):
        r.s.encounters.save_draft(enc.id, signed.version, SCREENED, sites)


def test_history_feeds_the_interval_and_steroid_rules(services: Services) -> None:
    r = make(services, payer="medicare", diabetes=True)
    tri = r.meds["triamcinolone_40"]
    for days_ago in (80, 50, 20):
        past = r.s.encounters.create(
            r.patient_id, r.provider_id, clock.now() - timedelta(days=days_ago)
        )
        r.s.encounters.save_draft(
            past.id,
            past.version,
            SCREENED,
            [draft("trapezius_upper", Side.RIGHT, (DoseInput(tri, "0.75"),))],
        )  # 30 mg each
    enc = r.s.encounters.create(r.patient_id, r.provider_id)
    sites = [draft("trapezius_upper", Side.RIGHT, (DoseInput(tri, "0.25"),))]
    result = r.s.checks.assess_draft(enc.id, SCREENED, sites)
    rules = {f.rule for f in result.findings}
    assert "interval.same_site" in rules  # 20 days ago, same muscle and side
    assert "interval.sessions_per_year" in rules  # the 4th session in 12 months (Medicare)
    assert "steroid.window" in rules  # 30 × 3 + 10 = 100 mg > 80 mg in 90 days
    assert "steroid.diabetes" in rules
    assert result.coding.hcpcs[0].code == "J3301"
    assert result.coding.hcpcs[0].units == 1


def test_coding_summary_counts_billing_muscles(services: Services) -> None:
    r = make(services)
    enc = r.s.encounters.create(r.patient_id, r.provider_id)
    lido = (DoseInput(r.meds["lidocaine_1"], "1"),)
    sites = [
        draft("trapezius_upper", Side.RIGHT, lido),
        draft("trapezius_middle", Side.RIGHT, lido),
        draft("rhomboids", Side.RIGHT, lido),
    ]
    result = r.s.checks.assess_draft(enc.id, SCREENED, sites)
    assert [c.code for c in result.coding.cpt] == ["20552"]  # trapezius counts once: 2 muscles
    sites.append(draft("infraspinatus", Side.LEFT, lido))
    result = r.s.checks.assess_draft(enc.id, SCREENED, sites)
    assert [c.code for c in result.coding.cpt] == ["20553"]
    assert result.totals[0].total == Decimal("40")


def test_only_a_provider_can_sign(services: Services) -> None:
    r = make(services)
    r.s.users.create_user(
        NewUser("desk", "Fran Desk", "front desk pass", frozenset({Role.FRONT_DESK}))
    )
    enc = r.s.encounters.create(r.patient_id, r.provider_id)
    r.s.clinic.authenticate("desk", "front desk pass")
    with pytest.raises(PermissionDenied, match=r"front desk.*sign a procedure note"):
        r.s.checks.sign(enc.id, enc.version, SCREENED, [], {})
