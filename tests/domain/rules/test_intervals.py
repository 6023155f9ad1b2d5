"""Intervals between sessions and the payer profiles (tpi-reference §3, payers.toml)."""

from __future__ import annotations

import dataclasses

import pytest

from clinic_app.domain.rules import (
    EncounterFact,
    PayerProfile,
    PriorSession,
    Severity,
    assess,
    default_rules,
)

from .helpers import L, R, encounter, needled, only, patient, prior, rules, run, site

MEDICARE = patient(payer="medicare")
TRAPEZIUS = encounter(site(1, "trapezius_upper", L), site(2, "deltoid", R), icd10=("M79.12",))


def medicare(*history: PriorSession) -> list[str]:
    return rules(run(TRAPEZIUS, MEDICARE, history))


# ---------------------------------------------------------------- days since the last session


@pytest.mark.parametrize(
    ("days", "text"),
    [(0, "Last session earlier the same day (2025-03-03)."),
     (1, "Last session 1 day ago (2025-03-02)."),
     (21, "Last session 21 days ago (2025-02-10).")],
)  # fmt: skip
def test_days_since_the_last_session(days: int, text: str) -> None:
    result = run(history=(prior(days + 30), prior(days), prior(-3)))
    finding = only(result, "interval.since_last")
    assert (finding.severity, finding.message) == (Severity.INFO, text)


def test_no_history_no_interval_findings() -> None:
    assert run(encounter(), MEDICARE).findings == ()


# ---------------------------------------------------------------- same muscle and side


@pytest.mark.parametrize(("days", "warns"), [(1, True), (41, True), (42, False), (90, False)])
def test_same_muscle_and_side_within_6_weeks_warns_for_medicare(days: int, warns: bool) -> None:
    history = (prior(days, ("trapezius_upper", L)),)
    assert ("interval.same_site" in medicare(*history)) is warns
    assert "interval.same_site" not in rules(run(TRAPEZIUS, patient(), history))


def test_same_site_uses_the_billing_muscle_and_the_side() -> None:
    assert "interval.same_site" in medicare(prior(20, ("trapezius_lower", L)))
    assert "interval.same_site" not in medicare(prior(20, ("trapezius_upper", R)))
    finding = only(
        run(TRAPEZIUS, MEDICARE, (prior(41, ("trapezius_middle", L)),)), "interval.same_site"
    )
    assert finding.message == (
        "Left trapezius was treated 41 days ago (2025-01-21); Medicare expects at least 42 days "
        "(6 weeks) before the same muscle and side."
    )
    assert finding.sites == (1,)
    assert finding.needs_reason
    assert finding.source.startswith("CMS LCD L36859")


def test_same_site_on_an_unknown_prior_muscle_code() -> None:
    enc = encounter(site(1, "retired_muscle", L))
    assert "interval.same_site" in rules(run(enc, MEDICARE, (prior(3, ("retired_muscle", L)),)))


@pytest.mark.parametrize(
    ("minimum", "expects"),
    [(14, "at least 14 days (2 weeks) before"), (10, "at least 10 days before")],
)
def test_same_site_days_are_profile_data(minimum: int, expects: str) -> None:
    book = default_rules()
    clinic = PayerProfile("clinic", "Clinic series", "Clinic policy", same_site_min_days=minimum)
    custom = dataclasses.replace(book, payers={**book.payers, "clinic": clinic})
    history = (prior(minimum - 1, ("deltoid", R)),)
    result = assess(TRAPEZIUS, patient(payer="clinic"), history, rules=custom)
    finding = only(result, "interval.same_site")
    assert finding.message.startswith("Right deltoid was treated ")
    assert f"; Clinic series expects {expects} the same muscle and side." in finding.message
    assert (finding.sites, finding.source) == ((2,), "Clinic policy")


# ---------------------------------------------------------------- sessions in 12 months


@pytest.mark.parametrize(
    ("ages", "warns"),
    [
        ((100, 200), False),
        ((100, 200, 300), True),
        ((100, 200, 365), False),
        ((100, 200, 364), True),
    ],
)
def test_medicare_warns_at_the_4th_session_in_12_months(ages: tuple[int, ...], warns: bool) -> None:
    history = tuple(prior(days, ("gluteus_medius", L)) for days in ages)
    assert ("interval.sessions_per_year" in medicare(*history)) is warns
    assert "interval.sessions_per_year" not in rules(run(TRAPEZIUS, patient(), history))


def test_sessions_message() -> None:
    history = tuple(prior(days, ("gluteus_medius", L)) for days in (300, 100, 200))
    finding = only(run(TRAPEZIUS, MEDICARE, history), "interval.sessions_per_year")
    assert finding.message == (
        "This is the 4th session in 365 days (earlier: 2024-05-07, 2024-08-15 and 2024-11-23); "
        "Medicare covers at most 3."
    )


# ---------------------------------------------------------------- relief before a repeat


def repeat(relief: tuple[int | None, int | None]) -> EncounterFact:
    """Today's trapezius visit, reporting ``relief`` (percent, weeks) about the last session."""
    return dataclasses.replace(TRAPEZIUS, prior_relief_percent=relief[0],
                               prior_relief_weeks=relief[1])  # fmt: skip


