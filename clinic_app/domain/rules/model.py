"""The engine's vocabulary: the facts it is given and the assessment it gives back.

Every class is a frozen value type, so a caller (the editor, the signing service, a test) can
build facts from whatever it holds and compare assessments for equality.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from clinic_app.domain.enums import Side, Technique


class Severity(StrEnum):
    """How a finding affects signing: a block refuses it, a warning may need a typed reason."""

    BLOCK = "block"
    WARNING = "warning"
    INFO = "info"


#: Display and sort order: the most severe first.
SEVERITY_ORDER: Final[Mapping[Severity, int]] = {
    Severity.BLOCK: 0,
    Severity.WARNING: 1,
    Severity.INFO: 2,
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the provider should see before signing.

    Attributes:
        rule: stable id (``"dose.lidocaine_max"``, ``"screening.infection"``...), for matching
            an override reason to the finding it overrides.
        severity: block / warning / info.
        message: one plain sentence naming the numbers.
        source: where the rule comes from (a label, a guideline, or "clinic policy").
        sites: the site numbers concerned, ascending; empty for encounter-wide findings.
        needs_reason: a warning the provider may override only with a typed reason.
        target: the form field the finding is about (one of :data:`TARGETS`: ``"consent"``,
            ``"lot"``...), for editors that take the cursor there; "" when none.
        picks: standard typed reasons offered at signing (only when ``needs_reason``).
    """

    rule: str
    severity: Severity
    message: str
    source: str
    sites: tuple[int, ...] = ()
    needs_reason: bool = False
    target: str = ""
    picks: tuple[str, ...] = ()


