"""Composition root: settings → engine → migrations → services → window.

Nothing else in the app creates engines or session factories: the GUI starts through
:func:`run_gui`, and the headless commands of :mod:`clinic_app.cli` through
:func:`existing_database`, :func:`upgrade_database`, :func:`schema_state` and
:func:`seed_demo_database`.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from clinic_app.domain.bodymap import default_bodymap
from clinic_app.domain.catalog import default_catalog
from clinic_app.domain.errors import ClinicError, DatabaseOpenError
from clinic_app.domain.favourites import default_favourites
from clinic_app.domain.formulary import default_formulary
from clinic_app.domain.referred import default_referred_areas
from clinic_app.services.audit_chain import AuditSeal, installation_seal
from clinic_app.services.container import AppServices, build_services
from clinic_app.services.demo import DemoSummary, seed_demo
from clinic_app.services.encounters import clean_after_crash
from clinic_app.storage import migrate, opening
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import config_dir, describe_url, sqlite_path

log = logging.getLogger(__name__)


def audit_seal() -> AuditSeal:
    """This installation's audit seal: the key file in the per-user config folder (or where
    ``CLINIC_APP_AUDIT_KEY`` points), made on first use; never inside the database."""
    return installation_seal(config_dir())


def open_services(url: str) -> AppServices:
    """Load the reference data, open and upgrade the database, build the services.

    Raises:
        ClinicError: a broken catalog or formulary file (naming the file and entry), or a
            database that cannot be opened or upgraded.
    """
    # Reference data is validated once, before any window: a broken file stops start-up
    # with a message naming the file and the entry.
    default_catalog()
    default_formulary()
    default_favourites()
    default_bodymap()
    default_referred_areas()
    _check_file(url)
    with opening.translate_open_errors(url):
        engine = make_engine(url)
        try:
            result = migrate.upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
    if result.backup is not None:
        log.info(
            "schema upgraded from %s; previous file kept as %s", result.before, result.backup.name
        )
    services = build_services(
        make_sessionmaker(engine),
        describe_url(url),
        is_sqlite=sqlite_path(url) is not None,
        close=engine.dispose,
        seal=audit_seal(),
    )
    clean_after_crash(services.encounters)
    return services


def _check_file(url: str, *, must_exist: bool = False) -> None:
    """Refuse an SQLite file that cannot be opened safely (see :mod:`.storage.opening`)."""
    path = sqlite_path(url)
    # An SQLite URI (``?uri=true``) names its own open mode: SQLite checks it.
    if path is not None and not make_url(url).query.get("uri"):
        opening.check_sqlite_file(path, must_exist=must_exist)


@contextmanager
def _engine(url: str, *, must_exist: bool = False) -> Iterator[Engine]:
    """An engine on ``url``, after the file checks; open failures become
    :class:`DatabaseOpenError` (only those met while making it: callers translate theirs)."""
    _check_file(url, must_exist=must_exist)
    with opening.translate_open_errors(url):
        engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def existing_database(url: str) -> Iterator[AppServices]:
    """Services on a database that exists and is at the current schema, with no one signed
    in (for the headless document commands).

    Never creates or upgrades a database: a typo in a path must not leave an empty file.

    Raises:
        DatabaseOpenError: no such SQLite file, a file or server that cannot be opened, or a
            database written by a newer version.
        ClinicError: the schema is older than this version's (`clinic-app db upgrade`).
    """
    path = sqlite_path(url)
    with _engine(url, must_exist=True) as engine:
        current = migrate.current_revision(engine)
        head = migrate.head_revision()
        if current is not None and not migrate.is_known_revision(current):
            raise opening.newer_version(opening.where(url), current, head)
        if current != head:
            raise ClinicError(
                f"{describe_url(url)} is not at the current schema; run `clinic-app db upgrade`."
            )
        services = build_services(
            make_sessionmaker(engine),
            describe_url(url),
            is_sqlite=path is not None,
            seal=audit_seal(),
        )
        # No one signs in here (yet): the permission matrix's command-line actions only.
        services.actor.command_line = True
        yield services


def upgrade_database(url: str) -> migrate.UpgradeResult:
    """Create the database if needed and migrate it to the newest schema."""
    with _engine(url) as engine, opening.translate_open_errors(url):
        return migrate.upgrade(engine)


@dataclass(frozen=True, slots=True)
class SchemaState:
    """A database's schema revision against this version's newest.

    Attributes:
        current: the revision in the database; None for an empty one.
        head: the newest revision this version knows.
        known: False when a newer version of the app wrote the database.
    """

    current: str | None
    head: str
    known: bool


def schema_state(url: str) -> SchemaState:
    """The schema revision of the database at ``url`` (connects; creates an SQLite file)."""
    with _engine(url) as engine:
        current = migrate.current_revision(engine)
    known = current is None or migrate.is_known_revision(current)
    return SchemaState(current, migrate.head_revision(), known)


def seed_demo_database(
    url: str, *, patients: int, seed: int, progress: Callable[[str], None]
) -> DemoSummary:
    """Migrate the (empty) database at ``url`` and fill it with the synthetic demo clinic."""
    with _engine(url) as engine:
        with opening.translate_open_errors(url):
            migrate.upgrade(engine)
        return seed_demo(make_sessionmaker(engine), patients=patients, seed=seed, progress=progress)


def start_failure_text(exc: ClinicError) -> tuple[str, str]:
    """The title and text of the dialog that says why the app cannot start."""
    if isinstance(exc, DatabaseOpenError):
        return "The database cannot be opened", f"{exc.what}\n\n{exc.advice}"
    return "clinic_app cannot start", str(exc)


def _cannot_start(exc: ClinicError) -> None:
    from clinic_app.ui.common import messages

    print(f"clinic-app: {exc}", file=sys.stderr)
    messages.fatal(*start_failure_text(exc))


def run_gui(url: str) -> int:
    """Start the Qt application on ``url``; returns the process exit code."""
    from PySide6.QtWidgets import QApplication

    from clinic_app.ui.common.fonts import install_fonts
    from clinic_app.ui.common.theme import apply_theme
    from clinic_app.ui.startup import create_main_window, run_startup

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("clinic_app")
    app.setOrganizationName("clinic_app")
    if isinstance(app, QApplication):
        # Every patient's name shows, whatever fonts this computer has.
        install_fonts(app)
        apply_theme(app)  # the clinic palette, light or dark as the OS is; touch-size controls
    try:
        services = open_services(url)
    except ClinicError as exc:
        _cannot_start(exc)
        return 2
    try:
        try:
            signed_in = run_startup(services)
        except ClinicError as exc:  # the database failed while the first dialog read it
            _cannot_start(exc)
            return 2
        if not signed_in:
            return 0
        window = create_main_window(services)
        window.show()
        return int(app.exec())
    finally:
        services.close()
