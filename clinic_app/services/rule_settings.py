"""The clinic's choices on rules: each rule's severity (within its floor) and typed-reason picks.

Stored on the clinic profile (``clinic_profile.rule_overrides``: one entry per rule id with
``severity``, ``reason``, ``by``, ``at`` and, when the clinic replaced the shipped ones,
``picks``), so a change moves the profile's version: it is checked like any other change of the
settings (issue 11 §2). Helpers of :class:`clinic_app.services.clinic.ClinicService`, which
checks permissions and owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from sqlalchemy.orm import Session

from clinic_app.domain import fields as f
from clinic_app.domain import validation as v
from clinic_app.domain.errors import ConflictError, NotFoundError, ValidationError
from clinic_app.domain.rules import RuleSpec, Severity, SeverityChoice, default_rules
from clinic_app.domain.rules.choices import MAX_PICK_LENGTH, is_below
from clinic_app.models import ClinicProfile, User
from clinic_app.models.base import utcnow
from clinic_app.services import rows
from clinic_app.services.dto import RuleSettings, RuleSettingView

#: What a rule change from a settings dialog opened before another administrator's save of
#: the clinic settings is told.
STALE_RULES = (
    "The clinic settings were changed on another workstation since you opened them; this "
    "check was not changed. The list now shows the checks as they are; try again."
)
#: Most standard reasons a clinic keeps for one rule.
MAX_PICKS = 12
_SEVERITY_KEYS = ("severity", "reason", "by", "at")


def _entry(stored: Mapping[str, object], rule_id: str) -> dict[str, object]:
    raw = stored.get(rule_id)
    return dict(raw) if isinstance(raw, Mapping) else {}


def _chosen(entry: Mapping[str, object], spec: RuleSpec) -> Severity | None:
    """The clinic's severity for ``spec`` when stored, allowed and reasoned, else None."""
    try:
        severity = Severity(str(entry.get("severity", "")))
    except ValueError:
        return None
    if severity is spec.severity or severity not in spec.choices:
        return None
    return severity if str(entry.get("reason") or "").strip() else None


def _picks(entry: Mapping[str, object]) -> tuple[str, ...] | None:
    raw = entry.get("picks")
    if not isinstance(raw, list):
        return None
    return tuple(str(p) for p in raw if str(p).strip())


def rule_settings(clinic: ClinicProfile | None) -> RuleSettings:
    """Every rule with the clinic's severity and picks, at the profile's version."""
    stored = dict(clinic.rule_overrides or {}) if clinic else {}
    book = default_rules()
    result = []
    for spec in book.rules.values():
        entry = _entry(stored, spec.id)
        chosen = _chosen(entry, spec)
        picks = _picks(entry)
        result.append(
            RuleSettingView(
                rule_id=spec.id,
                title=spec.title,
                source=spec.source or "",
                severity=(chosen or spec.severity).value,
                reason=str(entry.get("reason", "")) if chosen else "",
                by=str(entry.get("by", "")) if chosen else "",
                at=str(entry.get("at", "")) if chosen else "",
                shipped=spec.severity.value,
                choices=tuple(s.value for s in spec.choices),
                picks=book.reasons.get(spec.id, ()) if picks is None else picks,
                custom_picks=picks is not None,
            )
        )
    return RuleSettings(clinic.version if clinic else 0, tuple(result))


def clinic_choices(
    overrides: Mapping[str, object] | None,
) -> tuple[Mapping[str, SeverityChoice], Mapping[str, tuple[str, ...]]]:
    """The clinic's severities and reason picks (clinic_profile.rule_overrides), for the engine."""
    stored = dict(overrides or {})
    severities: dict[str, SeverityChoice] = {}
    picks: dict[str, tuple[str, ...]] = {}
    for spec in default_rules().rules.values():
        entry = _entry(stored, spec.id)
        chosen = _chosen(entry, spec)
        if chosen is not None:
            severities[spec.id] = SeverityChoice(chosen, str(entry["reason"]).strip())
        custom = _picks(entry)
        if custom is not None:
            picks[spec.id] = custom
    return MappingProxyType(severities), MappingProxyType(picks)


def _spec(rule_id: str) -> RuleSpec:
    rule_id = f.check_text_type("rule_id", rule_id, label="Rule") or ""
    spec = default_rules().rules.get(rule_id)
    if spec is None:
        raise ValidationError("rule_id", f"The rule {rule_id!r} cannot be lowered by a clinic.")
    return spec


