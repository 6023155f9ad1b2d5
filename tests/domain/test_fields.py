"""Shape checks at the service boundary: each returns the value in its type or names the field."""

from __future__ import annotations

import pytest

from clinic_app.domain import fields as f
from clinic_app.domain.enums import Sex
from clinic_app.domain.errors import ValidationError


def test_an_enum_is_taken_as_a_member_or_its_stored_value() -> None:
    assert f.check_enum("sex", Sex.FEMALE, Sex, label="Sex") is Sex.FEMALE
    assert f.check_enum("sex", "male", Sex, label="Sex") is Sex.MALE
    assert f.check_optional_enum("sex", None, Sex, label="Sex") is None
    with pytest.raises(ValidationError, match="Sex must be one of female, male") as err:
        f.check_enum("sex", "robot", Sex, label="Sex")
    assert err.value.field == "sex"


def test_screening_answers_keep_their_shape() -> None:
    answers = {"fever": True, "anticoagulant": None, "allergy": {"answer": False, "note": "no"}}
    assert f.check_screening(answers) == {
        "fever": True,
        "anticoagulant": None,
        "allergy": {"answer": False, "note": "no"},
    }
    assert f.check_screening({"pregnant": {"note": "asked"}}) == {
        "pregnant": {"answer": None, "note": "asked"}
    }


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({"q": {"answer": True, "note": "n" * 2001}}, "longer than 2000"),
        ({f"q{i}": {"answer": True, "note": "n" * 1900} for i in range(60)}, "too large"),
    ],
)
def test_screening_notes_and_the_whole_payload_are_bounded(answers: object, words: str) -> None:
    with pytest.raises(ValidationError, match=words) as err:
        f.check_screening(answers)
    assert err.value.field == "screening"


def test_a_png_logo_is_kept_and_anything_else_refused() -> None:
    png = f.PNG_SIGNATURE + b"\x00" * 16
    assert f.check_logo(png) == png
    assert f.check_logo(bytearray(png)) == png
    assert f.check_logo(None) is None
    with pytest.raises(ValidationError, match="not one"):
        f.check_logo(b"GIF89a")


def test_a_refused_value_is_shown_shortened() -> None:
    with pytest.raises(ValidationError) as err:
        f.check_id("patient_id", "9" * 100, label="Patient")
    assert "..." in str(err.value)
    assert len(str(err.value)) < 100
