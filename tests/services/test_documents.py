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
from clinic_app.domain.enums import Language, Role, Side, Technique
from clinic_app.domain.errors import NotFoundError, ValidationError
from clinic_app.domain.formulary import DrugClass
from clinic_app.domain.handout import Block, default_texts, select_blocks
from clinic_app.models import AuditEvent
from clinic_app.services.documents import DocumentService, follow_up_in_weeks
from clinic_app.services.dto import (
    ClinicProfileData,
    DoseInput,
    EncounterInput,
    NewUser,
    PatientInput,
    SiteDraft,
    SiteInput,
)
from tests.conftest import Services


@dataclass
class Clinic:
    s: Services
    docs: DocumentService
    provider_id: int
    meds: dict[str, int]


def setup_clinic(services: Services, db: sessionmaker[Session]) -> Clinic:
    _, admin = services.clinic.initialize(
        ClinicProfileData(
            name="Riverside Pain Clinic",
            phone="(555) 010-2000",
            after_hours_phone="(555) 010-2999",
            fever_threshold_c=Decimal("38.5"),
            activity_restriction_hours=24,
            follow_up_weeks=4,
        ),
        NewUser("doc", "Ana Ruiz", "correct horse battery", Role.ADMIN, "MD"),
    )
    services.actor.user_id = admin.id
    meds = {m.code: m.id for m in services.clinic.medications()}
    return Clinic(services, DocumentService(db, services.actor), admin.id, meds)


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
    follow_up_plan: str = "",
    mrn: str = "H1",
) -> int:
    patient = c.s.patients.create(
        PatientInput(
            mrn,
            "José",
            "Nguyễn",
            date(1961, 7, 14),
            preferred_language=language,
            diabetes=diabetes,
        )
    )
    enc = c.s.encounters.create(
        patient.id, c.provider_id, performed_at=datetime(2025, 3, 4, 15, 0, tzinfo=UTC)
    )
    c.s.encounters.save_draft(
        enc.id, enc.version, EncounterInput(follow_up_plan=follow_up_plan), sites
    )
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
    assert data.visit_date == datetime(2025, 3, 4, 15, 0, tzinfo=UTC).astimezone().date()
    assert [(s.number, s.muscle_code, s.side) for s in data.sites] == [
        (1, "trapezius_upper", Side.RIGHT),
        (2, "gluteus_medius", Side.LEFT),
    ]
    assert all(0 <= s.x <= 1 and 0 <= s.y <= 1 for s in data.sites)
    classes = [m.drug_class for m in data.sites[0].medicines]
    assert classes == [DrugClass.LOCAL_ANESTHETIC, DrugClass.CORTICOSTEROID]
    assert data.sites[1].medicines == ()
    assert data.follow_up_text == "Please come back in about 4 weeks."
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
    assert follow_up_in_weeks(4, Language.SPANISH) in text
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


def test_the_follow_up_plan_beats_the_clinic_default(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    eid = encounter(c, [site("infraspinatus", Side.LEFT)], follow_up_plan="See Dr Ruiz <soon>")
    assert c.docs.handout_data(eid).follow_up_text == "See Dr Ruiz <soon>"
    assert "See Dr Ruiz <soon>" in pdf_text(c.docs.render_handout(eid))


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


def test_follow_up_in_weeks() -> None:
    assert follow_up_in_weeks(0, Language.ENGLISH) == ""
    assert follow_up_in_weeks(1, Language.ENGLISH) == "Please come back in about 1 week."
    assert follow_up_in_weeks(3, Language.SPANISH) == "Vuelva en aproximadamente 3 semanas."
