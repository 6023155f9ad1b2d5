"""One way for tests to produce a note that may be signed: complete documentation.

The completeness rules (resources/rules/rules.toml, ``documentation.*``) refuse a note without
consent, time-out, skin prep, pain before and after, an indication with an ICD-10 code, needle
intact and disposition. Tests about other subjects fill these with :func:`complete_form`
(service tests) or :func:`fill_complete_form` (GUI tests) instead of weakening the rule.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from clinic_app.domain.enums import SkinPrep
from clinic_app.services.dto import EncounterInput

if TYPE_CHECKING:
    from clinic_app.ui.encounter.form import EncounterForm

#: What a complete note records besides sites (the form's own values win where given).
COMPLETE_VALUES: dict[str, Any] = {
    "indication": "Myofascial pain with active trigger points",
    "consent_obtained": True,
    "time_out_done": True,
    "skin_prep": SkinPrep.CHLORHEXIDINE,
    "pain_before": 7,
    "pain_after": 3,
    "needle_intact": True,
    "disposition": "Home, stable",
}
DEFAULT_ICD10 = ("M79.18",)


def complete_form(form: EncounterInput | None = None, **changes: Any) -> EncounterInput:
    """``form`` with every completeness element filled; what it already holds is kept."""
    form = form or EncounterInput()
    values: dict[str, Any] = {}
    for name, value in COMPLETE_VALUES.items():
        current = getattr(form, name)
        if current in (None, "", False):
            values[name] = value
    if not form.icd10_codes:
        values["icd10_codes"] = DEFAULT_ICD10
    values.update(changes)
    return dataclasses.replace(form, **values)


def fill_complete_form(widget: EncounterForm) -> None:
    """Type a complete note into the editor's form (emits its edit signals like a user)."""
    widget.indication.setPlainText(COMPLETE_VALUES["indication"])
    if not widget.icd10.text().strip():
        widget.icd10.setText(", ".join(DEFAULT_ICD10))
        widget.icd10.textEdited.emit(widget.icd10.text())
    widget.consent.setChecked(True)
    widget.time_out.setChecked(True)
    widget.skin_prep.choices[SkinPrep.CHLORHEXIDINE].trigger()
    widget.pain_before.setValue(COMPLETE_VALUES["pain_before"])
    widget.pain_after.setValue(COMPLETE_VALUES["pain_after"])
    widget.needle_intact.yes.click()
    widget.disposition.setText(COMPLETE_VALUES["disposition"])
    widget.disposition.textEdited.emit(widget.disposition.text())
