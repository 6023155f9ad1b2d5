"""Password rules (NIST SP 800-63B-4 §3.1.1.2): length, blocklist, context, no composition."""

from __future__ import annotations

import pytest

from clinic_app.domain import passwords as p
from clinic_app.domain.errors import ValidationError
from clinic_app.domain.resource_files import resource

CONTEXT = {"username": "aruiz", "user's name": "Ana Ruiz", "clinic's name": "Riverside Pain Clinic"}


def refusal(password: str, context: dict[str, str] | None = None) -> str:
    with pytest.raises(ValidationError) as caught:
        p.check_new_password(password, context)
    assert caught.value.field == "password"
    return caught.value.message


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",  # spaces count, nothing stripped
        "lowercase only is fine",  # no composition rules
        "Ünïcödé pässwörd ñ",  # any Unicode
        "пароль для клиники",
        "   leading and trailing   ",
        "x" * 15 + "y",  # not one repeated unit
        "a" * 10 + "b" * 246,  # the longest accepted (256)
    ],
)
def test_long_uncommon_passwords_of_any_characters_are_accepted(password: str) -> None:
    assert p.check_new_password(password, CONTEXT) == p.normalize(password)


def test_length_counts_code_points_after_nfkc() -> None:
    assert "15 characters (this one has 14)" in refusal("fourteen chars")
    assert "at most 256" in refusal("ab" * 129)
    # The ligature "ﬁ" (one code point) becomes "fi" (two) under NFKC: 15 after normalising.
    assert p.check_new_password("ﬁve ladders up.") == "five ladders up."


def test_normalisation_makes_keyboard_variants_equal() -> None:
    assert p.normalize("ｐａｓｓ") == "pass"
    assert p.normalize("Cafe\u0301") == p.normalize("Café")
    assert p.verification_forms("plain ascii") == ("plain ascii",)
    assert p.verification_forms("ﬁne") == ("fine", "ﬁne")


def test_control_characters_are_refused() -> None:
    assert "control character" in refusal("a tab\there is odd!")


@pytest.mark.parametrize(
    "password",
    [
        "passwordpassword",
        "PASSWORD PASSWORD",
        "Pass-Word_Pass.Word",
        "correct horse battery staple",
        "qwertyuiopasdfghjkl",
        "ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ",  # full-width, NFKC folds it
        "iloveyouiloveyou",
        "1q2w3e4r5t6y7u8i",
    ],
)
def test_common_passwords_are_refused_whatever_the_case_and_spacing(password: str) -> None:
    assert "list of the most common passwords" in refusal(password)


def test_the_blocklist_is_shipped_as_keys_and_without_test_or_demo_passwords() -> None:
    common = p.common_passwords()
    assert 1000 < len(common) < 10_000
    assert {"123456", "password", "iloveyou", "dragon2024", "monkey123"} <= common
    assert all(key == p.comparison_key(key) for key in common)
    for ours in ("correct horse battery", "demo-clinic-password", "long enough pass"):
        assert p.comparison_key(ours) not in common
    text = resource("passwords", "common.txt").read_text(encoding="utf-8")
    assert text.startswith("#")


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaaaaaa",
        "abababababababab",
        "abcdabcdabcdabcdab",
        "1212 1212 1212 1212",
        "abcdefghijklmnopq",
        "zyxwvutsrqponmlkj",
        "2345678901234567",
        "9876543210987654",
    ],
)
def test_repeated_patterns_and_runs_are_refused(password: str) -> None:
    assert "repeated pattern" in refusal(password)


def test_near_patterns_are_accepted() -> None:
    assert p.check_new_password("abcdeabcdeabcdeXY")  # a 5-character unit is allowed
    assert p.check_new_password("13579 24680 13579")


@pytest.mark.parametrize(
    ("password", "what"),
    [
        ("Riverside Pain Clinic", "clinic's name"),
        ("riverside-pain-clinic", "clinic's name"),
        ("ANA  RUIZ ana ruiz", None),
    ],
)
def test_context_words_are_refused(password: str, what: str | None) -> None:
    if what is None:
        assert p.check_new_password(password, CONTEXT)
    else:
        assert refusal(password, CONTEXT) == f"A password must not be the {what}."


def test_a_long_username_as_password_is_refused() -> None:
    context = {"username": "frontdesk.reception", "clinic's name": ""}
    assert refusal("FrontDesk.Reception", context) == "A password must not be the username."
    assert p.check_new_password("frontdesk reception 2", context)
