"""Intervals between sessions (tpi-reference.md §3, §7) under the patient's payer profile.

"Within N days" means fewer than N days before this encounter: with the Medicare 42-day
same-site rule, a repeat after 41 days warns and one after exactly 42 days does not; with 3
sessions in 365 days, three earlier sessions fewer than 365 days back make this one the 4th.
Prior sessions dated after this encounter are ignored (the context drops them). Places are
(billing muscle, side), so upper trapezius today repeats lower trapezius on the same side.
The relief rule reads the most recent earlier session that treated any place treated today.

Relief is reported at the visit AFTER the session that gave it: what this visit records
(``EncounterFact.prior_relief_*``) describes the most recent earlier session, and what an
earlier visit recorded (``PriorSession.reported_relief_*``) describes the session before it.
"""

from __future__ import annotations

from datetime import date

from clinic_app.domain.enums import Side
from clinic_app.domain.rules._text import (
    days_text,
    join_and,
    location_text,
    ordinal,
    period_text,
)
from clinic_app.domain.rules.context import Context
from clinic_app.domain.rules.model import Finding, PriorSession
from clinic_app.domain.rules.tables import PayerProfile

Location = tuple[str, Side]


def _here(ctx: Context) -> dict[Location, list[int]]:
    """This encounter's locations (billing muscle, side) and their site numbers."""
    here: dict[Location, list[int]] = {}
    for site in ctx.sites:
        here.setdefault(ctx.location(site.muscle_code, site.side), []).append(site.number)
    return here


def _locations(ctx: Context, session: PriorSession) -> set[Location]:
    return {ctx.location(code, side) for code, side in session.sites}


def _since_last(ctx: Context) -> list[Finding]:
    if not ctx.history:
        return []
    last = ctx.history[0]
    days = ctx.days_ago(last)
    when = "earlier the same day" if days == 0 else f"{days_text(days)} ago"
    text = f"Last session {when} ({last.performed_on.isoformat()})."
    return [ctx.book.finding("interval.since_last", text)]


def _same_site(ctx: Context, profile: PayerProfile) -> list[Finding]:
    minimum = profile.same_site_min_days
    if minimum is None:
        return []
    findings = []
    for location, numbers in _here(ctx).items():
        last = next((s for s in ctx.history if location in _locations(ctx, s)), None)
        if last is None or ctx.days_ago(last) >= minimum:
            continue
        text = (
            f"{location_text(*location).capitalize()} was treated "
            f"{days_text(ctx.days_ago(last))} ago ({last.performed_on.isoformat()}); "
            f"{profile.name} expects at least {period_text(minimum)} before the same muscle "
            "and side."
        )
        findings.append(
            ctx.book.finding("interval.same_site", text, numbers, source=profile.source)
        )
    return findings


def within_window(performed_on: date, reference: date, window_days: int) -> bool:
    """Whether a session on ``performed_on`` counts in the rolling window ending at
    ``reference``: fewer than ``window_days`` days before it (the session-count rule's
    reading of "N sessions in 365 days", also used by the Progress view's series count)."""
    return 0 <= (reference - performed_on).days < window_days


def _sessions(ctx: Context, profile: PayerProfile) -> list[Finding]:
    window, maximum = profile.session_window_days, profile.max_sessions_in_window
    if window is None or maximum is None:
        return []
    on = ctx.encounter.performed_on
    earlier = [s for s in ctx.history if within_window(s.performed_on, on, window)]
    if len(earlier) + 1 <= maximum:
        return []
    dates = join_and([s.performed_on.isoformat() for s in reversed(earlier)])
    text = (
        f"This is the {ordinal(len(earlier) + 1)} session in {days_text(window)} "
        f"(earlier: {dates}); {profile.name} covers at most {maximum}."
    )
    return [ctx.book.finding("interval.sessions_per_year", text, source=profile.source)]


def relief_of(ctx: Context, session: PriorSession) -> tuple[int | None, int | None]:
    """(percent, weeks) of relief ``session`` gave, as reported at the visit after it."""
    index = next(i for i, earlier in enumerate(ctx.history) if earlier is session)
    if index == 0:
        return ctx.encounter.prior_relief_percent, ctx.encounter.prior_relief_weeks
    after = ctx.history[index - 1]
    return after.reported_relief_percent, after.reported_relief_weeks


def _relief_gaps(relief: tuple[int | None, int | None], profile: PayerProfile) -> list[str]:
    percent_given, weeks = relief
    gaps = []
    if profile.min_relief_percent is not None:
        if percent_given is None:
            gaps.append("no relief percent reported")
        elif percent_given < profile.min_relief_percent:
            gaps.append(f"{percent_given}% relief")
    if profile.min_relief_weeks is not None:
        if weeks is None:
            gaps.append("no relief duration reported")
        elif weeks < profile.min_relief_weeks:
            gaps.append(f"relief lasting {weeks} week{'' if weeks == 1 else 's'}")
    return gaps


def _relief(ctx: Context, profile: PayerProfile) -> list[Finding]:
    here = _here(ctx)
    last = next((s for s in ctx.history if _locations(ctx, s) & set(here)), None)
    if last is None:
        return []
    relief = relief_of(ctx, last)
    gaps = _relief_gaps(relief, profile)
    if not gaps:
        return []
    repeated = sorted(_locations(ctx, last) & set(here))
    percent_text = weeks_text = ""
    if profile.min_relief_percent is not None:
        percent_text = f"at least {profile.min_relief_percent}% "
    if profile.min_relief_weeks is not None:
        weeks_text = f" lasting at least {profile.min_relief_weeks} weeks"
    text = (
        f"Repeat at {join_and([location_text(*loc) for loc in repeated])}: for the last session "
        f"there ({last.performed_on.isoformat()}) the record shows {join_and(gaps)}; "
        f"{profile.name} expects {percent_text}relief{weeks_text} before a repeat."
    )
    # This visit reports on the most recent session: its relief fields are where to look.
    target = "prior_relief" if last is ctx.history[0] else ""
    if target and None in relief:
        text += " Record at this visit the relief since that session (percent and weeks)."
    numbers = [n for loc in repeated for n in here[loc]]
    return [
        ctx.book.finding("interval.relief", text, numbers, source=profile.source, target=target)
    ]


def check(ctx: Context, profile: PayerProfile) -> list[Finding]:
    return [
        *_since_last(ctx),
        *_same_site(ctx, profile),
        *_sessions(ctx, profile),
        *_relief(ctx, profile),
    ]
