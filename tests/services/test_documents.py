"""Aftercare handouts built from real encounters, and their print log (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.bodymap import FigureView, default_bodymap
from clinic_app.domain.catalog import View, default_catalog
from clinic_app.domain.enums import EncounterStatus, Language, Side, Technique
from clinic_app.domain.errors import NotFoundError, ValidationError
from clinic_app.domain.formulary import DrugClass
from clinic_app.domain.handout import Block
from clinic_app.domain.handout_compose import select_blocks
from clinic_app.domain.handout_texts import default_texts
from clinic_app.models import AuditEvent, Encounter
from clinic_app.services.documents import DocumentService
from clinic_app.services.dto import (
    ClinicProfileData,
    DoseInput,
    EncounterInput,
    PatientInput,
    SiteDraft,
    SiteInput,
)
from tests.conftest import Services
from tests.factories import medication_ids, set_up_clinic


@dataclass
class Clinic:
    s: Services
    docs: DocumentService
    provider_id: int
    meds: dict[str, int]


def setup_clinic(services: Services, db: sessionmaker[Session]) -> Clinic:
    admin = set_up_clinic(
        services,
        ClinicProfileData(
            name="Riverside Pain Clinic",
            phone="(555) 010-2000",
            after_hours_phone="(555) 010-2999",
            fever_threshold_c=Decimal("38.5"),
            activity_restriction_hours=24,
            follow_up_weeks=4,
            address="12 River Road, Springfield",
            timezone="America/Chicago",
        ),
        username="doc",
    )
    return Clinic(services, DocumentService(db, services.actor), admin.id, medication_ids(services))


def site(muscle: str, side: Side, *doses: DoseInput, view: View = View.POSTERIOR) -> SiteDraft:
    figure = default_bodymap()[FigureView.for_site(view, side)]
    region = figure.region(muscle, side)
    assert region is not None, (muscle, side, view)
    x, y = figure.normalise(*figure.standard_point(region))
    return SiteDraft(SiteInput(muscle, side, view, x, y, technique=Technique.INJECTION), doses)


def encounter(
    c: Clinic,
    sites: list[SiteDraft],
    *,
    language: Language = Language.ENGLISH,
    diabetes: bool = False,
    anticoagulant: bool = False,
    follow_up_plan: str = "",
    mrn: str = "H1",
    form: EncounterInput | None = None,
    performed_at: datetime = datetime(2025, 3, 4, 15, 0, tzinfo=UTC),
) -> int:
    patient = c.s.patients.create(
        PatientInput(
            mrn,
            "José",
            "Nguyễn",
            date(1961, 7, 14),
            preferred_language=language,
            diabetes=diabetes,
            anticoagulant=anticoagulant,
        )
    )
    enc = c.s.encounters.create(patient.id, c.provider_id, performed_at=performed_at)
    form = form or EncounterInput(follow_up_plan=follow_up_plan)
    c.s.encounters.save_draft(enc.id, enc.version, form, sites)
    return enc.id


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_handout_data_gathers_the_encounter(services: Services, db: sessionmaker[Session]) -> None:
    c = setup_clinic(services, db)
    lido = DoseInput(c.meds["lidocaine_1"], "1")
    steroid = DoseInput(c.meds["triamcinolone_40"], "0.25")
    eid = encounter(
        c,
        [site("trapezius_upper", Side.RIGHT, lido, steroid), site("gluteus_medius", Side.LEFT)],
        diabetes=True,
    )
    data = c.docs.handout_data(eid)
    assert (data.patient_given, data.patient_family) == ("José", "Nguyễn")
    assert data.birth_date == date(1961, 7, 14)
    assert data.clinic_name == "Riverside Pain Clinic"
    assert (data.clinic_phone, data.after_hours_phone) == ("(555) 010-2000", "(555) 010-2999")
    assert data.provider_name == "Ana Ruiz, MD"
    assert data.fever_threshold_c == Decimal("38.5")
    assert data.activity_hours == 24
    assert data.diabetes is True
    assert data.visit_date == date(2025, 3, 4)
    assert data.clinic_address == "12 River Road, Springfield"
    assert data.signed is False
    assert data.anticoagulant is False
    assert [(s.number, s.muscle_code, s.side) for s in data.sites] == [
        (1, "trapezius_upper", Side.RIGHT),
        (2, "gluteus_medius", Side.LEFT),
    ]
    assert all(0 <= s.x <= 1 and 0 <= s.y <= 1 for s in data.sites)
    classes = [m.drug_class for m in data.sites[0].medicines]
    assert classes == [DrugClass.LOCAL_ANESTHETIC, DrugClass.CORTICOSTEROID]
    assert data.sites[1].medicines == ()
    assert (data.follow_up_date, data.follow_up_weeks, data.default_follow_up_weeks) == (
        None,
        None,
        4,
    )
    assert [(d.medicine.generic, d.amount, d.unit) for d in data.doses] == [
        ("lidocaine", Decimal("10"), "mg"),
        ("triamcinolone acetonide", Decimal("10"), "mg"),
    ]
    blocks = select_blocks(data, default_catalog())
    assert {Block.STEROID, Block.DIABETES_NOTE, Block.NO_DRIVING} <= set(blocks)


def test_the_patients_language_is_the_default_and_the_override_wins(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    eid = encounter(c, [site("infraspinatus", Side.LEFT)], language=Language.SPANISH)
    assert c.docs.handout_data(eid).language is Language.SPANISH
    assert c.docs.handout_data(eid, language=Language.ENGLISH).language is Language.ENGLISH
    assert c.docs.handout_data(eid, large_print=True).large_print is True
    info = c.docs.handout_info(eid)
    assert info.default_language is Language.SPANISH
    assert info.signed is False


def test_a_spanish_patients_handout_is_in_spanish(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    eid = encounter(c, [site("infraspinatus", Side.LEFT)], language=Language.SPANISH)
    text = pdf_text(c.docs.render_handout(eid))
    es, en = default_texts(Language.SPANISH), default_texts(Language.ENGLISH)
    for key in ("block.what_to_expect.heading", "block.call_clinic.heading"):
        assert es.text(key) in text
        assert en.text(key) not in text
    assert "Vuelva en aproximadamente 4 semanas." in text
    assert "Please come back" not in text
    assert "José Nguyễn" in text


def test_a_neck_site_prints_the_emergency_box(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    neck = encounter(c, [site("trapezius_upper", Side.RIGHT)], mrn="N1")
    hip = encounter(c, [site("gluteus_medius", Side.RIGHT)], mrn="N2")
    heading = default_texts(Language.ENGLISH).text("block.emergency.heading")
    neck_data = c.docs.handout_data(neck)
    assert Block.EMERGENCY in select_blocks(neck_data, default_catalog())
    assert heading in pdf_text(c.docs.render_handout(neck))
    assert heading not in pdf_text(c.docs.render_handout(hip))


def test_the_providers_follow_up_plan_is_never_printed(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    plan = "Repeat in 3 to 4 weeks if helpful."
    for language in Language:
        eid = encounter(
            c, [site("infraspinatus", Side.LEFT)], follow_up_plan=plan, language=language,
            mrn=f"P{language.value}",
        )  # fmt: skip
        text = pdf_text(c.docs.render_handout(eid))
        assert "Repeat in 3" not in text
        assert default_texts(language).format("block.follow_up.in_weeks", weeks=4) in text


def test_structured_follow_up_and_the_note_in_the_patients_language(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    form = EncounterInput(
        follow_up_date=date(2025, 4, 1),
        handout_note={"en": "Bring your <pain> diary.", "es": "Traiga su diario."},
    )
    eid = encounter(c, [site("infraspinatus", Side.LEFT)], form=form, language=Language.SPANISH)
    data = c.docs.handout_data(eid)
    assert data.follow_up_date == date(2025, 4, 1)
    assert data.handout_notes == (
        (Language.ENGLISH, "Bring your <pain> diary."),
        (Language.SPANISH, "Traiga su diario."),
    )
    spanish = pdf_text(c.docs.render_handout(eid))
    assert "Su próxima consulta es el 1 de abril de 2025." in spanish
    assert "Traiga su diario." in spanish
    assert "diary" not in spanish
    english = pdf_text(c.docs.render_handout(eid, language=Language.ENGLISH))
    assert "Your next visit is on April 1, 2025." in english
    assert "Bring your <pain> diary." in english
    assert "Traiga" not in english
    weeks = encounter(
        c, [site("infraspinatus", Side.LEFT)], form=EncounterInput(follow_up_weeks=2), mrn="W"
    )
    assert c.docs.handout_data(weeks).follow_up_weeks == 2
    assert "Please come back in about 2 weeks." in pdf_text(c.docs.render_handout(weeks))


def test_the_visit_day_is_the_clinics_day(services: Services, db: sessionmaker[Session]) -> None:
    c = setup_clinic(services, db)
    # 03:30 UTC on March 5 is still March 4 in Chicago.
    late = datetime(2025, 3, 5, 3, 30, tzinfo=UTC)
    eid = encounter(c, [site("infraspinatus", Side.LEFT)], performed_at=late)
    assert c.docs.handout_data(eid).visit_date == date(2025, 3, 4)


def test_a_blood_thinner_and_a_signed_visit(services: Services, db: sessionmaker[Session]) -> None:
    c = setup_clinic(services, db)
    eid = encounter(c, [site("infraspinatus", Side.LEFT)], anticoagulant=True)
    data = c.docs.handout_data(eid)
    assert data.anticoagulant is True
    assert Block.BLOOD_THINNER in select_blocks(data, default_catalog())
    screened = encounter(
        c,
        [site("infraspinatus", Side.LEFT)],
        form=EncounterInput(screening={"anticoagulant": {"answer": True, "note": ""}}),
        mrn="S2",
    )
    assert c.docs.handout_data(screened).anticoagulant is True
    preliminary = default_texts(Language.ENGLISH).text("label.preliminary_banner")
    assert preliminary in pdf_text(c.docs.render_handout(eid))
    with db.begin() as session:
        row = session.get(Encounter, eid)
        assert row is not None
        row.status = EncounterStatus.SIGNED
    assert c.docs.handout_data(eid).signed is True
    assert preliminary not in pdf_text(c.docs.render_handout(eid))


def test_print_log_round_trip_with_an_audit_row(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    eid = encounter(c, [site("infraspinatus", Side.LEFT)])
    assert c.docs.print_log(eid) == []
    first = c.docs.record_print(eid, Language.ENGLISH)
    second = c.docs.record_print(eid, Language.SPANISH, copies=3)
    log = c.docs.print_log(eid)
    assert log == [first, second]
    assert [(r.language, r.copies) for r in log] == [(Language.ENGLISH, 1), (Language.SPANISH, 3)]
    assert {r.printed_by_id for r in log} == {c.provider_id}
    assert {r.printed_by_name for r in log} == {"Ana Ruiz"}
    assert c.docs.handout_info(eid).prints == tuple(log)
    with db() as session:
        audits = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "handout.print")
        ).all()
        assert sorted(a.entity_id for a in audits) == sorted([first.id, second.id])
        assert {a.user_id for a in audits} == {c.provider_id}


@pytest.mark.parametrize("copies", [0, -1, 51, 1000])
def test_copies_out_of_range_are_refused(
    services: Services, db: sessionmaker[Session], copies: int
) -> None:
    c = setup_clinic(services, db)
    eid = encounter(c, [site("infraspinatus", Side.LEFT)])
    with pytest.raises(ValidationError) as err:
        c.docs.record_print(eid, Language.ENGLISH, copies=copies)
    assert err.value.field == "copies"
    assert c.docs.print_log(eid) == []


def test_an_unknown_encounter_is_not_found(services: Services, db: sessionmaker[Session]) -> None:
    c = setup_clinic(services, db)
    for call in (
        lambda: c.docs.handout_data(999),
        lambda: c.docs.print_log(999),
        lambda: c.docs.record_print(999, Language.ENGLISH),
    ):
        with pytest.raises(NotFoundError):
            call()
