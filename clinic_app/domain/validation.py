"""Input rules for patients, encounters and sites, as plain functions.

Each function returns the cleaned value or raises :class:`ValidationError` with
a message a receptionist or provider can act on. Limits live in named
constants so that a reviewer sees the number and the reason together.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from clinic_app.domain.errors import ValidationError
from clinic_app.domain.quantities import plain_decimal

#: Heaviest weight accepted (kg); above this a typing slip is far likelier than a patient.
MAX_WEIGHT_KG = Decimal("400")
#: Lightest weight accepted (kg): below this a slip (grams typed as kilograms, a lost digit) is
#: far likelier than a patient, and a dose limit computed from it would be meaningless.
MIN_WEIGHT_KG = Decimal("1")
#: Resolution of a weight: what a clinic scale shows (0.01 kg). A weight is stored exactly as
#: typed, never rounded; more decimals are refused.
WEIGHT_STEP_KG = Decimal("0.01")
#: Largest single-site volume accepted at all (mL). Typical TPI volumes are 1-2 mL per point
#: (tpi-reference §4); the clinical warning above 10 mL belongs to the rules engine.
MAX_SITE_VOLUME_ML = Decimal("20")
#: Oldest plausible patient, in years.
MAX_AGE_YEARS = 125
PAIN_MIN, PAIN_MAX = 0, 10
#: Longest username; usernames use only USERNAME_CHARACTERS (no look-alike letters).
MAX_USERNAME_LENGTH = 64
USERNAME_CHARACTERS = "letters a–z, digits 0–9 and . _ -"
MAX_NAME_LENGTH = 100
MAX_MRN_LENGTH = 32
#: Longest text a patient search takes (the patient list, the audit screen's patient filter):
#: a name, an MRN or a date is far shorter.
MAX_SEARCH_LENGTH = 200
#: Needle gauges in use for TPI and dry needling (tpi-reference §4: 21-27 G; 30-34 G for
#: acupuncture-style dry needling filaments).
NEEDLE_GAUGE_RANGE = (18, 34)
#: Needle lengths in inches (0.5 in to 3.5 in spinal needles).
NEEDLE_LENGTH_RANGE_IN = (Decimal("0.25"), Decimal("7"))

_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)$")
_MRN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_/.]*$")
_USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# Letters that NFKD does not split into base + accent but that people type without it.
_FOLD_EXTRA = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"}
)
#: Zero-width non-joiner and joiner: invisible, but ordinary letters of Persian, Urdu and the
#: Indic scripts ("می‌خواهم" needs the non-joiner), so they are allowed between two letters.
JOINERS = frozenset({"\u200c", "\u200d"})
_DROP_JOINERS = str.maketrans(dict.fromkeys(JOINERS))


def has_control_characters(text: str) -> bool:
    """True when ``text`` holds a control, format or separator character other than a space.

    The joiners (:data:`JOINERS`) are letters of some scripts, not controls; bidi overrides,
    marks and every other invisible format character still count.
    """
    for ch in text:
        category = unicodedata.category(ch)
        if category in {"Cc", "Cf", "Zl", "Zp"} and ch not in JOINERS:
            return True
    return False


def _stray_joiner(text: str) -> bool:
    """True when a joiner does not sit between two visible characters (nothing to join)."""
    for i, ch in enumerate(text):
        if ch in JOINERS:
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if before.isspace() or after.isspace() or before in JOINERS or after in JOINERS:
                return True
    return False


def clean_text(
    field: str,
    value: str | None,
    *,
    label: str,
    required: bool = False,
    max_length: int = 2000,
    multiline: bool = False,
) -> str:
    """Normalise free text to NFC, strip it, and refuse control characters.

    Args:
        field: the field name reported in the error.
        value: what was typed; ``None`` counts as empty.
        label: the field's name as the user sees it.
        required: refuse an empty value.
        max_length: refuse anything longer.
        multiline: allow line breaks and tabs (notes).
    """
    if value is not None and not isinstance(value, str):
        raise ValidationError(field, f"{label} must be text.")
    text = unicodedata.normalize("NFC", value or "").strip()
    if len(text) > max_length:
        raise ValidationError(field, f"{label} is longer than {max_length} characters.")
    if required and not text:
        raise ValidationError(field, f"{label} is required.")
    probe = text.replace("\n", "").replace("\r", "").replace("\t", "") if multiline else text
    if has_control_characters(probe) or _stray_joiner(probe):
        raise ValidationError(
            field, f"{label} contains an invisible control character; retype it without pasting."
        )
    return text


def clean_name(field: str, value: str | None, *, label: str) -> str:
    """A person's given or family name: required, NFC, single line, no digits-only.

    The zero-width joiners Persian and the Indic scripts write are kept; bidi overrides and
    other invisible controls are refused (:func:`has_control_characters`).
    """
    text = clean_text(field, value, label=label, required=True, max_length=MAX_NAME_LENGTH)
    if not any(ch.isalpha() for ch in text):
        raise ValidationError(field, f"{label} must contain at least one letter.")
    return " ".join(text.split())


def clean_mrn(value: str | None) -> str:
    """A medical record number: letters, digits and - _ / . only."""
    text = clean_text("mrn", value, label="MRN", required=True, max_length=MAX_MRN_LENGTH)
    if not _MRN_PATTERN.match(text):
        raise ValidationError(
            "mrn", f"MRN may contain only letters, digits and - _ / . (got {text!r})."
        )
    return text


def mrn_key(mrn: str) -> str:
    """The form under which two MRNs are the same record: NFC, trimmed, case-folded.

    The database holds it in ``patient.mrn_key`` under a unique constraint, so "racexx" and
    "RACEXX" typed at the same instant on two desks cannot both be stored.
    """
    return unicodedata.normalize("NFC", mrn.strip()).casefold()


def clean_username(value: str | None) -> str:
    """A username: ASCII letters (stored lower-case), digits and . _ -, starting alphanumeric.

    Only ASCII, so that no two usernames look alike on screen: a Cyrillic "а" in "аdmin"
    would otherwise make a second "admin". Compared case-insensitively, so stored lower-case.
    """
    text = clean_text(
        "username", value, label="Username", required=True, max_length=MAX_USERNAME_LENGTH
    )
    foreign = next((ch for ch in text if not (ch.isascii() and ch.isprintable())), None)
    if foreign is not None:
        raise ValidationError(
            "username",
            f"Username may use only {USERNAME_CHARACTERS}; “{foreign}” "
            f"({unicodedata.name(foreign, 'an unnamed character').lower()}) is not one of "
            "them. Retype it on an English keyboard layout.",
        )
    name = text.lower()
    if not _USERNAME_PATTERN.match(name):
        raise ValidationError(
            "username",
            f"Username may use only {USERNAME_CHARACTERS}, and starts with a letter or a digit "
            f"(got {text!r}).",
        )
    return name


def check_birth_date(value: date | None, today: date) -> date:
    """A birth date that is neither in the future nor impossibly long ago."""
    if value is None:
        raise ValidationError("date_of_birth", "Date of birth is required.")
    if value > today:
        raise ValidationError(
            "date_of_birth", f"Date of birth {value.isoformat()} is in the future."
        )
    if today.year - value.year > MAX_AGE_YEARS:
        raise ValidationError(
            "date_of_birth",
            f"Date of birth {value.isoformat()} is more than {MAX_AGE_YEARS} years ago.",
        )
    return value


def parse_decimal(field: str, value: Decimal | str | int | None, *, label: str) -> Decimal | None:
    """Parse a number typed by a user into an exact Decimal (``None`` or blank stays ``None``)."""
    if value is None:
        return None
    if isinstance(value, float | bool) or not isinstance(value, Decimal | str | int):
        # A float has already lost the digits typed (0.1 is 0.1000000000000000055...).
        raise ValidationError(
            field, f"{label} must be an exact decimal number, typed as text (got {value!r})."
        )
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(field, f"{label} must be a finite number.")
        return value
    text = str(value).strip().replace(",", ".")
    if not text:
        return None
    if not _PLAIN_NUMBER.match(text):
        raise ValidationError(field, f"{label} must be a plain number such as 1.5 (got {value!r}).")
    number = Decimal(text)  # the pattern admits only what Decimal reads exactly
    return number


def check_weight(value: Decimal | str | int | None) -> Decimal | None:
    """Body weight in kg: optional; when given, 1 to 400 kg with at most two decimals.

    Stored exactly as typed ("72.46" stays 72.46): a weight is never rounded, since a dose
    limit is computed from it.
    """
    weight = parse_decimal("weight_kg", value, label="Weight")
    if weight is None:
        return None
    if weight < MIN_WEIGHT_KG or weight > MAX_WEIGHT_KG:
        raise ValidationError(
            "weight_kg",
            f"Weight {weight} kg is not plausible: enter a value from {MIN_WEIGHT_KG} "
            f"to {MAX_WEIGHT_KG} kg.",
        )
    if weight != weight.quantize(WEIGHT_STEP_KG):
        raise ValidationError(
            "weight_kg",
            f"Weight {weight} kg has more decimals than a scale shows; use at most two.",
        )
    return plain_decimal(weight)


def check_pain(field: str, value: int | None, *, label: str) -> int | None:
    """A numeric rating scale score, 0 to 10, or ``None`` when not recorded."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"{label} must be a whole number from 0 to 10.")
    if not PAIN_MIN <= value <= PAIN_MAX:
        raise ValidationError(field, f"{label} {value} is outside the 0–10 scale.")
    return value