@pytest.mark.parametrize(
    ("relief", "gap"),
    [((60, 6), None),
     ((50, 12), None),
     ((30, 6), "30% relief"),
     ((49, 8), "49% relief"),
     ((None, 6), "no relief percent reported"),
     ((60, None), "no relief duration reported"),
     ((60, 5), "relief lasting 5 weeks"),
     ((80, 1), "relief lasting 1 week"),
     ((0, 2), "0% relief and relief lasting 2 weeks"),
     ((None, None), "no relief percent reported and no relief duration reported")],
)  # fmt: skip
def test_medicare_repeat_needs_50_percent_relief_for_6_weeks(
    relief: tuple[int | None, int | None], gap: str | None
) -> None:
    # The relief reported at THIS visit describes the last session (60 days ago).
    history = (prior(60, ("trapezius_upper", L), pain=(None, None)),)
    result = run(repeat(relief), MEDICARE, history)
    if gap is None:
        assert "interval.relief" not in rules(result)
        return
    finding = only(result, "interval.relief")
    expected = (
        f"Repeat at left trapezius: for the last session there (2025-01-02) the record shows "
        f"{gap}; Medicare expects at least 50% relief lasting at least 6 weeks before a repeat."
    )
    if None in relief:
        expected += " Record at this visit the relief since that session (percent and weeks)."
    assert finding.message == expected
    assert finding.sites == (1,)
    assert finding.target == "prior_relief"
    assert finding.severity is Severity.WARNING
    assert finding.needs_reason


def test_relief_of_an_older_session_is_what_the_next_visit_reported() -> None:
    # 60 days ago: trapezius. 30 days ago: gluteus only, reporting the trapezius session's
    # relief. Today's report describes the gluteus session, not the trapezius one.
    gluteus = prior(30, ("gluteus_medius", L), reported=(70, 8))
    trapezius = prior(60, ("trapezius_upper", L))
    assert "interval.relief" not in rules(run(repeat((10, 1)), MEDICARE, (gluteus, trapezius)))
    poor = prior(30, ("gluteus_medius", L), reported=(20, 8))
    finding = only(run(repeat((90, 9)), MEDICARE, (poor, trapezius)), "interval.relief")
    assert "the record shows 20% relief;" in finding.message
    assert "Record at this visit" not in finding.message  # it was the earlier visit's to record
    assert finding.target == ""


def test_relief_looks_at_the_last_session_at_the_same_place() -> None:
    # Nothing treated today was treated before: no relief rule.
    assert "interval.relief" not in medicare(prior(50, ("gluteus_medius", L)))
    # No payer rules: no relief rule.
    assert "interval.relief" not in rules(
        run(TRAPEZIUS, patient(), (prior(60, ("trapezius_upper", L)),))
    )


@pytest.mark.parametrize(
    ("percent", "weeks", "expects"),
    [(50, None, "expects at least 50% relief before a repeat."),
     (None, 6, "expects relief lasting at least 6 weeks before a repeat.")],
)  # fmt: skip
def test_relief_rule_with_one_number(percent: int | None, weeks: int | None, expects: str) -> None:
    book = default_rules()
    profile = PayerProfile(
        "partial", "Partial", "test", min_relief_percent=percent, min_relief_weeks=weeks
    )
    custom = dataclasses.replace(book, payers={**book.payers, "partial": profile})
    history = (prior(60, ("trapezius_upper", L)),)
    finding = only(
        assess(TRAPEZIUS, patient(payer="partial"), history, rules=custom), "interval.relief"
    )
    assert expects in finding.message
    assert finding.source == "test"


# ---------------------------------------------------------------- diagnoses, dry needling, profile


@pytest.mark.parametrize(
    ("codes", "outside"),
    [
        (("M79.18",), None),
        (("G44.201", "G44.229", "M79.10"), None),
        (("M54.2",), "M54.2 is"),
        (("M54.2", "M79.7", "M79.18"), "M54.2 and M79.7 are"),
        (("M79.1",), None),  # blocked by the ICD-10 check, not also reported here
    ],
)
def test_medicare_diagnoses_outside_the_covered_list_warn(
    codes: tuple[str, ...], outside: str | None
) -> None:
    enc = encounter(site(1), icd10=codes)
    result = run(enc, MEDICARE)
    assert ("payer.icd10_not_covered" in rules(result)) is (outside is not None)
    assert rules(run(enc, patient())).count("payer.icd10_not_covered") == 0
    if outside is not None:
        finding = only(result, "payer.icd10_not_covered")
        assert finding.message == (
            f"{outside} not on Medicare's covered list for trigger point injection "
            "(G44.201–G44.229, M79.10–M79.18)."
        )
        assert finding.needs_reason


def test_covered_list_can_name_single_codes() -> None:
    profile = PayerProfile("x", "X", "s", covered_icd10=(("M54.2", "M54.2"), ("M79.10", "M79.18")))
    assert profile.covered_text() == "M54.2, M79.10–M79.18"
    assert profile.covers("M54.2")
    assert profile.covers("M79.12")
    assert not profile.covers("M79.7")
    assert not profile.covers("M79.1")
    assert PayerProfile("y", "Y", "s").covers("anything")
    assert PayerProfile("y", "Y", "s").covered_text() == ""


def test_medicare_does_not_cover_dry_needling() -> None:
    enc = encounter(site(1), needled(2, "deltoid", R), needled(3, "gluteus_medius"))
    finding = only(run(enc, MEDICARE), "payer.dry_needling")
    assert finding.message == "Medicare does not cover dry needling (sites 2 and 3)."
    assert finding.sites == (2, 3)
    assert "payer.dry_needling" not in rules(run(enc, patient()))
    assert "payer.dry_needling" not in rules(run(encounter(site(1)), MEDICARE))


def test_unknown_payer_falls_back_to_none() -> None:
    history = (prior(3, ("trapezius_upper", L)),)
    result = run(TRAPEZIUS, patient(payer="aetna"), history)
    finding = only(result, "payer.unknown_profile")
    assert finding.message == (
        "Payer profile 'aetna' is not defined: no payer rules were checked. Choose the "
        "patient's payer again."
    )
    assert "interval.same_site" not in rules(result)
