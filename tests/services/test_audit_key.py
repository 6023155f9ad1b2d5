"""One audit key per clinic: the keyring or the file, and a workstation that lacks the key."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.audit_chain import KEY_BYTES, key_id
from clinic_app.domain.errors import StorageError, ValidationError
from clinic_app.services import audit_key
from clinic_app.services.audit_chain import installation_seal
from clinic_app.services.audit_key import (
    KEYRING_ENTRY,
    KEYRING_ENV,
    KEYRING_SERVICE,
    KeyFile,
    KeyringKey,
    installation_key,
)
from clinic_app.services.container import build_services
from tests.conftest import Services
from tests.factories import register_patient, set_up_clinic

keyring = pytest.importorskip("keyring")
from keyring.backend import KeyringBackend  # noqa: E402
from keyring.backends import fail  # noqa: E402


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend: the tests never touch the user's real keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.entries[(service, username)]


class BrokenKeyring(MemoryKeyring):
    """A keyring that is installed but fails when asked (a locked or absent daemon)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringError("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("locked")


# ---------------------------------------------------------------- where the key lives
def test_a_usable_keyring_holds_the_key_and_no_file_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory = MemoryKeyring()
    monkeypatch.delenv(KEYRING_ENV)
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory)
    store = installation_key(tmp_path)
    assert isinstance(store, KeyringKey)
    key = store()
    assert len(key) == KEY_BYTES
    assert memory.entries == {(KEYRING_SERVICE, KEYRING_ENTRY): key.hex()}
    assert not (tmp_path / "audit.key").exists()
    assert installation_key(tmp_path)() == key  # read back, not made again
    assert "OS keyring" in store.describe()


def test_no_usable_keyring_or_turned_off_or_a_chosen_file_means_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEYRING_ENV)
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    assert isinstance(installation_key(tmp_path), KeyFile)
    monkeypatch.setattr(keyring, "get_keyring", lambda: MemoryKeyring())
    monkeypatch.setenv(KEYRING_ENV, "off")
    assert isinstance(installation_key(tmp_path), KeyFile)
    monkeypatch.delenv(KEYRING_ENV)
    monkeypatch.setenv(audit_key.KEY_ENV, str(tmp_path / "shared.key"))
    chosen = installation_key(tmp_path)
    assert isinstance(chosen, KeyFile)
    assert chosen.path == tmp_path / "shared.key"


def test_a_failing_keyring_falls_back_to_the_file(tmp_path: Path) -> None:
    store = KeyringKey(BrokenKeyring(), KeyFile(tmp_path / "audit.key"))
    key = store()
    assert (tmp_path / "audit.key").read_text().strip() == key.hex()
    assert KeyringKey(BrokenKeyring(), KeyFile(tmp_path / "audit.key"))() == key


def test_a_key_file_from_before_the_keyring_keeps_being_used(tmp_path: Path) -> None:
    old = KeyFile(tmp_path / "audit.key")()
    memory = MemoryKeyring()
    assert KeyringKey(memory, KeyFile(tmp_path / "audit.key"))() == old
    assert memory.entries == {}


def test_an_imported_key_replaces_the_old_one_which_is_kept_aside(tmp_path: Path) -> None:
    memory = MemoryKeyring()
    store = KeyringKey(memory, KeyFile(tmp_path / "audit.key"))
    old = store()
    new = b"\x07" * KEY_BYTES
    store.store(new)
    assert memory.entries[(KEYRING_SERVICE, KEYRING_ENTRY)] == new.hex()
    aside = tmp_path / f"audit.key.replaced-{key_id(old)}"
    assert aside.read_text().strip() == old.hex()
    if sys.platform != "win32":
        assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert KeyringKey(memory, KeyFile(tmp_path / "audit.key"))() == new


# ---------------------------------------------------------------- one key per trail
def second_workstation(db: sessionmaker[Session], services: Services, folder: Path) -> Services:
    """Another computer on the same database: its own config folder, the admin signed in
    (as the sign-in screen would, without the audit row it could not seal)."""
    other = build_services(
        db, services.database_label, is_sqlite=services.is_sqlite, seal=installation_seal(folder)
    )
    other.actor.sign_in(services.actor.user_id or 0, services.actor.roles)
    return other


def test_the_first_workstation_on_a_new_database_makes_the_key(services: Services) -> None:
    path = audit_key.default_key_path()
    assert not path.exists()
    set_up_clinic(services)
    assert path.exists()
    assert services.audit.verify().ok


def test_a_second_workstation_makes_no_key_of_its_own_and_adds_nothing(
    services: Services, db: sessionmaker[Session], tmp_path: Path
) -> None:
    set_up_clinic(services)
    trail = key_id(KeyFile(audit_key.default_key_path())())
    other = second_workstation(db, services, tmp_path / "desk-2")
    with pytest.raises(StorageError) as refused:
        register_patient(other)
    assert f"has no audit key ({tmp_path / 'desk-2' / 'audit.key'})" in str(refused.value)
    assert f"sealed with key {trail}" in str(refused.value)
    assert "clinic-app audit import-key FILE" in str(refused.value)
    assert not (tmp_path / "desk-2" / "audit.key").exists()
    assert services.patients.count() == 0
    with pytest.raises(StorageError, match="No audit key at"):
        other.audit.verify()


def test_an_imported_key_lets_the_second_workstation_work(
    services: Services, db: sessionmaker[Session], tmp_path: Path
) -> None:
    set_up_clinic(services)
    exported = services.audit.export_key()
    other = second_workstation(db, services, tmp_path / "desk-2")
    assert other.audit.import_key(exported) == key_id(bytes.fromhex(exported))
    written = tmp_path / "desk-2" / "audit.key"
    assert written.read_text().strip() == exported
    if sys.platform != "win32":
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
    register_patient(other)
    assert services.audit.verify().ok
    assert other.audit.verify().ok
    actions = [a for a in services.audit.actions() if a.startswith("audit.key")]
    assert actions == ["audit.key_export", "audit.key_import"]


def test_a_key_that_did_not_seal_the_trail_is_not_imported(
    services: Services, db: sessionmaker[Session], tmp_path: Path
) -> None:
    set_up_clinic(services)
    other = second_workstation(db, services, tmp_path / "desk-2")
    with pytest.raises(ValidationError, match="sealed with key"):
        other.audit.import_key("ab" * KEY_BYTES)
    with pytest.raises(ValidationError, match="not hex"):
        other.audit.import_key("not a key")
    assert not (tmp_path / "desk-2" / "audit.key").exists()


def test_a_workstation_with_the_wrong_key_exports_nothing(
    services: Services, db: sessionmaker[Session], tmp_path: Path
) -> None:
    set_up_clinic(services)
    (tmp_path / "desk-2").mkdir()
    (tmp_path / "desk-2" / "audit.key").write_text("cd" * KEY_BYTES)
    other = second_workstation(db, services, tmp_path / "desk-2")
    with pytest.raises(StorageError, match="is not the key"):
        other.audit.export_key()
