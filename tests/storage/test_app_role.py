"""The shipped GRANT script (resources/sql/app_role.sql), applied with psql to the real
PostgreSQL test database: the app works as that role, and the role can neither change the
audit trail nor the schema."""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import DBAPIError

from clinic_app.app import open_services
from clinic_app.domain.enums import Language
from clinic_app.domain.resource_files import resource
from clinic_app.services.changes import Topic
from clinic_app.services.container import AppServices
from clinic_app.services.dto import PatientInput, PatientView
from clinic_app.storage.engine import make_engine
from tests.conftest import pg_url, system_tool
from tests.factories import register_patient, set_up_clinic
from tests.services.test_changes import heard_within, sign_a_visit, truncate_all

pytestmark = pytest.mark.postgres

INSUFFICIENT_PRIVILEGE = "42501"
SCRIPT = resource("sql", "app_role.sql")


@dataclass
class AppRole:
    name: str
    url: str


def apply_script(role: str) -> None:
    """Run the script as the owner, the way the README says (psql, ON_ERROR_STOP)."""
    owner = make_url(pg_url()).set(drivername="postgresql")
    subprocess.run(
        [
            system_tool("psql", "postgresql-client"),
            owner.render_as_string(hide_password=False),
            "--no-psqlrc",
            "--quiet",
            "-v",
            f"app_role={role}",
            "-f",
            "-",
        ],
        input=SCRIPT.read_text(encoding="utf-8"),
        text=True,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def app_role(pg_engine: Engine) -> Iterator[AppRole]:
    """A throw-away login role with only the script's grants, on an empty clinic database."""
    truncate_all(pg_engine)
    name = f"clinic_app_test_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    with pg_engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'"))
    try:
        apply_script(name)
        apply_script(name)  # after the next upgrade it runs again: it must be idempotent
        url = make_url(pg_url()).set(username=name, password=password)
        yield AppRole(name, url.render_as_string(hide_password=False))
    finally:
        truncate_all(pg_engine)
        with pg_engine.begin() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"),
                {"r": name},
            )
            conn.execute(text(f"DROP OWNED BY {name}"))
            conn.execute(text(f"DROP ROLE {name}"))


@pytest.fixture
def as_app(app_role: AppRole) -> Iterator[AppServices]:
    """The app's own start-up (schema check included) connected as the application role."""
    services = open_services(app_role.url)
    yield services
    services.close()


def test_the_app_runs_its_use_cases_as_the_application_role(as_app: AppServices) -> None:
    watcher = as_app.changes.watcher()
    watcher.connect()  # LISTEN needs no grant
    try:
        set_up_clinic(as_app)
        patient = register_patient(as_app, "R-1", weight_kg="72", allergies="")
        heard_within(watcher, Topic.PATIENTS)  # NOTIFY needs none either
        encounter = sign_a_visit(as_app, patient)
        heard_within(watcher, Topic.ENCOUNTERS)
        as_app.documents.record_print(encounter, Language.ENGLISH)
        as_app.patients.update(
            patient.id,
            patient_input(patient, "555-0199"),
            expected_version=as_app.patients.get(patient.id).version,
        )
        report = as_app.audit.verify()
        assert report.problem is None, report.message
        assert report.sealed >= 6  # every entry appended and sealed, in order
    finally:
        watcher.close()


def patient_input(patient: PatientView, phone: str) -> PatientInput:
    return PatientInput(
        patient.mrn,
        patient.given_name,
        patient.family_name,
        patient.date_of_birth,
        weight_kg="72",
        phone=phone,
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'nothing happened'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
        "DELETE FROM audit_chain_head",
        "UPDATE alembic_version SET version_num = '0001'",
        "TRUNCATE patient CASCADE",
        "ALTER TABLE audit_event DISABLE TRIGGER ALL",
        "DROP TRIGGER frozen_encounter ON encounter",
        "DROP TABLE handout_print",
        "CREATE TABLE public.scratch (id integer)",
        "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
        "ALTER TABLE patient ADD COLUMN nickname text",
        "CREATE INDEX scratch_ix ON patient (phone)",
    ],
)
def test_the_application_role_cannot_rewrite_the_trail_or_the_schema(
    as_app: AppServices, app_role: AppRole, statement: str
) -> None:
    set_up_clinic(as_app)  # the audit trail holds rows
    engine = make_engine(app_role.url)
    try:
        with engine.connect() as conn, pytest.raises(DBAPIError) as refused:
            conn.execute(text(statement))
        assert getattr(refused.value.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE, (
            refused.value.orig
        )
    finally:
        engine.dispose()


def test_an_older_schema_tells_the_application_role_to_ask_the_owner(
    pg_engine: Engine, app_role: AppRole
) -> None:
    """The app role may not upgrade: one plain message naming the owner's command, not the
    driver's text (which can quote a row)."""
    from clinic_app.domain.errors import StorageError
    from clinic_app.storage import migrate

    head = migrate.head_revision()
    with pg_engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0010'"))
    engine = make_engine(app_role.url)
    try:
        with pytest.raises(StorageError) as refused:
            migrate.upgrade(engine)
    finally:
        engine.dispose()
        with pg_engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :h"), {"h": head})
    message = str(refused.value)
    assert "may not change the schema" in message
    assert "clinic-app db upgrade" in message
    assert refused.value.__cause__ is None
