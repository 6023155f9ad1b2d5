"""The procedure note built from a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from datetime import date

from pypdf import PdfReader
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.catalog import View
from clinic_app.domain.clock import format_clinic_time
from clinic_app.domain.enums import (
    Aspiration,
    EncounterStatus,
    Side,
    SkinPrep,
    Technique,
    Tolerance,
    TwitchResponse,
)
from clinic_app.models import Addendum
from clinic_app.reports.note_sections import SECTIONS
from clinic_app.services.dto import (
    DoseInput,
    EncounterInput,
    SiteDraft,
    SiteInput,
)
from clinic_app.services.notes import NoteService
from tests.complete_documentation import complete_form
from tests.conftest import Services
from tests.factories import medication_ids, register_patient, set_up_clinic

FORM = EncounterInput(
    indication="Myofascial pain of the right shoulder girdle",
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
    pain_before=8,
    pain_after=2,
    tolerance=Tolerance.WELL,
    follow_up_plan="Review in 3 weeks.",
)
REASON = "INR 2.1 checked today; 27 G needle, pressure held"


@dataclass
class Charted:
    notes: NoteService
    encounter_id: int
    provider_id: int
    sites: list[SiteDraft]


def chart(services: Services, db: sessionmaker[Session]) -> Charted:
    admin = set_up_clinic(services, "Riverside Pain Clinic", username="ana")
    patient = register_patient(
        services,
        "N-1",
        "Łukasz",
        "Nguyễn",
        date(1961, 7, 14),
        weight_kg="72",
        allergies="Penicillin (rash)",
        anticoagulant=True,
    )
    meds = medication_ids(services)
    lot = services.clinic.add_lot(meds["lidocaine_1"], "LD-2291", date(2099, 5, 31))
    site = SiteInput(
        "trapezius_upper",
        Side.RIGHT,
        View.POSTERIOR,
        0.5,
        0.3,
        technique=Technique.INJECTION,
        needle_gauge=27,
        needle_length_in="1.5",
        twitch_response=TwitchResponse.LOCAL,
        aspiration=Aspiration.NEGATIVE,
    )
    sites = [SiteDraft(site, (DoseInput(meds["lidocaine_1"], "0.5", lot.id),))]
    enc = services.encounters.create(patient.id, admin.id)
    services.encounters.save_draft(enc.id, enc.version, FORM, sites)
    return Charted(services.notes, enc.id, admin.id, sites)


def text_of(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in pages))


def test_a_draft_note_has_every_section_the_site_table_and_a_draft_mark(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = chart(services, db)
    data = c.notes.note_data(c.encounter_id)
    assert not data.signed
    assert data.patient_name == "Nguyễn, Łukasz"
    assert data.muscle_count == 1
    assert data.sites[0].doses[0].lot == "LD-2291, exp 2099-05-31"
    assert data.relief_percent == 75
    assert data.cpt
    assert data.cpt[0].units == 1
    text = text_of(c.notes.render_note(c.encounter_id))
    assert "DRAFT" in text
    for label in SECTIONS:
        assert label in text, label
    muscle = services.encounters.get(c.encounter_id).sites[0].muscle_name
    for value in (muscle, "Right", "0.5 mL", "5 mg", "LD-2291", "27 G × 1.5 in", "Chlorhexidine"):
        assert value in text, value
    assert "Nguyễn, Łukasz" in text
    assert "MRN N-1" in text
    assert "M79.18" in text
    assert f"CPT {data.cpt[0].code} × 1" in text


def test_a_signed_note_shows_signer_time_reason_and_addenda(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = chart(services, db)
    current = services.encounters.get(c.encounter_id)
    needed = services.checks.assess_saved(c.encounter_id).reasons_needed
    assert needed, "the anticoagulant warning should need a reason"
    signed = services.checks.sign(
        c.encounter_id,
        current.version,
        complete_form(FORM),
        c.sites,
        {f.rule: REASON for f in needed},
    )
    assert signed.status is EncounterStatus.SIGNED
    assert signed.signed_at is not None
    with db.begin() as session:
        session.add(
            Addendum(
                encounter_id=c.encounter_id,
                author_id=c.provider_id,
                text="Phoned the next day: <no> bruising & fine.",
            )
        )
    data = c.notes.note_data(c.encounter_id)
    assert data.signed_by == "Ana Ruiz, MD"
    assert data.signed_at is not None
    assert any(reason == REASON for _, reason in data.overrides)
    text = text_of(c.notes.render_note(c.encounter_id))
    assert "DRAFT" not in text
    assert "Signed by Ana Ruiz, MD" in text
    assert format_clinic_time(data.signed_at, data.timezone) in text
    assert "(overridden) The patient takes an anticoagulant" in text
    assert f"Reason: {REASON}" in text
    assert "Phoned the next day: <no> bruising & fine." in text


def test_needle_intact_and_disposition_reach_the_note(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = chart(services, db)
    assert c.notes.note_data(c.encounter_id).needle_intact == "Not recorded"
    assert c.notes.note_data(c.encounter_id).disposition == "Not recorded"
    form = replace(FORM, needle_intact=True, disposition="  Home with a companion; stable  ")
    current = services.encounters.get(c.encounter_id)
    sites = [s.to_draft() for s in current.sites]
    saved = services.encounters.save_draft(c.encounter_id, current.version, form, sites)
    assert saved.form.needle_intact is True
    assert saved.form.disposition == "Home with a companion; stable"
    data = c.notes.note_data(c.encounter_id)
    assert (data.needle_intact, data.disposition) == ("Yes", "Home with a companion; stable")
    text = text_of(c.notes.render_note(c.encounter_id))
    assert "Needle intact Yes" in text
    assert "Disposition Home with a companion; stable" in text
    saved = services.encounters.save_draft(
        c.encounter_id, saved.version, replace(form, needle_intact=False), sites
    )
    assert services.encounters.get(c.encounter_id).form.needle_intact is False
    assert c.notes.note_data(c.encounter_id).needle_intact == "No"


def test_a_snapshot_site_is_worded_with_the_screens_words() -> None:
    from clinic_app.services.notes import site_row

    row = site_row(
        {
            "number": 2,
            "muscle_name": "Upper trapezius",
            "side": "left",
            "technique": "dry_needling",
            "needle_gauge": 30,
            "needle_length_in": "1.5",
            "twitch_response": "local",
            "aspiration": "not_done",
            "taut_band": True,
            "jump_sign": False,
        }
    )
    assert (row.side, row.technique, row.needle, row.twitch, row.aspiration) == (
        "Left",
        "Dry needling",
        "30 G × 1.5 in",
        "Local",
        "Not done",
    )
    assert (row.taut_band, row.jump_sign, row.referred_pain) == ("Yes", "No", "Not recorded")
    # A side not recorded reads as such (it used to print "None").
    assert site_row({"side": None}).side == "Not recorded"
    assert site_row({}).needle == "Not recorded"
