"""How long an account waits after wrong passwords, and what a refused sign-in says.

NIST SP 800-63B-4 §3.2.2 ("Rate Limiting (Throttling)") asks a verifier to limit
consecutive failed attempts on one account and lists growing waiting periods as a way to do
it, instead of a lock that an attacker could use to shut a clinic out. Here: five wrong
passwords in a row are free; each one after that makes the account wait, 30 s after the 5th,
doubling with each further failure, never more than 15 minutes. A right password (once the
wait is over) starts again from zero.

The refusal never says whether the username exists: the same words for an unknown username,
a wrong password and an account that waits (unknown usernames get the same waits, see
:class:`clinic_app.services.accounts.UnknownNames`).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import NamedTuple

#: Wrong passwords in a row before an account has to wait.
FREE_ATTEMPTS = 5
#: The wait after the FREE_ATTEMPTS-th wrong password; doubles with each further one.
FIRST_WAIT = timedelta(seconds=30)
#: The longest wait, however many wrong passwords.
LONGEST_WAIT = timedelta(minutes=15)

WRONG = "Wrong username or password."

#: The idle lock's range in minutes (clinic setting, default 10). There is no "never":
#: issue 10 §3 makes the lock a rule for every clinic (HIPAA 45 CFR 164.312(a)(2)(iii),
#: automatic logoff), and two hours is the most a shared workstation may keep a chart on
#: screen for whoever walks by.
IDLE_LOCK_MIN, IDLE_LOCK_MAX, IDLE_LOCK_DEFAULT = 1, 120, 10


def wait_after(failures: int) -> timedelta:
    """How long an account waits after ``failures`` wrong passwords in a row (0 for few)."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    doublings = min(failures - FREE_ATTEMPTS, 16)  # 2**16 * 30 s is far past the cap
    wait: timedelta = FIRST_WAIT * 2**doublings
    return min(wait, LONGEST_WAIT)


def seconds_left(until: datetime | None, now: datetime) -> int:
    """Whole seconds (rounded up) until ``until``; 0 when it has passed or is None."""
    if until is None or until <= now:
        return 0
    return math.ceil((until - now).total_seconds())


class Outcome(NamedTuple):
    """An attempt's verdict and the account's new state.

    Attributes:
        accepted: signed in.
        failures: wrong passwords in a row now.
        waits_until: when the account may be tried again (None or past: now).
    """

    accepted: bool
    failures: int
    waits_until: datetime | None

    def refusal(self, now: datetime) -> str:
        """What to say when not accepted."""
        return refusal(seconds_left(self.waits_until, now))


def after_attempt(
    failures: int, waits_until: datetime | None, now: datetime, *, password_ok: bool
) -> Outcome:
    """Decide an attempt on an account with ``failures`` wrong passwords so far.

    While the account waits, nothing is accepted, not even the right password (else the wait
    would not slow down guessing), and nothing is counted (so trying during a wait cannot
    lengthen it).
    """
    if seconds_left(waits_until, now) > 0:
        return Outcome(False, failures, waits_until)
    if password_ok:
        return Outcome(True, 0, None)
    failures += 1
    wait = wait_after(failures)
    return Outcome(False, failures, now + wait if wait else None)


def refusal(wait_seconds: int) -> str:
    """What a refused sign-in says, the same whether or not the username exists."""
    if wait_seconds <= 0:
        return WRONG
    return (
        "Wrong username or password, or too many wrong passwords in a row: this account "
        f"can be tried again in {_duration(wait_seconds)}."
    )


def current_password_refusal(wait_seconds: int) -> str:
    """What a wrong current password (when changing it) says; the user is known here."""
    if wait_seconds <= 0:
        return "The current password is wrong."
    return (
        "The current password is wrong, or there were too many wrong passwords in a row: "
        f"try again in {_duration(wait_seconds)}."
    )


def _duration(seconds: int) -> str:
    """ "45 s", "2 min", "14 min 30 s"."""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"
