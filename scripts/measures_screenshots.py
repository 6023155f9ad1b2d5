"""The outcome questionnaire pictures (issue 14 §1): the NDI dialog, half answered, and the
procedure note's "Outcome measures" table.

`scripts/screenshots.py` calls :func:`measures_shots` with the demo it built, before it signs
the showcase visit (so the signed note prints the visit's questionnaires); run alone
(QT_QPA_PLATFORM=offscreen python scripts/measures_screenshots.py [--out docs/screenshots]) it
seeds its own throwaway demo, as that script does, and makes only these pictures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from clinic_app.domain import clock
from clinic_app.domain.clock import clinic_day
from clinic_app.services.container import AppServices
from clinic_app.services.dto import MeasureEntry
from clinic_app.ui.measures.dialog import MeasureDialog
from clinic_app.ui.measures.target import for_patient

ROOT = Path(__file__).resolve().parents[1]
#: A filled-in NDI (18/50, moderate) and an ODI with the sex-life section left out (16/45).
NDI = (2, 2, 2, 2, 2, 2, 2, 2, 1, 1)
ODI = (2, 2, 2, 2, 2, 2, 2, None, 2, 0)


def _save(widget: QWidget, path: Path, width: int, height: int) -> None:
    widget.resize(width, height)
    widget.show()
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def measures_shots(services: AppServices, out: Path, patient_id: int, encounter_id: int) -> None:
    """Patient → Outcome questionnaire… for the showcase patient (today's visit chosen), the
    first seven sections answered; then the NDI and ODI recorded for that visit."""
    patient = services.patients.get(patient_id)
    dialog = MeasureDialog(services, for_patient(services, patient))
    dialog.visit_combo.setCurrentIndex(dialog.visit_combo.findData(encounter_id))
    dialog.set_answers((*NDI[:7], None, None, None))
    _save(dialog, out / "outcome-questionnaire.png", 760, 900)
    dialog.set_answers((None,) * 10)
    dialog.close()
    profile = services.clinic.profile()
    today = clinic_day(clock.now(), profile.timezone if profile else "")
    for code, answers in (("ndi", NDI), ("odi", ODI)):
        services.measures.record(MeasureEntry(code, answers, today, encounter_id=encounter_id))


def note_page_png(pdf: bytes, path: Path) -> None:
    """The page of the signed note that holds "Outcome measures", by poppler (pdftotext finds
    the page, pdftoppm draws it)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "note.pdf"
        source.write_bytes(pdf)
        for page in range(1, 20):
            pages = ["-f", str(page), "-l", str(page)]
            found = subprocess.run(
                ["pdftotext", *pages, source, "-"], capture_output=True, text=True, check=False
            )
            if found.returncode != 0:
                raise SystemExit("the note has no 'Outcome measures' section")
            if "Outcome measures" in found.stdout:
                stem = Path(tmp) / "page"
                subprocess.run(
                    ["pdftoppm", "-png", "-r", "70", *pages, "-singlefile", source, stem],
                    check=True,
                )
                shutil.copyfile(stem.with_suffix(".png"), path)
                print(f"wrote {path}")
                return
    raise SystemExit("the note has no 'Outcome measures' section")


def main() -> int:
    import screenshots as shots  # the main script's demo and clock, when run alone

    from clinic_app.app import open_services
    from clinic_app.services.demo import DEMO_PASSWORD, DEMO_TIMEZONE
    from clinic_app.services.demo_names import PROVIDERS
    from clinic_app.ui.common.fonts import install_fonts

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["TZ"] = DEMO_TIMEZONE
    time.tzset()
    clock.set_clock(clock.fixed_clock(shots.SCREENSHOT_TIME))
    app = QApplication.instance() or QApplication(sys.argv)
    if isinstance(app, QApplication):
        install_fonts(app)
    folder = Path(tempfile.gettempdir()) / "clinic_app-measures-screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    os.environ["CLINIC_APP_CONFIG_DIR"] = str(folder / "config")
    os.environ["CLINIC_APP_DATA_DIR"] = str(folder / "data")
    try:
        demo = open_services(shots.demo_database(folder))
        user = demo.clinic.authenticate(PROVIDERS[0][0], DEMO_PASSWORD)
        patient = demo.patients.search("garc", limit=1)[0]
        showcase = shots.showcase_encounter(demo, patient.id, user.id)
        measures_shots(demo, args.out, patient.id, showcase)
        shots.sign_showcase(demo, showcase)
        note_page_png(demo.notes.render_note(showcase), args.out / "procedure-note-measures.png")
        demo.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
