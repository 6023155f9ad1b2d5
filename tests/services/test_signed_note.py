"""What was signed is what the note prints: the snapshot, its seal, and the live parts after it
(issue 8 §2 and §8), on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.catalog import View
from clinic_app.domain.clock import format_clinic_time
from clinic_app.domain.enums import (
    Aspiration,
    EncounterStatus,
    Language,
    Side,
    SkinPrep,
    Technique,
    Tolerance,
    TwitchResponse,
)
from clinic_app.models import Addendum, Encounter
from clinic_app.reports.note_sections import ALTERED
from clinic_app.services.documents import DocumentService
from clinic_app.services.dto import (
    ClinicProfileData,
    DoseInput,
    EncounterInput,
    SiteDraft,
    SiteInput,
)
from clinic_app.services.notes import NoteService
from clinic_app.services.snapshot import FORMAT
from tests.conftest import Services
from tests.factories import medication_ids, register_patient, set_up_clinic

NPI = "1234567893"
ZONE = "America/Chicago"
FORM = EncounterInput(
    indication="Myofascial pain of the neck and upper back",
    icd10_codes=("M79.18",),
    screening={
        "allergies_reviewed": {"answer": True, "note": ""},
        "infection": {"answer": False, "note": ""},
        "anticoagulant": {"answer": True, "note": "apixaban"},
        "pregnancy": {"answer": False, "note": ""},
    },
    consent_obtained=True,
    time_out_done=True,
    skin_prep=SkinPrep.CHLORHEXIDINE,
    pain_before=7,
    pain_after=2,
    tolerance=Tolerance.WELL,
    needle_intact=True,
    disposition="Home, stable",
    follow_up_plan="Review in 3 weeks.",
    conservative_treatment="Physical therapy 8 weeks; home stretching; naproxen",
    prior_relief_percent=60,
    prior_relief_weeks=7,
)
REASON = "Apixaban held 48 h per cardiology; pressure held 5 minutes at each site"


@dataclass
class Signed:
    notes: NoteService
    documents: DocumentService
    encounter_id: int
    patient_id: int
    admin_id: int


def _site(code: str, side: Side, **findings: Any) -> SiteInput:
    return SiteInput(
        code,
        side,
        View.POSTERIOR,
        0.5,
        0.3,
        technique=Technique.INJECTION,
        needle_gauge=27,
        needle_length_in="1.25",
        twitch_response=TwitchResponse.LOCAL,
        aspiration=Aspiration.NEGATIVE,
        **findings,
    )


def sign_visit(
    services: Services,
    db: sessionmaker[Session],
    before_signing: Callable[[int], object] | None = None,
) -> Signed:
    """A two-site visit on 2025-03-04 for a patient weighing 80 kg (measured 2025-03-01);
    ``before_signing(encounter_id)`` runs on the saved draft just before it is signed."""
    admin = set_up_clinic(
        services,
        ClinicProfileData(
            name="Riverside Pain Clinic",
            address="12 River Road\nSpringfield, IL 62701",
            phone="(555) 010-2000",
            timezone=ZONE,
        ),
        username="ana",
        npi=NPI,
    )
    patient = register_patient(
        services,
        "N-7",
        "Łukasz",
        "Nguyễn",
        date(1961, 7, 14),
        today=date(2025, 3, 4),
        weight_kg="80",
        weight_measured_on=date(2025, 3, 1),
        allergies="Penicillin (rash)",
        anticoagulant=True,
    )
    meds = medication_ids(services)
    lot = services.clinic.add_lot(meds["lidocaine_1"], "LD-2291", date(2099, 5, 31))
    sites = [
        SiteDraft(
            _site("trapezius_upper", Side.RIGHT, taut_band=True, jump_sign=True),
            (DoseInput(meds["lidocaine_1"], "3", lot.id),),
        ),
        SiteDraft(
            _site("rhomboids", Side.LEFT, taut_band=True, referred_pain_reproduced=False),
            (DoseInput(meds["lidocaine_1"], "2", lot.id),),
        ),
    ]
    enc = services.encounters.create(
        patient.id, admin.id, performed_at=datetime(2025, 3, 4, 15, 30, tzinfo=UTC)
    )
    saved = services.encounters.save_draft(enc.id, enc.version, FORM, sites)
    if before_signing is not None:
        before_signing(enc.id)
    needed = services.checks.assess_saved(enc.id).reasons_needed
    assert needed, "the anticoagulant warning should need a reason"
    services.checks.sign(enc.id, saved.version, FORM, sites, {f.rule: REASON for f in needed})
    return Signed(services.notes, services.documents, enc.id, patient.id, admin.id)


def stored(db: sessionmaker[Session], encounter_id: int) -> tuple[dict[str, Any], str]:
    with db() as session:
        row = session.execute(
            select(Encounter.signed_snapshot, Encounter.signed_digest).where(
                Encounter.id == encounter_id
            )
        ).one()
    assert row.signed_snapshot is not None
    assert row.signed_digest is not None
    return dict(row.signed_snapshot), row.signed_digest


def tamper(
    db: sessionmaker[Session],
    encounter_id: int,
    snapshot: dict[str, Any] | None,
    **columns: object,
) -> None:
    """Overwrite the stored snapshot behind the app's back, as someone with database access.

    The frozen-record triggers (migration 0005) refuse any UPDATE of a signed encounter; a
    person with owner rights can get past them, and so does this: on PostgreSQL by disabling
    the table's user triggers inside the test's own (rolled-back) transaction, on SQLite by
    dropping them from this test's copy of the database. Without such triggers both are
    no-ops.
    """
    with db.begin() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        if postgres:
            session.execute(text("ALTER TABLE encounter DISABLE TRIGGER USER"))
        else:
            names = session.scalars(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).all()
            for name in names:
                session.execute(text(f'DROP TRIGGER "{name}"'))
        session.execute(
            update(Encounter.__table__)
            .where(Encounter.__table__.c.id == encounter_id)
            .values(signed_snapshot=snapshot, **columns)
        )
        if postgres:
            session.execute(text("ALTER TABLE encounter ENABLE TRIGGER USER"))


def text_of(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in pages))


def test_signing_stores_a_versioned_snapshot_and_the_sha256_of_its_canonical_form(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    snap, digest = stored(db, s.encounter_id)
    canonical = json.dumps(snap, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert digest == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert services.encounters.get(s.encounter_id).signed_digest == digest
    assert snap["format"] == FORMAT == 1
    assert snap["patient"]["weight_kg"] == "80"
    assert snap["patient"]["weight_measured_on"] == "2025-03-01"
    assert snap["patient"]["family_name"] == "Nguyễn"
    assert snap["patient"]["anticoagulant"] is True
    assert snap["clinic"] == {
        "name": "Riverside Pain Clinic",
        "address": "12 River Road\nSpringfield, IL 62701",
        "phone": "(555) 010-2000",
        "timezone": ZONE,
    }
    assert snap["provider"]["npi"] == NPI
    assert snap["signed_by"]["name"] == "Ana Ruiz"
    assert snap["signed_at"]
    assert snap["performed_at"].startswith("2025-03-04T15:30")
    assert snap["form"]["screening"]["anticoagulant"] == {"answer": True, "note": "apixaban"}
    assert snap["form"]["prior_relief_weeks"] == 7
    first, second = snap["sites"]
    assert (first["muscle_code"], first["side"], first["taut_band"]) == (
        "trapezius_upper",
        "right",
        True,
    )
    assert second["referred_pain_reproduced"] is False
    dose = first["doses"][0]
    assert (dose["volume_ml"], dose["dose"], dose["dose_unit"]) == ("3", "30", "mg")
    assert (dose["lot_number"], dose["lot_expires_on"]) == ("LD-2291", "2099-05-31")
    assert {o["reason"] for o in snap["overrides"]} == {REASON}
    assert any(o["rule"].startswith("screening.anticoagulant") for o in snap["overrides"])
    assert any(f["needs_reason"] and f["source"] for f in snap["findings"])
    lidocaine = next(t for t in snap["totals"] if t["generic"] == "lidocaine")
    # 4.5 mg/kg × 80 kg = 360 mg, capped at the label's 300 mg.
    assert (lidocaine["total"], lidocaine["limit"]) == ("50", "300")
    assert snap["codes"]["cpt"][0]["code"] == "20552"
    assert Decimal(snap["patient"]["weight_kg"]) == Decimal("80")


def test_the_note_of_a_signed_visit_keeps_the_weight_as_of_the_visit(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    patient = services.patients.get(s.patient_id)
    services.patients.update(
        s.patient_id,
        replace(patient.to_input(), weight_kg="95", weight_measured_on=date(2026, 1, 10)),
        today=date(2026, 1, 10),
        expected_version=patient.version,
    )
    data = s.notes.note_data(s.encounter_id)
    assert data.weight == "80 kg (measured 2025-03-01)"
    assert data.seal is not None
    assert data.seal.intact
    pdf_text = text_of(s.notes.render_note(s.encounter_id))
    assert "80 kg (measured 2025-03-01)" in pdf_text
    assert "95 kg" not in pdf_text
    assert "2026-01-10" not in pdf_text
    assert f"Signed content seal SHA-256 {data.seal.digest[:16]}…" in pdf_text
    assert f"Content seal SHA-256 {data.seal.digest}" in pdf_text
    assert "DRAFT" not in pdf_text
    assert "ALTERED" not in pdf_text
    # A new draft for the same patient prints today's record, with the DRAFT mark.
    draft = services.encounters.create(s.patient_id, s.admin_id)
    draft_data = s.notes.note_data(draft.id)
    assert draft_data.weight == "95 kg (measured 2026-01-10)"
    assert draft_data.seal is None
    assert not draft_data.signed
    assert "DRAFT" in text_of(s.notes.render_note(draft.id))


def test_the_signed_note_prints_findings_totals_npi_address_and_clinic_local_times(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    data = s.notes.note_data(s.encounter_id)
    assert data.timezone == ZONE
    assert [(x.taut_band, x.jump_sign, x.referred_pain) for x in data.sites] == [
        ("Yes", "Yes", "Not recorded"),
        ("Yes", "Not recorded", "No"),
    ]
    pdf_text = text_of(s.notes.render_note(s.encounter_id))
    assert "Provider Ana Ruiz, MD · NPI 1234567893" in pdf_text
    assert "12 River Road Springfield, IL 62701" in pdf_text
    assert "Lidocaine 50 mg 300 mg 17%" in pdf_text
    assert "Physical therapy 8 weeks; home stretching; naproxen" in pdf_text
    assert "60% relief, lasting 7 weeks" in pdf_text
    # 15:30 UTC on 2025-03-04 is 09:30 in Chicago (CST).
    assert "Date / time 2025-03-04 09:30 CST" in pdf_text
    assert data.signed_at is not None
    assert f"Signed at {format_clinic_time(data.signed_at, ZONE)}" in pdf_text
    assert f"Reason: {REASON}" in pdf_text
    assert "Source:" in pdf_text


def test_addenda_and_handout_prints_are_live_and_print_below_the_signed_content(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    before = stored(db, s.encounter_id)
    assert "Given Not printed yet." in text_of(s.notes.render_note(s.encounter_id))
    record = s.documents.record_print(s.encounter_id, Language.SPANISH, copies=2)
    with db.begin() as session:
        session.add(
            Addendum(
                encounter_id=s.encounter_id,
                author_id=s.admin_id,
                text="Phoned the next day: <no> bruising & fine.",
            )
        )
    data = s.notes.note_data(s.encounter_id)
    assert data.seal is not None
    assert data.seal.intact
    assert [(p.language, p.copies) for p in data.handout_prints] == [("Spanish", 2)]
    pdf_text = text_of(s.notes.render_note(s.encounter_id))
    given = f"Given Spanish, {format_clinic_time(record.printed_at, ZONE)}, by Ana Ruiz, MD"
    assert given in pdf_text
    seal = pdf_text.index("Content seal SHA-256")
    after = pdf_text.index("Added after signing")
    assert seal < after < pdf_text.index(given) < pdf_text.index("Phoned the next day")
    assert "Phoned the next day: <no> bruising & fine." in pdf_text
    assert stored(db, s.encounter_id) == before  # the live parts never touch the seal


def test_a_tampered_snapshot_prints_altered_instead_of_the_seal(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    snap, digest = stored(db, s.encounter_id)
    snap["patient"]["weight_kg"] = "95"
    tamper(db, s.encounter_id, snap)
    data = s.notes.note_data(s.encounter_id)
    assert data.altered
    assert data.weight.startswith("95 kg")  # what is stored, flagged as not what was signed
    pdf_text = text_of(s.notes.render_note(s.encounter_id))
    assert ALTERED in pdf_text
    assert "Procedure note · ALTERED" in pdf_text
    assert "Signed content seal SHA-256" not in pdf_text
    assert stored(db, s.encounter_id)[1] == digest


def test_a_removed_snapshot_also_prints_altered(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    tamper(db, s.encounter_id, None)
    assert services.encounters.get(s.encounter_id).status is EncounterStatus.SIGNED
    data = s.notes.note_data(s.encounter_id)
    assert data.altered
    assert ALTERED in text_of(s.notes.render_note(s.encounter_id))


def test_a_snapshot_altered_past_reading_still_prints_altered(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    tamper(db, s.encounter_id, {"format": 1, "sites": "not a list", "patient": 7})
    data = s.notes.note_data(s.encounter_id)
    assert data.altered
    pdf_text = text_of(s.notes.render_note(s.encounter_id))
    assert ALTERED in pdf_text
    assert "Nguyễn, Łukasz" in pdf_text


def test_a_visit_signed_before_seals_prints_from_the_record_without_a_seal(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    tamper(db, s.encounter_id, None, signed_digest=None)
    data = s.notes.note_data(s.encounter_id)
    assert data.signed
    assert data.seal is None
    assert not data.altered
    pdf_text = text_of(s.notes.render_note(s.encounter_id))
    assert "Content seal None: signed before the app kept content seals." in pdf_text
    assert "DRAFT" not in pdf_text
