"""Opening an encounter with 60 sites in the editor, from a real SQLite file.

Target (issue 3): under 150 ms, measured from the call until the window has painted once
(service load, table, body-map markers, form, first paint). The body-map geometry and the
reference data are loaded before the first sample, as the app does at start-up.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_open_encounter
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from benchmarks.machine import describe_machine, record
from clinic_app.app import open_services
from clinic_app.domain.bodymap import Layer, default_bodymap
from clinic_app.domain.enums import Role
from clinic_app.services.dto import (
    ClinicProfileData,
    DoseInput,
    EncounterInput,
    NewUser,
    PatientInput,
    SiteDraft,
    SiteInput,
)
from clinic_app.storage.location import sqlite_url
from clinic_app.ui.encounter.editor import EncounterEditor

SITES = 60
RUNS = 25


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(sqlite_url(Path(tmp) / "bench.sqlite3"))
        _, admin = services.clinic.initialize(
            ClinicProfileData(name="Bench clinic"),
            NewUser("bench", "Bench User", "bench user password", frozenset({Role.ADMIN}), "MD"),
        )
        patient = services.patients.create(PatientInput("B1", "Bea", "Bench", date(1970, 1, 1)))
        lido = next(m.id for m in services.clinic.medications() if m.code == "lidocaine_1")
        figure = default_bodymap()[next(iter(default_bodymap().figures))]
        regions = [r for r in figure.regions if r.layer is Layer.SUPERFICIAL]
        drafts = []
        for i in range(SITES):
            region = regions[i % len(regions)]
            nx, ny = figure.normalise(*figure.standard_point(region))
            drafts.append(
                SiteDraft(
                    SiteInput(region.muscle_code, region.side, figure.view.catalog_view, nx, ny),
                    (DoseInput(lido, Decimal("1")),),
                )
            )
        encounter = services.encounters.create(patient.id, admin.id)
        services.encounters.save_draft(encounter.id, encounter.version, EncounterInput(), drafts)
        samples = []
        for _ in range(RUNS):
            start = time.perf_counter()
            editor = EncounterEditor(services, encounter.id)
            editor.resize(1440, 900)
            editor.show()
            app.processEvents()  # deferred work (table fitting) counts too
            editor.repaint()
            samples.append((time.perf_counter() - start) * 1000)
            assert len(editor.chart) == SITES
            editor.close()
            editor.deleteLater()
            app.processEvents()
        services.close()
    samples.sort()
    median = statistics.median(samples)
    p95 = samples[int(0.95 * len(samples)) - 1]
    verdict = "PASS" if median < 150 else "FAIL"
    line = (
        f"open encounter with {SITES} sites, {RUNS} runs: median {median:.1f} ms, "
        f"p95 {p95:.1f} ms, max {samples[-1]:.1f} ms (target < 150 ms: {verdict})"
    )
    print(line)
    print(describe_machine())
    record("open-encounter", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
