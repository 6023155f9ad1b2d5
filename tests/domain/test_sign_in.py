"""Waits after wrong passwords, and what a refused sign-in says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clinic_app.domain import sign_in as s

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (4, 0), (5, 30), (6, 60), (7, 120), (8, 240), (9, 480), (10, 900), (50, 900)],
)
def test_waits_grow_after_five_and_stop_at_fifteen_minutes(failures: int, seconds: int) -> None:
    assert s.wait_after(failures) == timedelta(seconds=seconds)


def test_seconds_left_round_up_and_never_go_negative() -> None:
    assert s.seconds_left(None, NOW) == 0
    assert s.seconds_left(NOW - timedelta(seconds=1), NOW) == 0
    assert s.seconds_left(NOW, NOW) == 0
    assert s.seconds_left(NOW + timedelta(seconds=29, milliseconds=1), NOW) == 30


def test_five_wrong_passwords_then_a_wait_that_accepts_nothing() -> None:
    failures, until = 0, None
    for expected in range(1, 5):
        outcome = s.after_attempt(failures, until, NOW, password_ok=False)
        assert outcome == s.Outcome(False, expected, None)
        assert outcome.refusal(NOW) == s.WRONG
        failures, until = outcome.failures, outcome.waits_until
    fifth = s.after_attempt(failures, until, NOW, password_ok=False)
    assert fifth == s.Outcome(False, 5, NOW + timedelta(seconds=30))
    assert fifth.refusal(NOW).endswith("can be tried again in 30 s.")
    # The right password during the wait is refused too, and the try is not counted.
    later = NOW + timedelta(seconds=10)
    during = s.after_attempt(5, fifth.waits_until, later, password_ok=True)
    assert during == s.Outcome(False, 5, fifth.waits_until)
    assert "tried again in 20 s" in during.refusal(later)
    # After the wait, a wrong one waits twice as long; a right one starts again.
    after = NOW + timedelta(seconds=30)
    assert s.after_attempt(5, fifth.waits_until, after, password_ok=False) == s.Outcome(
        False, 6, after + timedelta(seconds=60)
    )
    assert s.after_attempt(5, fifth.waits_until, after, password_ok=True) == s.Outcome(
        True, 0, None
    )


def test_refusals_name_the_wait_in_plain_units() -> None:
    assert s.refusal(0) == "Wrong username or password."
    assert s.refusal(45).endswith("in 45 s.")
    assert s.refusal(120).endswith("in 2 min.")
    assert s.refusal(870).endswith("in 14 min 30 s.")
    assert s.current_password_refusal(0) == "The current password is wrong."
    assert s.current_password_refusal(60).endswith("try again in 1 min.")
