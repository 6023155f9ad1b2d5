"""Encounter rows read back as the plain views the screens get (no ORM object leaves)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clinic_app.domain.catalog import Catalog
from clinic_app.domain.clock import format_clinic_time
from clinic_app.models import Addendum, Encounter, InjectionSite, User
from clinic_app.services import rows
from clinic_app.services.dto import AddendumView, DoseView, EncounterView, SiteView
from clinic_app.services.encounter_form import form_of


def muscle_name(catalog: Catalog, code: str) -> str:
    """The catalog's name of a muscle; its code when the catalog no longer knows it."""
    return catalog.get(code).name if code in catalog else code


def site_view(s: InjectionSite, names: dict[int, str], catalog: Catalog) -> SiteView:
    """One site with its doses; ``names`` are the medications' names by id."""
    return SiteView(
        id=s.id,
        order_number=s.order_number,
        muscle_code=s.muscle_code,
        muscle_name=muscle_name(catalog, s.muscle_code),
        side=s.side,
        view=s.view,
        point_x=s.point_x,
        point_y=s.point_y,
        technique=s.technique,
        needle_gauge=s.needle_gauge,
        needle_length_in=s.needle_length_in,
        twitch_response=s.twitch_response,
        aspiration=s.aspiration,
        doses=tuple(
            DoseView(
                d.id,
                d.medication_id,
                names.get(d.medication_id, "?"),
                d.lot_id,
                d.volume_ml,
                d.dose,
                d.dose_unit,
                d.lot_missing_reason or "",
            )
            for d in s.doses
        ),
        taut_band=s.taut_band,
        jump_sign=s.jump_sign,
        referred_pain_reproduced=s.referred_pain_reproduced,
    )


def addendum_view(session: Session, a: Addendum, zone: str) -> AddendumView:
    author = session.get(User, a.author_id)
    return AddendumView(
        id=a.id,
        encounter_id=a.encounter_id,
        author_id=a.author_id,
        author_name=author.display_name if author else f"user #{a.author_id}",
        created_at=a.created_at,
        created_local=format_clinic_time(a.created_at, zone),
        text=a.text,
    )


def encounter_view(session: Session, e: Encounter, catalog: Catalog) -> EncounterView:
    """The whole encounter as the editor and the chart show it."""
    names = rows.medication_names(session)
    provider = session.get(User, e.provider_id)
    zone = rows.clinic_zone(session)
    return EncounterView(
        id=e.id,
        patient_id=e.patient_id,
        provider_id=e.provider_id,
        provider_name=provider.display_name if provider else "?",
        performed_at=e.performed_at,
        status=e.status,
        version=e.version,
        form=form_of(e),
        sites=tuple(site_view(s, names, catalog) for s in e.sites),
        signed_by_id=e.signed_by_id,
        signed_at=e.signed_at,
        signed_digest=e.signed_digest,
        overrides=tuple(
            (o.get("rule", ""), o.get("message", ""), o.get("reason", ""))
            for o in (e.override_reasons or [])
        ),
        addenda=tuple(addendum_view(session, a, zone) for a in e.addenda),
        clinic_timezone=zone,
    )
