"""How enum values, needles, findings and patient alerts read in words, on screen and on paper.

One table per fact, so the site table, the encounter form and the procedure note agree.
The tables are keyed by :class:`~enum.StrEnum` members, so a stored string ("left") finds its
word too (``SIDE_LABELS.get("left") == "Left"``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

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
from clinic_app.domain.quantities import format_quantity

#: A value nobody recorded, in a sentence or a form ("Weight: Not recorded").
NOT_RECORDED: Final = "Not recorded"
#: A value nobody recorded, in a narrow table cell.
DASH: Final = "—"

SEX_LABELS: Final[dict[Sex, str]] = {
    Sex.FEMALE: "Female",
    Sex.MALE: "Male",
    Sex.OTHER: "Other",
    Sex.UNKNOWN: "Unknown",
}
#: Each language named in itself, as a patient would recognise it.
LANGUAGE_LABELS: Final[dict[Language, str]] = {
    Language.ENGLISH: "English",
    Language.SPANISH: "Español",
}
#: Each language named in English, for the clinic's own records ("Handout printed in Spanish").
LANGUAGE_NAMES: Final[dict[Language, str]] = {
    Language.ENGLISH: "English",
    Language.SPANISH: "Spanish",
}
STATUS_LABELS: Final[dict[EncounterStatus, str]] = {
    EncounterStatus.DRAFT: "Draft",
    EncounterStatus.SIGNED: "Signed",
}
SIDE_LABELS: Final[dict[Side, str]] = {Side.LEFT: "Left", Side.RIGHT: "Right"}
TECHNIQUE_LABELS: Final[dict[Technique, str]] = {
    Technique.INJECTION: "Injection",
    Technique.DRY_NEEDLING: "Dry needling",
}
TWITCH_LABELS: Final[dict[TwitchResponse, str]] = {
    TwitchResponse.NOT_ASSESSED: "Not assessed",
    TwitchResponse.NONE: "None",
    TwitchResponse.LOCAL: "Local",
    TwitchResponse.REFERRED: "Referred",
}
ASPIRATION_LABELS: Final[dict[Aspiration, str]] = {
    Aspiration.NOT_DONE: "Not done",
    Aspiration.NEGATIVE: "Negative",
    Aspiration.POSITIVE: "Positive",
}
SKIN_PREP_LABELS: Final[dict[SkinPrep, str]] = {
    SkinPrep.ALCOHOL: "Alcohol",
    SkinPrep.CHLORHEXIDINE: "Chlorhexidine",
    SkinPrep.POVIDONE_IODINE: "Povidone-iodine",
}
TOLERANCE_LABELS: Final[dict[Tolerance, str]] = {
    Tolerance.WELL: "Well",
    Tolerance.FAIR: "Fair",
    Tolerance.POOR: "Poor",
}
#: A yes / no / not recorded fact: trigger point findings, needle intact.
FINDING_LABELS: Final[dict[bool | None, str]] = {None: NOT_RECORDED, True: "Yes", False: "No"}
#: A screening question's answer (``None``: the question was not asked).
SCREENING_ANSWER_LABELS: Final[dict[bool | None, str]] = {
    None: "Not asked",
    True: "Yes",
    False: "No",
}


def capital(text: str) -> str:
    """First letter up, the rest untouched: "onabotulinumtoxinA" -> "OnabotulinumtoxinA"."""
    return text[:1].upper() + text[1:]


def needle_text(
    gauge: int | None, length_in: Decimal | str | None, blank: str = NOT_RECORDED
) -> str:
    """ "25 G × 1.5 in", "25 G", "1.5 in", or ``blank`` when neither was recorded."""
    parts = [f"{gauge} G"] if gauge is not None else []
    if length_in is not None:
        parts.append(format_quantity(Decimal(length_in), "in"))
    return " × ".join(parts) or blank


def patient_alerts(
    *, anticoagulant: bool, diabetes: bool, pregnant_or_breastfeeding: bool
) -> tuple[str, ...]:
    """The clinical alerts a patient's header shows, in a fixed order (none: empty)."""
    flags = (
        (anticoagulant, "Anticoagulant / antiplatelet"),
        (diabetes, "Diabetes"),
        (pregnant_or_breastfeeding, "Pregnant or breastfeeding"),
    )
    return tuple(text for flag, text in flags if flag)
