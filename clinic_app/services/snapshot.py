"""What was signed, frozen: the signed snapshot of an encounter and its SHA-256 seal.

At signing, :func:`build_snapshot` gathers everything the procedure note prints — the
patient as of the visit (weight and the day it was measured included), every form field,
every site with its findings and doses, the checks with the provider's reasons, the codes,
the provider and the clinic — into one JSON document of plain values, and :func:`seal`
hashes its canonical serialisation. The note of a signed encounter is printed from that
document, never from today's rows, and :func:`seal_matches` tells whether the stored
document is still the one that was sealed.

The same document, built live and not stored, is what a draft's note prints, so a draft and
its signed note are worded by one code path.

Format 1 (``"format": 1``), top-level keys:

- ``encounter_id``, ``performed_at`` (ISO UTC), ``signed_at`` (ISO UTC or null)
- ``signed_by`` / ``provider``: ``{"id", "name", "credentials", "npi"}`` (signed_by null
  on a draft)
- ``patient``: ``{"mrn", "given_name", "family_name", "date_of_birth", "sex", "weight_kg",
  "weight_measured_on", "allergies", "anticoagulant", "diabetes",
  "pregnant_or_breastfeeding", "payer", "no_known_drug_allergies"}`` (the last since
  issue 12; older snapshots lack it: read as False)
- ``clinic``: ``{"name", "address", "phone", "timezone"}``
- ``form``: every :class:`~clinic_app.services.dto.EncounterInput` field by name
- ``sites``: ``[{"number", "muscle_code", "muscle_name", "side", "view", "point_x",
  "point_y", "technique", "needle_gauge", "needle_length_in", "twitch_response",
  "aspiration", "taut_band", "jump_sign", "referred_pain_reproduced", "doses": [{
  "medication_code", "medication_name", "generic", "drug_class", "concentration",
  "concentration_unit", "strength_label", "volume_ml", "dose", "dose_unit", "lot_number",
  "lot_expires_on", "lot_missing_reason"}]}]``
- ``findings``: ``[{"rule", "severity", "message", "source", "sites", "needs_reason"}]``
- ``overrides``: ``[{"rule", "message", "reason"}]``
- ``totals``: ``[{"generic", "label", "total", "unit", "limit"}]``
- ``codes``: ``{"cpt": [{"code", "units", "description"}], "hcpcs": [...], "icd10": [...],
  "coder_review"}``
- ``measures`` (since issue 14; older snapshots lack it: none): the visit's outcome
  questionnaires, the latest of each measure: ``[{"measure", "label", "name", "version",
  "taken_on", "total", "max_total", "percent", "band"}]``
- ``pain_drawing`` (since issue 14, only when the visit has shading): the drawing's compact
  text (:meth:`clinic_app.domain.pain_drawing.PainDrawing.encode`); older snapshots and visits
  without a drawing lack it.

Decimals are strings ("0.5"), dates and times ISO 8601; enums are their stored values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import fields
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.domain.errors import NotFoundError
from clinic_app.domain.quantities import plain_decimal
from clinic_app.domain.rules import Assessment
from clinic_app.models import ClinicProfile, Encounter, Medication, MedicationLot, Patient, User
from clinic_app.services.dto import EncounterView, SiteView
from clinic_app.services.outcome_measures import encounter_measures
from clinic_app.services.pain_drawing import stored_drawing

#: The snapshot layout; a reader of another format prints the stored document as it is.
FORMAT: Final = 1


def plain(value: Any) -> Any:
    """``value`` as JSON values only: Decimal → "0.5", date/datetime → ISO, enum → value."""
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, Decimal):
        return format(plain_decimal(value), "f")
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def canonical(snapshot: Mapping[str, Any]) -> bytes:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8."""
    text = json.dumps(plain(snapshot), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def seal(snapshot: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of the snapshot's canonical serialisation."""
    return hashlib.sha256(canonical(snapshot)).hexdigest()


def seal_matches(snapshot: Mapping[str, Any] | None, digest: str | None) -> bool:
    """True when a stored snapshot is still the content its stored digest sealed."""
    if snapshot is None or not digest:
        return False
    return seal(snapshot) == digest


def _person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {
        "id": user.id,
        "name": user.display_name,
        "credentials": user.credentials,
        "npi": user.npi or "",
    }


def _dose(
    dose: Any, meds: Mapping[int, Medication], lots: Mapping[int, MedicationLot]
) -> dict[str, Any]:
    med = meds.get(dose.medication_id)
    lot = lots.get(dose.lot_id) if dose.lot_id else None
    return {
        "medication_code": med.code if med else "",
        "medication_name": med.name if med else dose.medication_name,
        "generic": med.generic if med else dose.medication_name,
        "drug_class": plain(med.drug_class) if med else "",
        "concentration": plain(med.concentration) if med else None,
        "concentration_unit": med.concentration_unit if med else "",
        "strength_label": med.strength_label if med else "",
        "volume_ml": plain(dose.volume_ml),
        "dose": plain(dose.dose),
        "dose_unit": plain(dose.dose_unit),
        "lot_number": lot.lot_number if lot else None,
        "lot_expires_on": plain(lot.expires_on) if lot else None,
        "lot_missing_reason": dose.lot_missing_reason,
    }


def _site(
    site: SiteView, meds: Mapping[int, Medication], lots: Mapping[int, MedicationLot]
) -> dict[str, Any]:
    return {
        "number": site.order_number,
        "muscle_code": site.muscle_code,
        "muscle_name": site.muscle_name,
        "side": plain(site.side),
        "view": plain(site.view),
        "point_x": site.point_x,
        "point_y": site.point_y,
        "technique": plain(site.technique),
        "needle_gauge": site.needle_gauge,
        "needle_length_in": plain(site.needle_length_in),
        "twitch_response": plain(site.twitch_response),
        "aspiration": plain(site.aspiration),
        "taut_band": site.taut_band,
        "jump_sign": site.jump_sign,
        "referred_pain_reproduced": site.referred_pain_reproduced,
        "doses": [_dose(d, meds, lots) for d in site.doses],
    }


def build_snapshot(
    session: Session, e: Encounter, view: EncounterView, assessment: Assessment
) -> dict[str, Any]:
    """The note's content for ``e`` as plain JSON values (see the module for the keys).

    ``view`` is the encounter as the service shows it and ``assessment`` its checks; both
    must describe ``e`` as it is being signed (or, for a draft, as it is now).
    """
    patient = session.get(Patient, e.patient_id)
    if patient is None:  # pragma: no cover - the foreign key guarantees it
        raise NotFoundError(f"No patient with id {e.patient_id}.")
    clinic = session.scalars(select(ClinicProfile).order_by(ClinicProfile.id)).first()
    doses = [d for s in view.sites for d in s.doses]
    med_ids = {d.medication_id for d in doses}
    lot_ids = {d.lot_id for d in doses if d.lot_id}
    meds = (
        {m.id: m for m in session.scalars(select(Medication).where(Medication.id.in_(med_ids)))}
        if med_ids
        else {}
    )
    lots = (
        {
            lot.id: lot
            for lot in session.scalars(select(MedicationLot).where(MedicationLot.id.in_(lot_ids)))
        }
        if lot_ids
        else {}
    )
    signer = session.get(User, e.signed_by_id) if e.signed_by_id is not None else None
    coding = assessment.coding
    drawing = stored_drawing(session, e.id)
    extra: dict[str, Any] = {} if drawing.is_empty else {"pain_drawing": drawing.encode()}
    return {
        "format": FORMAT,
        "encounter_id": e.id,
        "performed_at": plain(e.performed_at),
        "signed_at": plain(e.signed_at) if e.signed_at is not None else None,
        "signed_by": _person(signer),
        "provider": _person(session.get(User, e.provider_id)),
        "patient": {
            "mrn": patient.mrn,
            "given_name": patient.given_name,
            "family_name": patient.family_name,
            "date_of_birth": plain(patient.date_of_birth),
            "sex": plain(patient.sex),
            "weight_kg": plain(patient.weight_kg),
            "weight_measured_on": plain(patient.weight_measured_on),
            "allergies": patient.allergies,
            "anticoagulant": patient.anticoagulant,
            "diabetes": patient.diabetes,
            "pregnant_or_breastfeeding": patient.pregnant_or_breastfeeding,
            "payer": patient.payer,
            "no_known_drug_allergies": patient.no_known_drug_allergies,
        },
        "clinic": {
            "name": clinic.name if clinic else "",
            "address": clinic.address if clinic else "",
            "phone": clinic.phone if clinic else "",
            "timezone": clinic.timezone if clinic else "",
        },
        "form": {f.name: plain(getattr(view.form, f.name)) for f in fields(view.form)},
        "sites": [_site(s, meds, lots) for s in view.sites],
        "findings": [
            {
                "rule": f.rule,
                "severity": plain(f.severity),
                "message": f.message,
                "source": f.source,
                "sites": list(f.sites),
                "needs_reason": f.needs_reason,
            }
            for f in assessment.findings
        ],
        "overrides": [
            {"rule": rule, "message": message, "reason": reason}
            for rule, message, reason in view.overrides
        ],
        "totals": [
            {
                "generic": t.medication_generic,
                "label": t.label,
                "total": plain(t.total),
                "unit": t.unit,
                "limit": plain(t.limit),
            }
            for t in assessment.totals
        ],
        "codes": {
            "cpt": [
                {"code": c.code, "units": c.units, "description": c.description} for c in coding.cpt
            ],
            "hcpcs": [
                {"code": c.code, "units": c.units, "description": c.description}
                for c in coding.hcpcs
            ],
            "icd10": list(coding.icd10),
            "coder_review": coding.coder_review,
        },
        "measures": encounter_measures(session, e.id),
        **extra,
    }


__all__ = ["FORMAT", "build_snapshot", "canonical", "plain", "seal", "seal_matches"]
