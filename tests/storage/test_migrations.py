from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from clinic_app.domain.errors import StorageError
from clinic_app.models import Base
from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine
from clinic_app.storage.location import sqlite_url


def _diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(ctx, Base.metadata))


def test_models_and_migrations_agree_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "m.sqlite3"))
    result = migrate.upgrade(engine)
    assert result.before is None
    assert result.after == migrate.head_revision()
    assert _diff(engine) == []
    engine.dispose()


@pytest.mark.postgres
def test_models_and_migrations_agree_on_postgresql(pg_engine: Engine) -> None:
    assert migrate.current_revision(pg_engine) == migrate.head_revision()
    assert _diff(pg_engine) == []


def test_every_model_table_is_created(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "m.sqlite3"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    engine.dispose()


def test_upgrade_copies_an_existing_database_first(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    # Pretend the file predates the newest revision: stamp it as "before the first one"
    # with a table of data that must survive the copy.
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE keepsake (v TEXT)"))
        conn.execute(text("INSERT INTO keepsake VALUES ('precious')"))
        conn.execute(text("DELETE FROM alembic_version"))
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(text(f"DROP TABLE {table.name}"))
    result = migrate.upgrade(engine)
    assert result.before is None
    assert result.backup is not None
    assert result.backup.exists()
    assert result.backup.parent == path.parent
    backup_engine = make_engine(sqlite_url(result.backup))
    with backup_engine.connect() as conn:
        assert conn.execute(text("select v from keepsake")).scalar() == "precious"
    backup_engine.dispose()
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


def test_fresh_file_gets_no_backup_and_second_upgrade_is_a_no_op(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "new.sqlite3"))
    first = migrate.upgrade(engine)
    assert first.backup is None
    second = migrate.upgrade(engine)
    assert second.before == second.after == migrate.head_revision()
    assert second.backup is None
    assert list(tmp_path.glob("*.before-*")) == []
    engine.dispose()


def test_database_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "future.sqlite3"))
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    with pytest.raises(StorageError, match="newer version"):
        migrate.upgrade(engine)
    engine.dispose()


def test_upgrade_from_the_first_revision_keeps_data_and_copies_the_file(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.sqlite3"
    engine = make_engine(sqlite_url(path))
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO patient (mrn, given_name, family_name, given_key, family_key, "
                "date_of_birth, sex, preferred_language, phone, allergies, anticoagulant, "
                "diabetes, pregnant_or_breastfeeding, notes, created_at, updated_at, void_reason, "
                "version) "
                "VALUES ('OLD1', 'Ana', 'Old', 'ana', 'old', '1970-01-01', 'female', 'en', '', '', "
                "0, 0, 0, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00', '', 1)"
            )
        )
    result = migrate.upgrade(engine)
    assert result.before == "0001"
    assert result.after == migrate.head_revision()
    assert result.backup is not None
    assert result.backup.exists()
    with engine.connect() as conn:
        assert conn.execute(text("select payer from patient where mrn='OLD1'")).scalar() == "none"
    assert _diff(engine) == []
    engine.dispose()


