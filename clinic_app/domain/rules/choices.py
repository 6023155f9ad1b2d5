"""What a clinic may choose about a rule, and the data behind the choices (issue 12 §6).

- ``[chest_wall]`` in rules.toml: the muscles over the thoracic cage that
  ``site.bilateral_chest_wall`` counts (neck and lung-apex muscles stay a per-site note).
- ``reasons.toml``: the standard typed reasons offered as a quick pick at signing.
- :func:`apply_severity`: a finding at the clinic's severity for its rule, never below the
  rule's floor (``floor`` in rules.toml).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Final

from clinic_app.domain.rules._toml import RULE_ID, Table, entries, read_document
from clinic_app.domain.rules.model import SEVERITY_ORDER, Finding, Severity, SeverityChoice

REASON_FILE: Final = "reasons.toml"
#: Longest standard reason (the typed-reason limit of the signing service is larger).
MAX_PICK_LENGTH: Final = 300

#: How a finding's message names the clinic's change, by (shipped severity, clinic severity).
_CHANGED: Final = {
    True: "Raised to {word} by the clinic: {reason}",
    False: "Lowered to {word} by the clinic: {reason}",
}
_WORDS: Final = {Severity.BLOCK: "a block", Severity.WARNING: "a warning", Severity.INFO: "a note"}


@dataclass(frozen=True, slots=True)
class ChestWall:
    """The muscles ``site.bilateral_chest_wall`` counts, with where the list comes from."""

    muscles: frozenset[str]
    source: str


def is_below(severity: Severity, floor: Severity) -> bool:
    """True when ``severity`` is less severe than ``floor``."""
    return SEVERITY_ORDER[severity] > SEVERITY_ORDER[floor]


def allowed_severities(floor: Severity) -> tuple[Severity, ...]:
    """The severities a clinic may choose for a rule with ``floor``, most severe first."""
    return tuple(s for s in SEVERITY_ORDER if not is_below(s, floor))


def read_chest_wall(table: Table) -> ChestWall:
    """The ``[chest_wall]`` table of rules.toml."""
    table.fields(("muscles", "source"))
    muscles = table.texts("muscles", allow_empty=False)  # refuses a code listed twice
    return ChestWall(frozenset(muscles), table.text("source"))


def read_reasons(path: Traversable, rule_ids: Collection[str]) -> Mapping[str, tuple[str, ...]]:
    """``reasons.toml``: standard reasons by rule id, each rule once."""
    document = read_document(path, {"reason"})
    picks: dict[str, tuple[str, ...]] = {}
    for table in entries(document, "reason", "reason", code_key="rule"):
        table.fields(("rule", "picks"))
        rule_id = table.text("rule", RULE_ID, 'a rule id such as "site.pneumothorax"')
        if rule_id not in rule_ids:
            raise table.error(f"{rule_id!r} is not a rule of rules.toml or screening.toml")
        texts = table.texts("picks", allow_empty=False)  # refuses a pick listed twice
        if any(len(text) > MAX_PICK_LENGTH for text in texts):
            raise table.error(f"must each be at most {MAX_PICK_LENGTH} characters", "picks")
        picks[rule_id] = texts
    return MappingProxyType(picks)


def apply_severity(
    finding: Finding,
    choice: SeverityChoice | None,
    *,
    shipped: Severity,
    floor: Severity,
    shipped_needs_reason: bool,
) -> Finding:
    """``finding`` at the clinic's severity, when the choice is allowed and has a reason.

    A warning the clinic sets needs a typed reason at signing unless the rule ships as a
    warning without one; a rule set to a block or a note needs none. A choice below the
    rule's floor, equal to the shipped severity or without a reason changes nothing.
    """
    reason = choice.reason.strip() if choice is not None else ""
    if choice is None or not reason or choice.severity is shipped:
        return finding
    if is_below(choice.severity, floor):
        return finding
    needs_reason = choice.severity is Severity.WARNING and (
        shipped_needs_reason or shipped is not Severity.WARNING
    )
    raised = SEVERITY_ORDER[choice.severity] < SEVERITY_ORDER[shipped]
    note = _CHANGED[raised].format(word=_WORDS[choice.severity], reason=reason)
    return dataclasses.replace(
        finding,
        severity=choice.severity,
        needs_reason=needs_reason,
        message=f"{finding.message} ({note})",
    )
