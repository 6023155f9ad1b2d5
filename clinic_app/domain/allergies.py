"""What a patient's allergy record says: a list, "No known drug allergies", or nothing yet.

"None" typed in the allergy list used to raise a red "Allergies: None" alert. The record now
holds "No known drug allergies" (NKDA) as its own state; the phrases people type for it are
recognised here, once, for the patient service and the screens (STYLE.md #19).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

NKDA_TEXT: Final = "No known drug allergies"
NOT_RECORDED_TEXT: Final = "Allergies: not recorded"
#: Typed in the allergy list, these mean "no known allergies", not an allergy to anything.
NO_ALLERGY_PHRASES: Final = frozenset(
    {
        "none",
        "none known",
        "nil",
        "nkda",
        "nka",
        "no",
        "no allergies",
        "no known allergies",
        "no known allergy",
        "no known drug allergies",
        "no known drug allergy",
        "n/a",
    }
)
_NOISE = re.compile(r"[\s.!;,\-]+")


class AllergyState(StrEnum):
    LISTED = "listed"
    NKDA = "nkda"
    NOT_RECORDED = "not_recorded"


def means_no_known_allergies(text: str) -> bool:
    """True when ``text`` is one of the ways of writing "no known allergies"."""
    folded = _NOISE.sub(" ", text.casefold()).strip()
    return folded in NO_ALLERGY_PHRASES


@dataclass(frozen=True, slots=True)
class AllergyStatus:
    """The record's allergy state and the words every screen and paper shows for it."""

    state: AllergyState
    text: str

    @property
    def alert(self) -> bool:
        """True only for a real list of allergies (the red chip)."""
        return self.state is AllergyState.LISTED


def allergy_status(allergies: str, no_known_drug_allergies: bool) -> AllergyStatus:
    """The state of a record; "None" typed before NKDA existed reads as NKDA, never an alert."""
    listed = allergies.strip()
    if listed and not means_no_known_allergies(listed):
        return AllergyStatus(AllergyState.LISTED, listed)
    if no_known_drug_allergies or listed:
        return AllergyStatus(AllergyState.NKDA, NKDA_TEXT)
    return AllergyStatus(AllergyState.NOT_RECORDED, NOT_RECORDED_TEXT)
