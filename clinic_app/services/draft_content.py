"""Writing what the editor holds — the form and every site with its doses — into a draft.

Shared by saving a draft and by signing (which saves first), so both check and number the
sites the same way. Sites are checked before anything is written: one bad site saves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from clinic_app.domain import fields as f
from clinic_app.domain import validation as v
from clinic_app.domain.catalog import Catalog, UnknownMuscleError, View
from clinic_app.domain.enums import Aspiration, Side, Technique, TwitchResponse
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
#: Most sites one encounter takes (a busy session charts a few dozen).
MAX_SITES = 200
#: Most medicines given at one site.
MAX_DOSES_PER_SITE = 10
#: A checked site row, not yet in any session, with the doses still to be checked.
SiteRow = tuple[InjectionSite, Sequence[DoseInput]]


def _finding(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ValidationError("finding", "A trigger point finding is yes, no or not recorded.")


def check_site(site: SiteInput, catalog: Catalog) -> tuple[float, float, Side]:
    """The site's point and side, or a ValidationError naming the field."""
    if not isinstance(site, SiteInput):
        raise ValidationError("sites", "A site of the encounter is missing its values.")
    code = f.check_text_type("muscle_code", site.muscle_code, label="Muscle code")
    try:
        muscle = catalog.get(code or "")
    except UnknownMuscleError:
        raise ValidationError(
            "muscle_code",
            f"Unknown muscle code {site.muscle_code!r}; choose a muscle "
            "from the body map or the muscle list.",
        ) from None
    if site.side is None:
        raise ValidationError("side", f"Choose a side (left or right) for {muscle.name}.")
    side = f.check_enum("side", site.side, Side, label="Side")
    view = f.check_enum("view", site.view, View, label="Figure view")
    if view not in muscle.views:
        raise ValidationError("view", f"{muscle.name} is not charted on the {view} figure.")
    v.check_needle(site.needle_gauge, site.needle_length_in)
    x, y = v.check_figure_point(site.point_x, site.point_y)
    return x, y, side


def site_row(site: SiteInput, number: int, catalog: Catalog) -> InjectionSite:
    """A new, checked site row (not yet in any session); raises ValidationError."""
    x, y, side = check_site(site, catalog)
    gauge, length = v.check_needle(site.needle_gauge, site.needle_length_in)
    return InjectionSite(
        order_number=number,
        muscle_code=site.muscle_code,
        side=side,
        view=f.check_enum("view", site.view, View, label="Figure view"),
        point_x=x,
        point_y=y,
        technique=f.check_enum("technique", site.technique, Technique, label="Technique"),
        needle_gauge=gauge,
        needle_length_in=length,
        twitch_response=f.check_enum(
            "twitch_response", site.twitch_response, TwitchResponse, label="Twitch response"
        ),
        aspiration=f.check_enum("aspiration", site.aspiration, Aspiration, label="Aspiration"),
        taut_band=_finding(site.taut_band),
        jump_sign=_finding(site.jump_sign),
        referred_pain_reproduced=_finding(site.referred_pain_reproduced),
    )


def checked_content(
    form: EncounterInput, sites: Sequence[SiteDraft], catalog: Catalog
) -> tuple[dict[str, object], list[SiteRow]]:
    """The cleaned form values and the sites as rows numbered 1..n, before any transaction."""
    values = clean_form(form)
    if isinstance(sites, str | bytes) or not isinstance(sites, Sequence):
        raise ValidationError("sites", "The encounter's sites must be a list.")
    if len(sites) > MAX_SITES:
        raise ValidationError("sites", f"An encounter takes at most {MAX_SITES} sites.")
    site_rows: list[SiteRow] = []
    for number, draft in enumerate(sites, 1):
        if not isinstance(draft, SiteDraft):
            raise ValidationError("sites", f"Site {number} is missing its values.")
        doses = draft.doses
        if isinstance(doses, str | bytes) or not isinstance(doses, Sequence):
            raise ValidationError("doses", f"The medicines of site {number} must be a list.")
        if len(doses) > MAX_DOSES_PER_SITE:
            raise ValidationError(
                "doses", f"Site {number} lists more than {MAX_DOSES_PER_SITE} medicines."
            )
        for dose in doses:
            check_dose_shape(dose)
        site_rows.append((site_row(draft.site, number, catalog), doses))
    return values, site_rows


def check_dose_shape(d: DoseInput) -> None:
    """A dose's ids, volume and reason, before any row is read (ValidationError)."""
    if not isinstance(d, DoseInput):
        raise ValidationError("doses", "A medicine given at a site is missing its values.")
    f.check_id("medication_id", d.medication_id, label="Medication")
    if d.lot_id is not None:
        f.check_id("lot_id", d.lot_id, label="Lot")
    v.check_volume(d.volume_ml)
    v.clean_text(
        "lot_missing_reason",
        d.lot_missing_reason,
        label="Reason no lot was recorded",
        max_length=500,
    )


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
        check_dose_shape(d)
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