def check_whole_number(
    field: str, value: int | None, *, label: str, low: int, high: int
) -> int | None:
    """A whole number in [low, high], or None when not recorded."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"{label} must be a whole number.")
    if not low <= value <= high:
        raise ValidationError(field, f"{label} must be between {low} and {high}.")
    return value


def check_volume(value: Decimal | str | int | None) -> Decimal:
    """Volume injected at one site in mL: more than 0 and at most 50 mL, 0.01 mL resolution."""
    volume = parse_decimal("volume_ml", value, label="Volume")
    if volume is None:
        raise ValidationError("volume_ml", "Volume is required.")
    if volume <= 0:
        raise ValidationError("volume_ml", f"Volume {volume} mL must be more than 0 mL.")
    if volume > MAX_SITE_VOLUME_ML:
        raise ValidationError(
            "volume_ml",
            f"Volume {volume} mL at one site is not plausible (at most {MAX_SITE_VOLUME_ML} mL).",
        )
    if volume != volume.quantize(Decimal("0.01")):
        raise ValidationError(
            "volume_ml",
            f"Volume {volume} mL has more precision than a syringe "
            "shows; use at most two decimals.",
        )
    return volume


def check_needle(
    gauge: int | None, length_in: Decimal | str | None
) -> tuple[int | None, Decimal | None]:
    """Needle gauge and length in inches; both optional, each within a real range."""
    if gauge is not None:
        low, high = NEEDLE_GAUGE_RANGE
        if isinstance(gauge, bool) or not isinstance(gauge, int) or not low <= gauge <= high:
            raise ValidationError(
                "needle_gauge", f"Needle gauge {gauge!r} is outside {low}–{high} G."
            )
    length = parse_decimal("needle_length_in", length_in, label="Needle length")
    if length is not None:
        low_l, high_l = NEEDLE_LENGTH_RANGE_IN
        if not low_l <= length <= high_l:
            raise ValidationError(
                "needle_length_in", f"Needle length {length} in is outside {low_l}–{high_l} in."
            )
    return gauge, length


def check_figure_point(x: float, y: float) -> tuple[float, float]:
    """A clicked point in normalised figure coordinates (0..1 on both axes)."""
    for name, v in (("x", x), ("y", y)):
        if not isinstance(v, int | float) or not 0.0 <= float(v) <= 1.0:
            raise ValidationError("point", f"Point {name}={v!r} is outside the figure (0 to 1).")
    return float(x), float(y)


def clean_search(value: str | None) -> str:
    """What a patient search was given, checked: text of at most :data:`MAX_SEARCH_LENGTH`
    characters; tabs and line breaks (a pasted cell) are spaces, other controls refused."""
    typed = clean_text(
        "search", value, label="Search text", max_length=MAX_SEARCH_LENGTH, multiline=True
    )
    return " ".join(typed.split())


def search_tokens(key: str) -> set[str]:
    """The words of a folded name (see :func:`search_key`) that search matches by prefix:
    each word as it stands ("garcia lopez" gives both words), at most 100 characters each."""
    return {word[:100] for word in key.split() if word}


def search_key(text: str) -> str:
    """Fold a name for searching: case-, accent- and spacing-insensitive.

    "Nguyễn" and "NGUYEN" both become "nguyen"; "Łukasz" becomes "lukasz".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_DROP_JOINERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_FOLD_EXTRA).split())
