"""The demo's visits as the app would have signed them, on a small demo seeded once per backend."""

from __future__ import annotations

import io
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.enums import EncounterStatus, Technique
from clinic_app.domain.rules.data import default_rules
from clinic_app.models import AuditEvent, Encounter, MedicationLot, Patient
from clinic_app.services.accounts import check_npi
from clinic_app.services.audit_key import KEY_ENV
from clinic_app.services.container import build_services
from clinic_app.services.demo import DEMO_TIMEZONE, DemoSummary, seed_demo
from clinic_app.services.demo_names import DEMO_PASSWORD
from clinic_app.services.dto import EncounterView
from clinic_app.services.notes import NoteService
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from tests.conftest import BACKENDS, Services

TODAY = date(2026, 11, 23)


@dataclass(frozen=True)
class Demo:
    """A small demo clinic, seeded once per backend for the read-only tests below."""

    db: sessionmaker[Session]
    services: Services
    summary: DemoSummary


@pytest.fixture(scope="module", params=BACKENDS)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    # One audit key for the whole module (each test has its own config folder otherwise,
    # and a workstation without the trail's key adds no audit row).
    key = tmp_path_factory.mktemp("key") / "audit.key"
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        engine = make_engine(sqlite_url(path))
        sessions = make_sessionmaker(engine)
        yield _seeded(sessions, key)
        engine.dispose()
        return
    connection = request.getfixturevalue("pg_engine").connect()
    outer = connection.begin()
    yield _seeded(
        sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        ),
        key,
    )
    outer.rollback()
    connection.close()


def _seeded(sessions: sessionmaker[Session], key: Path) -> Demo:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(KEY_ENV, str(key))
        summary = seed_demo(sessions, patients=10, seed=7, today=TODAY)
        services = build_services(sessions, "demo", is_sqlite=False)
    services.clinic.authenticate("demo.admin", DEMO_PASSWORD)  # administrator and provider
    return Demo(sessions, services, summary)


def test_demo_clinic_on_each_backend(demo: Demo) -> None:
    services, summary = demo.services, demo.summary
    assert summary.patients == 10
    assert summary.encounters > 10
    profile = services.clinic.profile()
    assert profile is not None
    assert profile.is_demo
    assert profile.timezone == DEMO_TIMEZONE
    providers = services.clinic.users(providers_only=True)
    assert len(providers) >= 3
    assert all(check_npi(p.npi) == p.npi != "" for p in providers)
    assert len({p.npi for p in providers}) == len(providers)
    everyone = services.patients.search("")
    assert len(everyone) == 10
    some = everyone[0]
    assert some.id in {p.id for p in services.patients.search(some.family_name.lower())}
    history = services.encounters.history(some.id)
    assert history
    assert all(h.site_count >= 0 for h in history)


def _signed_visits(services: Services) -> list[EncounterView]:
    visits = []
    for patient in services.patients.search(""):
        for row in services.encounters.history(patient.id):
            if row.status is EncounterStatus.SIGNED:
                visits.append(services.encounters.get(row.id))
    return visits


def test_every_signed_demo_visit_could_have_been_signed_by_the_app(demo: Demo) -> None:
    db, services, summary = demo.db, demo.services, demo.summary
    visits = _signed_visits(services)
    assert len(visits) == summary.signed > 30
    icd10 = default_rules().icd10.entries
    zone = ZoneInfo(DEMO_TIMEZONE)
    with db() as session:
        lots = {lot.id: lot for lot in session.scalars(select(MedicationLot))}
    overridden = Counter[str]()
    for visit in visits:
        form, local = visit.form, visit.performed_at.astimezone(zone)
        # Complete documentation (tpi-reference §6).
        assert form.consent_obtained
        assert form.time_out_done
        assert form.skin_prep is not None
        assert form.pain_before is not None
        assert form.pain_after is not None or form.pain_after_reason
        assert form.indication
        assert form.icd10_codes
        assert any(c in icd10 and icd10[c].billable for c in form.icd10_codes)
        assert form.needle_intact is True
        assert form.disposition
        assert form.follow_up_weeks
        assert form.follow_up_plan
        assert visit.sites
        for site in visit.sites:
            assert None not in (site.taut_band, site.jump_sign, site.referred_pain_reproduced)
            assert site.needle_gauge
            assert site.needle_length_in
            assert bool(site.doses) is (site.technique is Technique.INJECTION)
            for dose in site.doses:
                assert dose.lot_id is not None, "every stocked product's dose names its lot"
                assert lots[dose.lot_id].expires_on >= local.date()
        # Clinic hours in the clinic's zone on a weekday; signed shortly afterwards.
        assert local.weekday() < 5
        assert time(8) <= local.time() <= time(17)
        assert visit.signed_at is not None
        assert timedelta(0) < visit.signed_at - visit.performed_at <= timedelta(hours=1)
        # The checks, run again on what was stored: nothing blocks, and every warning that
        # needs a typed reason has one (no "needs a reason" beside "nothing overridden").
        checks = services.checks.assess_saved(visit.id)
        assert not checks.blocks, [f.message for f in checks.blocks]
        reasons = {rule: reason for rule, _message, reason in visit.overrides}
        for finding in checks.reasons_needed:
            assert reasons.get(finding.rule), (finding.rule, finding.message)
        assert bool(checks.reasons_needed) is bool(visit.overrides)
        overridden.update(reasons.keys())
    assert summary.overridden == sum(1 for v in visits if v.overrides)
    assert dict(summary.overrides) == dict(overridden)
    assert summary.unworded == 0


