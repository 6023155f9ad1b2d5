"""What every rule family reads: the facts, resolved once against the formulary and catalog."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from clinic_app.domain.catalog import Catalog, Muscle
from clinic_app.domain.enums import DoseUnit, Side
from clinic_app.domain.formulary import FormularyEntry
from clinic_app.domain.quantities import dose_of
from clinic_app.domain.rules.data import RuleBook
from clinic_app.domain.rules.model import (
    ClinicPolicy,
    DoseFact,
    EncounterFact,
    PatientFact,
    PriorSession,
    SiteFact,
)


@dataclass(frozen=True, slots=True)
class GivenDose:
    """A dose with its formulary entry: ``amount`` in the entry's dose unit (mL for saline)."""

    site: SiteFact
    fact: DoseFact
    entry: FormularyEntry
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Context:
    """The inputs of :func:`~clinic_app.domain.rules.engine.assess`, resolved.

    Attributes:
        history: prior sessions on or before the encounter's date, most recent first.
        sites: the sites by number.
        known: each site whose muscle is in the catalog, with the muscle, by site number.
        doses: the doses with a known medication and a volume above 0, in site order.
    """

    encounter: EncounterFact
    patient: PatientFact
    history: tuple[PriorSession, ...]
    policy: ClinicPolicy
    formulary: Mapping[str, FormularyEntry]
    catalog: Catalog
    book: RuleBook
    sites: tuple[SiteFact, ...]
    known: tuple[tuple[SiteFact, Muscle], ...]
    doses: tuple[GivenDose, ...]

    def days_ago(self, session: PriorSession) -> int:
        return (self.encounter.performed_on - session.performed_on).days

    def location(self, muscle_code: str, side: Side) -> tuple[str, Side]:
        """The billing identity of a site: (billing muscle, side); unknown codes stand alone."""
        if muscle_code in self.catalog:
            return self.catalog.get(muscle_code).billing_muscle, side
        return muscle_code, side


def valid_volume(volume: Decimal) -> bool:
    return volume.is_finite() and volume > 0


def amount_of(entry: FormularyEntry, volume_ml: Decimal) -> Decimal:
    """The dose in the entry's unit; saline, which has no concentration, counts its volume."""
    if entry.dose_unit is DoseUnit.NONE:
        return dose_of(Decimal(1), volume_ml)
    return dose_of(entry.concentration, volume_ml)


def build_context(
    encounter: EncounterFact,
    patient: PatientFact,
    history: Iterable[PriorSession],
    policy: ClinicPolicy,
    formulary: Mapping[str, FormularyEntry],
    catalog: Catalog,
    book: RuleBook,
) -> Context:
    sites = sorted(encounter.sites, key=lambda site: site.number)
    doses = tuple(
        GivenDose(site, fact, entry, amount_of(entry, fact.volume_ml))
        for site in sites
        for fact in site.doses
        if (entry := formulary.get(fact.medication_code)) is not None
        and valid_volume(fact.volume_ml)
    )
    prior = [s for s in history if s.performed_on <= encounter.performed_on]
    return Context(
        encounter=encounter,
        patient=patient,
        history=tuple(sorted(prior, key=lambda s: s.performed_on, reverse=True)),
        policy=policy,
        formulary=formulary,
        catalog=catalog,
        book=book,
        sites=tuple(sites),
        known=tuple((s, catalog.get(s.muscle_code)) for s in sites if s.muscle_code in catalog),
        doses=doses,
    )
