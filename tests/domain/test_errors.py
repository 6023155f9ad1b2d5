"""Several field problems at once (issue 12 §8): InvalidFieldsError and FieldChecks."""

from __future__ import annotations

import pytest

from clinic_app.domain.errors import FieldChecks, InvalidFieldsError, ValidationError


def refuse(field: str) -> str:
    raise ValidationError(field, f"{field} is wrong.")


def test_checks_keep_every_problem_in_order() -> None:
    c = FieldChecks()
    assert c.run(str.strip, "  ok ") == "ok"
    assert c.run(refuse, "name") is None
    c.add("phone", "phone is wrong.")
    assert c.run(refuse, "zip") is None
    assert c.failed("phone")
    assert not c.failed("notes")
    with pytest.raises(InvalidFieldsError) as raised:
        c.done()
    error = raised.value
    assert [e.field for e in error.errors] == ["name", "phone", "zip"]
    assert (error.field, error.message) == ("name", "name is wrong.")
    assert str(error) == "name is wrong. phone is wrong. zip is wrong."


def test_one_problem_is_raised_as_itself_and_none_raises_nothing() -> None:
    FieldChecks().done()
    c = FieldChecks()
    c.run(refuse, "mrn")
    with pytest.raises(ValidationError) as raised:
        c.done()
    assert type(raised.value) is ValidationError
    assert raised.value.field == "mrn"


def test_nested_problems_are_flattened() -> None:
    inner = InvalidFieldsError([ValidationError("a", "A."), ValidationError("b", "B.")])

    def many() -> None:
        raise inner

    c = FieldChecks()
    c.run(many)
    c.run(refuse, "c")
    with pytest.raises(InvalidFieldsError) as raised:
        c.done()
    assert [e.field for e in raised.value.errors] == ["a", "b", "c"]
    assert InvalidFieldsError([inner]).errors == inner.errors
    with pytest.raises(ValueError, match="at least one"):
        InvalidFieldsError([])
