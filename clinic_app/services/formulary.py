"""The formulary as the services use it: seeding it, a medication's view, its dose unit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.domain.enums import DoseUnit
from clinic_app.domain.formulary import FormularyEntry, load_formulary
from clinic_app.models import Medication
from clinic_app.services.dto import MedicationView


def dose_unit_for(concentration_unit: str) -> DoseUnit:
    """The unit a dose of this medication is counted in."""
    if concentration_unit.startswith("mg"):
        return DoseUnit.MG
    if concentration_unit.startswith("unit"):
        return DoseUnit.UNITS
    return DoseUnit.NONE


def medication_view(m: Medication) -> MedicationView:
    return MedicationView(
        id=m.id,
        code=m.code,
        name=m.name,
        drug_class=str(m.drug_class),
        concentration=m.concentration,
        concentration_unit=m.concentration_unit,
        dose_unit=dose_unit_for(m.concentration_unit),
    )


def seed_formulary(session: Session, entries: tuple[FormularyEntry, ...] | None = None) -> int:
    """Add the reference formulary's medications that are missing; returns how many."""
    existing = set(session.scalars(select(Medication.code)))
    added = 0
    for e in entries if entries is not None else load_formulary():
        if e.code in existing:
            continue
        session.add(
            Medication(
                code=e.code,
                name=e.name,
                generic=e.generic,
                drug_class=e.drug_class,
                concentration=e.concentration,
                concentration_unit=e.concentration_unit,
                strength_label=e.strength_label,
                epinephrine=e.epinephrine,
                hcpcs_code=e.hcpcs_code,
                billing_unit_amount=e.billing_unit_amount,
                billing_unit=e.billing_unit,
                max_mg_per_kg=e.max_mg_per_kg,
                max_total_mg=e.max_total_mg,
                triamcinolone_equivalent_factor=e.triamcinolone_equivalent_factor,
                source=e.source,
            )
        )
        added += 1
    return added
