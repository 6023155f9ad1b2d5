"""Migration 0016: the outcome questionnaires' table and the triggers that freeze a signed
visit's responses; down and up again on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect, text

from clinic_app.storage import migrate


def _triggers(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            rows = conn.execute(
                text(
                    "SELECT DISTINCT trigger_name FROM information_schema.triggers "
                    "WHERE event_object_table = 'measure_response'"
                )
            )
        else:
            rows = conn.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                    "AND tbl_name = 'measure_response'"
                )
            )
        return {name for (name,) in rows}


def test_0016_adds_the_table_with_its_triggers_and_goes_down_and_up(
    fresh_engine: Engine,
) -> None:
    migrate.run_migrations(fresh_engine, "0016")
    assert "measure_response" in inspect(fresh_engine).get_table_names()
    expected = (
        {"signed_measure_response"}
        if fresh_engine.dialect.name == "postgresql"
        else {"signed_measure_insert", "signed_measure_update", "signed_measure_delete"}
    )
    assert _triggers(fresh_engine) == expected
    indexes = {i["name"] for i in inspect(fresh_engine).get_indexes("measure_response")}
    assert indexes == {"ix_measure_response_patient_id", "ix_measure_response_encounter_id"}

    cfg = migrate.alembic_config()
    with fresh_engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015")
    assert "measure_response" not in inspect(fresh_engine).get_table_names()
    if fresh_engine.dialect.name == "postgresql":
        with fresh_engine.connect() as conn:
            found = conn.execute(
                text(
                    "SELECT count(*) FROM pg_proc WHERE proname = 'signed_measure_response' "
                    "AND pronamespace = current_schema()::regnamespace"
                )
            )
            assert found.scalar() == 0
    migrate.run_migrations(fresh_engine, "head")
    assert _triggers(fresh_engine) == expected
