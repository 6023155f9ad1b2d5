"""Writing what the editor holds — the form and every site with its doses — into a draft.

Shared by saving a draft and by signing (which saves first), so both check and number the
sites the same way. Sites are checked before anything is written: one bad site saves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from clinic_app.domain import validation as v
from clinic_app.domain.catalog import Catalog, UnknownMuscleError, View
from clinic_app.domain.enums import Side, Technique
from clinic_app.domain.errors import ValidationError
from clinic_app.models import Encounter, InjectionSite, Medication, MedicationLot, SiteDose
from clinic_app.models.base import utcnow
from clinic_app.services.dto import DoseInput, EncounterInput, SiteDraft, SiteInput
from clinic_app.services.encounter_form import clean_form
from clinic_app.services.formulary import dose_unit_for

#: What a save from a stale copy of the draft is told.
STALE_DRAFT = (
    "This encounter was changed on another workstation since you opened it; "
    "reopen it to see the changes. Your edits were not saved."
)
#: A checked site row, not yet in any session, with the doses still to be checked.
SiteRow = tuple[InjectionSite, Sequence[DoseInput]]


def _finding(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ValidationError("finding", "A trigger point finding is yes, no or not recorded.")


def check_site(site: SiteInput, catalog: Catalog) -> tuple[float, float, Side]:
    """The site's point and side, or a ValidationError naming the field."""
    try:
        muscle = catalog.get(site.muscle_code)
    except UnknownMuscleError:
        raise ValidationError(
            "muscle_code",
            f"Unknown muscle code {site.muscle_code!r}; choose a muscle "
            "from the body map or the muscle list.",
        ) from None
    if site.side is None:
        raise ValidationError("side", f"Choose a side (left or right) for {muscle.name}.")
    if not isinstance(site.side, Side):
        raise ValidationError("side", f"Side must be left or right, not {site.side!r}.")
    if not isinstance(site.view, View):
        raise ValidationError("view", f"Unknown figure view {site.view!r}.")
    if site.view not in muscle.views:
        raise ValidationError("view", f"{muscle.name} is not charted on the {site.view} figure.")
    v.check_needle(site.needle_gauge, site.needle_length_in)
    x, y = v.check_figure_point(site.point_x, site.point_y)
    return x, y, site.side


def site_row(site: SiteInput, number: int, catalog: Catalog) -> InjectionSite:
    """A new, checked site row (not yet in any session); raises ValidationError."""
    x, y, side = check_site(site, catalog)
    gauge, length = v.check_needle(site.needle_gauge, site.needle_length_in)
    return InjectionSite(
        order_number=number,
        muscle_code=site.muscle_code,
        side=side,
        view=site.view,
        point_x=x,
        point_y=y,
        technique=site.technique,
        needle_gauge=gauge,
        needle_length_in=length,
        twitch_response=site.twitch_response,
        aspiration=site.aspiration,
        taut_band=_finding(site.taut_band),
        jump_sign=_finding(site.jump_sign),
        referred_pain_reproduced=_finding(site.referred_pain_reproduced),
    )


def checked_content(
    form: EncounterInput, sites: Sequence[SiteDraft], catalog: Catalog
) -> tuple[dict[str, object], list[SiteRow]]:
    """The cleaned form values and the sites as rows numbered 1..n, before any transaction."""
    values = clean_form(form)
    site_rows: list[SiteRow] = [
        (site_row(draft.site, number, catalog), draft.doses)
        for number, draft in enumerate(sites, 1)
    ]
    return values, site_rows


def write_content(
    session: Session, e: Encounter, values: dict[str, object], site_rows: Sequence[SiteRow]
) -> None:
    """Replace the draft's form and sites with the checked content (doses checked here)."""
    for key, value in values.items():
        setattr(e, key, value)
    e.sites.clear()
    session.flush()
    for row, doses in site_rows:
        e.sites.append(row)
        replace_doses(session, row, doses)
    e.updated_at = utcnow()
    session.flush()


def replace_doses(session: Session, row: InjectionSite, doses: Sequence[DoseInput]) -> None:
    """What was given at a site; dose = concentration × volume, exact."""
    new: list[SiteDose] = []
    if doses and row.technique == Technique.DRY_NEEDLING:
        raise ValidationError(
            "technique",
            "A dry-needling site has no medicine; make it an injection or remove the medicine.",
        )
    for d in doses:
        if isinstance(d.volume_ml, float):
            raise ValidationError("volume_ml", "Volume must be an exact decimal number.")
        volume = v.check_volume(d.volume_ml)
        med = session.get(Medication, d.medication_id)
        if med is None:
            raise ValidationError("medication_id", f"No medication with id {d.medication_id}.")
        if d.lot_id is not None:
            lot = session.get(MedicationLot, d.lot_id)
            if lot is None or lot.medication_id != med.id:
                raise ValidationError("lot_id", f"Lot {d.lot_id} is not a lot of {med.name}.")
        lot_reason = v.clean_text(
            "lot_missing_reason",
            d.lot_missing_reason,
            label="Reason no lot was recorded",
            max_length=500,
        )
        new.append(
            SiteDose(
                medication_id=med.id,
                lot_id=d.lot_id,
                volume_ml=volume,
                dose=med.concentration * volume,
                dose_unit=dose_unit_for(med.concentration_unit),
                lot_missing_reason="" if d.lot_id is not None else lot_reason,
            )
        )
    row.doses.clear()
    row.doses.extend(new)
