"""The GUI's memory after opening ten encounters one after another (issue 13).

Target: resident memory under 250 MB after ten 60-site encounters of the synthetic clinic
have each been opened in the editor, painted and closed, in one process that started with the
main window (as a provider's morning goes). Linux reads ``/proc/self/status`` (VmRSS).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_memory [--record]
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from benchmarks import use_bench_home
from benchmarks.bench_open_encounter import sixty_site_drafts
from benchmarks.bench_search import copy_sqlite, sqlite_path
from benchmarks.machine import describe_machine, record, save_figures
from benchmarks.synthetic import ADMIN_PASSWORD
from clinic_app.app import open_services
from clinic_app.services.dto import EncounterInput
from clinic_app.storage.location import sqlite_url
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.main_window import MainWindow

ENCOUNTERS = 10
SITES = 60
TARGET_MB = 250.0


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("VmRSS is not available on this system")


def main() -> int:
    use_bench_home()
    app = QApplication.instance() or QApplication(sys.argv)
    # A copy of the small synthetic clinic: the ten visits charted here do not pile up in it.
    folder = tempfile.TemporaryDirectory(prefix="clinic-memory-")
    services = open_services(
        sqlite_url(copy_sqlite(sqlite_path("small", rebuild=False), Path(folder.name)))
    )
    try:
        user = services.clinic.authenticate("bench", ADMIN_PASSWORD)
        window = MainWindow(services)
        window.show()
        app.processEvents()
        start = rss_mb()
        drafts = sixty_site_drafts(services, SITES)
        ids = []
        for number in range(ENCOUNTERS):
            patient = services.patients.search(f"S{100 + number:07d}")[0]
            draft = services.encounters.create(patient.id, user.id)
            services.encounters.save_draft(draft.id, draft.version, EncounterInput(), drafts)
            ids.append(draft.id)
        for encounter_id in ids:
            editor = EncounterEditor(services, encounter_id)
            editor.resize(1440, 900)
            editor.show()
            app.processEvents()
            editor.close()
            editor.deleteLater()
            app.processEvents()
        gc.collect()
        app.processEvents()
        end = rss_mb()
        window.close()
    finally:
        services.close()
        folder.cleanup()
    verdict = "PASS" if end < TARGET_MB else "FAIL"
    line = (
        f"memory with the main window {start:.0f} MB; after opening {ENCOUNTERS} encounters of "
        f"{SITES} sites one after another {end:.0f} MB (target < {TARGET_MB:.0f} MB: {verdict})"
    )
    print(line)
    print(describe_machine())
    record("gui-memory", line)
    save_figures(
        "memory",
        {
            "encounters": ENCOUNTERS,
            "sites": SITES,
            "main_window_mb": round(start),
            "after_encounters_mb": round(end),
            "target_mb": TARGET_MB,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
