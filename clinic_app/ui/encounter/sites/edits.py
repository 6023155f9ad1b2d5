"""What an edit in the site table does to a site: plain functions, no Qt, no database.

Kept apart from the widgets so the rules (a side change moves the marker, dry needling
injects nothing, volumes typed as "1 + 0.25", what "Apply to all sites" copies) are tested
without a window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from clinic_app.domain.bodymap import FigureView, Layer, default_bodymap
from clinic_app.domain.enums import Aspiration, DoseUnit, Side, Technique, TwitchResponse
from clinic_app.domain.errors import ClinicError, ValidationError
from clinic_app.domain.validation import check_needle, check_volume
from clinic_app.services.dto import (
    DoseInput,
    EncounterView,
    MedicationView,
    SiteDraft,
    SiteInput,
    SiteView,
)
from clinic_app.ui.encounter.sites.text import FINDING_COLUMNS, HEADERS, Column, edit_value

#: Longest "lot not available" reason (the service keeps 500 characters).
LOT_REASON_MAX = 500


def mirrored_to_side(site: SiteInput, side: Side) -> SiteInput:
    """``site`` on the other side of the body: the marker moves to the mirror-image point.

    A side changed in the table must not leave a "right" marker drawn on the left. The point
    is mirrored (x → 1 − x; the left head-and-neck figure is the right one mirrored); when the
    mirrored point misses the muscle, the muscle's standard point on that side is used.
    """
    if site.side is side:
        return site
    x, y = 1.0 - site.point_x, site.point_y
    try:
        figure = default_bodymap()[FigureView.for_site(site.view, side)]
    except ClinicError:  # geometry unavailable: the plain mirror image is still right
        return replace(site, side=side, point_x=x, point_y=y)
    region = figure.region(site.muscle_code, side)
    if region is not None:
        fx, fy = figure.denormalise(x, y)
        if figure.hit_test(fx, fy, deep=region.layer is Layer.DEEP) is not region:
            x, y = figure.normalise(*figure.standard_point(region))
    return replace(site, side=side, point_x=x, point_y=y)


def parse_volumes(text: str, count: int) -> tuple[str, ...]:
    """Volumes typed in one cell: "0.5", "0.5 mL" or "1 + 0.25" for a two-medicine mix.

    Only the shape is checked here; each volume's range is the service rule
    (:func:`clinic_app.domain.validation.check_volume`), applied by the table model.

    Raises:
        ValidationError: not one volume per medicine.
    """
    parts = [p.strip() for p in text.replace(",", ".").split("+")]
    parts = [p[:-2].strip() if p.lower().endswith("ml") else p for p in parts]
    if any(not p for p in parts) or len(parts) != count:
        example = " + ".join(["0.5"] * max(count, 1))
        raise ValidationError(
            "volume_ml",
            f"Type one volume in mL per medicine ({count}), e.g. {example}.",
        )
    return tuple(parts)


def draft_of(site: SiteView) -> SiteDraft:
    """The editor's copy of a stored site."""
    return site.to_draft()


def stand_in_medications(encounter: EncounterView, known: set[int]) -> list[MedicationView]:
    """Medications this encounter used that the formulary no longer lists as active.

    Their name comes from the stored dose; concentration = dose ÷ volume is exact because
    the dose was computed as concentration × volume.
    """
    result: dict[int, MedicationView] = {}
    for site in encounter.sites:
        for d in site.doses:
            if d.medication_id in known or d.medication_id in result or not d.volume_ml:
                continue
            unit = {DoseUnit.MG: "mg/mL", DoseUnit.UNITS: "units/mL"}.get(d.dose_unit, "none")
            result[d.medication_id] = MedicationView(
                d.medication_id, "", d.medication_name, "", d.dose / d.volume_ml, unit, d.dose_unit
            )
    return list(result.values())


def drafts_of(encounter: EncounterView) -> list[SiteDraft]:
    """Every site of a stored encounter, in its numbering order."""
    return [draft_of(s) for s in sorted(encounter.sites, key=lambda s: s.order_number)]


# ---------------------------------------------------------------------- cell edits
#: Columns whose value "Apply to all sites" can copy (muscle and side belong to the map).
COPYABLE = frozenset(
    {
        Column.TECHNIQUE,
        Column.MEDICATION,
        Column.VOLUME,
        Column.LOT,
        Column.NEEDLE,
        Column.TWITCH,
        Column.ASPIRATION,
        *FINDING_COLUMNS,
    }
)
#: Columns a person may edit in the table (number and dose are derived, muscle is the map's).
EDITABLE = COPYABLE | {Column.SIDE}


def _per_dose(values: object, count: int) -> tuple[object, ...]:
    """A per-medicine value: a tuple (one per dose) or one value for a single dose."""
    items = tuple(values) if isinstance(values, tuple | list) else (values,)
    if len(items) != count:
        raise ValidationError("doses", f"Give one value per medicine ({count}).")
    return items


def _keep_lot(new: DoseInput, old: DoseInput | None) -> DoseInput:
    volume = check_volume(new.volume_ml)
    if new.lot_id is not None or new.lot_missing_reason or old is None:
        return replace(new, volume_ml=volume)
    return replace(
        new, volume_ml=volume, lot_id=old.lot_id, lot_missing_reason=old.lot_missing_reason
    )


