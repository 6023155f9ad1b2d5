from __future__ import annotations

import itertools
import random
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.enums import Language
from clinic_app.domain.errors import ConflictError
from clinic_app.domain.formulary import default_formulary
from clinic_app.models import Patient, User
from clinic_app.services.accounts import check_npi
from clinic_app.services.clinic import ClinicService
from clinic_app.services.demo import fake_npi, pick_name, seed_demo
from clinic_app.services.demo_charting import Memory, PatientFacts, chart_visit, override_reason
from clinic_app.services.demo_names import DEMO_PASSWORD, POOLS
from clinic_app.services.demo_phrases import REASONS
from clinic_app.services.demo_stock import Stock, StockLot, lot_deliveries
from clinic_app.services.demo_story import STOCKED, make_story, schedule
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from tests.conftest import Services

TODAY = date(2026, 11, 23)


def test_demo_cannot_be_seeded_twice(db: sessionmaker[Session], services: Services) -> None:
    seed_demo(db, patients=2, seed=11, today=TODAY)
    services.clinic.authenticate("demo.admin", DEMO_PASSWORD)
    first = [(p.mrn, p.family_name) for p in services.patients.search("")]
    assert len(first) == 2
    with pytest.raises(ConflictError, match="already holds data"):
        seed_demo(db, patients=2, seed=11)
    assert [(p.mrn, p.family_name) for p in services.patients.search("")] == first


def test_demo_refuses_a_database_with_only_a_patient(
    db: sessionmaker[Session], services: Services
) -> None:
    # Only an account can register a patient; this one is written directly, as an import
    # from another system would.
    with db.begin() as session:
        session.add(
            Patient(
                mrn="R1", given_name="Real", family_name="Person", given_key="real",
                family_key="person", date_of_birth=date(1970, 1, 1),
            )
        )  # fmt: skip
    assert not services.clinic.is_empty()
    with pytest.raises(ConflictError):
        seed_demo(db, patients=5)
    with db() as session:
        assert session.scalar(select(func.count(Patient.id))) == 1
        assert session.scalar(select(func.count(User.id))) == 0


# ---------------------------------------------------------------- pure parts


def test_every_name_tradition_is_drawn() -> None:
    rng = random.Random(1)
    drawn = {pick_name(rng)[1] for _ in range(5000)}
    for tradition, (_women, _men, families, _language) in POOLS.items():
        assert drawn & set(families), tradition


def test_fake_npis_pass_the_apps_check() -> None:
    rng = random.Random(2)
    npis = {fake_npi(rng) for _ in range(200)}
    assert len(npis) > 190
    assert all(check_npi(npi) == npi and len(npi) == 10 for npi in npis)


def test_a_lot_is_in_date_on_every_day_of_the_demo() -> None:
    rng = random.Random(3)
    first, last = TODAY - timedelta(days=730), TODAY
    deliveries = lot_deliveries(rng, "lidocaine_1", first, last)
    stock = Stock(
        {},
        {},
        {"lidocaine_1": [StockLot(i, n, r, e) for i, (n, r, e) in enumerate(deliveries)]},
    )
    day = first
    while day <= last:
        lot = stock.lots["lidocaine_1"][stock.lot_on("lidocaine_1", day)]
        assert lot.received <= day <= lot.expires - timedelta(days=14)
        day += timedelta(days=1)
    assert deliveries[0][2] < TODAY, "the oldest lots have expired by today, as on a shelf"
    assert len({n for n, _r, _e in deliveries}) == len(deliveries)


def test_medicare_series_respect_the_payer_interval_and_codes() -> None:
    rng = random.Random(4)
    for _ in range(50):
        story = make_story(rng, medicare=True, anticoagulant=False)
        assert story.codes
        assert all(c.startswith(("M79.1", "G44.2")) for c in story.codes)
        assert not story.dry_needling
        slots = schedule(rng, TODAY - timedelta(days=700), TODAY, medicare=True)
        for earlier, later in itertools.pairwise(slots):
            assert (later.day - earlier.day).days >= 42
            assert all(s.day.weekday() < 5 for s in (earlier, later))


def test_every_reason_template_fills_in() -> None:
    rng = random.Random(5)
    shelf = [StockLot(1, "L1", TODAY - timedelta(days=400), TODAY + timedelta(days=400))]
    stock = Stock(
        {e.code: e for e in default_formulary()},
        {code: i for i, code in enumerate(STOCKED)},
        dict.fromkeys(STOCKED, shelf),
    )
    story = make_story(rng, medicare=True, anticoagulant=True)
    slot = schedule(rng, TODAY - timedelta(days=100), TODAY, medicare=True)[-1]
    memory = Memory(previous_day=slot.day - timedelta(days=56))
    facts = PatientFacts(Decimal("70"), False, False, Language.ENGLISH)
    charted = chart_visit(rng, story, facts, slot, memory, stock)
    for rule in REASONS:
        reason = override_reason(rng, rule, story, charted)
        assert reason, rule
        assert "{" not in reason
        assert "None" not in reason
    assert override_reason(rng, "no.such_rule", story, charted) is None


def test_a_failed_seed_leaves_the_database_empty(sqlite_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(sqlite_url(path))
    sessions = make_sessionmaker(engine)

    def interrupted(text: str) -> None:
        raise KeyboardInterrupt(text)  # the user pressed Ctrl+C after the first patients

    with pytest.raises(KeyboardInterrupt, match="patients"):
        seed_demo(sessions, patients=2, seed=1, today=TODAY, progress=interrupted)
    assert ClinicService(sessions).is_empty()
    assert seed_demo(sessions, patients=1, seed=1, today=TODAY).patients == 1
    engine.dispose()
