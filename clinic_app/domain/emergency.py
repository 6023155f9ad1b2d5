"""Emergency access ("break the glass"): opening a chart outside one's role, with a reason.

A user whose roles do not allow reading a chart may still open one patient's chart in an
emergency after typing why. The grant covers only the *read* actions below, only that
patient, and only for :data:`GRANT_DURATION`; it is always audited ("emergency.access") and
the audit report flags it and every chart read made under it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from clinic_app.domain import validation as v
from clinic_app.domain.errors import ValidationError

#: The audit action of a grant (also the permission every signed-in role holds to ask).
ACTION: Final = "emergency.access"
#: How long a grant lasts after it is given.
GRANT_DURATION: Final = timedelta(hours=1)
#: What a grant allows on its patient: reading the chart, never changing it.
READS: Final = frozenset(
    {"patient.read", "encounter.history", "encounter.read", "encounter.note", "encounter.assess"}
)
#: Reads of no patient's data that the chart screen needs to show a chart (the formulary's
#: names): allowed while the user holds any active grant.
SUPPORT_READS: Final = frozenset({"medication.list"})
#: The shortest reason accepted: a word or two, not a single key press.
MIN_REASON_LENGTH: Final = 10
MAX_REASON_LENGTH: Final = 500


def clean_reason(reason: str | None) -> str:
    """The reason typed for an emergency access, checked.

    Raises:
        ValidationError: it is empty, too short to say anything, too long, or holds
            control characters.
    """
    text = v.clean_text(
        "reason", reason, label="The reason", required=True, max_length=MAX_REASON_LENGTH
    )
    if len(text) < MIN_REASON_LENGTH:
        raise ValidationError(
            "reason",
            f"Say why you need this chart (at least {MIN_REASON_LENGTH} characters); "
            "the reason is kept in the audit trail.",
        )
    return " ".join(text.split())


def grant_expiry(granted_at: datetime) -> datetime:
    """When a grant given at ``granted_at`` stops allowing reads."""
    return granted_at + GRANT_DURATION


def grant_covers(action: str) -> bool:
    """Whether an emergency grant allows ``action`` (a read of the chart, or of what the
    chart screen needs besides it)."""
    return action in READS or action in SUPPORT_READS
