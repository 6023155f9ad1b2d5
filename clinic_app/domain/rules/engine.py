"""``assess()``: run every rule family over one encounter."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Final

from clinic_app.domain.catalog import Catalog, default_catalog
from clinic_app.domain.formulary import FormularyEntry, default_formulary
from clinic_app.domain.rules import (
    coding,
    documentation,
    doses,
    icd10,
    intervals,
    payer,
    screening,
    site_safety,
    steroids,
)
from clinic_app.domain.rules.choices import apply_severity
from clinic_app.domain.rules.context import build_context
from clinic_app.domain.rules.data import RuleBook, default_rules
from clinic_app.domain.rules.model import (
    SEVERITY_ORDER,
    Assessment,
    ClinicPolicy,
    EncounterFact,
    Finding,
    PatientFact,
    PriorSession,
    Severity,
    SeverityChoice,
)

DEFAULT_POLICY: Final = ClinicPolicy()


def assess(
    encounter: EncounterFact,
    patient: PatientFact,
    history: Sequence[PriorSession] = (),
    policy: ClinicPolicy = DEFAULT_POLICY,
    *,
    formulary: Iterable[FormularyEntry] | None = None,
    catalog: Catalog | None = None,
    rules: RuleBook | None = None,
) -> Assessment:
    """Check one encounter: findings (most severe first), drug totals and codes.

    Pure and fast enough to run on every edit. ``history`` holds the patient's earlier sessions
    (the current encounter must not be among them); sessions dated after the encounter are
    ignored. ``formulary``, ``catalog`` and ``rules`` default to the shipped data files.
    """
    entries = default_formulary() if formulary is None else formulary
    ctx = build_context(
        encounter,
        patient,
        history,
        policy,
        {entry.code: entry for entry in entries},
        default_catalog() if catalog is None else catalog,
        default_rules() if rules is None else rules,
    )
    findings, totals = doses.check(ctx)
    icd10_findings, accepted_icd10 = icd10.check(ctx)
    coding_findings, summary = coding.check(ctx, accepted_icd10)
    profile, profile_findings = payer.resolve(ctx)
    findings += [
        *screening.check(ctx),
        *site_safety.check(ctx),
        *steroids.check(ctx),
        *profile_findings,
        *intervals.check(ctx, profile),
        *payer.check(ctx, profile, accepted_icd10),
        *icd10_findings,
        *coding_findings,
        *documentation.check(ctx),
    ]
    findings = [_at_clinic_severity(f, policy, ctx.book) for f in findings]
    findings.sort(key=lambda finding: SEVERITY_ORDER[finding.severity])
    return Assessment(tuple(findings), totals, summary)


def _at_clinic_severity(finding: Finding, policy: ClinicPolicy, book: RuleBook) -> Finding:
    """``finding`` at the severity the clinic chose for its rule (raised or lowered), with
    the standard reasons to pick from when it needs a typed one."""
    spec = book.rules.get(finding.rule)
    if spec is None:  # dose.<drug>_max reports under its drug's id; its spec never lowers
        return finding
    choice = policy.severities.get(finding.rule)
    if choice is None and finding.rule in policy.lowered:
        choice = SeverityChoice(Severity.WARNING, policy.lowered[finding.rule])
    finding = apply_severity(
        finding,
        choice,
        shipped=spec.severity,
        floor=spec.lowest,
        shipped_needs_reason=spec.needs_reason,
    )
    if not finding.needs_reason:
        return finding
    picks = policy.reason_picks.get(finding.rule, book.reasons.get(finding.rule, ()))
    return dataclasses.replace(finding, picks=picks)
