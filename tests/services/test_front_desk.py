"""The front desk's list of the day: DocumentService.procedures_on (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.enums import EncounterStatus, Language, Role, Side
from clinic_app.domain.errors import ValidationError
from clinic_app.models import Encounter
from clinic_app.services.documents import local_day_bounds
from clinic_app.services.dto import EncounterInput
from tests.conftest import Services
from tests.factories import add_user, register_patient
from tests.services.test_documents import Clinic, setup_clinic, site

DAY = date(2025, 3, 4)


#: The zone setup_clinic gives the clinic; the day list follows it, not this computer's zone.
CLINIC_ZONE = ZoneInfo("America/Chicago")


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime at a wall-clock time of the clinic's time zone."""
    return datetime.combine(day, time(hour, minute), CLINIC_ZONE)


def procedure(
    c: Clinic,
    when: datetime,
    *,
    mrn: str,
    provider_id: int | None = None,
    language: Language = Language.ENGLISH,
    sites: int = 1,
) -> int:
    patient = register_patient(
        c.s, mrn, "Zoë", f"Müller-{mrn}", date(1970, 1, 2), preferred_language=language
    )
    enc = c.s.encounters.create(patient.id, provider_id or c.provider_id, performed_at=when)
    drafts = [site("infraspinatus", Side.LEFT), site("gluteus_medius", Side.RIGHT)][:sites]
    c.s.encounters.save_draft(enc.id, enc.version, EncounterInput(), drafts)
    return enc.id


def sign(db: sessionmaker[Session], encounter_id: int) -> None:
    """Mark signed directly: the checks that guard signing are another test file's subject."""
    with db.begin() as session:
        session.execute(
            update(Encounter)
            .where(Encounter.id == encounter_id)
            .values(status=EncounterStatus.SIGNED)
        )


def test_lists_the_local_day_in_time_order_with_its_details(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    late = procedure(c, local(DAY, 23, 59), mrn="L1", language=Language.SPANISH, sites=2)
    early = procedure(c, local(DAY, 0, 0), mrn="E1")
    procedure(c, local(DAY - timedelta(days=1), 23, 59), mrn="Y1")
    procedure(c, local(DAY + timedelta(days=1), 0, 0), mrn="T1")

    rows = c.docs.procedures_on(DAY)

    assert [r.encounter_id for r in rows] == [early, late]
    last = rows[1]
    assert last.performed_at == local(DAY, 23, 59)
    assert last.performed_at.utcoffset() == local(DAY, 23, 59).utcoffset()
    assert (last.patient_name, last.mrn) == ("Zoë Müller-L1", "L1")
    assert last.date_of_birth == date(1970, 1, 2)
    assert last.language is Language.SPANISH
    assert last.provider_name == "Ana Ruiz, MD"
    assert (last.signed, last.sites, last.printed, last.last_printed_at) == (False, 2, False, None)
    assert rows[0].sites == 1
    assert c.docs.procedures_on(DAY + timedelta(days=2)) == []


def test_printing_and_signing_show_and_filter(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    signed = procedure(c, local(DAY, 9), mrn="S1")
    printed = procedure(c, local(DAY, 10), mrn="P1")
    plain = procedure(c, local(DAY, 11), mrn="N1")
    sign(db, signed)
    c.docs.record_print(printed, Language.ENGLISH)
    second = c.docs.record_print(printed, Language.SPANISH, copies=2)

    by_id = {r.encounter_id: r for r in c.docs.procedures_on(DAY)}
    assert [by_id[e].signed for e in (signed, printed, plain)] == [True, False, False]
    assert [by_id[e].printed for e in (signed, printed, plain)] == [False, True, False]
    assert by_id[printed].last_printed_at == second.printed_at

    def ids(status: str) -> list[int]:
        return [r.encounter_id for r in c.docs.procedures_on(DAY, status=status)]

    assert ids("signed") == [signed]
    assert ids("printed") == [printed]
    assert ids("not_printed") == [signed, plain]
    with pytest.raises(ValidationError):
        c.docs.procedures_on(DAY, status="lost")


def test_filter_by_provider_and_voided_patients_are_left_out(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    other = add_user(services, "lee", "Sam Lee", Role.PROVIDER, "DO")
    mine = procedure(c, local(DAY, 9), mrn="A1")
    theirs = procedure(c, local(DAY, 10), mrn="B1", provider_id=other.id)
    voided = procedure(c, local(DAY, 11), mrn="V1")
    assert voided in [r.encounter_id for r in c.docs.procedures_on(DAY)]
    info = c.docs.handout_info(voided)
    version = services.patients.get(info.patient_id).version
    services.patients.void(info.patient_id, "Registered twice", expected_version=version)

    assert [r.encounter_id for r in c.docs.procedures_on(DAY)] == [mine, theirs]
    only = c.docs.procedures_on(DAY, provider_id=other.id)
    assert [(r.encounter_id, r.provider_name) for r in only] == [(theirs, "Sam Lee, DO")]


def test_local_day_bounds_span_one_local_day() -> None:
    start, end = local_day_bounds(DAY)
    assert None not in (start.tzinfo, end.tzinfo)
    assert (start.date(), start.time()) == (DAY, time())
    assert (end.date(), end.time()) == (DAY + timedelta(days=1), time())


def test_drafts_without_a_site_are_left_out_until_a_site_is_charted(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    charted = procedure(c, local(DAY, 9), mrn="C1")
    patient = register_patient(c.s, "E1", "Eli", "Empty", date(1980, 5, 6))
    empty = c.s.encounters.create(patient.id, c.provider_id, performed_at=local(DAY, 10))

    assert [r.encounter_id for r in c.docs.procedures_on(DAY)] == [charted]
    assert [r.encounter_id for r in c.docs.procedures_on(DAY, status="not_printed")] == [charted]

    c.s.encounters.save_draft(
        empty.id, empty.version, EncounterInput(), [site("infraspinatus", Side.LEFT)]
    )
    assert [r.encounter_id for r in c.docs.procedures_on(DAY)] == [charted, empty.id]


def test_a_signed_visit_is_listed_whatever_its_sites(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    patient = register_patient(c.s, "S9", "Sol", "Signed", date(1980, 5, 6))
    enc = c.s.encounters.create(patient.id, c.provider_id, performed_at=local(DAY, 10))
    sign(db, enc.id)  # a signed visit never drops out of the day's list
    assert [r.encounter_id for r in c.docs.procedures_on(DAY)] == [enc.id]
