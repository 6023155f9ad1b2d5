from decimal import Decimal

import pytest

from clinic_app.domain import labels
from clinic_app.domain.enums import (
    Aspiration,
    EncounterStatus,
    Language,
    Sex,
    Side,
    SkinPrep,
    Technique,
    Tolerance,
    TwitchResponse,
)


@pytest.mark.parametrize(
    ("table", "kind"),
    [
        (labels.SEX_LABELS, Sex),
        (labels.LANGUAGE_LABELS, Language),
        (labels.LANGUAGE_NAMES, Language),
        (labels.STATUS_LABELS, EncounterStatus),
        (labels.SIDE_LABELS, Side),
        (labels.TECHNIQUE_LABELS, Technique),
        (labels.TWITCH_LABELS, TwitchResponse),
        (labels.ASPIRATION_LABELS, Aspiration),
        (labels.SKIN_PREP_LABELS, SkinPrep),
        (labels.TOLERANCE_LABELS, Tolerance),
    ],
)
def test_every_enum_value_has_a_distinct_word(table, kind) -> None:
    assert set(table) == set(kind)
    assert len(set(table.values())) == len(table)
    assert all(word and word[0].isupper() for word in table.values())


def test_a_stored_string_finds_its_word() -> None:
    assert labels.SIDE_LABELS.get("left") == "Left"
    assert labels.TECHNIQUE_LABELS.get("dry_needling") == "Dry needling"
    assert labels.SKIN_PREP_LABELS.get("povidone_iodine") == "Povidone-iodine"
    assert labels.LANGUAGE_NAMES.get("es") == "Spanish"
    assert labels.LANGUAGE_LABELS.get("es") == "Español"


def test_findings_read_yes_no_or_not_recorded() -> None:
    assert labels.FINDING_LABELS == {True: "Yes", False: "No", None: "Not recorded"}
    assert labels.SCREENING_ANSWER_LABELS == {True: "Yes", False: "No", None: "Not asked"}


@pytest.mark.parametrize(
    ("gauge", "length", "text"),
    [
        (25, Decimal("1.5"), "25 G × 1.5 in"),
        (27, None, "27 G"),
        (None, "2", "2 in"),
        (None, Decimal("1.25"), "1.25 in"),
        (None, None, "Not recorded"),
    ],
)
def test_needle_text(gauge, length, text) -> None:
    assert labels.needle_text(gauge, length) == text


def test_needle_text_blank_is_the_callers_choice() -> None:
    assert labels.needle_text(None, None, blank=labels.DASH) == "—"
    assert labels.needle_text(22, None, blank=labels.DASH) == "22 G"


def test_capital_raises_only_the_first_letter() -> None:
    assert labels.capital("lidocaine") == "Lidocaine"
    assert labels.capital("onabotulinumtoxinA") == "OnabotulinumtoxinA"
    assert labels.capital("") == ""


def test_patient_alerts_in_a_fixed_order() -> None:
    assert (
        labels.patient_alerts(anticoagulant=False, diabetes=False, pregnant_or_breastfeeding=False)
        == ()
    )
    assert labels.patient_alerts(
        anticoagulant=True, diabetes=True, pregnant_or_breastfeeding=True
    ) == ("Anticoagulant / antiplatelet", "Diabetes", "Pregnant or breastfeeding")
    assert labels.patient_alerts(
        anticoagulant=False, diabetes=True, pregnant_or_breastfeeding=False
    ) == ("Diabetes",)
