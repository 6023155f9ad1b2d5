"""Migration 0018: the patient count row starts from the patients already there, its
triggers keep it, and it goes down and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect, text

from clinic_app.storage import migrate
from tests.storage.test_search_token_migration import STAMP, _add_patient


def _count(engine: Engine) -> int | None:
    with engine.connect() as conn:
        return conn.execute(text("SELECT active FROM patient_count WHERE id = 1")).scalar()


def test_0018_counts_the_patients_there_and_goes_down_and_up(fresh_engine: Engine) -> None:
    migrate.run_migrations(fresh_engine, "0015")
    for pid in (1, 2, 3):
        _add_patient(fresh_engine, pid, f"P-{pid}", "ana", "lee")
    with fresh_engine.begin() as conn:
        conn.execute(text(f"UPDATE patient SET voided_at = {STAMP} WHERE id = 3"))
    migrate.run_migrations(fresh_engine, "0018")
    assert _count(fresh_engine) == 2
    _add_patient(fresh_engine, 4, "P-4", "bo", "kim")
    assert _count(fresh_engine) == 3

    cfg = migrate.alembic_config()
    with fresh_engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015")
    assert "patient_count" not in inspect(fresh_engine).get_table_names()
    _add_patient(fresh_engine, 5, "P-5", "cy", "ng")  # no trigger is left behind
    migrate.run_migrations(fresh_engine, "head")
    assert _count(fresh_engine) == 4


def test_a_truncate_of_every_table_leaves_a_zero_count_on_postgresql(
    fresh_engine: Engine,
) -> None:
    migrate.run_migrations(fresh_engine, "head")
    _add_patient(fresh_engine, 1, "P-1", "ana", "lee")
    if fresh_engine.dialect.name != "postgresql":
        with fresh_engine.begin() as conn:
            conn.execute(text("DELETE FROM patient"))
    else:
        with fresh_engine.begin() as conn:  # as tests empty the database between them
            conn.execute(text("TRUNCATE patient, patient_count, patient_search_token CASCADE"))
    assert _count(fresh_engine) == 0
