"""Raw-SQL tampering with the audit trail, on SQLite and PostgreSQL (migration 0007).

Each attack is first tried as the app's own database user would: the triggers refuse it.
Then as someone with DDL rights, who drops the triggers first: ``AuditService.verify`` names
the row at fault and what happened to it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.audit_chain import Problem
from tests.conftest import Services
from tests.factories import register_patient, set_up_clinic

MARKER = "audit trail is append-only"
SQLITE_TRIGGERS = (
    "audit_event_no_update",
    "audit_event_no_delete",
    "audit_head_advance_only",
    "audit_head_no_delete",
)
PG_TRIGGERS = (
    ("audit_event_append_only", "audit_event"),
    ("audit_head_advance_only", "audit_chain_head"),
)
#: Every column of an audit row but its id (what a "reorder" swaps).
COLUMNS = (
    "at, user_id, action, patient_id, entity_type, entity_id, workstation, seq, key_id, "
    "prev_hmac, hmac"
)


@pytest.fixture
def trail(services: Services) -> list[int]:
    """A clinic with a few audited actions; the audit row ids, oldest first."""
    set_up_clinic(services)
    for n in range(3):
        register_patient(services, mrn=f"M{n}", given_name=f"Pat{n}")
    report = services.audit.verify()
    assert report.ok, report.message
    assert report.sealed >= 4
    return ids(services)


def ids(services: Services) -> list[int]:
    with services.audit._sessions() as session:
        return list(session.scalars(text("SELECT id FROM audit_event ORDER BY id")))


def run(db: sessionmaker[Session], *statements: str, **params: object) -> None:
    with db.begin() as session:
        for sql in statements:
            session.execute(text(sql), params)


def refused(db: sessionmaker[Session], sql: str, **params: object) -> None:
    with pytest.raises(DBAPIError) as caught:
        run(db, sql, **params)
    assert MARKER in str(caught.value.orig)


def drop_triggers(db: sessionmaker[Session], backend: str) -> None:
    """What an attacker with DDL rights does first."""
    if backend == "sqlite":
        run(db, *(f"DROP TRIGGER {name}" for name in SQLITE_TRIGGERS))
    else:
        run(db, *(f"DROP TRIGGER {name} ON {table}" for name, table in PG_TRIGGERS))


def attack(db: sessionmaker[Session], backend: str, *statements: str, **params: object) -> None:
    drop_triggers(db, backend)
    run(db, *statements, **params)


def assert_found(services: Services, problem: Problem, row_id: int | None) -> str:
    report = services.audit.verify()
    assert not report.ok
    assert (report.problem, report.row_id) == (problem, row_id), report.message
    return report.message


def test_the_app_user_cannot_edit_delete_or_roll_back_the_trail(
    trail: Sequence[int], db: sessionmaker[Session], services: Services
) -> None:
    middle = trail[1]
    refused(db, "UPDATE audit_event SET user_id = NULL WHERE id = :i", i=middle)
    refused(db, "UPDATE audit_event SET action = 'patient.read'")
    refused(db, "DELETE FROM audit_event WHERE id = :i", i=middle)
    refused(db, "DELETE FROM audit_event")
    refused(db, "UPDATE audit_chain_head SET seq = seq - 1")
    refused(db, "UPDATE audit_chain_head SET last_hmac = ''")
    refused(db, "UPDATE audit_chain_head SET seq = seq + 2")
    refused(db, "DELETE FROM audit_chain_head")
    assert ids(services) == list(trail)
    assert services.audit.verify().ok


def test_an_edited_row_is_named(
    trail: Sequence[int], db: sessionmaker[Session], services: Services, backend: str
) -> None:
    attack(db, backend, "UPDATE audit_event SET patient_id = NULL WHERE id = :i", i=trail[2])
    assert "changed after it was written" in assert_found(services, Problem.CHANGED, trail[2])


def test_a_deleted_row_is_named(
    trail: Sequence[int], db: sessionmaker[Session], services: Services, backend: str
) -> None:
    attack(db, backend, "DELETE FROM audit_event WHERE id = :i", i=trail[1])
    assert "missing before row" in assert_found(services, Problem.MISSING, trail[2])


def test_swapped_rows_are_named(
    trail: Sequence[int], db: sessionmaker[Session], services: Services, backend: str
) -> None:
    first, second = trail[1], trail[3]
    with db() as session:
        a = session.execute(text(f"SELECT {COLUMNS} FROM audit_event WHERE id = :i"), {"i": first})
        row_a = a.mappings().one()
        b = session.execute(text(f"SELECT {COLUMNS} FROM audit_event WHERE id = :i"), {"i": second})
        row_b = b.mappings().one()
    assignments = ", ".join(f"{c} = :{c}" for c in COLUMNS.split(", "))
    drop_triggers(db, backend)
    run(db, "UPDATE audit_event SET seq = NULL WHERE id = :i", i=first)  # seq is unique
    run(db, f"UPDATE audit_event SET {assignments} WHERE id = :id", id=second, **row_a)
    run(db, f"UPDATE audit_event SET {assignments} WHERE id = :id", id=first, **row_b)
    assert "Order changed" in assert_found(services, Problem.ORDER, first)


def test_a_forged_row_is_named(
    trail: Sequence[int], db: sessionmaker[Session], services: Services
) -> None:
    # Inserting needs no DDL at all: only the seal gives it away.
    with db() as session:
        seq, last, key = session.execute(
            text("SELECT seq, last_hmac, key_id FROM audit_chain_head")
        ).one()
    run(
        db,
        "INSERT INTO audit_event (at, user_id, action, patient_id, entity_type, entity_id, "
        "workstation, seq, key_id, prev_hmac, hmac) VALUES (CURRENT_TIMESTAMP, NULL, "
        "'patient.read', NULL, 'patient', 1, 'front-desk', :seq, :key, :prev, :hmac)",
        seq=seq + 1,
        key=key,
        prev=last,
        hmac="0" * 64,
    )
    forged = ids(services)[-1]
    assert forged not in trail
    assert "was inserted" in assert_found(services, Problem.INSERTED, forged)


def test_a_cut_tail_is_named(
    trail: Sequence[int], db: sessionmaker[Session], services: Services, backend: str
) -> None:
    attack(db, backend, "DELETE FROM audit_event WHERE id > :i", i=trail[1])
    message = assert_found(services, Problem.TRUNCATED, None)
    assert f"after row {trail[1]}" in message
    assert f"The last {len(trail) - 2} entries are missing" in message


def test_a_cut_tail_with_a_rolled_back_head_is_named(
    trail: Sequence[int], db: sessionmaker[Session], services: Services, backend: str
) -> None:
    attack(
        db,
        backend,
        "DELETE FROM audit_event WHERE id > :i",
        "UPDATE audit_chain_head SET seq = 2, "
        "last_hmac = (SELECT hmac FROM audit_event WHERE id = :i)",
        i=trail[1],
    )
    assert "head was changed" in assert_found(services, Problem.HEAD, None)


def test_an_emptied_trail_is_named(
    trail: Sequence[int], db: sessionmaker[Session], services: Services, backend: str
) -> None:
    attack(db, backend, "DELETE FROM audit_event")
    assert f"The last {len(trail)} entries are missing" in assert_found(
        services, Problem.TRUNCATED, None
    )


def test_the_app_keeps_appending_after_a_refused_attack(
    trail: Sequence[int], db: sessionmaker[Session], services: Services
) -> None:
    refused(db, "DELETE FROM audit_event WHERE id = :i", i=trail[0])
    register_patient(services, mrn="M9")
    report = services.audit.verify()
    assert report.ok, report.message
    assert report.sealed == len(trail) + 1
