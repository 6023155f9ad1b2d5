"""Migration 0017: the pain drawing table and its frozen-with-the-visit triggers, down and up."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect, text

from clinic_app.storage import migrate


def _triggers(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        else:
            rows = conn.execute(
                text(
                    "SELECT DISTINCT trigger_name FROM information_schema.triggers "
                    "WHERE event_object_table = 'pain_drawing' "
                    "AND trigger_schema = current_schema()"
                )
            )
        return {name for (name,) in rows if name.startswith("pain_drawing_frozen")}


def test_0017_adds_the_table_with_its_triggers_and_goes_down_and_up(fresh_engine: Engine) -> None:
    migrate.run_migrations(fresh_engine, "head")
    assert "pain_drawing" in inspect(fresh_engine).get_table_names()
    assert _triggers(fresh_engine)
    cfg = migrate.alembic_config()
    with fresh_engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0017-1")  # the revision before 0017, whatever it is after merges
    assert "pain_drawing" not in inspect(fresh_engine).get_table_names()
    assert _triggers(fresh_engine) == set()
    migrate.run_migrations(fresh_engine, "head")
    assert "pain_drawing" in inspect(fresh_engine).get_table_names()
    assert _triggers(fresh_engine)
