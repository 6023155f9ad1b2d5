"""Start-up loads only what the first window needs (issue 13): a database already at the
newest schema opens without Alembic, and no PDF library is imported before the first PDF."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from clinic_app.app import open_services
from clinic_app.storage import migrate
from clinic_app.storage.location import sqlite_url

ROOT = Path(__file__).resolve().parents[2]


def test_the_newest_revision_read_from_file_names_is_alembics_head() -> None:
    assert migrate.newest_file_revision() == migrate.head_revision()


def _modules_after(code: str) -> set[str]:
    script = textwrap.dedent(code) + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_opening_a_current_database_imports_neither_alembic_nor_reportlab(
    tmp_path: Path,
) -> None:
    url = sqlite_url(tmp_path / "current.sqlite3")
    open_services(url).close()  # migrated to the head here, as at the first start
    loaded = _modules_after(
        f"""
        import clinic_app.cli
        from clinic_app.app import open_services
        services = open_services({url!r})
        services.close()
        """
    )
    assert "clinic_app.services.documents" in loaded  # the services were all built
    assert not {m for m in loaded if m.split(".")[0] in {"alembic", "reportlab"}}


def test_an_older_database_is_still_upgraded(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "older.sqlite3")
    from clinic_app.storage.engine import make_engine

    engine = make_engine(url)
    migrate.run_migrations(engine, "0012")
    result = migrate.upgrade(engine)
    assert (result.before, result.after) == ("0012", migrate.head_revision())
    assert migrate.stamped_revision(engine) == migrate.head_revision()
    engine.dispose()
