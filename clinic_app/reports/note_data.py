"""What the procedure note prints, as plain values (issue 5 §2, issue 8 §2 and §8).

The service words everything (labels, units, the clinic's time zone) into a :class:`NoteData`;
:mod:`clinic_app.reports.note` turns it into a PDF. No reportlab here: the data can be built
and checked without drawing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from clinic_app.domain.labels import NOT_RECORDED


@dataclass(frozen=True)
class NoteDose:
    """One drug given at one site (a mix is one row per drug)."""

    drug: str
    concentration: str
    volume: str
    dose: str
    lot: str


@dataclass(frozen=True)
class NoteSite:
    """One charted site, worded for the tables.

    Attributes:
        taut_band, jump_sign, referred_pain: the trigger point findings ("Yes", "No",
            "Not recorded"); ``twitch`` is the local twitch response.
    """

    number: int
    muscle: str
    side: str
    technique: str
    needle: str
    twitch: str
    aspiration: str
    doses: tuple[NoteDose, ...] = ()
    taut_band: str = NOT_RECORDED
    jump_sign: str = NOT_RECORDED
    referred_pain: str = NOT_RECORDED


@dataclass(frozen=True)
class NoteCode:
    """A CPT or HCPCS line with its units."""

    code: str
    units: int
    description: str


@dataclass(frozen=True)
class NoteFinding:
    """One check as signed: its severity, the sentence, and the primary source of the rule."""

    severity: str
    message: str
    source: str = ""


@dataclass(frozen=True)
class NoteTotal:
    """One drug's total for the visit against its limit for this patient."""

    drug: str
    given: str
    limit: str
    share: str


@dataclass(frozen=True)
class NoteMeasure:
    """One outcome questionnaire of the visit, worded: "Neck Disability Index (NDI)",
    "18/50", "36%", "Moderate disability", the day it was taken."""

    name: str
    score: str
    percent: str
    band: str
    taken_on: str


@dataclass(frozen=True)
class NoteAddendum:
    author: str
    written_at: datetime
    text: str


@dataclass(frozen=True)
class NotePrint:
    """One printing of the aftercare handout (from the print log)."""

    language: str
    printed_at: datetime
    printed_by: str
    copies: int = 1


@dataclass(frozen=True)
class NoteSeal:
    """The SHA-256 of the signed content, and whether the stored content still matches it."""

    digest: str
    intact: bool

    @property
    def short(self) -> str:
        """The first 16 hex digits, for the page footer."""
        return self.digest[:16] + "…"


@dataclass(frozen=True)
class NotePainMark:
    """A site as the pain figure marks it: its number on its figure, at its point.

    Attributes:
        view: the figure (a :class:`~clinic_app.domain.bodymap.FigureView` value).
        x, y: the point in 0..1 of the figure's width and height.
    """

    number: int
    view: str
    x: float
    y: float


@dataclass(frozen=True)
class NotePainDrawing:
    """The visit's pain drawing as printed beside the sites.

    Attributes:
        cells: the drawing's compact text (:class:`~clinic_app.domain.pain_drawing.PainDrawing`).
        marks: the sites, numbered as in the site table.
    """

    cells: str
    marks: tuple[NotePainMark, ...] = ()


@dataclass(frozen=True)
class NoteData:
    """Everything the procedure note prints, as plain values.

    Attributes:
        performed_at: when the procedure was done (aware; printed in ``timezone``).
        timezone: the clinic's IANA zone name; "" = this computer's zone.
        weight: the weight as of the visit, with the day it was measured.
        checks: the findings, most severe first, each with its source.
        overrides: (finding message, the provider's typed reason) for each override.
        signed_by: "Ana Ruiz, MD"; None for an unsigned (draft) note.
        muscle_count: distinct muscle-and-side pairs treated.
        seal: the signed content's seal; None for a draft or a note signed before seals.
        handout_prints: the aftercare handout's print log (added after signing, live).
        measures: the visit's outcome questionnaires (NDI, ODI), part of the signed content.
    """

    clinic_name: str
    patient_name: str
    mrn: str
    birth_date: date
    sex: str
    weight: str
    performed_at: datetime
    provider: str
    indication: str
    icd10: tuple[str, ...]
    consent: str
    time_out: str
    allergies: str
    anticoagulant: str
    skin_prep: str
    sites: tuple[NoteSite, ...]
    muscle_count: int
    pain_before: int | None
    pain_after: int | None
    tolerance: str
    complications: str
    needle_intact: str
    disposition: str
    follow_up_plan: str
    checks: tuple[NoteFinding, ...] = ()
    overrides: tuple[tuple[str, str], ...] = ()
    cpt: tuple[NoteCode, ...] = ()
    hcpcs: tuple[NoteCode, ...] = ()
    coder_review: bool = False
    signed_by: str | None = None
    signed_at: datetime | None = None
    addenda: tuple[NoteAddendum, ...] = ()
    timezone: str = ""
    clinic_address: str = ""
    clinic_phone: str = ""
    provider_npi: str = ""
    signer_npi: str = ""
    conservative_treatment: str = ""
    prior_relief: str = NOT_RECORDED
    pain_after_reason: str = ""
    totals: tuple[NoteTotal, ...] = ()
    handout_prints: tuple[NotePrint, ...] = ()
    seal: NoteSeal | None = None
    measures: tuple[NoteMeasure, ...] = ()
    pain_drawing: NotePainDrawing | None = None

    @property
    def signed(self) -> bool:
        return self.signed_by is not None

    @property
    def altered(self) -> bool:
        """Signed content that no longer matches its seal."""
        return self.seal is not None and not self.seal.intact

    @property
    def relief_percent(self) -> int | None:
        """Pain relief in whole percent of the score before, when both scores exist."""
        if self.pain_before is None or self.pain_after is None or self.pain_before == 0:
            return None
        return round((self.pain_before - self.pain_after) * 100 / self.pain_before)


__all__ = [
    "NoteAddendum",
    "NoteCode",
    "NoteData",
    "NoteDose",
    "NoteFinding",
    "NoteMeasure",
    "NotePainDrawing",
    "NotePainMark",
    "NotePrint",
    "NoteSeal",
    "NoteSite",
    "NoteTotal",
]
