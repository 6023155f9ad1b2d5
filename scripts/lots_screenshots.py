"""The Lots and stock pictures (issue 12 §5): the Lots screen and a lot recall search.

`scripts/screenshots.py` calls :func:`lots_shots` with the demo it built; run alone
(QT_QPA_PLATFORM=offscreen python scripts/lots_screenshots.py [--out docs/screenshots]) it
seeds its own throwaway demo, as that script does, and makes only these two pictures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from clinic_app.services.container import AppServices
from clinic_app.ui.admin.lot_recall_dialog import RecallDialog
from clinic_app.ui.admin.lots_dialog import LotsDialog

ROOT = Path(__file__).resolve().parents[1]


def _save(widget: QWidget, path: Path, width: int, height: int) -> None:
    widget.resize(width, height)
    widget.show()
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def lots_shots(services: AppServices, out: Path) -> None:
    """File → Lots and stock… as the demo's administrator, then the recall search of the
    lidocaine lot in use: who received it this past year."""
    dialog = LotsDialog(services)
    in_use = next(x for x in dialog.lots if x.medication_name.startswith("Lidocaine 1%"))
    dialog.select_lot(in_use.lot_number)
    _save(dialog, out / "lots.png", 1180, 620)
    dialog.on_search()
    search = dialog.form
    assert isinstance(search, RecallDialog)
    search.on_search()
    _save(search, out / "lot-recall-search.png", 1180, 560)
    search.close()
    dialog.close()


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
    folder = Path(tempfile.gettempdir()) / "clinic_app-lots-screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    os.environ["CLINIC_APP_CONFIG_DIR"] = str(folder / "config")
    os.environ["CLINIC_APP_DATA_DIR"] = str(folder / "data")
    try:
        demo = open_services(shots.demo_database(folder))
        demo.clinic.authenticate(PROVIDERS[0][0], DEMO_PASSWORD)
        lots_shots(demo, args.out)
        demo.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
