"""The encounter form: cleaned on the way in, read back as the editor holds it."""

from __future__ import annotations

import re
from datetime import date

from clinic_app.domain import fields as f
from clinic_app.domain import validation as v
from clinic_app.domain.enums import Language, SkinPrep, Tolerance
from clinic_app.domain.errors import ValidationError
from clinic_app.models import Encounter
from clinic_app.services.dto import EncounterInput

MAX_ICD10_CODES = 12
#: ICD-10-CM shape: a letter, a digit, a digit or letter, then optionally "." and 1-4 more.
ICD10_PATTERN = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")


def clean_form(data: EncounterInput) -> dict[str, object]:
    """The form's values checked one by one (ValidationError naming the first bad field)."""
    if not isinstance(data, EncounterInput):
        raise ValidationError("form", "The encounter form's values are missing.")
    raw_codes = data.icd10_codes
    if isinstance(raw_codes, str | bytes) or not isinstance(raw_codes, tuple | list):
        raise ValidationError("icd10_codes", "ICD-10 codes must be a list of codes.")
    if len(raw_codes) > MAX_ICD10_CODES * 2:
        raise ValidationError("icd10_codes", f"At most {MAX_ICD10_CODES} ICD-10 codes.")
    codes: list[str] = []
    for raw in raw_codes:
        code = v.clean_text("icd10_codes", raw, label="ICD-10 code", max_length=8).upper()
        if code and not ICD10_PATTERN.match(code):
            raise ValidationError(
                "icd10_codes",
                f"{code!r} is not an ICD-10-CM code (letter, two "
                "characters, optional dot and up to 4 more).",
            )
        if code and code not in codes:
            codes.append(code)
    if len(codes) > MAX_ICD10_CODES:
        raise ValidationError("icd10_codes", f"At most {MAX_ICD10_CODES} ICD-10 codes.")
    return {
        "indication": v.clean_text(
            "indication", data.indication, label="Indication", multiline=True
        ),
        "icd10_codes": codes,
        "screening": f.check_screening(data.screening),
        "consent_obtained": f.check_bool(
            "consent_obtained", data.consent_obtained, label="Consent obtained"
        ),
        "time_out_done": f.check_bool("time_out_done", data.time_out_done, label="Time-out done"),
        "skin_prep": f.check_optional_enum(
            "skin_prep", data.skin_prep, SkinPrep, label="Skin prep"
        ),
        "pain_before": v.check_pain("pain_before", data.pain_before, label="Pain before"),
        "pain_after": v.check_pain("pain_after", data.pain_after, label="Pain after"),
        "tolerance": f.check_optional_enum(
            "tolerance", data.tolerance, Tolerance, label="Tolerance"
        ),
        "complications": v.clean_text(
            "complications", data.complications, label="Complications", multiline=True
        ),
        "follow_up_plan": v.clean_text(
            "follow_up_plan", data.follow_up_plan, label="Follow-up plan", multiline=True
        ),
        "needle_intact": f.check_optional_bool(
            "needle_intact", data.needle_intact, label="Needle intact"
        ),
        "disposition": v.clean_text(
            "disposition", data.disposition, label="Disposition", multiline=True, max_length=2000
        ),
        "pain_after_reason": v.clean_text(
            "pain_after_reason",
            data.pain_after_reason,
            label="Reason pain after was not scored",
            multiline=True,
            max_length=2000,
        ),
        "prior_relief_percent": v.check_whole_number(
            "prior_relief_percent",
            data.prior_relief_percent,
            label="Relief since the last visit (%)",
            low=0,
            high=100,
        ),
        "prior_relief_weeks": v.check_whole_number(
            "prior_relief_weeks",
            data.prior_relief_weeks,
            label="Weeks the relief lasted",
            low=0,
            high=104,
        ),
        "conservative_treatment": v.clean_text(
            "conservative_treatment",
            data.conservative_treatment,
            label="Conservative treatment tried",
            multiline=True,
            max_length=4000,
        ),
        "follow_up_weeks": v.check_whole_number(
            "follow_up_weeks", data.follow_up_weeks, label="Follow-up in weeks", low=0, high=52
        ),
        "follow_up_date": _check_date("follow_up_date", data.follow_up_date, "Follow-up date"),
        "handout_note": _clean_handout_note(data.handout_note),
    }


def _check_date(field_name: str, value: object, label: str) -> date | None:
    return f.check_date(field_name, value, label=label)


def _clean_handout_note(notes: object) -> dict[str, str]:
    """Per-language words for the patient; only languages the handouts are written in."""
    if not isinstance(notes, dict):
        raise ValidationError("handout_note", "Handout note must be given per language.")
    known = {lang.value for lang in Language}
    cleaned: dict[str, str] = {}
    for code, text in notes.items():
        if not isinstance(code, str) or code not in known:
            raise ValidationError("handout_note", f"No handout language {code!r}.")
        value = v.clean_text(
            "handout_note",
            text,
            label="Note printed on the handout",
            multiline=True,
            max_length=2000,
        )
        if value:
            cleaned[code] = value
    return cleaned


def form_of(e: Encounter) -> EncounterInput:
    return EncounterInput(
        indication=e.indication,
        icd10_codes=tuple(e.icd10_codes or ()),
        screening=dict(e.screening or {}),
        consent_obtained=e.consent_obtained,
        time_out_done=e.time_out_done,
        skin_prep=e.skin_prep,
        pain_before=e.pain_before,
        pain_after=e.pain_after,
        tolerance=e.tolerance,
        complications=e.complications,
        follow_up_plan=e.follow_up_plan,
        needle_intact=e.needle_intact,
        disposition=e.disposition,
        pain_after_reason=e.pain_after_reason or "",
        prior_relief_percent=e.prior_relief_percent,
        prior_relief_weeks=e.prior_relief_weeks,
        conservative_treatment=e.conservative_treatment or "",
        follow_up_weeks=e.follow_up_weeks,
        follow_up_date=e.follow_up_date,
        handout_note=dict(e.handout_note or {}),
    )