def lot_chosen(dose: DoseInput, choice: object) -> DoseInput:
    """``dose`` with the lot cell's choice: a lot id, a typed "not available" reason, or None.

    Raises:
        ValidationError: a reason that is blank or longer than the service keeps.
    """
    if choice is None:
        return replace(dose, lot_id=None, lot_missing_reason="")
    if isinstance(choice, str):
        reason = " ".join(choice.split())
        if not reason:
            raise ValidationError("lot_missing_reason", "Type why no lot was recorded.")
        if len(reason) > LOT_REASON_MAX:
            raise ValidationError(
                "lot_missing_reason", f"Keep the reason under {LOT_REASON_MAX} characters."
            )
        return replace(dose, lot_id=None, lot_missing_reason=reason)
    return replace(dose, lot_id=int(choice), lot_missing_reason="")  # type: ignore[call-overload]


def edited(
    draft: SiteDraft,
    column: Column,
    value: Any,
    injection_defaults: Callable[[], tuple[DoseInput, ...]] = tuple,
) -> SiteDraft:
    """``draft`` with ``column`` set to ``value`` (the column's EditRole type).

    Technique and medicines stay consistent: dry needling injects nothing, choosing a
    medicine makes the site an injection, and a dry-needling site switched to injection
    starts with ``injection_defaults()`` (the editor's favourite for new sites).

    Raises:
        ValidationError: the value is not acceptable; the message says why (the same rules
            as the service: volumes 0–50 mL in 0.01 mL, needles 18–34 G and 0.25–7 in).
    """
    site = draft.site
    if column == Column.SIDE:
        return replace(draft, site=mirrored_to_side(site, Side(value)))
    if column == Column.TWITCH:
        return replace(draft, site=replace(site, twitch_response=TwitchResponse(value)))
    if column == Column.ASPIRATION:
        return replace(draft, site=replace(site, aspiration=Aspiration(value)))
    if column in FINDING_COLUMNS:
        if value is not None and not isinstance(value, bool):
            raise ValidationError("finding", "A trigger point finding is yes, no or not recorded.")
        changes: dict[str, Any] = {FINDING_COLUMNS[column]: value}
        return replace(draft, site=replace(site, **changes))
    if column == Column.TECHNIQUE:
        technique = Technique(value)
        doses = draft.doses
        if technique is Technique.DRY_NEEDLING:
            doses = ()
        elif not doses:
            doses = injection_defaults()
        return replace(draft, site=replace(site, technique=technique), doses=doses)
    if column == Column.MEDICATION:
        # A lot (or why none was available) already recorded for the same medicine stays
        # when the mix changes.
        known = {d.medication_id: d for d in draft.doses}
        doses = tuple(_keep_lot(d, known.get(d.medication_id)) for d in value)
        technique = Technique.INJECTION if doses else Technique.DRY_NEEDLING
        return replace(draft, site=replace(site, technique=technique), doses=doses)
    if column == Column.VOLUME:
        if isinstance(value, str):
            value = parse_volumes(value, len(draft.doses))
        volumes = _per_dose(value, len(draft.doses))
        return replace(
            draft,
            doses=tuple(
                replace(d, volume_ml=check_volume(v))  # type: ignore[arg-type]
                for d, v in zip(draft.doses, volumes, strict=True)
            ),
        )
    if column == Column.LOT:
        lots = _per_dose(value, len(draft.doses))
        return replace(
            draft,
            doses=tuple(lot_chosen(d, lot) for d, lot in zip(draft.doses, lots, strict=True)),
        )
    if column == Column.NEEDLE:
        gauge, length = check_needle(*value)
        return replace(draft, site=replace(site, needle_gauge=gauge, needle_length_in=length))
    raise ValidationError(column.name.lower(), f"{HEADERS[column]} cannot be edited here.")


def copied(
    source: SiteDraft,
    target: SiteDraft,
    column: Column,
    injection_defaults: Callable[[], tuple[DoseInput, ...]] = tuple,
) -> SiteDraft | None:
    """``target`` given ``source``'s value of ``column`` ("Apply to all sites").

    Volumes go only to sites with the same medicines in the same order, and lots only to
    doses of the same medicine: None when ``target`` has nothing to receive them.
    """
    if column == Column.VOLUME:
        if [d.medication_id for d in source.doses] != [d.medication_id for d in target.doses]:
            return None
        return edited(target, column, tuple(d.volume_ml for d in source.doses))
    if column == Column.LOT:
        lots = {d.medication_id: d for d in source.doses}
        if not set(lots) & {d.medication_id for d in target.doses}:
            return None
        return replace(
            target,
            doses=tuple(
                replace(d, lot_id=src.lot_id, lot_missing_reason=src.lot_missing_reason)
                if (src := lots.get(d.medication_id)) is not None
                else d
                for d in target.doses
            ),
        )
    if column == Column.MEDICATION:
        return replace(
            target,
            site=replace(target.site, technique=source.site.technique),
            doses=source.doses,
        )
    return edited(target, column, edit_value(source, column), injection_defaults)
