"""The plain data of a patient's aftercare handout: the treated sites, the medicines, the visit.

:class:`HandoutData` is everything a handout prints, built by the documents service and read by
``clinic_app.domain.handout_compose`` (which blocks apply, and their lines) and by
``clinic_app.reports.handout`` (the PDF). :class:`Block` names the advice blocks in printed order.
The words themselves live in ``clinic_app.domain.handout_texts``, the clinic values in
``clinic_app.domain.handout_settings``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Final

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Language, Side, Technique
from clinic_app.domain.formulary import DrugClass
from clinic_app.domain.handout_settings import default_settings


class Block(StrEnum):
    """One advice block of the handout; the member order is the printed order."""

    EMERGENCY = "emergency"
    WHAT_TO_EXPECT = "what_to_expect"
    DRY_NEEDLING = "dry_needling"
    NECK_ARM = "neck_arm"
    NO_DRIVING = "no_driving"
    BLOOD_THINNER = "blood_thinner"
    PAIN_RELIEF = "pain_relief"
    ACTIVITY = "activity"
    RETURN_TO_WORK = "return_to_work"
    ICE_HEAT = "ice_heat"
    BANDAGE_BATHING = "bandage_bathing"
    STEROID = "steroid"
    DIABETES_NOTE = "diabetes_note"
    CALL_CLINIC = "call_clinic"
    FOLLOW_UP = "follow_up"


MG_DL_PER_MMOL_L: Final = Decimal("18.016")


@dataclass(frozen=True, slots=True)
class Medicine:
    """A drug given at a site: its generic name and class (drives the steroid block)."""

    generic: str
    drug_class: DrugClass


@dataclass(frozen=True, slots=True)
class GivenDose:
    """How much of one medicine was given in the whole visit, e.g. triamcinolone 20 mg."""

    medicine: Medicine
    amount: Decimal
    unit: str


@dataclass(frozen=True, slots=True)
class HandoutSite:
    """One treated spot, numbered as on the figure.

    Attributes:
        view: the body-map view the mark was placed on.
        x, y: the mark in 0..1 coordinates of that view's figure.
    """

    number: int
    muscle_code: str
    side: Side
    technique: Technique
    view: View
    x: float
    y: float
    medicines: tuple[Medicine, ...] = ()

    @property
    def numbed(self) -> bool:
        """True when a local anesthetic was given here."""
        return any(m.drug_class is DrugClass.LOCAL_ANESTHETIC for m in self.medicines)


def _default_glucose() -> int:
    return default_settings().glucose_call_mg_dl


def _default_soak() -> int:
    return default_settings().no_soak_hours


@dataclass(frozen=True, slots=True)
class PainThenNow:
    """The "your progress" line (issue 14 §1): pain before treatment at the first signed visit
    of the series and at this visit, printed when the clinic turns it on."""

    first_visit: date
    first_pain: int
    today_pain: int


@dataclass(frozen=True, slots=True)
class HandoutData:
    """Everything one handout prints; user text is raw here and escaped by the renderer.

    Attributes:
        signed: False for a visit whose note is not signed yet: every page says
            "preliminary".
        fever_threshold_c: the clinic's "call us" fever, in °C (default 38.0 = 100.4 °F).
        activity_hours: how long to avoid hard exercise (clinic setting, default 48).
        follow_up_date: the next visit, if booked (wins over weeks).
        follow_up_weeks: "come back in N weeks" chosen for this visit; None = the clinic's
            ``default_follow_up_weeks``; 0 = no interval ("call to set up your next visit").
        handout_notes: the provider's words for the patient per language; a handout prints
            only the note of its own language.
        doses: how much of each medicine the visit gave (the steroid block prints its dose).
        anticoagulant: the patient takes a blood thinner or antiplatelet.
    """

    patient_given: str
    patient_family: str
    birth_date: date
    language: Language
    clinic_name: str
    clinic_phone: str
    after_hours_phone: str
    provider_name: str
    visit_date: date
    sites: tuple[HandoutSite, ...]
    large_print: bool = False
    signed: bool = False
    diabetes: bool = False
    anticoagulant: bool = False
    fever_threshold_c: Decimal = Decimal("38.0")
    activity_hours: int = 48
    follow_up_date: date | None = None
    follow_up_weeks: int | None = None
    default_follow_up_weeks: int = 0
    handout_notes: tuple[tuple[Language, str], ...] = ()
    doses: tuple[GivenDose, ...] = ()
    clinic_address: str = ""
    glucose_call_mg_dl: int = field(default_factory=_default_glucose)
    no_soak_hours: int = field(default_factory=_default_soak)
    #: The clinic's logo as PNG bytes (from the clinic profile), printed in the page header.
    logo_png: bytes | None = None
    #: Pain at the first visit and today, when the clinic prints it (None: no line).
    progress: PainThenNow | None = None

    @property
    def patient_name(self) -> str:
        return f"{self.patient_given} {self.patient_family}".strip()

    @property
    def fever_threshold_f(self) -> Decimal:
        return (self.fever_threshold_c * 9 / 5 + 32).quantize(Decimal("0.1"))

    @property
    def glucose_call_mmol_l(self) -> Decimal:
        return (Decimal(self.glucose_call_mg_dl) / MG_DL_PER_MMOL_L).quantize(Decimal("0.1"))

    def medicines(self) -> tuple[Medicine, ...]:
        """Every medicine used today, each once, in site order."""
        seen: dict[Medicine, None] = {}
        for site in self.sites:
            for medicine in site.medicines:
                seen.setdefault(medicine)
        return tuple(seen)

    def note(self) -> str:
        """The provider's note for the patient in this handout's language ("" when none)."""
        return "\n\n".join(text for lang, text in self.handout_notes if lang == self.language)


def clean(text: str) -> str:
    """User text as printed: NFC (so "é" typed as e + accent is one glyph), one line."""
    return " ".join(unicodedata.normalize("NFC", text).split())
