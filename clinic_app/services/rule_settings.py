"""The clinic's choices on rules that allow it: which documentation checks only warn.

Stored on the clinic profile (``clinic_profile.rule_overrides``), so a change moves the
profile's version: it is checked like any other change of the settings (issue 11 §2).
Helpers of :class:`clinic_app.services.clinic.ClinicService`, which checks permissions and
owns the transaction.
"""

from __future__ import annotations

from clinic_app.domain import fields as f
from clinic_app.domain import validation as v
from clinic_app.domain.errors import ValidationError
from clinic_app.domain.rules import default_rules
from clinic_app.models import ClinicProfile
from clinic_app.models.base import utcnow
from clinic_app.services.dto import RuleSettings, RuleSettingView

#: What a rule change from a settings dialog opened before another administrator's save of
#: the clinic settings is told.
STALE_RULES = (
    "The clinic settings were changed on another workstation since you opened them; this "
    "check was not changed. The list now shows the checks as they are; try again."
)


def rule_settings(clinic: ClinicProfile | None) -> RuleSettings:
    """The lowerable rules with the clinic's choice, at the profile's version."""
    stored = dict(clinic.rule_overrides or {}) if clinic else {}
    result = []
    for spec in default_rules().lowerable():
        raw = stored.get(spec.id)
        entry: dict[str, object] = raw if isinstance(raw, dict) else {}
        lowered = entry.get("severity") == "warning"
        result.append(
            RuleSettingView(
                rule_id=spec.id,
                title=spec.title,
                source=spec.source or "",
                severity="warning" if lowered else spec.severity.value,
                reason=str(entry.get("reason", "")) if lowered else "",
                by=str(entry.get("by", "")) if lowered else "",
                at=str(entry.get("at", "")) if lowered else "",
            )
        )
    return RuleSettings(clinic.version if clinic else 0, tuple(result))


def checked_override(rule_id: str, reason: str | None) -> tuple[str, str | None]:
    """The rule (one a clinic may lower) and the cleaned reason (``None`` = restore)."""
    rule_id = f.check_text_type("rule_id", rule_id, label="Rule") or ""
    spec = default_rules().rules.get(rule_id)
    if spec is None or not spec.clinic_may_lower:
        raise ValidationError("rule_id", f"The rule {rule_id!r} cannot be lowered by a clinic.")
    if reason is None:
        return rule_id, None
    text = v.clean_text("reason", reason, label="Reason", multiline=True, max_length=500)
    if not text:
        raise ValidationError("reason", "Type why the clinic lowers this check to a warning.")
    return rule_id, text


def apply_override(clinic: ClinicProfile, rule_id: str, text: str | None, by: str) -> str:
    """Lower ``rule_id`` with ``text`` (or restore it when ``None``); the audit action."""
    overrides = dict(clinic.rule_overrides or {})
    if text is None:
        overrides.pop(rule_id, None)
        action = "clinic.rule_restore"
    else:
        overrides[rule_id] = {
            "severity": "warning",
            "reason": text,
            "by": by,
            "at": utcnow().isoformat(),
        }
        action = "clinic.rule_lower"
    clinic.rule_overrides = overrides  # a new dict: JSON columns track assignment
    return action
