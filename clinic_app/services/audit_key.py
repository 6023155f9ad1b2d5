"""Where a workstation keeps the installation's audit key: the OS keyring or a file.

The key seals every audit row (:mod:`clinic_app.services.audit_chain`). It never enters the
database. Every workstation writing to one database needs the *same* key: the first one to
write on a brand-new database makes it, the others receive a copy
(``clinic-app audit export-key`` there, ``clinic-app audit import-key`` here). A workstation
never makes a key of its own for a trail someone else already sealed.

Where the key lives, in order:

1. ``$CLINIC_APP_AUDIT_KEY``: a file the clinic chose (e.g. a protected shared folder).
2. The OS keyring (Windows Credential Manager, macOS Keychain, the Secret Service on Linux)
   through the optional ``keyring`` package, when it is installed and has a usable
   backend (``CLINIC_APP_KEYRING=off`` turns it off). A keyring that fails when asked
   falls back to the file, with a warning in the log.
3. ``audit.key`` in the per-user config folder, owner-only (0600).
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from clinic_app.domain import audit_chain as chain
from clinic_app.domain.errors import StorageError
from clinic_app.storage.location import config_dir

log = logging.getLogger(__name__)

#: Where the app keeps its installation key, unless ``CLINIC_APP_AUDIT_KEY`` names a file.
KEY_FILENAME = "audit.key"
KEY_ENV = "CLINIC_APP_AUDIT_KEY"
#: ``off`` (or 0/no/false) keeps the key in the file even when a keyring is usable.
KEYRING_ENV = "CLINIC_APP_KEYRING"
KEYRING_SERVICE = "clinic_app"
KEYRING_ENTRY = "audit-key"
_OFF = {"0", "off", "no", "false"}

#: A key offered for this process only (``clinic-app audit import-key`` signs in with it).
_offered: bytes | None = None


def default_key_path(folder: Path | None = None) -> Path:
    """``$CLINIC_APP_AUDIT_KEY``, else ``audit.key`` in ``folder`` (default: the config folder)."""
    override = os.environ.get(KEY_ENV)
    if override:
        return Path(override).expanduser()
    return (folder or config_dir()) / KEY_FILENAME


def parse_key(text: str, where: str) -> bytes:
    """The key written as hex in ``text`` (read from ``where``, named in the errors)."""
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise StorageError(
            f"The audit key in {where} is damaged (not hex digits); audited actions are "
            "refused until it is restored from a backup or imported again."
        ) from None
    if len(key) < chain.KEY_BYTES:
        raise StorageError(f"The audit key in {where} is too short; restore it.")
    return key


def write_private(path: Path, text: str, *, durable: bool = True) -> None:
    """Write ``text`` to ``path`` owner-only (0600), replacing it atomically (``durable``:
    on disk before this returns)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def offered(key: bytes) -> Iterator[None]:
    """Within the block, this process seals and verifies with ``key`` (stored nowhere).

    ``clinic-app audit import-key`` signs the administrator in with the key it is about to
    import: a key that did not seal the trail is refused at that first sealed row.
    """
    global _offered
    before, _offered = _offered, key
    try:
        yield
    finally:
        _offered = before


class KeyStore:
    """The installation key: read when first needed, made only when the caller may.

    Calling the store gives the key, making one when there is none: only for a trail no one
    has sealed yet (:func:`clinic_app.services.audit_chain.append` decides).
    """

    #: The anchor file of this store (:mod:`clinic_app.services.audit_anchor`).
    anchor_path: Path

    def __init__(self) -> None:
        self._key: bytes | None = None

    def __call__(self) -> bytes:
        key = self.existing()
        if key is None:
            key = self._key = self._create()
        return key

    def existing(self) -> bytes | None:
        """The key kept here (or offered to this process), ``None`` when there is none."""
        if _offered is not None:
            return _offered
        if self._key is None:
            self._key = self._load()
        return self._key

    def store(self, key: bytes) -> None:
        """Keep ``key`` here from now on (an import); a different old key is kept aside."""
        old = self._load()
        if old is not None and old != key:
            aside = self.anchor_path.with_name(f"audit.key.replaced-{chain.key_id(old)}")
            write_private(aside, old.hex() + "\n")
            log.info("the replaced audit key was kept in %s", aside)
        self._save(key)
        self._key = key

    def describe(self) -> str:  # pragma: no cover - every store names itself
        raise NotImplementedError

    def _load(self) -> bytes | None:  # pragma: no cover
        raise NotImplementedError

    def _create(self) -> bytes:  # pragma: no cover
        raise NotImplementedError

    def _save(self, key: bytes) -> None:  # pragma: no cover
        raise NotImplementedError


