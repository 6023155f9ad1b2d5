"""This workstation's backup settings and its last successful backup (a small JSON file in
the per-user config folder; not in the database, so no migration and no other workstation
sees them)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from clinic_app.domain.backup_schedule import DEFAULT_KEEP, MAX_KEEP
from clinic_app.domain.errors import ValidationError
from clinic_app.storage.location import config_dir, data_dir

log = logging.getLogger(__name__)
SETTINGS_FILE = "backup.json"


def default_folder() -> Path:
    """``backups`` in the per-user data folder (beside the default database)."""
    return data_dir() / "backups"


@dataclass(frozen=True, slots=True)
class BackupSettings:
    """Attributes:
    folder: where automatic backups (and the safety copies of restores) go.
    keep: how many automatic backups to keep (older ones are deleted).
    automatic: run the daily backup; ``None`` = the default (on for an SQLite database,
        off for PostgreSQL, where the server's backups are the clinic's).
    last_backup_at: the last successful backup taken on this workstation (UTC).
    last_backup_file: where it went.
    """

    folder: Path
    keep: int = DEFAULT_KEEP
    automatic: bool | None = None
    last_backup_at: datetime | None = None
    last_backup_file: str = ""

    def automatic_for(self, is_sqlite: bool) -> bool:
        return is_sqlite if self.automatic is None else self.automatic


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> BackupSettings:
    """The saved settings, or the defaults (a missing or unreadable file is the defaults)."""
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        last = raw.get("last_backup_at")
        return BackupSettings(
            folder=Path(raw.get("folder") or default_folder()),
            keep=int(raw.get("keep", DEFAULT_KEEP)),
            automatic=raw.get("automatic"),
            last_backup_at=datetime.fromisoformat(last) if last else None,
            last_backup_file=str(raw.get("last_backup_file", "")),
        )
    except FileNotFoundError:
        return BackupSettings(default_folder())
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        log.warning("backup settings in %s unreadable (%s); using defaults", path, exc)
        return BackupSettings(default_folder())


def check_settings(settings: BackupSettings) -> BackupSettings:
    """Refuse a number to keep outside 1..365 or a folder that is not a full path."""
    if not 1 <= settings.keep <= MAX_KEEP:
        raise ValidationError("keep", f"Keep between 1 and {MAX_KEEP} backups.")
    if not settings.folder.is_absolute():
        raise ValidationError("folder", "Choose a folder for the backups (a full path).")
    return settings


def save_settings(settings: BackupSettings, path: Path | None = None) -> None:
    """Write the settings (atomically: a crash leaves the old file)."""
    path = path or settings_path()
    body = {
        # The default folder is not written down: it follows CLINIC_APP_DATA_DIR.
        "folder": "" if settings.folder == default_folder() else str(settings.folder),
        "keep": settings.keep,
        "automatic": settings.automatic,
        "last_backup_at": settings.last_backup_at.isoformat() if settings.last_backup_at else None,
        "last_backup_file": settings.last_backup_file,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(json.dumps(body, indent=2), encoding="utf-8")
    os.replace(temp, path)


def record_success(when: datetime, file: Path, path: Path | None = None) -> BackupSettings:
    """Remember a successful backup (the status bar's "last backup")."""
    settings = replace(load_settings(path), last_backup_at=when, last_backup_file=str(file))
    try:
        save_settings(settings, path)
    except OSError as exc:
        log.warning("could not record the backup in the settings: %s", exc.strerror)
    return settings