def checked_override(
    rule_id: str, reason: str | None, severity: str | None = None
) -> tuple[str, Severity | None, str | None]:
    """The rule, the clinic's severity and the cleaned reason (``None, None`` = restore).

    ``severity`` None means a warning (the documentation checks' "lower to a warning").
    Refused: an unknown rule, a severity below the rule's floor or equal to the shipped one,
    and an empty reason.
    """
    spec = _spec(rule_id)
    if reason is None:
        return spec.id, None, None
    try:
        wanted = Severity(severity or Severity.WARNING.value)
    except ValueError:
        raise ValidationError("severity", f"{severity!r} is not a severity.") from None
    if is_below(wanted, spec.lowest):
        raise ValidationError(
            "rule_id",
            f"The rule {spec.id!r} cannot be lowered by a clinic below {spec.lowest.value}.",
        )
    if wanted is spec.severity:
        raise ValidationError(
            "severity", f"The rule {spec.id!r} is a {wanted.value} as shipped: restore it instead."
        )
    text = v.clean_text("reason", reason, label="Reason", multiline=True, max_length=500)
    if not text:
        raise ValidationError("reason", "Type why the clinic changes how this check is enforced.")
    return spec.id, wanted, text


def apply_override(
    clinic: ClinicProfile, rule_id: str, severity: Severity | None, text: str | None, by: str
) -> str:
    """Set ``rule_id`` to ``severity`` with ``text`` (restore when ``None``); the audit action."""
    overrides = dict(clinic.rule_overrides or {})
    entry = _entry(overrides, rule_id)
    for key in _SEVERITY_KEYS:
        entry.pop(key, None)
    if severity is None or text is None:
        action = "clinic.rule_restore"
    else:
        spec = default_rules().rules[rule_id]
        raised = is_below(spec.severity, severity)
        entry.update(severity=severity.value, reason=text, by=by, at=utcnow().isoformat())
        action = "clinic.rule_raise" if raised else "clinic.rule_lower"
    _store(clinic, overrides, rule_id, entry)
    return action


def checked_picks(rule_id: str, picks: Sequence[str] | None) -> tuple[str, tuple[str, ...] | None]:
    """The rule and the cleaned picks, in order, without repeats (``None`` = the shipped ones)."""
    spec = _spec(rule_id)
    if picks is None:
        return spec.id, None
    if isinstance(picks, str) or not isinstance(picks, Sequence):
        raise ValidationError("picks", "The standard reasons must be a list of texts.")
    cleaned: list[str] = []
    for raw in picks:
        text = v.clean_text("picks", raw, label="Reason", max_length=MAX_PICK_LENGTH)
        if text and text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_PICKS:
        raise ValidationError("picks", f"Keep at most {MAX_PICKS} standard reasons per check.")
    return spec.id, tuple(cleaned)


def apply_picks(clinic: ClinicProfile, rule_id: str, picks: tuple[str, ...] | None, by: str) -> str:
    """Replace ``rule_id``'s picks (back to the shipped ones when ``None``); the audit action."""
    overrides = dict(clinic.rule_overrides or {})
    entry = _entry(overrides, rule_id)
    for key in ("picks", "picks_by", "picks_at"):
        entry.pop(key, None)
    if picks is not None:
        entry.update(picks=list(picks), picks_by=by, picks_at=utcnow().isoformat())
    _store(clinic, overrides, rule_id, entry)
    return "clinic.rule_reasons"


def _store(
    clinic: ClinicProfile, overrides: dict[str, object], rule_id: str, entry: dict[str, object]
) -> None:
    if entry:
        overrides[rule_id] = entry
    else:
        overrides.pop(rule_id, None)
    clinic.rule_overrides = overrides  # a new dict: JSON columns track assignment


def rule_target(session: Session, user_id: int | None, version: int) -> tuple[ClinicProfile, User]:
    """The clinic profile at ``version`` and the administrator changing its rules."""
    # Only an administrator gets here (the permission matrix); the name is recorded.
    user = session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        raise ConflictError("Only an administrator can change how a check is enforced.")
    clinic = rows.clinic_profile(session)
    if clinic is None:
        raise NotFoundError("The clinic is not set up yet.")
    rows.check_version(clinic.version, version, STALE_RULES)
    return clinic, user
