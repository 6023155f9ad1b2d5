"""Emptying or cutting back both audit tables, with raw SQL, on SQLite and PostgreSQL.

The seals alone cannot see a trail wiped back to the empty state of a new database (or to an
old copy of its head): the anchor each workstation keeps next to its key can.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.audit_chain import Problem
from clinic_app.domain.errors import StorageError
from clinic_app.services.audit_chain import AuditSeal, installation_seal
from clinic_app.services.audit_key import default_key_path
from clinic_app.services.container import build_services
from tests.conftest import Services
from tests.factories import register_patient, set_up_clinic
from tests.storage.test_audit_tampering import PG_TRIGGERS, SQLITE_TRIGGERS, ids, run


@pytest.fixture
def trail(services: Services) -> list[int]:
    """A clinic with a few audited actions, checked once (the anchor is at its last row)."""
    set_up_clinic(services)
    for n in range(3):
        register_patient(services, mrn=f"M{n}", given_name=f"Pat{n}")
    assert services.audit.verify().ok
    return ids(services)


def anchor_file() -> Path:
    return default_key_path().parent / "audit.anchor.json"


def anchored_row(services: Services) -> int:
    entries = json.loads(anchor_file().read_text())
    return int(entries[services.database_label]["row"])


def drop_triggers(db: sessionmaker[Session], backend: str) -> None:
    if backend == "sqlite":
        run(db, *(f"DROP TRIGGER {name}" for name in SQLITE_TRIGGERS))
    else:
        run(db, *(f"DROP TRIGGER {name} ON {table}" for name, table in PG_TRIGGERS))


def assert_anchor_broken(services: Services, words: str) -> None:
    report = services.audit.verify()
    assert report.problem is Problem.ANCHOR, report.message
    assert words in report.message
    assert str(anchor_file()) in report.message


def test_each_audited_action_moves_the_anchor_after_it_committed(
    services: Services, trail: list[int]
) -> None:
    assert anchored_row(services) == trail[-1]
    register_patient(services, mrn="M9")
    assert anchored_row(services) == ids(services)[-1] > trail[-1]
    assert anchor_file().stat().st_mode & 0o077 == 0


def test_truncating_both_tables_is_caught_by_the_anchor(
    services: Services, db: sessionmaker[Session], backend: str, trail: list[int]
) -> None:
    if backend == "sqlite":  # SQLite has no TRUNCATE: the same after dropping the triggers
        drop_triggers(db, backend)
        run(db, "DELETE FROM audit_event", "DELETE FROM audit_chain_head")
    else:  # TRUNCATE fires no row trigger: it needs only the TRUNCATE privilege
        run(db, "TRUNCATE audit_event, audit_chain_head")
    assert ids(services) == []
    assert_anchor_broken(services, f"(row {trail[-1]})")
    assert_anchor_broken(services, "is missing: the audit tables were emptied or cut back")
    # Work goes on (refusing it would let an attacker stop the clinic), the anchor stays.
    register_patient(services, mrn="M9")
    assert_anchor_broken(services, f"(row {trail[-1]})")
    assert anchored_row(services) == trail[-1]


def test_emptied_tables_whose_ids_start_again_are_caught(
    services: Services, db: sessionmaker[Session], backend: str, trail: list[int]
) -> None:
    drop_triggers(db, backend)
    if backend == "sqlite":
        run(db, "DELETE FROM audit_event", "DELETE FROM audit_chain_head")
    else:
        run(
            db,
            "TRUNCATE audit_event, audit_chain_head",
            # As RESTART IDENTITY on a fresh database: ids run again from the first one.
            "SELECT setval(pg_get_serial_sequence('audit_event', 'id'), :first, false)",
            first=trail[0],
        )
    for n in range(len(trail) + 1):  # a fresh trail that reaches the anchored row id again
        register_patient(services, mrn=f"N{n}")
    assert trail[-1] in ids(services)
    assert_anchor_broken(services, "now holds another entry")


def test_a_trail_cut_back_to_an_old_copy_of_its_head_is_caught(
    services: Services, db: sessionmaker[Session], backend: str, trail: list[int]
) -> None:
    with db() as session:
        old_head = session.execute(
            text("SELECT seq, last_hmac, key_id, hmac FROM audit_chain_head")
        ).one()
    register_patient(services, mrn="M8")
    register_patient(services, mrn="M9")
    drop_triggers(db, backend)
    # Every seal still matches: the tail is gone and the head says it never was.
    run(
        db,
        "DELETE FROM audit_event WHERE seq > :seq",
        "UPDATE audit_chain_head SET seq = :seq, last_hmac = :last, key_id = :kid, hmac = :mac",
        seq=old_head.seq, last=old_head.last_hmac, kid=old_head.key_id, mac=old_head.hmac,
    )  # fmt: skip
    assert ids(services) == trail
    other = build_services(
        db, "t", is_sqlite=backend == "sqlite", seal=AuditSeal(installation_seal().key)
    )
    other.actor.command_line = True
    assert other.audit.verify().ok  # a workstation that never saw the tail cannot know
    assert_anchor_broken(services, "is missing")


def test_a_workstation_that_verifies_moves_its_own_anchor(
    services: Services, db: sessionmaker[Session], backend: str, trail: list[int], tmp_path: Path
) -> None:
    key = installation_seal().key
    second = build_services(
        db,
        services.database_label,
        is_sqlite=backend == "sqlite",
        seal=installation_seal(tmp_path / "desk-2"),
    )
    second.actor.command_line = True
    (tmp_path / "desk-2").mkdir()
    (tmp_path / "desk-2" / "audit.key").write_text(key().hex())
    assert second.audit.verify().ok
    entries = json.loads((tmp_path / "desk-2" / "audit.anchor.json").read_text())
    assert entries[services.database_label]["row"] == trail[-1]


def test_a_damaged_anchor_file_fails_verify_clearly_but_work_goes_on(
    services: Services, trail: list[int]
) -> None:
    anchor_file().write_text("{not json")
    register_patient(services, mrn="M9")
    with pytest.raises(StorageError, match=r"audit anchor file .* is damaged"):
        services.audit.verify()
