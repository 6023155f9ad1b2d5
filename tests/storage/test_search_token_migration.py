"""Migration 0015: patients registered before it get their search tokens; down and up again
on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect, text

from clinic_app.storage import migrate

STAMP = "'2026-01-01 00:00:00'"


def _add_patient(engine: Engine, pid: int, mrn: str, given_key: str, family_key: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO patient (id, mrn, mrn_key, given_name, family_name, given_key, "
                "family_key, date_of_birth, sex, preferred_language, phone, allergies, "
                "anticoagulant, diabetes, pregnant_or_breastfeeding, notes, payer, created_at, "
                "updated_at, void_reason, version) VALUES (:id, :mrn, :key, 'X', 'Y', "
                ":given, :family, '1970-01-01', 'female', 'en', '', '', false, false, false, '', "
                f"'none', {STAMP}, {STAMP}, '', 1)"
            ),
            {"id": pid, "mrn": mrn, "key": mrn.lower(), "given": given_key, "family": family_key},
        )


def _tokens(engine: Engine) -> set[tuple[int, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("select patient_id, kind, token from patient_search_token"))
        return {(pid, kind, token) for pid, kind, token in rows}


def test_0015_gives_existing_patients_their_tokens_and_goes_down_and_up(
    fresh_engine: Engine,
) -> None:
    migrate.run_migrations(fresh_engine, "0012")
    _add_patient(fresh_engine, 1, "A-1", "thi hoa", "nguyen")
    _add_patient(fresh_engine, 2, "B-2", "jose", "garcia lopez")
    migrate.run_migrations(fresh_engine, "0015")
    assert _tokens(fresh_engine) == {
        (1, "n", "thi"),
        (1, "n", "hoa"),
        (1, "n", "nguyen"),
        (1, "m", "a-1"),
        (2, "n", "jose"),
        (2, "n", "garcia"),
        (2, "n", "lopez"),
        (2, "m", "b-2"),
    }
    indexes = {i["name"] for i in inspect(fresh_engine).get_indexes("patient")}
    assert "ix_patient_family_given_id" in indexes

    cfg = migrate.alembic_config()
    with fresh_engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0012")
    assert "patient_search_token" not in inspect(fresh_engine).get_table_names()
    migrate.run_migrations(fresh_engine, "head")
    assert len(_tokens(fresh_engine)) == 8
