"""The Progress pictures (issue 14 §1): the Progress view and the progress report's page.

`scripts/screenshots.py` calls :func:`progress_shots` with the demo it built; run alone
(QT_QPA_PLATFORM=offscreen python scripts/progress_screenshots.py [--out docs/screenshots]) it
seeds its own throwaway demo, as that script does, and makes only these two pictures.
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

from clinic_app.services.container import AppServices
from clinic_app.ui.progress.window import ProgressWindow

ROOT = Path(__file__).resolve().parents[1]


def _wrote(path: Path) -> None:
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def _save(widget: QWidget, path: Path, width: int, height: int) -> None:
    widget.resize(width, height)
    widget.show()
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    _wrote(path)


def _first_page(pdf: bytes, path: Path, dpi: int = 80) -> None:
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is needed for the report picture (apt install poppler-utils)")
    with tempfile.TemporaryDirectory() as tmp:
        source, stem = Path(tmp) / "page.pdf", Path(tmp) / "page"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", source, stem],
            check=True,
        )
        shutil.copyfile(stem.with_suffix(".png"), path)
    _wrote(path)


def longest_series(services: AppServices) -> int:
    """The demo patient with the longest series of signed visits, one with a payer's session
    limit (Medicare) when there is one, so that the picture shows the count against it."""
    best: tuple[bool, int, int] = (False, -1, 0)
    for patient in services.patients.search("", limit=200):
        progress = services.progress.progress(patient.id).progress
        key = (progress.series.limited, len(progress.points), patient.id)
        if key[:2] > best[:2]:
            best = key
    return best[2]


def progress_shots(services: AppServices, out: Path) -> None:
    """Patient → Progress… for the demo patient with the longest series, and the first page of
    their progress report."""
    patient_id = longest_series(services)
    window = ProgressWindow(services.progress, services.progress.progress(patient_id))
    _save(window, out / "progress-view.png", 1000, 860)
    window.close()
    _first_page(services.progress.render_report(patient_id), out / "progress-report.png")


def main() -> int:
    import screenshots as shots  # the main script's demo and clock, when run alone

    from clinic_app.app import open_services
    from clinic_app.domain import clock
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
    folder = Path(tempfile.gettempdir()) / "clinic_app-progress-screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    os.environ["CLINIC_APP_CONFIG_DIR"] = str(folder / "config")
    os.environ["CLINIC_APP_DATA_DIR"] = str(folder / "data")
    try:
        demo = open_services(shots.demo_database(folder))
        demo.clinic.authenticate(PROVIDERS[0][0], DEMO_PASSWORD)
        progress_shots(demo, args.out)
        demo.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
