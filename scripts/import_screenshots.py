"""The patient import pictures (issue 14 §3): the CSV column mapping and the preview.

`scripts/screenshots.py` calls :func:`import_shots` with the demo it built; run alone
(QT_QPA_PLATFORM=offscreen python scripts/import_screenshots.py [--out docs/screenshots]) it
seeds its own throwaway demo, as that script does, and makes only these two pictures. Nothing
is imported: the dialog closes at the preview.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from clinic_app.services.container import AppServices
from clinic_app.ui.common.jobs import wait_all_idle
from clinic_app.ui.patients.import_dialog import PatientImportDialog

ROOT = Path(__file__).resolve().parents[1]

#: A practice-management export as such systems write it: semicolons, day-first dates that
#: settle nothing until 17/05, a BOM. Line 5 repeats the demo's first patient (a duplicate),
#: line 9 lacks a family name, line 11 repeats line 2's chart number.
EXPORT = [
    "Chart No;Last Name;First Name;Middle;DOB;Gender;Language;Home Phone;Email",
    "PM-20411;Okafor;Chidi;;03/04/1968;M;English;(312) 555-0141;",
    "PM-20412;Lindqvist;Maja;E;11/02/1990;F;;(312) 555-0178;maja@example.org",
    "PM-20413;Hernández Ruiz;Lucía;;05/06/1955;F;Spanish;(773) 555-0102;",
    "{duplicate}",
    "PM-20415;Nakamura;Ken;;17/05/1979;M;en;(312) 555-0166;",
    "PM-20416;Dubois;Amélie;;09/12/1984;F;;(872) 555-0120;",
    "PM-20417;Wójcik;Tomasz;;28/08/1962;M;;;",
    "PM-20418;;Sam;;01/01/2001;U;;(312) 555-0190;",
    "PM-20419;Abadi;Yasmin;;30/02/1987;F;;(312) 555-0133;",
    "pm-20411;Okafor;C.;;03/04/1968;M;;;",
    "PM-20421;Ortega;Rafael;;14/07/1949;M;Español;(773) 555-0155;",
]


def _save(widget: QWidget, path: Path, width: int, height: int) -> None:
    widget.resize(width, height)
    widget.show()
    QTest.qWait(200)  # a script, not a test: let the layout settle
    wait_all_idle()
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def import_shots(services: AppServices, out: Path, folder: Path) -> None:
    """File → Import patients… on a CSV export written into ``folder``: the column mapping as
    suggested from the header, then the preview (new, duplicate and invalid rows)."""
    known = services.patients.search("", limit=1)[0]
    born = known.date_of_birth.strftime("%d/%m/%Y")
    sex = known.sex.value[0].upper()
    duplicate = f"{known.mrn};{known.family_name};{known.given_name};;{born};{sex};;;"
    path = folder / "practice-export.csv"
    text = "\r\n".join(EXPORT).replace("{duplicate}", duplicate) + "\r\n"
    path.write_bytes(text.encode("utf-8-sig"))
    dialog = PatientImportDialog(services)
    dialog.load(path)
    wait_all_idle()
    _save(dialog, out / "import-mapping.png", 980, 760)
    dialog.on_preview()
    wait_all_idle()
    _save(dialog, out / "import-preview.png", 1100, 620)
    dialog.reject()


def main() -> int:
    import screenshots as shots  # the main script's demo and clock, when run alone

    from clinic_app.app import open_services
    from clinic_app.services.demo import DEMO_PASSWORD
    from clinic_app.services.demo_names import PROVIDERS

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    shots.start_app()
    folder = Path(tempfile.gettempdir()) / "clinic_app-import-screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    os.environ["CLINIC_APP_CONFIG_DIR"] = str(folder / "config")
    os.environ["CLINIC_APP_DATA_DIR"] = str(folder / "data")
    try:
        demo = open_services(shots.demo_database(folder))
        demo.clinic.authenticate(PROVIDERS[0][0], DEMO_PASSWORD)
        import_shots(demo, args.out, folder)
        demo.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
