"""The FHIR export picture (issue 14 §3): the Patient menu with "Export to FHIR…" open over
the main window, a patient selected.

`scripts/screenshots.py` calls :func:`fhir_export_shot` with the demo it built; run alone
(QT_QPA_PLATFORM=offscreen python scripts/fhir_screenshots.py [--out docs/screenshots]
[--db URL of a demo database]) it seeds its own throwaway demo unless given one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter
from PySide6.QtTest import QTest

from clinic_app.services.container import AppServices
from clinic_app.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]


def fhir_export_shot(services: AppServices, out: Path) -> None:
    """The main window with its Patient menu open on "Export to FHIR…" (the menu is its own
    window, so it is painted onto the window's picture where it opened)."""
    window = MainWindow(services)
    window.resize(1280, 800)
    window.show()
    window.run_search()
    window.table.selectRow(0)
    QTest.qWait(300)
    patient_entry = window.menuBar().actions()[1]
    menu = patient_entry.menu()
    corner = window.menuBar().actionGeometry(patient_entry).bottomLeft()
    menu.popup(window.menuBar().mapToGlobal(corner))
    menu.setActiveAction(window.export_fhir_action)
    QTest.qWait(300)
    picture = window.grab()
    painter = QPainter(picture)
    where = window.mapFromGlobal(menu.mapToGlobal(QPoint(0, 0)))
    painter.drawPixmap(where, menu.grab())
    painter.end()
    menu.close()
    path = out / "patient-menu-export-fhir.png"
    if not picture.save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    window.close()


def main() -> int:
    import screenshots as shots  # the main script's demo and clock, when run alone

    from clinic_app.app import open_services
    from clinic_app.services.demo_names import DEMO_PASSWORD, PROVIDERS

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--db", help="an existing demo database (default: seed one)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    shots.start_app()
    folder = Path(tempfile.gettempdir()) / "clinic_app-fhir-screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    if not args.db:
        os.environ["CLINIC_APP_CONFIG_DIR"] = str(folder / "config")
        os.environ["CLINIC_APP_DATA_DIR"] = str(folder / "data")
    try:
        demo = open_services(args.db or shots.demo_database(folder))
        demo.clinic.authenticate(PROVIDERS[0][0], DEMO_PASSWORD)
        fhir_export_shot(demo, args.out)
        demo.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
