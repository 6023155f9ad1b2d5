"""Password rules, after NIST SP 800-63B-4 (August 2025), §3.1.1.2 "Password Verifiers".

What the guideline asks and where this module does it:

- length over composition: at least 15 characters for a password that is the only factor
  (this app's case), a generous maximum (it asks for at least 64), every Unicode code point
  counted as one character, and **no** composition rules (no "one digit, one capital");
- any printing character, the space and Unicode accepted, and the password normalised with
  NFKC before hashing, so the same password typed on two keyboards gives the same bytes;
- a new password compared with a blocklist of commonly used, expected or compromised values
  (``resources/passwords/common.txt``, provenance in its README), with repetitive and
  sequential runs, and with context-specific words (the username, the clinic's name);
- never truncated, and no hints or security questions (there are none in the app).

Passwords hashed before NFKC was applied were hashed as typed; :func:`verification_forms`
gives both forms so such an account still signs in (and is re-hashed in the new form).
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Mapping

from clinic_app.domain.errors import ValidationError
from clinic_app.domain.resource_files import resource

#: Shortest password accepted (SP 800-63B-4 §3.1.1.2: 15 for a single-factor password).
MIN_PASSWORD_LENGTH = 15
#: Longest accepted: far above the guideline's 64, low enough to refuse a pasted document.
MAX_PASSWORD_LENGTH = 256
#: Characters a comparison ignores, so "pass word" and "Pass-Word" meet "password".
_IGNORED = str.maketrans("", "", " \t-_.")
#: A pattern of up to this many characters repeated is refused ("abcabcabc...").
_LONGEST_REPEATED_UNIT = 4


def normalize(password: str) -> str:
    """The form of ``password`` that is hashed and measured (NFKC, nothing stripped)."""
    return unicodedata.normalize("NFKC", password)


def verification_forms(typed: str) -> tuple[str, ...]:
    """What to check a typed password as: the normalised form, then (if different) as typed.

    The second form is for hashes made before passwords were normalised.
    """
    normal = normalize(typed)
    return (normal,) if normal == typed else (normal, typed)


def comparison_key(text: str) -> str:
    """How passwords are compared with the blocklist and context words.

    NFKC, case-folded, without spaces, tabs and the separators ``- _ .``.
    """
    return normalize(text).casefold().translate(_IGNORED)


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped blocklist, as comparison keys (lines starting with ``#`` are comments)."""
    text = resource("passwords", "common.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(comparison_key(line) for line in lines if line and not line.startswith("#"))


def _is_repetition(key: str) -> bool:
    """One short unit repeated: "aaaaaaa", "abababab", "12341234"."""
    for size in range(1, _LONGEST_REPEATED_UNIT + 1):
        unit = key[:size]
        if len(key) >= 2 * size and unit * (len(key) // size) + unit[: len(key) % size] == key:
            return True
    return False


def _step(a: str, b: str) -> int:
    """From one character to the next: digits wrap (9 to 0 is 1, 0 to 9 is 9)."""
    if a.isdigit() and b.isdigit():
        return (int(b) - int(a)) % 10
    return ord(b) - ord(a)


def _is_sequence(key: str) -> bool:
    """A run up or down the alphabet or the digits: "abcdefg…", "9876543210987…"."""
    steps = {_step(a, b) for a, b in itertools.pairwise(key)}
    return steps in ({1}, {-1}, {9})


def check_new_password(password: str, context: Mapping[str, str] | None = None) -> str:
    """The normalised form of a new password, or :class:`ValidationError` on ``password``.

    Args:
        password: as typed (never stripped: spaces count).
        context: words the password must not be, by what they are, e.g.
            ``{"username": "aruiz", "clinic's name": "Riverside Pain Clinic"}``.
    """
    normal = normalize(password)
    if len(normal) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "password",
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters (this one has "
            f"{len(normal)}). A few words with spaces between them make a good one.",
        )
    if len(normal) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            "password", f"A password may have at most {MAX_PASSWORD_LENGTH} characters."
        )
    if any(unicodedata.category(ch) == "Cc" for ch in normal):
        raise ValidationError(
            "password", "The password contains an invisible control character; retype it."
        )
    key = comparison_key(normal)
    for what, word in (context or {}).items():
        if word and key == comparison_key(word):
            raise ValidationError("password", f"A password must not be the {what}.")
    if key in common_passwords():
        raise ValidationError(
            "password",
            "This password is on the list of the most common passwords, which are tried "
            "first by anyone guessing; choose another.",
        )
    if _is_repetition(key) or _is_sequence(key):
        raise ValidationError(
            "password",
            "A repeated pattern (aaaa…, abab…) or a run (12345…, abcde…) is guessed at "
            "once; choose another password.",
        )
    return normal
