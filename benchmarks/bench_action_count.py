"""Clicks and keystrokes to chart issue 12's typical visit, and its routine repeat.

Runs the same script as tests/ui/test_action_count.py (tests/ui/visit_script.py) on a fresh
SQLite database: real mouse and key events on the real windows, every one counted. Target
(issue 12 §1): at most 25 clicks + keystrokes, and no free text for a routine repeat visit.
With ``--record`` (or ``make bench RECORD=1``) writes benchmarks/results/action_count.json and
appends a line to results.md; otherwise it only prints.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_action_count
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QWidget

from benchmarks import use_bench_home
from benchmarks.machine import describe_machine, record, recording, save_figures
from clinic_app.app import open_services
from clinic_app.domain import clock
from clinic_app.storage.location import sqlite_url
from clinic_app.ui.common import jobs
from clinic_app.ui.main_window import MainWindow
from tests.factories import set_up_clinic
from tests.ui import visit_script as script

BILATERAL = "site.bilateral_chest_wall"


def _wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QApplication.processEvents()
        QThread.msleep(5)


def _activate(widget: QWidget) -> None:
    widget.show()
    widget.activateWindow()
    _wait_until(widget.isActiveWindow)


def main() -> int:
    use_bench_home()
    app = QApplication.instance() or QApplication(sys.argv)
    windows: list[MainWindow] = []
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(sqlite_url(Path(tmp) / "visit.sqlite3"))
        set_up_clinic(services, "Bench clinic")

        def make_window() -> MainWindow:
            windows.append(MainWindow(services))
            return windows[-1]

        try:
            first, repeat = script.run_both(services, make_window, _wait_until, _activate)
        finally:
            clock.set_clock(None)
            for window in windows:
                window.close()
            jobs.shutdown_all()
            app.processEvents()
            services.close()
    pending = []
    if first.lot_actions:
        pending.append(f"{first.lot_actions} actions picking lots by hand (no default lot)")
    if BILATERAL in first.reasons + repeat.reasons:
        pending.append("a typed reason for the bilateral chest-wall warning")
    target = script.TARGET_ACTIONS
    fits = first.count.actions <= target and repeat.count.actions <= target
    verdict = "PASS" if fits and repeat.count.free_text == 0 else "FAIL"
    line = (
        f"first visit {first.count.actions} clicks + keystrokes "
        f"({first.count.clicks} clicks, {first.count.keys} keys, {first.count.free_text} "
        f"free-text entries; {first.count.actions - first.lot_actions} without picking lots); "
        f"repeat visit {repeat.count.actions} ({repeat.count.free_text} free-text) "
        f"(target ≤ {target}, repeat without free text: {verdict})"
        + (f"; still to go: {'; '.join(pending)}" if pending else "")
    )
    print(line)
    print(describe_machine())
    if recording():
        result = {
            "target_actions": target,
            "first_visit": {**first.count.as_dict(), "lot_actions": first.lot_actions,
                            "reasons": first.reasons},
            "repeat_visit": {**repeat.count.as_dict(), "lot_actions": repeat.lot_actions,
                             "reasons": repeat.reasons},
            "pending": pending,
        }  # fmt: skip
        save_figures("action_count", result)
        record("action-count", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