def test_upgrade_from_0002_gives_old_encounters_an_unrecorded_outcome(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.sqlite3"
    engine = make_engine(sqlite_url(path))
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO app_user (id, username, display_name, credentials, role, "
                "is_provider, active, password_hash, created_at) "
                "VALUES (1, 'ana', 'Ana', 'MD', 'provider', 1, 1, 'x', '2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO patient (id, mrn, given_name, family_name, given_key, family_key, "
                "date_of_birth, sex, preferred_language, phone, allergies, anticoagulant, "
                "diabetes, pregnant_or_breastfeeding, notes, created_at, updated_at, void_reason, "
                "version, payer) "
                "VALUES (1, 'OLD1', 'Ana', 'Old', 'ana', 'old', '1970-01-01', 'female', 'en', '', "
                "'', 0, 0, 0, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00', '', 1, 'none')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO encounter (id, patient_id, provider_id, performed_at, indication, "
                "icd10_codes, screening, consent_obtained, time_out_done, complications, "
                "follow_up_plan, status, override_reasons, version, created_at, updated_at) "
                "VALUES (1, 1, 1, '2026-01-01 00:00:00', '', '[]', '{}', 0, 0, '', '', "
                "'draft', '[]', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
    result = migrate.upgrade(engine)
    assert result.before == "0002"
    with engine.connect() as conn:
        row = conn.execute(text("select needle_intact, disposition from encounter")).one()
    assert tuple(row) == (None, "")
    assert _diff(engine) == []
    engine.dispose()


def test_upgrade_rebuilds_referenced_tables_holding_data(tmp_path: Path) -> None:
    """A signed visit with sites and doses survives the table rebuilds of later revisions.

    SQLite rebuilds a table to alter it; with foreign keys on, dropping the old ``encounter``
    while sites point at it fails, so the upgrade must switch them off for the rebuild and
    check every reference before it commits.
    """
    engine = make_engine(sqlite_url(tmp_path / "old.sqlite3"))
    migrate.run_migrations(engine, "0003")
    stamp = "'2026-01-01 10:00:00'"
    with engine.begin() as conn:
        for sql in (
            "INSERT INTO app_user (id, username, display_name, credentials, role, is_provider, "
            f"active, password_hash, created_at) VALUES (1, 'doc', 'Doc', 'MD', 'provider', 1, 1, "
            f"'x', {stamp})",
            "INSERT INTO patient (id, mrn, given_name, family_name, given_key, family_key, "
            "date_of_birth, sex, preferred_language, phone, allergies, anticoagulant, diabetes, "
            "pregnant_or_breastfeeding, notes, payer, created_at, updated_at, void_reason, "
            "version) VALUES (1, 'P1', 'Ana', 'Lee', 'ana', 'lee', '1970-01-01', 'female', 'en', "
            f"'', '', 0, 0, 0, '', 'none', {stamp}, {stamp}, '', 1)",
            "INSERT INTO medication (id, code, name, generic, drug_class, concentration, "
            "concentration_unit, strength_label, epinephrine, source, active) VALUES (1, 'lido', "
            "'Lidocaine 1%', "
            "'lidocaine', 'local_anesthetic', '10', 'mg/mL', '1%', 0, 'label', 1)",
            "INSERT INTO encounter (id, patient_id, provider_id, performed_at, indication, "
            "icd10_codes, screening, consent_obtained, time_out_done, complications, "
            "follow_up_plan, status, signed_by_id, signed_at, override_reasons, version, "
            "created_at, updated_at, disposition) VALUES (1, 1, 1, "
            f"{stamp}, 'pain', '[]', '{{}}', 1, 1, '', '', 'signed', 1, {stamp}, '[]', 2, "
            f"{stamp}, {stamp}, 'home')",
            "INSERT INTO injection_site (id, encounter_id, order_number, muscle_code, side, view, "
            "point_x, point_y, technique, twitch_response, aspiration) VALUES (1, 1, 1, "
            "'trapezius_upper', 'right', 'posterior', 0.5, 0.2, 'injection', 'local', 'negative')",
            "INSERT INTO site_dose (id, site_id, medication_id, volume_ml, dose, dose_unit) "
            "VALUES (1, 1, 1, '1', '10', 'mg')",
        ):
            conn.execute(text(sql))
    result = migrate.upgrade(engine)
    assert (result.before, result.after) == ("0003", migrate.head_revision())
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from injection_site")).scalar() == 1
        assert conn.execute(text("select count(*) from site_dose")).scalar() == 1
        assert conn.execute(text("select status from encounter")).scalar() == "signed"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        # The signed visit is frozen after the upgrade too (the triggers of 0005 are there).
        with pytest.raises(Exception, match="frozen"):
            conn.execute(text("update injection_site set side = 'left'"))
    assert _diff(engine) == []
    engine.dispose()
