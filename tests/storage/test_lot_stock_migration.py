"""Migration 0014: lot stock columns and ``lot_adjustment``, up and down on both backends."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from clinic_app.storage import migrate


def _previous() -> str:
    """The revision 0014 follows (0012 on the lots branch, 0013 once merged)."""
    down = ScriptDirectory.from_config(migrate.alembic_config()).get_revision("0014").down_revision
    assert isinstance(down, str)
    return down


def _columns(engine: Engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_0014_keeps_old_lots_untracked_and_goes_down_and_up_again(fresh_engine: Engine) -> None:
    previous = _previous()
    migrate.run_migrations(fresh_engine, previous)
    with fresh_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO medication (id, code, name, generic, drug_class, concentration, "
                "concentration_unit, strength_label, epinephrine, source, active) VALUES (1, "
                "'lido', 'Lidocaine 1%', 'lidocaine', 'local_anesthetic', '10', 'mg/mL', '1%', "
                "false, 'label', true)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO medication_lot (id, medication_id, lot_number, expires_on) "
                "VALUES (1, 1, 'A1', '2027-01-31')"
            )
        )
    migrate.run_migrations(fresh_engine, "0014")
    with fresh_engine.connect() as conn:
        row = conn.execute(
            text("select quantity_ml, supplier, recalled, version from medication_lot")
        ).one()
    assert (row.quantity_ml, row.supplier, bool(row.recalled), row.version) == (None, "", False, 1)
    assert "reason" in _columns(fresh_engine, "lot_adjustment")
    # A lot cannot be received with nothing in it.
    with (
        pytest.raises(Exception, match=r"(?i)check|constraint"),
        fresh_engine.begin() as conn,
    ):
        conn.execute(text("update medication_lot set quantity_ml = '0' where id = 1"))

    cfg = migrate.alembic_config()
    with fresh_engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, previous)
    assert "quantity_ml" not in _columns(fresh_engine, "medication_lot")
    assert "lot_adjustment" not in inspect(fresh_engine).get_table_names()
    with fresh_engine.connect() as conn:
        assert conn.execute(text("select lot_number from medication_lot")).scalar() == "A1"
    migrate.run_migrations(fresh_engine, "head")
    assert migrate.current_revision(fresh_engine) == migrate.head_revision()
