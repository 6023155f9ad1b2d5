"""The patient's payer profile (payers.toml) and its coverage rules for this encounter."""

from __future__ import annotations

from collections.abc import Sequence

from clinic_app.domain.enums import Technique
from clinic_app.domain.rules._text import join_and, sites_text
from clinic_app.domain.rules.context import Context
from clinic_app.domain.rules.model import Finding
from clinic_app.domain.rules.tables import NO_PAYER, PayerProfile


def resolve(ctx: Context) -> tuple[PayerProfile, list[Finding]]:
    """The patient's profile; an unknown code falls back to "none" with a warning."""
    profile = ctx.book.payers.get(ctx.patient.payer)
    if profile is not None:
        return profile, []
    text = (
        f"Payer profile {ctx.patient.payer!r} is not defined: no payer rules were checked. "
        "Choose the patient's payer again."
    )
    return ctx.book.payers[NO_PAYER], [ctx.book.finding("payer.unknown_profile", text)]


def check(ctx: Context, profile: PayerProfile, icd10: Sequence[str]) -> list[Finding]:
    """Diagnoses outside the covered list and dry needling the payer does not cover."""
    findings = []
    outside = [code for code in icd10 if not profile.covers(code)]
    if outside:
        verb = "is" if len(outside) == 1 else "are"
        text = (
            f"{join_and(outside)} {verb} not on {profile.name}'s covered list for trigger point "
            f"injection ({profile.covered_text()})."
        )
        findings.append(ctx.book.finding("payer.icd10_not_covered", text, source=profile.source))
    dry = [site.number for site in ctx.sites if site.technique is Technique.DRY_NEEDLING]
    if dry and not profile.dry_needling_covered:
        text = f"{profile.name} does not cover dry needling ({sites_text(dry)})."
        findings.append(ctx.book.finding("payer.dry_needling", text, dry, source=profile.source))
    return findings
