"""The reliability tests' check itself: it sees a lost, rolled-back or altered save.

Without this, a check that compared nothing would let every kill test pass.
"""

from __future__ import annotations

import sqlite3

from tests.reliability.conftest import Clinic, reading
from tests.reliability.workload import Charting, Ledger, losses


def test_the_check_sees_each_kind_of_loss(sqlite_clinic: Clinic) -> None:
    clinic = sqlite_clinic
    ledger = Ledger()
    charting = Charting(clinic.services, clinic.facts, "C", 7, ledger.add)
    while not any(r["event"] == "save" for r in ledger.encounters.values()):
        charting.step()
    with reading(clinic.url) as sessions:
        assert losses(sessions, ledger).lost == []
    draft = next(eid for eid, r in ledger.encounters.items() if r["event"] == "save")
    assert clinic.path is not None
    conn = sqlite3.connect(clinic.path)
    with conn:
        conn.execute(
            "UPDATE site_dose SET volume_ml = volume_ml + 0.1 WHERE site_id IN "
            "(SELECT id FROM injection_site WHERE encounter_id = ?)",
            (draft,),
        )
    conn.close()
    ledger.patients[999_999] = "NEVER-STORED"
    ledger.encounters[888_888] = {"event": "save", "id": 888_888, "version": 2, "fp": "x"}
    with reading(clinic.url) as sessions:
        lost = losses(sessions, ledger).lost
    assert len(lost) == 3, lost
    assert lost[1].startswith(f"encounter {draft} v")
    assert lost[1].endswith("content differs from what was confirmed")
    assert "patient 999999 (NEVER-STORED): missing" in lost
    assert "encounter 888888" in lost[2]

    conn = sqlite3.connect(clinic.path)
    with conn:
        conn.execute("UPDATE encounter SET version = version - 1 WHERE id = ?", (draft,))
    conn.close()
    with reading(clinic.url) as sessions:
        lost = losses(sessions, ledger).lost
    assert any(f"encounter {draft}: version" in line and "< confirmed" in line for line in lost)