#: Form fields a finding may point at (Finding.target). "lot" points at the lot cell of the
#: finding's site.
TARGETS: Final = frozenset({
    "consent", "time_out", "skin_prep", "pain_before", "pain_after", "indication", "icd10",
    "needle_intact", "disposition", "lot", "prior_relief",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class DoseFact:
    """One drug drawn into the syringe for one site: formulary code and volume in mL."""

    medication_code: str
    volume_ml: Decimal
    lot_expires_on: date | None = None
    #: The lot's number, when one is recorded (for the messages).
    lot_number: str = ""
    #: The clinic has marked the recorded lot recalled.
    lot_recalled: bool = False
    #: The product is stocked by lot (the clinic keeps lots of it): a lot must be recorded.
    has_lots: bool = False
    lot_recorded: bool = False
    #: Why no lot was recorded ("lot not available"), as typed.
    lot_missing_reason: str = ""


@dataclass(frozen=True, slots=True)
class SiteFact:
    """One charted site: catalog muscle code, the patient's side, technique and doses."""

    number: int
    muscle_code: str
    side: Side
    technique: Technique
    doses: tuple[DoseFact, ...] = ()


@dataclass(frozen=True, slots=True)
class PatientFact:
    """What the patient record says.

    Attributes:
        payer: the payer profile code (``"none"``, ``"medicare"``; see resources/rules/payers.toml).
    """

    weight_kg: Decimal | None
    weight_measured_on: date | None
    allergies: str
    anticoagulant: bool
    diabetes: bool
    pregnant_or_breastfeeding: bool
    payer: str = "none"


@dataclass(frozen=True, slots=True)
class PriorSession:
    """An earlier (signed) session of the same patient.

    Attributes:
        sites: (muscle code, side) pairs treated.
        steroid_tri_equivalent_mg: corticosteroid given, in mg triamcinolone-equivalent.
        reported_relief_percent / reported_relief_weeks: relief reported AT that visit about
            the session before it (as stored with that visit; None = not recorded). The
            relief a session gave is what the next visit reports.
    """

    performed_on: date
    sites: frozenset[tuple[str, Side]]
    steroid_tri_equivalent_mg: Decimal
    pain_before: int | None
    pain_after: int | None
    reported_relief_percent: int | None = None
    reported_relief_weeks: int | None = None


@dataclass(frozen=True, slots=True)
class Documentation:
    """What the procedure note records besides sites and codes (the completeness rules).

    Attributes:
        skin_prep_recorded: an antiseptic was chosen.
        pain_after_reason: why pain after was not scored, as typed.
        needle_intact_recorded: "needle intact after removal" answered yes or no.
    """

    consent_obtained: bool = False
    time_out_done: bool = False
    skin_prep_recorded: bool = False
    pain_after_reason: str = ""
    indication: str = ""
    needle_intact_recorded: bool = False
    disposition: str = ""


@dataclass(frozen=True, slots=True)
class EncounterFact:
    """The encounter being charted.

    Attributes:
        screening: answers by question code (resources/rules/screening.toml); None = not asked.
        icd10_codes: as typed; the engine normalises case and the dot.
        acute_trauma: acute muscle trauma at a site, when recorded outside the screening answers.
        documentation: what the note records; None = the completeness rules are not checked
            (rule tests of other families). The signing service always gives it.
        prior_relief_percent / prior_relief_weeks: relief reported at this visit about the
            most recent earlier session (None = not recorded).
    """

    performed_on: date
    sites: tuple[SiteFact, ...]
    screening: Mapping[str, bool | None]
    icd10_codes: tuple[str, ...]
    pain_before: int | None = None
    pain_after: int | None = None
    acute_trauma: bool | None = None
    documentation: Documentation | None = None
    prior_relief_percent: int | None = None
    prior_relief_weeks: int | None = None


@dataclass(frozen=True, slots=True)
class SeverityChoice:
    """A clinic's severity for one rule and its typed reason (clinic_profile.rule_overrides)."""

    severity: Severity
    reason: str


@dataclass(frozen=True, slots=True)
class ClinicPolicy:
    """Clinic-set numbers (clinic policy, not evidence; tpi-reference.md §4).

    Attributes:
        lowered: rules the clinic lowered from a block to a warning, with the clinic's reason
            (only rules whose data allows it, ``clinic_may_lower``; others are ignored).
        severities: the clinic's severity per rule id, raised or lowered (never below the
            rule's floor; a choice below it is ignored). Wins over ``lowered``.
        reason_picks: the clinic's standard typed reasons per rule id, replacing the shipped
            ones (reasons.toml).
    """

    steroid_window_days: int = 90
    steroid_threshold_mg: Decimal = Decimal("80")
    weight_max_age_days: int = 180
    max_volume_per_site_ml: Decimal = Decimal("10")
    lowered: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    severities: Mapping[str, SeverityChoice] = field(default_factory=lambda: MappingProxyType({}))
    reason_picks: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )


@dataclass(frozen=True, slots=True)
class DrugTotal:
    """One drug's total for the encounter, for the site table's running totals.

    Attributes:
        medication_generic: the formulary's generic name ("lidocaine").
        label: display text, e.g. "Lidocaine 60 mg of 300 mg limit".
        total: dose in ``unit`` (mg, units; mL for saline, which has no dose).
        limit: the maximum for this patient (local anesthetics), else None.
        fraction: total ÷ limit (1 = at the limit), else None.
    """

    medication_generic: str
    label: str
    total: Decimal
    unit: str
    limit: Decimal | None
    fraction: Decimal | None


@dataclass(frozen=True, slots=True)
class CodeLine:
    """One billing line: a CPT or HCPCS code with its units."""

    code: str
    units: int
    description: str


@dataclass(frozen=True, slots=True)
class CodingSummary:
    """The codes for the procedure note; ``coder_review`` when a coder must decide."""

    cpt: tuple[CodeLine, ...]
    hcpcs: tuple[CodeLine, ...]
    icd10: tuple[str, ...]
    coder_review: bool


@dataclass(frozen=True, slots=True)
class Assessment:
    """Everything the engine says about one encounter; findings most severe first."""

    findings: tuple[Finding, ...]
    totals: tuple[DrugTotal, ...]
    coding: CodingSummary

    @property
    def blocks(self) -> tuple[Finding, ...]:
        return self._of(Severity.BLOCK)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return self._of(Severity.WARNING)

    @property
    def infos(self) -> tuple[Finding, ...]:
        return self._of(Severity.INFO)

    @property
    def reasons_needed(self) -> tuple[Finding, ...]:
        """Warnings the provider must give a typed reason for before signing."""
        return tuple(f for f in self.warnings if f.needs_reason)

    @property
    def can_sign(self) -> bool:
        """No block stands (warnings are the signing dialog's business)."""
        return not self.blocks

    def _of(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is severity)
