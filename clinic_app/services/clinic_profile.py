"""The clinic profile's values: the view a screen gets and the checks of what a form sends.

Every field at fault is reported at once, in the order of the settings form (issue 12 §8).
Helpers of :class:`clinic_app.services.clinic.ClinicService`.
"""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clinic_app.domain import fields as f
from clinic_app.domain import validation as v
from clinic_app.domain.enums import Language, SkinPrep
from clinic_app.domain.errors import FieldChecks, ValidationError
from clinic_app.domain.sign_in import IDLE_LOCK_MAX, IDLE_LOCK_MIN
from clinic_app.models import ClinicProfile
from clinic_app.services.dto import ClinicProfileData, ClinicProfileView


def profile_view(p: ClinicProfile) -> ClinicProfileView:
    return ClinicProfileView(
        id=p.id,
        name=p.name,
        address=p.address,
        phone=p.phone,
        after_hours_phone=p.after_hours_phone,
        default_language=p.default_language,
        fever_threshold_c=p.fever_threshold_c,
        activity_restriction_hours=p.activity_restriction_hours,
        follow_up_weeks=p.follow_up_weeks,
        logo_png=p.logo_png,
        timezone=p.timezone or "",
        is_demo=p.is_demo,
        idle_lock_minutes=p.idle_lock_minutes,
        default_skin_prep=_skin_prep(p.default_skin_prep),
        handout_progress=p.handout_progress,
        version=p.version,
    )


def _skin_prep(stored: str | None) -> SkinPrep | None:
    """The stored default prep; a value this version does not know reads as none."""
    try:
        return None if stored is None else SkinPrep(stored)
    except ValueError:
        return None


def _optional_value(prep: SkinPrep | None) -> str | None:
    return None if prep is None else prep.value


def _fever(value: Decimal | str | int | None) -> Decimal:
    fever = v.parse_decimal("fever_threshold_c", value, label="Fever threshold")
    if fever is None or not Decimal("37.5") <= fever <= Decimal("39.5"):
        raise ValidationError(
            "fever_threshold_c", "Fever threshold must be between 37.5 and 39.5 °C."
        )
    if fever != fever.quantize(Decimal("0.1")):
        raise ValidationError(
            "fever_threshold_c", "Fever threshold takes at most one decimal (38.5 °C)."
        )
    return fever


def clean_profile(data: ClinicProfileData) -> dict[str, object]:
    """The profile's column values; every field at fault is reported at once, in the order
    of the settings form (InvalidFieldsError)."""
    if not isinstance(data, ClinicProfileData):
        raise ValidationError("profile", "The clinic's details are missing.")
    c = FieldChecks()
    values: dict[str, object] = {
        "name": c.run(
            v.clean_text, "name", data.name, label="Clinic name", required=True, max_length=200
        ),
        "address": c.run(
            v.clean_text, "address", data.address, label="Address", multiline=True, max_length=500
        ),
        "phone": c.run(v.clean_text, "phone", data.phone, label="Phone", max_length=40),
        "after_hours_phone": c.run(
            v.clean_text,
            "after_hours_phone",
            data.after_hours_phone,
            label="After-hours phone",
            max_length=40,
        ),
        "timezone": c.run(check_timezone, data.timezone),
        "default_language": c.run(
            f.check_enum,
            "default_language",
            data.default_language,
            Language,
            label="Default language",
        ),
        "fever_threshold_c": c.run(_fever, data.fever_threshold_c),
        "logo_png": c.run(f.check_logo, data.logo_png),
        "default_skin_prep": c.run(
            lambda prep: _optional_value(
                f.check_optional_enum(
                    "default_skin_prep", prep, SkinPrep, label="Default skin prep"
                )
            ),
            data.default_skin_prep,
        ),
        "handout_progress": c.run(
            f.check_bool,
            "handout_progress",
            data.handout_progress,
            label="Show the patient's progress on the handout",
        ),
    }
    for name, label, low, high in (
        ("activity_restriction_hours", "Activity restriction (hours)", 0, 336),
        ("follow_up_weeks", "Follow-up (weeks)", 0, 52),
        ("idle_lock_minutes", "Lock after (minutes without input)", IDLE_LOCK_MIN, IDLE_LOCK_MAX),
    ):
        values[name] = c.run(
            f.check_int, name, getattr(data, name), label=label, low=low, high=high
        )
    c.done()
    return values


def check_timezone(name: str) -> str:
    """An IANA zone name the system knows, or "" for this computer's zone."""
    name = (f.check_text_type("timezone", name, label="Time zone") or "").strip()
    if not name:
        return ""
    if len(name) > 64:
        raise ValidationError("timezone", "Time zone is not a known zone (too long).")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError(
            "timezone", f"{name!r} is not a known time zone (e.g. America/Chicago)."
        ) from None
    return name
