"""Cumulative corticosteroid (clinic policy) and diabetes (tpi-reference §4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clinic_app.domain.rules import ClinicPolicy, PriorSession, Severity

from .helpers import INJ, L, R, dose, encounter, only, patient, prior, rules, run, site

KENALOG_40 = site(1, "deltoid", L, INJ, dose("triamcinolone_40", "1"))  # 40 mg


@pytest.mark.parametrize(
    ("earlier", "warns"),
    [
        ((prior(10, steroid="40"),), False),  # 80 mg: at the threshold, not above
        ((prior(10, steroid="40.01"),), True),
        ((prior(89, steroid="41"),), True),
        ((prior(90, steroid="41"),), False),  # the window is fewer than 90 days
        ((prior(-1, steroid="41"),), False),  # after this encounter: ignored
        ((prior(5, steroid="20"), prior(30, steroid="0"), prior(60, steroid="21")), True),
    ],
)
def test_rolling_window_above_the_threshold_warns(
    earlier: tuple[PriorSession, ...], warns: bool
) -> None:
    result = run(encounter(KENALOG_40), history=earlier)
    assert ("steroid.window" in rules(result)) is warns


def test_window_message_says_clinic_policy() -> None:
    history = (prior(5, steroid="20"), prior(30, steroid="0"), prior(60, steroid="21"))
    finding = only(run(encounter(KENALOG_40), history=history), "steroid.window")
    assert finding.message == (
        "Steroid in 90 days: 81 mg triamcinolone-equivalent (40 mg today + 41 mg from 2 earlier "
        "sessions) is above the clinic's 80 mg threshold (clinic policy, not evidence)."
    )
    assert finding.source.startswith("Clinic policy (not evidence)")
    assert finding.severity is Severity.WARNING
    assert finding.needs_reason
    assert finding.sites == (1,)


def test_dexamethasone_counts_by_its_equivalence_factor() -> None:
    dex = site(1, "deltoid", L, INJ, dose("dexamethasone_4", "4"))  # 16 mg × 5.33 = 85.28
    finding = only(run(encounter(dex)), "steroid.window")
    assert finding.message.startswith(
        "Steroid in 90 days: 85.28 mg triamcinolone-equivalent (85.28 mg today + 0 mg from 0 "
        "earlier sessions)"
    )


def test_policy_sets_window_and_threshold() -> None:
    policy = ClinicPolicy(steroid_window_days=30, steroid_threshold_mg=Decimal("60"))
    history = (prior(29, steroid="21"), prior(30, steroid="100"))
    finding = only(run(encounter(KENALOG_40), history=history, policy=policy), "steroid.window")
    assert "61 mg triamcinolone-equivalent" in finding.message
    assert "from 1 earlier session)" in finding.message


def test_no_steroid_today_no_steroid_findings() -> None:
    result = run(encounter(), patient(diabetes=True), history=(prior(3, steroid="200"),))
    assert not [r for r in rules(result) if r.startswith("steroid.")]


@pytest.mark.parametrize(
    ("diabetic", "answer", "warns"),
    [(True, None, True), (False, True, True), (False, False, False), (False, None, False)],
)
def test_diabetes_and_a_steroid_warn(diabetic: bool, answer: bool | None, warns: bool) -> None:
    sites = (
        site(1, "deltoid", L, INJ, dose("triamcinolone_40", "0.5"), dose("lidocaine_1")),
        site(2, "deltoid", R, INJ, dose("triamcinolone_40", "0.25")),
        site(3, "gluteus_medius", L, INJ, dose("methylprednisolone_acetate_40", "0.5")),
    )
    screening = {"allergies_reviewed": True, "diabetes": answer}
    result = run(encounter(*sites, screening=screening), patient(diabetes=diabetic))
    assert ("steroid.diabetes" in rules(result)) is warns
    if warns:
        finding = only(result, "steroid.diabetes")
        assert finding.message == (
            "Diabetes on record and triamcinolone acetonide 30 mg and methylprednisolone "
            "acetate 20 mg today: blood glucose may rise for 24–72 hours; the handout tells the "
            "patient to check it for 2–3 days."
        )
        assert finding.sites == (1, 2, 3)
        assert not finding.needs_reason