class KeyFile(KeyStore):
    """The key as hex in a file, made on first use with owner-only permissions."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.anchor_path = path.parent / "audit.anchor.json"

    def describe(self) -> str:
        return str(self.path)

    def _load(self) -> bytes | None:
        try:
            text = self.path.read_text(encoding="ascii")
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise StorageError(
                f"The audit key file {self.path} cannot be read ({exc}); audited actions "
                "are refused until it is restored from a backup."
            ) from None
        return parse_key(text, f"the file {self.path}")

    def _create(self) -> bytes:
        key = secrets.token_bytes(chain.KEY_BYTES)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting at once never both write a key.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            found = self._load()
            assert found is not None
            return found
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        log.info("created a new audit key file %s", self.path)
        return key

    def _save(self, key: bytes) -> None:
        write_private(self.path, key.hex() + "\n")


class Keyring(Protocol):
    """What the key needs of a ``keyring`` backend."""

    def get_password(self, service: str, username: str) -> str | None: ...
    def set_password(self, service: str, username: str, password: str) -> None: ...


class KeyringKey(KeyStore):
    """The key in the OS keyring; the file beside it when the keyring fails or lacks it.

    A key already in the file (from before the keyring was usable) is read from there and
    stays there: moving it is the administrator's call (``audit import-key``).
    """

    def __init__(self, backend: Keyring, fallback: KeyFile) -> None:
        super().__init__()
        self.backend = backend
        self.fallback = fallback
        self.anchor_path = fallback.anchor_path

    def describe(self) -> str:
        return f"the OS keyring ({KEYRING_SERVICE} / {KEYRING_ENTRY}) or {self.fallback.path}"

    def _load(self) -> bytes | None:
        try:
            text = self.backend.get_password(KEYRING_SERVICE, KEYRING_ENTRY)
        except Exception as exc:
            log.warning("the OS keyring could not be read (%s); using the key file", type(exc))
            return self.fallback._load()
        if text:
            return parse_key(text, "the OS keyring")
        return self.fallback._load()

    def _create(self) -> bytes:
        key = secrets.token_bytes(chain.KEY_BYTES)
        try:
            self.backend.set_password(KEYRING_SERVICE, KEYRING_ENTRY, key.hex())
        except Exception as exc:
            log.warning("the OS keyring refused the key (%s); using a key file", type(exc))
            return self.fallback._create()
        log.info("created a new audit key in the OS keyring")
        return key

    def _save(self, key: bytes) -> None:
        try:
            self.backend.set_password(KEYRING_SERVICE, KEYRING_ENTRY, key.hex())
        except Exception as exc:
            log.warning("the OS keyring refused the key (%s); using a key file", type(exc))
            self.fallback._save(key)


def usable_keyring() -> Keyring | None:
    """The ``keyring`` package's backend when it is installed, usable and not turned off."""
    if os.environ.get(KEYRING_ENV, "").strip().lower() in _OFF:
        return None
    try:
        import keyring
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
        # The "fail" and "null" backends (no keyring on this computer) rank 0 or below.
        usable = float(backend.priority) > 0
    except Exception:
        return None
    return backend if usable else None


def installation_key(folder: Path | None = None) -> KeyStore:
    """This installation's key store (see the module's order)."""
    path = default_key_path(folder)
    if os.environ.get(KEY_ENV):
        return KeyFile(path)
    backend = usable_keyring()
    return KeyFile(path) if backend is None else KeyringKey(backend, KeyFile(path))
