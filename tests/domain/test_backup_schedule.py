"""When the automatic backup runs, which old ones go, and what the status bar says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clinic_app.domain.backup_schedule import is_due, status, to_delete

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_due_when_never_taken_or_a_day_old() -> None:
    assert is_due(None, NOW)
    assert is_due(NOW - timedelta(days=1), NOW)
    assert not is_due(NOW - timedelta(hours=23, minutes=59), NOW)


def test_the_oldest_beyond_the_number_kept_are_deleted() -> None:
    names = [f"clinic-auto-2026120{d}T000000Z.clinic-backup" for d in (3, 1, 2, 4)]
    assert to_delete(names, 2) == [names[1], names[2]]
    assert to_delete(names, 14) == []
    with pytest.raises(ValueError, match="at least one"):
        to_delete(names, 0)


@pytest.mark.parametrize(
    ("age", "text", "warning"),
    [
        (timedelta(seconds=20), "Last backup just now", False),
        (timedelta(minutes=5), "Last backup 5 min ago", False),
        (timedelta(hours=3), "Last backup 3 h ago", False),
        (timedelta(days=1, hours=2), "Last backup 1 day ago", False),
        (timedelta(days=2), "Last backup 2 days ago", False),
        (timedelta(days=2, minutes=1), "⚠ Last backup 2 days ago", True),
        (timedelta(days=9), "⚠ Last backup 9 days ago", True),
        (-timedelta(hours=1), "Last backup just now", False),  # a clock set back
    ],
)
def test_the_status_warns_after_two_days(age: timedelta, text: str, warning: bool) -> None:
    shown = status(NOW - age, NOW, enabled=True)
    assert shown.text.startswith(text)
    assert shown.warning is warning


def test_no_backup_yet_warns_unless_automatic_backups_are_off() -> None:
    assert status(None, NOW, enabled=True).warning
    off = status(None, NOW, enabled=False)
    assert off.text == "Automatic backup off on this workstation"
    assert not off.warning
