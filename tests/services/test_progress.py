"""The Progress view's data on both backends: signed visits only, a few column queries, the
payer's count, the audited report."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import EncounterStatus, Role, Side, Technique
from clinic_app.domain.errors import NotFoundError, PermissionDenied, ValidationError
from clinic_app.domain.handout import PainThenNow
from clinic_app.models import AuditEvent, Encounter, InjectionSite
from clinic_app.services.dto import MeasureEntry
from clinic_app.services.progress import ProgressService
from tests.conftest import Services
from tests.factories import add_user, register_patient, set_up_clinic, sign_in_as
from tests.services.test_access_matrix import engine_of

L, R = Side.LEFT, Side.RIGHT
FIRST = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


def add_visit(
    db: sessionmaker[Session],
    patient_id: int,
    provider_id: int,
    days: int,
    scores: tuple[int | None, int | None],
    relief: tuple[int | None, int | None] = (None, None),
    places: tuple[tuple[str, Side], ...] = (),
    *,
    signed: bool = True,
) -> None:
    """A visit ``days`` after :data:`FIRST` with its sites, signed as the app signs a draft."""
    with db.begin() as session:
        encounter = Encounter(
            patient_id=patient_id,
            provider_id=provider_id,
            performed_at=FIRST + timedelta(days=days),
            pain_before=scores[0],
            pain_after=scores[1],
            prior_relief_percent=relief[0],
            prior_relief_weeks=relief[1],
        )
        session.add(encounter)
        for number, (code, side) in enumerate(places, 1):
            encounter.sites.append(
                InjectionSite(
                    order_number=number,
                    muscle_code=code,
                    side=side,
                    view=View.POSTERIOR,
                    point_x=0.5,
                    point_y=0.3,
                    technique=Technique.INJECTION,
                )
            )
        session.flush()
        if signed:
            encounter.status = EncounterStatus.SIGNED
            encounter.signed_at = FIRST + timedelta(days=days)
            encounter.signed_by_id = provider_id


@pytest.fixture
def series(services: Services, db: sessionmaker[Session]) -> int:
    """A Medicare patient with three signed visits and one draft."""
    admin = set_up_clinic(services)
    patient = register_patient(services, payer="medicare")
    add_visit(db, patient.id, admin.id, 0, (8, 4), (None, None), (("trapezius_upper", L),))
    add_visit(
        db,
        patient.id,
        admin.id,
        50,
        (6, 3),
        (60, 5),
        (("trapezius_upper", L), ("levator_scapulae", R)),
    )
    add_visit(db, patient.id, admin.id, 70, (5, 5), (None, None), (), signed=False)
    add_visit(db, patient.id, admin.id, 100, (3, 1), (70, 7), (("trapezius_upper", L),))
    return patient.id


def test_signed_visits_make_the_series(services: Services, series: int) -> None:
    view = services.progress.progress(series)
    assert (view.patient_name, view.patient_mrn) == ("Ana Lee", "M1")
    points = view.progress.points
    # The draft (day 70, pain 5/5) is left out.
    assert [(p.pain_before, p.pain_after) for p in points] == [(8, 4), (6, 3), (3, 1)]
    assert [p.performed_on for p in points] == [
        date(2026, 1, 5),
        date(2026, 2, 24),
        date(2026, 4, 15),
    ]
    # Relief reported at visits 2 and 3 belongs to visits 1 and 2.
    assert [(p.relief_percent, p.relief_weeks) for p in points] == [
        (60, 5),
        (70, 7),
        (None, None),
    ]
    tallies = {(t.muscle_code, t.side): (t.times, t.average_change) for t in view.progress.muscles}
    assert tallies == {
        ("trapezius_upper", L): (3, 3.0),  # (4 + 3 + 2) / 3
        ("levator_scapulae", R): (1, 3.0),
    }
    assert view.muscle_names["trapezius_upper"].lower().startswith("trapezius")
    assert view.measures == ()


def test_the_patients_questionnaires_come_with_the_series(services: Services, series: int) -> None:
    services.measures.record(MeasureEntry("ndi", (2,) * 10, date(2026, 1, 5), patient_id=series))
    services.measures.record(MeasureEntry("ndi", (1,) * 10, date(2026, 4, 15), patient_id=series))
    scores = services.progress.progress(series).measures
    assert [(m.taken_on, m.label, m.total, m.percent) for m in scores] == [
        (date(2026, 1, 5), "NDI", 20, 40.0),
        (date(2026, 4, 15), "NDI", 10, 20.0),
    ]


@pytest.mark.parametrize(("today", "counted"), [(date(2026, 6, 1), 3), (date(2027, 1, 6), 2)])
def test_the_series_count_uses_the_payer_limit(
    services: Services, db: sessionmaker[Session], series: int, today: date, counted: int
) -> None:
    noon = datetime(today.year, today.month, today.day, 18, 0, tzinfo=UTC)
    progress = ProgressService(db, services.actor, clock=lambda: noon)
    count = progress.progress(series).progress.series
    assert (count.payer_name, count.maximum, count.window_days) == ("Medicare", 3, 365)
    assert count.reference == today
    # On 2027-01-06 the first visit (2026-01-05) is 366 days back: outside the window.
    assert count.count == counted


def test_a_few_column_queries_however_long_the_series(
    services: Services, db: sessionmaker[Session], series: int
) -> None:
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    target = engine_of(db)
    event.listen(target, "before_cursor_execute", record)
    try:
        services.progress.progress(series)
    finally:
        event.remove(target, "before_cursor_execute", record)
    selects = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 5  # patient, visits, sites, pain then and now, questionnaires
    assert not any("signed_snapshot" in s for s in selects)  # no whole encounter rows


def test_an_unknown_patient_is_not_found(services: Services) -> None:
    set_up_clinic(services)
    with pytest.raises(NotFoundError):
        services.progress.progress(4321)


def test_front_desk_may_not_see_progress(services: Services, series: int) -> None:
    desk = add_user(services, "desk", "Dee Desk", Role.FRONT_DESK)
    sign_in_as(services, desk)
    with pytest.raises(PermissionDenied):
        services.progress.progress(series)


def test_the_report_is_one_page_and_audited(
    services: Services, db: sessionmaker[Session], series: int
) -> None:
    data = services.progress.report_data(series)
    assert data.clinic_name == "Test Pain Clinic"
    assert len(data.progress.points) == 3
    pdf = services.progress.render_report(series)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Ana Lee" in text
    assert "Medicare" in text
    with db() as session:
        audited = session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "progress.report", AuditEvent.patient_id == series
            )
        )
    assert audited == 2


# ---------------------------------------------------------------- the handout's progress line


def visit_ids(db: sessionmaker[Session], patient_id: int) -> list[int]:
    with db() as session:
        return list(
            session.scalars(
                select(Encounter.id)
                .where(Encounter.patient_id == patient_id)
                .order_by(Encounter.performed_at)
            )
        )


def test_the_handout_progress_setting_is_off_by_default_and_kept(
    services: Services, series: int
) -> None:
    profile = services.clinic.profile()
    assert profile is not None
    assert profile.handout_progress is False
    saved = services.clinic.update_profile(
        dataclasses.replace(profile, handout_progress=True), expected_version=profile.version
    )
    assert saved.handout_progress is True
    again = services.clinic.profile()
    assert again is not None
    assert again.handout_progress is True
    # The rules' settings still read the same JSON without noticing the key.
    assert all(not r.changed for r in services.clinic.rule_settings().rules)
    off = services.clinic.update_profile(
        dataclasses.replace(again, handout_progress=False), expected_version=again.version
    )
    assert off.handout_progress is False


def test_the_setting_must_be_yes_or_no(services: Services, series: int) -> None:
    profile = services.clinic.profile()
    assert profile is not None
    with pytest.raises(ValidationError, match="must be yes or no"):
        services.clinic.update_profile(
            dataclasses.replace(profile, handout_progress="yes"),  # type: ignore[arg-type]
            expected_version=profile.version,
        )


def test_the_handout_says_pain_then_and_now_when_the_clinic_wants_it(
    services: Services, db: sessionmaker[Session], series: int
) -> None:
    first, second, draft, last = visit_ids(db, series)
    assert services.documents.handout_data(last).progress is None  # off by default
    profile = services.clinic.profile()
    assert profile is not None
    services.clinic.update_profile(
        dataclasses.replace(profile, handout_progress=True), expected_version=profile.version
    )
    # Pain before treatment, first signed visit and this one.
    assert services.documents.handout_data(last).progress == PainThenNow(date(2026, 1, 5), 8, 3)
    assert services.documents.handout_data(draft).progress == PainThenNow(date(2026, 1, 5), 8, 5)
    assert services.documents.handout_data(first).progress is None  # nothing before it
    assert services.documents.handout_data(second).progress is not None
