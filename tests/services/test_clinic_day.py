"""The front desk's day is the clinic's day, in the clinic's time zone (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.models import ClinicProfile
from clinic_app.services.documents import local_day_bounds
from tests.conftest import Services
from tests.services.test_documents import setup_clinic
from tests.services.test_front_desk import procedure


def test_day_bounds_in_a_named_zone_and_in_this_computers() -> None:
    start, end = local_day_bounds(date(2026, 3, 8), "America/Chicago")  # DST starts at 2 am
    assert start == datetime(2026, 3, 8, 6, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 9, 5, 0, tzinfo=UTC)  # a 23-hour day
    assert start.tzinfo == ZoneInfo("America/Chicago")
    here = local_day_bounds(date(2026, 3, 8), "")
    assert here == local_day_bounds(date(2026, 3, 8))
    assert here[0] == datetime(2026, 3, 8).astimezone()


def test_procedures_of_the_day_follow_the_clinics_zone(
    services: Services, db: sessionmaker[Session]
) -> None:
    c = setup_clinic(services, db)
    with db.begin() as session:
        session.execute(update(ClinicProfile).values(timezone="Asia/Tokyo"))
    # 20:30 UTC on the 4th is 05:30 on the 5th in Tokyo.
    evening = procedure(c, datetime(2026, 3, 4, 20, 30, tzinfo=UTC), mrn="T1")
    morning = procedure(c, datetime(2026, 3, 4, 2, 0, tzinfo=UTC), mrn="T2")  # 11:00 on the 4th
    on_5th = [r.encounter_id for r in c.docs.procedures_on(date(2026, 3, 5))]
    on_4th = [r.encounter_id for r in c.docs.procedures_on(date(2026, 3, 4))]
    assert on_5th == [evening]
    assert on_4th == [morning]
