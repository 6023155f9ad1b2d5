"""Render the README pictures from the real windows, offscreen, on throwaway databases.

Usage: QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--out docs/screenshots]
(`make screenshots` does exactly this). Nothing touches the user's own database.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from clinic_app.app import open_services
from clinic_app.services.demo import DEMO_PASSWORD, seed_demo
from clinic_app.services.demo_names import PROVIDERS
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from clinic_app.storage.migrate import upgrade
from clinic_app.ui.main_window import MainWindow
from clinic_app.ui.setup_dialog import SetupDialog

ROOT = Path(__file__).resolve().parents[1]


def save(widget: QWidget, path: Path, width: int = 0, height: int = 0) -> None:
    """Grab ``widget`` at the given size (its preferred size when 0) into ``path``."""
    hint = widget.sizeHint()
    widget.resize(width or hint.width(), height or hint.height())
    widget.show()
    QApplication.processEvents()  # let layouts settle before grabbing (a script, not a test)
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def demo_database(folder: Path) -> str:
    url = sqlite_url(folder / "demo.sqlite3")
    engine = make_engine(url)
    upgrade(engine)
    seed_demo(make_sessionmaker(engine), seed=20261123)
    engine.dispose()
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        fresh = open_services(sqlite_url(folder / "new.sqlite3"))
        setup = SetupDialog(fresh)
        save(setup, args.out / "first-run-setup.png")
        setup.close()
        fresh.close()

        demo = open_services(demo_database(folder))
        demo.clinic.authenticate(PROVIDERS[0][0], DEMO_PASSWORD)
        window = MainWindow(demo)
        save(window, args.out / "main-window-demo.png", 1280, 800)
        window.search_box.setText("garc")
        window.run_search()
        window.table.selectRow(0)
        save(window, args.out / "main-window-search.png", 1280, 800)
        window.close()
        demo.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
