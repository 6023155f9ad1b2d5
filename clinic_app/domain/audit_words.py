"""What an audit row's action means, in words, for the audit screen and the access report.

Audit rows store action names ("patient.read"); people read "Opened the patient's record".
Actions of the permission matrix that have no wording here fall back to the matrix's own
words; an unknown action shows its name (a newer version of the app may have written it).
"""

from __future__ import annotations

from typing import Final

from clinic_app.domain.access import default_permissions

#: The audit action of a refused call (its entity_type names the action refused).
DENIED: Final = "permission.denied"
#: The audit action of an emergency access (flagged in the report).
EMERGENCY: Final = "emergency.access"
#: The actions that open a chart (a read of one patient's record).
CHART_READS: Final = frozenset({"patient.read", "encounter.read", "encounter.note", "handout.read"})

WORDS: Final[dict[str, str]] = {
    "patient.read": "Opened the patient's record",
    "patient.create": "Registered the patient",
    "patient.update": "Changed the patient's record",
    "patient.void": "Voided the patient",
    "encounter.read": "Opened an encounter",
    "encounter.note": "Viewed or printed a procedure note",
    "encounter.create": "Started an encounter",
    "encounter.repeat": "Repeated the last visit",
    "encounter.save": "Charted an encounter",
    "encounter.sign": "Signed a procedure note",
    "encounter.addendum": "Added an addendum",
    "encounter.discard": "Discarded an empty draft",
    "handout.read": "Viewed an aftercare handout",
    "handout.print": "Printed an aftercare handout",
    EMERGENCY: "Emergency access (break the glass)",
    "auth.sign_in": "Signed in",
    "auth.failed": "Failed sign-in",
    "auth.sign_out": "Signed out",
    "auth.lock": "Locked the screen",
    "auth.unlock": "Unlocked the screen",
    "user.create": "Created a user account",
    "user.password_change": "Changed their password",
    "clinic.setup": "Set up the clinic",
    "clinic.update": "Changed the clinic's profile",
    "clinic.rule_lower": "Lowered a check's enforcement",
    "clinic.rule_restore": "Restored a check's enforcement",
    "clinic.rule_raise": "Raised a check's enforcement",
    "clinic.rule_reasons": "Changed a check's standard reasons",
    "medication.add_lot": "Added a medication lot",
    "demo.seed": "Filled the database with demo data",
    "audit.export": "Exported the audit trail",
    "audit.access_report": "Made the patient's access report",
    "lot.receive": "Received a medication lot",
    "lot.edit": "Corrected a medication lot",
    "lot.recall_mark": "Marked a lot recalled",
    "lot.recall_unmark": "Took back a lot's recall mark",
    "lot.adjust": "Adjusted a lot's stock",
    "lot.recall_search": "Searched who received a lot (recall)",
    "lot.recall_export": "Exported who received a lot (recall)",
    "fhir.export": "Exported a signed visit to FHIR (for the main record)",
}


def action_words(action: str, entity_type: str = "") -> str:
    """An audit row's action as a person reads it.

    A refusal names what was refused ("Refused: sign a procedure note"), from the row's
    ``entity_type``, which holds the refused action.
    """
    if action == DENIED:
        return f"Refused: {default_permissions().words(entity_type)}"
    if action in WORDS:
        return WORDS[action]
    words = default_permissions().actions.get(action)
    return words[:1].upper() + words[1:] if words else action
