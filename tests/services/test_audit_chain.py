"""Sealing audit rows: the installation key file, what a row holds, and the chain it builds."""

from __future__ import annotations

import itertools
import re
import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.audit_chain import KEY_BYTES, key_id
from clinic_app.domain.errors import StorageError, ValidationError
from clinic_app.models import AuditChainHead, AuditEvent, User
from clinic_app.services.audit_chain import (
    KEY_ENV,
    AuditSeal,
    KeyFile,
    default_key_path,
    installation_seal,
    workstation_label,
)
from clinic_app.services.container import build_services
from clinic_app.storage.location import config_dir
from tests.conftest import Services
from tests.factories import PASSWORD, add_user, register_patient, set_up_clinic


def test_a_new_installation_makes_its_key_once_readable_by_the_owner_only(
    tmp_path: Path,
) -> None:
    path = tmp_path / "conf" / "audit.key"
    key = KeyFile(path)()
    assert len(key) == KEY_BYTES
    assert path.read_text().strip() == key.hex()
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert KeyFile(path)() == key  # read back, not made again


def test_a_key_made_by_another_process_meanwhile_is_used(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    path.write_text("ab" * KEY_BYTES)
    # The file appeared between the check and the exclusive create.
    assert KeyFile(path)._create() == bytes.fromhex("ab" * KEY_BYTES)


@pytest.mark.parametrize("content", ["not hex", "abcd"])
def test_a_damaged_key_file_refuses_to_seal(tmp_path: Path, content: str) -> None:
    path = tmp_path / "audit.key"
    path.write_text(content)
    with pytest.raises(StorageError, match="audit key in the file"):
        KeyFile(path)()


def test_the_key_lives_in_the_config_folder_unless_told_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_key_path() == config_dir() / "audit.key"
    assert default_key_path(tmp_path) == tmp_path / "audit.key"
    monkeypatch.setenv(KEY_ENV, str(tmp_path / "shared" / "clinic.key"))
    assert default_key_path(tmp_path) == tmp_path / "shared" / "clinic.key"
    assert isinstance(installation_seal().key, KeyFile)


def test_config_dir_can_be_overridden(tmp_path: Path) -> None:
    assert config_dir({"CLINIC_APP_CONFIG_DIR": str(tmp_path)}) == tmp_path
    assert config_dir({}).name == "clinic_app"


def test_the_workstation_label_is_a_short_host_name() -> None:
    label = workstation_label()
    assert 0 < len(label) <= 64


def test_every_row_is_sealed_into_one_gapless_chain(
    services: Services, db: sessionmaker[Session]
) -> None:
    set_up_clinic(services)
    register_patient(services)
    with db() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        head = session.get(AuditChainHead, 1)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert all(b.prev_hmac == a.hmac for a, b in itertools.pairwise(rows))
    assert head is not None
    assert (head.seq, head.last_hmac) == (len(rows), rows[-1].hmac)
    assert {r.workstation for r in rows} == {workstation_label()}
    assert services.audit.verify().ok


def test_a_workstation_with_another_key_adds_nothing(
    db: sessionmaker[Session], backend: str
) -> None:
    """A second workstation whose key did not seal the trail refuses, naming what to do."""
    first = build_services(
        db, "t", is_sqlite=backend == "sqlite", seal=AuditSeal(lambda: b"1" * 32)
    )
    set_up_clinic(first)
    second = build_services(
        db, "t", is_sqlite=backend == "sqlite", seal=AuditSeal(lambda: b"2" * 32, "desk-2")
    )
    second.actor.sign_in(first.actor.user_id or 0, first.actor.roles)
    with pytest.raises(StorageError) as refused:
        register_patient(second)
    message = str(refused.value)
    assert key_id(b"2" * 32) in message
    assert key_id(b"1" * 32) in message
    assert "audit export-key --out FILE" in message
    assert "audit import-key FILE" in message
    assert "Nothing was saved" in message
    assert first.patients.count() == 0  # the patient went with the refused transaction
    assert first.audit.verify().ok


def test_audit_rows_hold_ids_and_actions_never_secrets(
    services: Services, db: sessionmaker[Session]
) -> None:
    set_up_clinic(services)
    add_user(services, "nurse.one", "Nia Ode")
    with pytest.raises(ValidationError):
        services.clinic.authenticate("admin", "wrong " + PASSWORD)
    services.clinic.authenticate("admin", PASSWORD)
    register_patient(services, given_name="Zebulon", family_name="Quixotic")
    with db() as session:
        rows = session.scalars(select(AuditEvent)).all()
        hashes = list(session.scalars(select(User.password_hash)))
    assert len(rows) >= 3
    assert len(hashes) == 2
    columns = set(AuditEvent.__table__.columns.keys())
    assert columns == {
        "id", "at", "user_id", "action", "patient_id", "entity_type", "entity_id",
        "workstation", "seq", "key_id", "prev_hmac", "hmac",
    }  # fmt: skip
    for row in rows:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", row.action)
        assert re.fullmatch(r"[a-z_]+", row.entity_type)
        assert row.workstation == workstation_label()
        assert row.key_id
        assert re.fullmatch(r"[0-9a-f]{16}", row.key_id)
        assert row.hmac
        assert re.fullmatch(r"[0-9a-f]{64}", row.hmac)
        text = repr([getattr(row, c) for c in sorted(columns)])
        for secret in (PASSWORD, "wrong", "Zebulon", "Quixotic", "argon2", *hashes):
            assert secret not in text


def test_a_trail_whose_tables_were_emptied_starts_again(
    services: Services, db: sessionmaker[Session], tmp_path: Path
) -> None:
    """What an administrator's TRUNCATE of both tables leaves (the UI tests do it): a
    workstation that never saw the trail (no anchor) sees a fresh, intact one."""
    from sqlalchemy import text

    set_up_clinic(services)
    # No audit row and no head row at all: the first append makes the head again.
    with db.begin() as session:
        if services.is_sqlite:
            session.execute(text("DROP TRIGGER audit_head_no_delete"))
            session.execute(text("DROP TRIGGER audit_event_no_delete"))
        else:
            session.execute(text("TRUNCATE audit_event, audit_chain_head"))
        session.execute(text("DELETE FROM audit_event"))
        session.execute(text("DELETE FROM audit_chain_head"))
    key = KeyFile(default_key_path())()
    fresh = build_services(db, "t", is_sqlite=services.is_sqlite, seal=AuditSeal(lambda: key))
    fresh.actor.sign_in(services.actor.user_id or 0, services.actor.roles)
    assert fresh.audit.verify().ok
    register_patient(fresh)
    report = fresh.audit.verify()
    assert report.ok
    assert report.sealed == 1


def test_a_missing_head_with_sealed_rows_left_refuses_to_append(
    services: Services, db: sessionmaker[Session]
) -> None:
    from sqlalchemy import text

    set_up_clinic(services)
    with db.begin() as session:
        if services.is_sqlite:
            session.execute(text("DROP TRIGGER audit_head_no_delete"))
        else:
            session.execute(text("DROP TRIGGER audit_head_advance_only ON audit_chain_head"))
        session.execute(text("DELETE FROM audit_chain_head"))
    with pytest.raises(StorageError, match="chain head is missing"):
        register_patient(services)
    assert services.audit.verify().problem is not None
