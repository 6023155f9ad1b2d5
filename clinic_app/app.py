"""Composition root: settings → engine → migrations → services → window.

Nothing else in the app creates engines or session factories.
"""

from __future__ import annotations

import logging
import sys

from clinic_app.domain.bodymap import default_bodymap
from clinic_app.domain.catalog import default_catalog
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.favourites import default_favourites
from clinic_app.domain.formulary import default_formulary
from clinic_app.domain.referred import default_referred_areas
from clinic_app.services.container import AppServices, build_services
from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import describe_url, sqlite_path

log = logging.getLogger(__name__)


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
    return build_services(
        make_sessionmaker(engine),
        describe_url(url),
        is_sqlite=sqlite_path(url) is not None,
        close=engine.dispose,
    )


def run_gui(url: str) -> int:
    """Start the Qt application on ``url``; returns the process exit code."""
    from PySide6.QtWidgets import QApplication

    from clinic_app.ui.common import messages
    from clinic_app.ui.common.fonts import install_fonts
    from clinic_app.ui.startup import create_main_window, run_startup

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("clinic_app")
    app.setOrganizationName("clinic_app")
    if isinstance(app, QApplication):
        # Every patient's name shows, whatever fonts this computer has.
        install_fonts(app)
    try:
        services = open_services(url)
    except ClinicError as exc:
        print(f"clinic-app: {exc}", file=sys.stderr)
        messages.fatal("clinic_app cannot start", str(exc))
        return 2
    try:
        if not run_startup(services):
            return 0
        window = create_main_window(services)
        window.show()
        return int(app.exec())
    finally:
        services.close()
