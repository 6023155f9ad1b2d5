"""UI fixtures: the app's real services on a fresh database per test.

Widget tests run on SQLite: the backend changes nothing a widget does, and PostgreSQL would
only double their time. A UI test whose point is what the *services* do behind the screen
(a signed record frozen by the database's triggers, a search, a duplicate MRN, the clinic's
day) is marked ``@pytest.mark.service_behaviour`` and runs on SQLite and PostgreSQL, like
tests/services. Its PostgreSQL database is the real engine, emptied after the test, not the
one-connection savepoint of tests/conftest.py: the GUI may save from a worker thread, and a
connection must never be shared between threads.

The widgets under test only see ``AppServices``; the database setup here is the test's
business, which is why these fixtures may use ``clinic_app.storage`` and SQLAlchemy.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QPushButton
from sqlalchemy import Engine, text

from clinic_app.domain.enums import Language, Sex
from clinic_app.services.container import AppServices, build_services
from clinic_app.services.dto import PatientView, UserView
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from clinic_app.ui.common import jobs, messages, refresh, theme
from clinic_app.ui.common.theme import MIN_HIT
from tests.conftest import BACKENDS, all_tables
from tests.factories import PASSWORD, register_patient, set_up_clinic
from tests.ui.prompts import Prompts

ADMIN_PASSWORD = PASSWORD


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``service_behaviour`` tests run on every backend; the others on SQLite only."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "service_behaviour"
    ):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Overrides the root fixture's parametrisation: see :func:`pytest_generate_tests`."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def ui_engine(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on this test's own empty, migrated database."""
    if backend == "postgresql":
        engine: Engine = request.getfixturevalue("pg_engine")
        yield engine
        with engine.begin() as conn:
            tables = ", ".join(f'"{name}"' for name in all_tables())
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        return
    path = tmp_path / "ui.sqlite3"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    engine = make_engine(sqlite_url(path))
    yield engine
    engine.dispose()


@pytest.fixture
def fresh_services(ui_engine: Engine, backend: str) -> AppServices:
    """Services on an empty database that still needs first-run setup."""
    return build_services(make_sessionmaker(ui_engine), "test db", is_sqlite=backend == "sqlite")


@pytest.fixture
def admin_password() -> str:
    return ADMIN_PASSWORD


@pytest.fixture
def admin(fresh_services: AppServices) -> UserView:
    """The first administrator, created by setup (and so signed in)."""
    return set_up_clinic(fresh_services, "Riverside Pain Clinic", username="aruiz")


@pytest.fixture
def services(fresh_services: AppServices, admin: UserView) -> AppServices:
    """Services on a set-up clinic with the administrator signed in.

    Extends ``services`` of tests/conftest.py (a set-up clinic instead of an empty one), on
    the backend this test runs on (see the module's docstring).
    """
    return fresh_services


@pytest.fixture
def make_patient(services: AppServices) -> Callable[..., PatientView]:
    """Register a patient through the service; keyword arguments override the defaults."""
    counter = iter(range(1000, 10_000))

    def make(**overrides: Any) -> PatientView:
        values: dict[str, Any] = {
            "mrn": f"MRN-{next(counter)}",
            "given_name": "Ana",
            "family_name": "Test",
            "date_of_birth": date(1970, 5, 17),
            "sex": Sex.FEMALE,
            "preferred_language": Language.ENGLISH,
            "phone": "555-0100",
        }
        values.update(overrides)
        return register_patient(services, **values)

    return make


@pytest.fixture
def set_demo(ui_engine: Engine) -> Callable[[bool], None]:
    """Flag the clinic profile as a demo database, as ``clinic-app seed-demo`` does."""

    def set_flag(is_demo: bool) -> None:
        with ui_engine.begin() as conn:
            conn.execute(text("UPDATE clinic_profile SET is_demo = :flag"), {"flag": is_demo})

    return set_flag


@pytest.fixture(autouse=True)
def prompts() -> Iterator[Prompts]:
    """Answers every prompt of this UI test; unanswered prompts and unused answers fail it."""
    answers = Prompts()
    previous = messages.set_answerer(answers)
    yield answers
    messages.set_answerer(previous)
    answers.verify()


@pytest.fixture
def other_desk(ui_engine: Engine, backend: str, admin: UserView) -> Iterator[AppServices]:
    """Another workstation on the same database: its own engine (its own connections), the
    administrator signed in there too."""
    engine = make_engine(ui_engine.url.render_as_string(hide_password=False))
    desk = build_services(make_sessionmaker(engine), "desk 2", is_sqlite=backend == "sqlite")
    desk.clinic.authenticate(admin.username, ADMIN_PASSWORD)
    yield desk
    engine.dispose()


@pytest.fixture(autouse=True)
def _stop_listeners() -> Iterator[None]:
    """No window's change listener or worker thread outlives its test (a test never hears
    another's), and the test's cyclic garbage (Qt wrappers) is collected here, while no
    worker runs: a CI run once crashed in a collection that started inside a later test's
    event loop while that test's worker was reading the database."""
    yield
    refresh.stop_all()
    jobs.shutdown_all()
    app = QApplication.instance()
    if isinstance(app, QApplication):
        theme.remove_theme(app)  # a test that started the app (app.run_gui) themed it
    gc.collect()


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """The theme for one test; Qt's own look again afterwards."""
    before = qapp.palette().color(QPalette.ColorRole.Window).name()
    yield qapp
    theme.remove_theme(qapp)
    assert theme.current_scheme() is None
    assert qapp.styleSheet() == ""
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == before
    assert QPushButton("OK").sizeHint().height() < MIN_HIT
