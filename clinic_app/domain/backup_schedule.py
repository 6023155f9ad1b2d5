"""When the automatic backup is due, which old ones to delete, and what the status bar says."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

#: The automatic backup runs when the last one is at least this old.
INTERVAL = timedelta(days=1)
#: The status bar warns when the last successful backup is older than this.
WARN_AFTER = timedelta(days=2)
DEFAULT_KEEP = 14
MAX_KEEP = 365


def is_due(last: datetime | None, now: datetime, interval: timedelta = INTERVAL) -> bool:
    """Whether an automatic backup should run now (never taken, or ``interval`` ago)."""
    return last is None or now - last >= interval


def to_delete(names: Sequence[str], keep: int) -> list[str]:
    """The automatic backups beyond the newest ``keep`` (names sort by their UTC stamp)."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    return sorted(names)[:-keep]


@dataclass(frozen=True, slots=True)
class BackupStatus:
    """The status bar's backup field.

    Attributes:
        text: what it says.
        warning: True when it should stand out (no backup, or too old).
    """

    text: str
    warning: bool


def _age_words(age: timedelta) -> str:
    if age < timedelta(minutes=1):
        return "just now"
    if age < timedelta(hours=1):
        minutes = int(age.total_seconds() // 60)
        return f"{minutes} min ago"
    if age < timedelta(days=1):
        hours = int(age.total_seconds() // 3600)
        return f"{hours} h ago"
    days = age.days
    return f"{days} day{'s' if days != 1 else ''} ago"


def status(last: datetime | None, now: datetime, *, enabled: bool) -> BackupStatus:
    """What the status bar says about the last successful backup taken on this workstation."""
    if last is None:
        if not enabled:
            return BackupStatus("Automatic backup off on this workstation", False)
        return BackupStatus("No backup yet", True)
    age = max(now - last, timedelta(0))
    words = f"Last backup {_age_words(age)}"
    if age > WARN_AFTER:
        return BackupStatus(f"⚠ {words}", True)
    return BackupStatus(words, False)
