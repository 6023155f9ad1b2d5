"""Migration 0011: the normalised MRN key, up and down on both backends, and the clash report."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from clinic_app.domain.errors import StorageError
from clinic_app.storage import migrate

STAMP = "'2026-01-01 00:00:00'"


def _add_patient(engine: Engine, patient_id: int, mrn: str, given: str = "Ana") -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO patient (id, mrn, given_name, family_name, given_key, family_key, "
                "date_of_birth, sex, preferred_language, phone, allergies, anticoagulant, "
                "diabetes, pregnant_or_breastfeeding, notes, payer, created_at, updated_at, "
                "void_reason, version) VALUES (:id, :mrn, :given, 'Lee', 'ana', 'lee', "
                f"'1970-01-01', 'female', 'en', '', '', false, false, false, '', 'none', {STAMP}, "
                f"{STAMP}, '', 1)"
            ),
            {"id": patient_id, "mrn": mrn, "given": given},
        )


def _downgrade(engine: Engine, target: str) -> None:
    cfg = migrate.alembic_config()
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, target)


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("patient")}


def test_0011_fills_the_key_and_goes_down_and_up_again(fresh_engine: Engine) -> None:
    migrate.run_migrations(fresh_engine, "0010")
    _add_patient(fresh_engine, 1, " Ab-1")
    _add_patient(fresh_engine, 2, "CD/2")
    migrate.run_migrations(fresh_engine, "0011")
    with fresh_engine.connect() as conn:
        keys = dict(conn.execute(text("select id, mrn_key from patient order by id")).all())
    assert keys == {1: "ab-1", 2: "cd/2"}
    # The database itself now refuses a second row with the same key, whatever the mrn says.
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"), fresh_engine.begin() as conn:
        conn.execute(text("update patient set mrn_key = 'ab-1' where id = 2"))
    _downgrade(fresh_engine, "0010")
    assert "mrn_key" not in _columns(fresh_engine)
    assert migrate.current_revision(fresh_engine) == "0010"
    migrate.run_migrations(fresh_engine, "head")
    assert "mrn_key" in _columns(fresh_engine)
    assert migrate.current_revision(fresh_engine) == migrate.head_revision()


def test_existing_clashes_stop_the_upgrade_with_a_list_and_change_nothing(
    fresh_engine: Engine,
) -> None:
    migrate.run_migrations(fresh_engine, "0010")
    _add_patient(fresh_engine, 7, "race1", given="Zebulon")
    _add_patient(fresh_engine, 9, "RACE1", given="Quixotic")
    _add_patient(fresh_engine, 11, "other")
    with pytest.raises(StorageError) as err:
        migrate.run_migrations(fresh_engine, "head")
    message = str(err.value)
    assert "1 MRN(s) belong to more than one patient" in message
    assert "MRN 'race1' (patient id 7)" in message
    assert "MRN 'RACE1' (patient id 9)" in message
    assert "other" not in message
    assert "Zebulon" not in message  # ids, never names
    assert "Quixotic" not in message
    assert "Nothing was changed" in message
    assert migrate.current_revision(fresh_engine) == "0010"
    assert "mrn_key" not in _columns(fresh_engine)