def test_a_patients_series_records_history_relief_and_varied_findings(demo: Demo) -> None:
    services = demo.services
    repeats = firsts = 0
    findings: set[tuple[bool | None, ...]] = set()
    dispositions: set[str] = set()
    for patient in services.patients.search(""):
        signed = [
            services.encounters.get(row.id)
            for row in reversed(services.encounters.history(patient.id))
            if row.status is EncounterStatus.SIGNED
        ]
        if not signed:
            continue
        first, *later = signed
        assert first.form.conservative_treatment, "the first visit records what was tried"
        assert first.form.prior_relief_percent is None
        firsts += 1
        for visit in later:
            assert visit.form.prior_relief_percent is not None
            assert visit.form.prior_relief_weeks is not None
            repeats += 1
        for visit in signed:
            dispositions.add(visit.form.disposition)
            findings |= {
                (s.taut_band, s.jump_sign, s.referred_pain_reproduced) for s in visit.sites
            }
    assert firsts >= 5
    assert repeats >= 20
    assert len(findings) >= 4
    assert len(dispositions) >= 3


def test_demo_notes_show_each_typed_reason(demo: Demo) -> None:
    db, services = demo.db, demo.services
    visits = _signed_visits(services)
    with_reason = next(v for v in visits if v.overrides)
    without = next(v for v in visits if not v.overrides)
    notes = NoteService(db, services.actor, seal=services.audit._seal)  # this module's key
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(notes.render_note(with_reason.id))).pages
    )
    assert "(overridden)" in text
    for _rule, _message, reason in with_reason.overrides:
        assert reason.split()[0] in text
    plain = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(notes.render_note(without.id))).pages
    )
    assert "Reason:" not in plain
    assert "Needle intact" in plain
    assert "Not recorded" not in plain.split("Needle intact")[1][:20]


def test_demo_markers_sit_on_the_muscle_they_name(demo: Demo) -> None:
    from clinic_app.domain.bodymap import FigureView, Layer, default_bodymap

    services = demo.services
    bodymap = default_bodymap()
    checked = 0
    for patient in services.patients.search(""):
        for summary in services.encounters.history(patient.id)[:3]:
            for site in services.encounters.get(summary.id).sites:
                figure = bodymap[FigureView.for_site(site.view, site.side)]
                region = figure.region(site.muscle_code, site.side)
                assert region is not None
                hit = figure.hit_test(
                    *figure.denormalise(site.point_x, site.point_y), deep=region.layer is Layer.DEEP
                )
                assert hit is region, (site.muscle_code, site.side)
                checked += 1
    assert checked > 20


def test_demo_audit_rows_carry_the_time_of_what_they_describe(demo: Demo) -> None:
    """A visit from last year is audited last year, not on the day the demo was seeded."""
    with demo.db() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.action.in_(("encounter.create", "encounter.sign")))
        ).all()
        performed = dict(session.execute(select(Encounter.id, Encounter.performed_at)).all())
        signed_at = dict(session.execute(select(Encounter.id, Encounter.signed_at)).all())
        registered = dict(
            session.execute(
                select(Patient.id, AuditEvent.at)
                .join(Patient, Patient.id == AuditEvent.entity_id)
                .where(AuditEvent.action == "patient.create")
            ).all()
        )
        first_visit = dict(
            session.execute(
                select(Encounter.patient_id, func.min(Encounter.performed_at)).group_by(
                    Encounter.patient_id
                )
            ).all()
        )
    creates = [r for r in rows if r.action == "encounter.create"]
    signs = [r for r in rows if r.action == "encounter.sign"]
    assert len(creates) == demo.summary.encounters
    assert len(signs) == demo.summary.signed
    for row in creates:
        assert row.at == performed[row.entity_id]
    for row in signs:
        assert row.at == signed_at[row.entity_id]
    seeded_on = datetime.combine(TODAY, time(0), tzinfo=UTC) - timedelta(days=2)
    assert min(r.at for r in rows) < seeded_on - timedelta(days=300)
    assert len(registered) == 10
    for patient_id, first in first_visit.items():
        # Registered at the front desk on the morning of the first visit.
        assert first - timedelta(hours=12) < registered[patient_id] <= first
    report = demo.services.audit.verify()
    assert report.ok, report.message


def test_demo_patients_fill_in_questionnaires_and_pain_drawings(demo: Demo) -> None:
    """The NDI or ODI at the first visit of a series and at some repeats, with scores that
    follow the visit's pain; a pain drawing at the first visit of a series, shading the
    zones of muscles charted that day, so its suggestions include one of them."""
    services, summary = demo.services, demo.summary
    assert summary.questionnaires > 0
    assert summary.pain_drawings > 0
    questionnaires = drawings = 0
    for patient in services.patients.search(""):
        scores = services.measures.scores_for_patient(patient.id)
        questionnaires += len(scores)
        assert {s.measure for s in scores} <= {"ndi", "odi"}
        assert len({s.measure for s in scores}) <= 1  # one presentation, one questionnaire
        for row in services.encounters.history(patient.id):
            for response in services.measures.for_encounter(row.id):
                visit = services.encounters.get(row.id)
                assert (
                    response.taken_on
                    == visit.performed_at.astimezone(ZoneInfo(DEMO_TIMEZONE)).date()
                )
            drawing = services.pain_drawings.get(row.id)
            if drawing.drawing.is_empty:
                continue
            drawings += 1
            charted = {s.muscle_code for s in services.encounters.get(row.id).sites}
            suggested = {s.muscle_code for s in services.pain_drawings.suggestions(row.id)}
            assert charted & suggested, (row.id, charted, suggested)
    assert questionnaires == summary.questionnaires
    assert drawings == summary.pain_drawings
