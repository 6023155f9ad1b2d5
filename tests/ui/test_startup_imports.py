"""Issue 13: the sign-in dialog paints at most 4x as late as a bare PySide6 window, so what
it does not need is imported on first use. A real start (``clinic_app.cli.main``) in a child
process lists ``sys.modules`` when the sign-in dialog first paints, signs in, and lists them
again when the main window first paints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from clinic_app import app
from clinic_app.storage.location import sqlite_url
from tests.factories import PASSWORD, set_up_clinic

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import json, os, sys
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    qt_app = QApplication(sys.argv[:1])
    seen = {}

    class Watch(QObject):
        def eventFilter(self, obj, event):
            if event.type() != QEvent.Type.Paint:
                return False
            name = type(obj).__name__
            if name == "SignInDialog" and "sign-in" not in seen:
                seen["sign-in"] = sorted(sys.modules)
                obj.username.setText("admin")
                obj.password.setText(sys.argv[2])
                obj.accept()
            elif name == "MainWindow" and "main" not in seen:
                seen["main"] = sorted(sys.modules)
                print(json.dumps(seen), flush=True)
                os._exit(0)
            return False

    watch = Watch()
    qt_app.installEventFilter(watch)
    from clinic_app.cli import main

    main(["--db", sys.argv[1]])
    print("the main window never painted", flush=True)
    """
)

#: Not needed before the main window (each is imported when its window first opens).
LATER = (
    "alembic",
    "reportlab",
    "clinic_app.ui.encounter.editor",
    "clinic_app.ui.bodymap.widget",
    "clinic_app.ui.front_desk.window",
    "clinic_app.ui.admin.users_dialog",
    "clinic_app.ui.admin.clinic_settings",
    "clinic_app.ui.admin.audit_dialog",
    "clinic_app.ui.admin.lots_dialog",
)
#: Not needed before the sign-in dialog either.
AFTER_SIGN_IN = ("clinic_app.ui.main_window", "clinic_app.ui.patients.panel")


def _loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


def test_the_sign_in_dialog_and_the_main_window_import_only_what_they_show(
    tmp_path: Path,
) -> None:
    url = sqlite_url(tmp_path / "clinic.sqlite3")
    services = app.open_services(url)
    set_up_clinic(services)
    services.close()

    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, PASSWORD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert "clinic_app.ui.admin.sign_in_dialog" in seen["sign-in"]
    assert _loaded(seen["sign-in"], LATER + AFTER_SIGN_IN) == []
    assert "clinic_app.ui.main_window" in seen["main"]
    assert _loaded(seen["main"], LATER) == []
