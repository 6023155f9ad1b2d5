"""Usernames: a safe ASCII set, so that no two accounts look alike."""

from __future__ import annotations

import pytest

from clinic_app.domain import validation as v
from clinic_app.domain.errors import ValidationError


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("aruiz", "aruiz"),
        ("  ARuiz ", "aruiz"),
        ("demo.admin", "demo.admin"),
        ("dr_lee-2", "dr_lee-2"),
        ("9nurse", "9nurse"),
    ],
)
def test_usernames_are_stored_lower_case(typed: str, stored: str) -> None:
    assert v.clean_username(typed) == stored


def test_a_cyrillic_look_alike_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as caught:
        v.clean_username("\u0430dmin")  # Cyrillic small a, then Latin "dmin"
    assert caught.value.field == "username"
    assert "“а” (cyrillic small letter a) is not one of them" in caught.value.message
    assert "letters a–z, digits 0–9 and . _ -" in caught.value.message


@pytest.mark.parametrize("typed", ["ａdmin", "adm\u0131n", "josé", "adm\u0456n"])
def test_other_non_ascii_letters_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError, match="Retype it on an English keyboard"):
        v.clean_username(typed)


@pytest.mark.parametrize("typed", ["ana ruiz", ".admin", "-admin", "a@b", "a/b", "ana+1"])
def test_other_characters_and_a_leading_separator_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError, match="starts with a letter or a digit"):
        v.clean_username(typed)


def test_empty_and_too_long_usernames_are_refused() -> None:
    with pytest.raises(ValidationError, match="Username is required"):
        v.clean_username("   ")
    with pytest.raises(ValidationError, match="longer than 64"):
        v.clean_username("a" * 65)
    assert v.clean_username("a" * 64) == "a" * 64
