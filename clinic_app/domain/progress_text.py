"""The series in words, once, for the Progress view and the progress report alike."""

from __future__ import annotations

from clinic_app.domain.progress import Progress, SeriesCount
from clinic_app.domain.rules._text import period_text


def score(value: int | None) -> str:
    """ "7/10"; "not scored" when missing."""
    return "not scored" if value is None else f"{value}/10"


def number(value: float) -> str:
    """One decimal, without a trailing ".0": 3 -> "3", 2.5 -> "2.5"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def change_text(value: float | None) -> str:
    """A pain change as "−2.5" (better) or "+1" (worse); "—" when unknown."""
    if value is None:
        return "—"
    if value == 0:
        return "0"
    # Pain before minus after: a positive change is a drop in pain.
    return f"−{number(value)}" if value > 0 else f"+{number(-value)}"


def period(progress: Progress) -> str:
    """ "2026-01-05 to 2026-04-15 (3 signed visits)"."""
    first, last = progress.first, progress.last
    if first is None or last is None:
        return "no signed visits yet"
    visits = len(progress.points)
    noun = "signed visit" if visits == 1 else "signed visits"
    if first.performed_on == last.performed_on:
        return f"{first.performed_on.isoformat()} ({visits} {noun})"
    return f"{first.performed_on.isoformat()} to {last.performed_on.isoformat()} ({visits} {noun})"


def pain_text(progress: Progress) -> str:
    """Pain before treatment at the first and at the latest scored visit."""
    first, last = progress.first_scored(), progress.last_scored()
    if first is None or last is None:
        return "not scored"
    start = f"{score(first.pain_before)} on {first.performed_on.isoformat()}"
    if first is last:
        return f"{start} (one scored visit)"
    end = f"{score(last.pain_before)} on {last.performed_on.isoformat()}"
    rise = (last.pain_before or 0) - (first.pain_before or 0)  # both scored (first_scored)
    return f"{start} → {end} ({points_text(rise)})"


def points_text(rise: int) -> str:
    """ "down 5 points", "up 1 point", "no change" (pain on the 0-10 scale)."""
    if rise == 0:
        return "no change"
    size = abs(rise)
    return f"{'up' if rise > 0 else 'down'} {size} point{'' if size == 1 else 's'}"


def relief_text(progress: Progress) -> str:
    """Average relief and how long it lasted, as reported at the following visits."""
    percent, weeks = progress.average_relief_percent, progress.average_relief_weeks
    reported = sum(1 for p in progress.points if p.relief_percent is not None)
    if percent is None and weeks is None:
        return "none reported yet"
    parts = []
    if percent is not None:
        noun = "visit" if reported == 1 else "visits"
        parts.append(f"{number(percent)}% on average ({reported} {noun} reported)")
    if weeks is not None:
        unit = "week" if number(weeks) == "1" else "weeks"
        parts.append(f"lasting {number(weeks)} {unit} on average")
    return ", ".join(parts)


def series_text(series: SeriesCount) -> str:
    """The sessions counted against the payer's limit, in one sentence."""
    payer = series.payer_name
    if not series.known_payer:
        payer = f"{payer} (the patient's payer profile is not defined)"
    if series.window_days is None or series.maximum is None:
        noun = "session" if series.count == 1 else "sessions"
        return f"{series.count} {noun} so far; {payer}: no session limit."
    noun = "session" if series.count == 1 else "sessions"
    text = (
        f"{series.count} {noun} in the last {period_text(series.window_days)}; "
        f"{payer} covers at most {series.maximum}"
    )
    if series.over:
        return f"{text}: over the limit by {series.count - series.maximum}."
    return f"{text}: {series.remaining} left."


def summary(progress: Progress) -> tuple[tuple[str, str], ...]:
    """(label, text) lines: period, pain then and now, relief, the payer's count."""
    return (
        ("Period", period(progress)),
        ("Pain before treatment", pain_text(progress)),
        ("Relief after a visit", relief_text(progress)),
        ("Sessions", series_text(progress.series)),
    )
