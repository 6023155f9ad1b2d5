from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clinic_app.domain import validation as v
from clinic_app.domain.errors import ValidationError
from clinic_app.domain.quantities import format_quantity, plain_decimal

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Nguyễn", "nguyen"),
        ("NGUYEN", "nguyen"),
        ("Łukasz", "lukasz"),
        ("Müller", "muller"),
        ("O'Brien", "o'brien"),
        ("  José   María ", "jose maria"),
        ("Zoë", "zoe"),
        ("Straße", "strasse"),
        ("Ødegård", "odegard"),
        ("Иванов", "иванов"),
    ],
)
def test_search_key_folds_case_accents_and_spacing(raw: str, key: str) -> None:
    assert v.search_key(raw) == key


def test_a_search_is_single_spaced_and_limited() -> None:
    assert v.clean_search(" smith\tana\n") == "smith ana"
    assert v.clean_search(None) == ""
    assert v.clean_search("x" * v.MAX_SEARCH_LENGTH) == "x" * v.MAX_SEARCH_LENGTH
    with pytest.raises(ValidationError, match="longer than 200") as err:
        v.clean_search("x" * (v.MAX_SEARCH_LENGTH + 1))
    assert err.value.field == "search"


def test_names_are_nfc_and_single_spaced() -> None:
    decomposed = "Nguye\u0302\u0303n"  # e + circumflex + tilde, as some keyboards send it
    assert v.clean_name("family_name", decomposed, label="Family name") == "Nguyễn"
    assert v.clean_name("given_name", " Ana   María ", label="Given name") == "Ana María"


@pytest.mark.parametrize("bad", ["Ana\x00", "Bob\x1b[31m", "Eve\u200e", "line\nbreak"])
def test_control_characters_in_a_name_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="control character") as err:
        v.clean_name("given_name", bad, label="Given name")
    assert err.value.field == "given_name"


def test_multiline_text_keeps_line_breaks_but_not_control_characters() -> None:
    assert v.clean_text("notes", "a\nb\tc", label="Notes", multiline=True) == "a\nb\tc"
    with pytest.raises(ValidationError):
        v.clean_text("notes", "a\x07b", label="Notes", multiline=True)


def test_empty_and_letterless_names_are_refused() -> None:
    with pytest.raises(ValidationError, match="required"):
        v.clean_name("family_name", "   ", label="Family name")
    with pytest.raises(ValidationError, match="letter"):
        v.clean_name("family_name", "1234", label="Family name")
    with pytest.raises(ValidationError, match="longer than"):
        v.clean_name("family_name", "x" * 101, label="Family name")


def test_mrn_rules() -> None:
    assert v.clean_mrn(" A-100/2 ") == "A-100/2"
    with pytest.raises(ValidationError, match="MRN may contain only"):
        v.clean_mrn("12 34")
    with pytest.raises(ValidationError, match="required"):
        v.clean_mrn("")


def test_birth_date_in_the_future_is_refused() -> None:
    assert v.check_birth_date(TODAY, TODAY) == TODAY
    with pytest.raises(ValidationError, match="in the future"):
        v.check_birth_date(date(2026, 11, 24), TODAY)
    with pytest.raises(ValidationError, match="more than 125 years"):
        v.check_birth_date(date(1890, 1, 1), TODAY)
    with pytest.raises(ValidationError, match="required"):
        v.check_birth_date(None, TODAY)


@pytest.mark.parametrize("bad", ["0", "-3", "400.1", "abc", "NaN", "Infinity"])
def test_implausible_weights_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError) as err:
        v.check_weight(bad)
    assert err.value.field == "weight_kg"


def test_weights_are_exact_decimals() -> None:
    assert v.check_weight("72,5") == Decimal("72.5")
    assert v.check_weight("400") == Decimal("400")
    # Stored exactly as typed, never rounded (issue 11 §3).
    assert str(v.check_weight(Decimal("66.65"))) == "66.65"
    assert str(v.check_weight("72.46")) == "72.46"
    assert v.check_weight("") is None
    assert v.check_weight(None) is None
    with pytest.raises(ValidationError, match="exact decimal") as err:
        v.check_weight(72.5)  # type: ignore[arg-type]
    assert err.value.field == "weight_kg"
    for slip in ("0.04", "0.5", "72.456"):
        with pytest.raises(ValidationError) as err:
            v.check_weight(slip)
        assert err.value.field == "weight_kg"


@pytest.mark.parametrize(
    ("value", "ok"), [(0, True), (10, True), (-1, False), (11, False), (None, True)]
)
def test_pain_scale_is_0_to_10(value: int | None, ok: bool) -> None:
    if ok:
        assert v.check_pain("pain_before", value, label="Pain before") == value
    else:
        with pytest.raises(ValidationError, match="0–10"):
            v.check_pain("pain_before", value, label="Pain before")


def test_pain_must_be_whole_number() -> None:
    with pytest.raises(ValidationError):
        v.check_pain("pain_before", True, label="Pain before")
    with pytest.raises(ValidationError):
        v.check_pain("pain_before", "5", label="Pain before")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1", "more than 0"),
        ("0", "more than 0"),
        ("20.01", "not plausible"),
        ("1.005", "two decimals"),
        (None, "required"),
        ("", "required"),
        ("ml", "number"),
    ],
)
def test_bad_volumes(raw: str | None, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        v.check_volume(raw)


def test_good_volumes() -> None:
    assert v.check_volume("0.05") == Decimal("0.05")
    assert v.check_volume("20") == Decimal("20")
    with pytest.raises(ValidationError, match="plain number"):
        v.check_volume("1e1")


def test_needles() -> None:
    assert v.check_needle(25, "1.5") == (25, Decimal("1.5"))
    assert v.check_needle(None, None) == (None, None)
    with pytest.raises(ValidationError, match="gauge"):
        v.check_needle(12, None)
    with pytest.raises(ValidationError, match="gauge"):
        v.check_needle(True, None)
    with pytest.raises(ValidationError, match="length"):
        v.check_needle(25, "9")


def test_figure_points() -> None:
    assert v.check_figure_point(0, 1) == (0.0, 1.0)
    with pytest.raises(ValidationError, match="outside the figure"):
        v.check_figure_point(1.2, 0.5)
    with pytest.raises(ValidationError, match="outside the figure"):
        v.check_figure_point(0.5, "x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("0.5"), "0.5 mL"),
        (Decimal("5.0"), "5 mL"),
        (Decimal("10.0000"), "10 mL"),
        (Decimal("1E+1"), "10 mL"),
        (Decimal("0.25"), "0.25 mL"),
    ],
)
def test_quantities_are_written_safely(value: Decimal, text: str) -> None:
    assert format_quantity(value, "mL") == text


def test_plain_decimal_keeps_value() -> None:
    assert plain_decimal(Decimal("300.000")) == Decimal("300")
    assert str(plain_decimal(Decimal("300.000"))) == "300"
