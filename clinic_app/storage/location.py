"""Where the database lives: the per-user data folder, ``--db`` and ``CLINIC_APP_DB``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from clinic_app.domain.errors import StorageError

APP_NAME = "clinic_app"
APP_AUTHOR = "clinic_app"
DB_ENV = "CLINIC_APP_DB"
DATA_DIR_ENV = "CLINIC_APP_DATA_DIR"
CONFIG_DIR_ENV = "CLINIC_APP_CONFIG_DIR"
DEFAULT_DB_FILENAME = "clinic.sqlite3"
SUPPORTED_DRIVERS = {"sqlite", "sqlite+pysqlite", "postgresql+psycopg", "postgresql"}


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user application-data folder (``CLINIC_APP_DATA_DIR`` overrides it).

    Linux: ~/.local/share/clinic_app; macOS: ~/Library/Application Support/clinic_app;
    Windows: %LOCALAPPDATA%\\clinic_app\\clinic_app.
    """
    env = os.environ if environ is None else environ
    override = env.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user configuration folder (``CLINIC_APP_CONFIG_DIR`` overrides it).

    Linux: ~/.config/clinic_app; macOS: ~/Library/Application Support/clinic_app;
    Windows: %LOCALAPPDATA%\\clinic_app\\clinic_app. Secrets kept outside the database (the
    audit key) live here.
    """
    env = os.environ if environ is None else environ
    override = env.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def log_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user log folder (``CLINIC_APP_LOG_DIR`` overrides it).

    Linux: ~/.local/state/clinic_app/log; macOS: ~/Library/Logs/clinic_app; Windows:
    %LOCALAPPDATA%\\clinic_app\\clinic_app\\Logs. The log holds no patient names and no
    passwords: only actions, record ids and error classes.
    """
    env = os.environ if environ is None else environ
    override = env.get("CLINIC_APP_LOG_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of an SQLite file (absolute, so the working folder never matters)."""
    return f"sqlite:///{path.expanduser().resolve().as_posix()}"


def resolve_database_url(
    cli_value: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """Pick the database: ``--db`` first, then ``CLINIC_APP_DB``, then the default file.

    A bare file path is accepted as an SQLite database. ``postgresql://`` is read as
    ``postgresql+psycopg://`` so that the one supported driver is used. An empty ``--db``
    is refused rather than read as "the default database" (an unset shell variable in
    ``--db "$DB"`` must not open the real one); an empty ``CLINIC_APP_DB`` counts as unset.

    Raises:
        StorageError: an empty ``--db``, a malformed URL or an unsupported driver.
    """
    env = os.environ if environ is None else environ
    if cli_value is not None and not cli_value.strip():
        raise StorageError(
            "--db is empty: give an SQLite file path or a postgresql+psycopg:// URL, or leave "
            f"--db out to use ${DB_ENV} or the default database."
        )
    raw = cli_value or env.get(DB_ENV) or ""
    if not raw:
        return sqlite_url(data_dir(env) / DEFAULT_DB_FILENAME)
    if "://" not in raw:
        return sqlite_url(Path(raw))
    try:
        url = make_url(raw)
    except ArgumentError:
        raise StorageError(f"Database URL {raw!r} is not a valid URL.") from None
    if url.drivername not in SUPPORTED_DRIVERS:
        raise StorageError(
            f"Database driver {url.drivername!r} is not supported; use an SQLite file or "
            "postgresql+psycopg://user:password@host/dbname."
        )
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def describe_url(url: str | URL) -> str:
    """A URL safe to show or log: the password is hidden."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_path(url: str | URL) -> Path | None:
    """The file behind an SQLite URL, or ``None`` for another backend or in-memory."""
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)
