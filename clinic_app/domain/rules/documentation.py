"""Documentation completeness: what a procedure note must record before it can be signed.

Each missing element is one finding (blocks by default, rules.toml) naming what is missing and
pointing at its form field (``Finding.target``), so an editor can take the cursor there. A dose
of a product the clinic stocks by lot needs its lot, or a typed reason why it is not available;
each site missing one is its own finding, pointing at that site's lot cell.
"""

from __future__ import annotations

from clinic_app.domain.rules._text import join_and
from clinic_app.domain.rules.context import Context
from clinic_app.domain.rules.model import Documentation, DoseFact, Finding

#: (rule, target, message) for the elements that are simply present or not.
_SIMPLE: tuple[tuple[str, str, str], ...] = (
    (
        "documentation.consent",
        "consent",
        "Consent is not recorded: tick “Consent obtained” once the risks were discussed.",
    ),
    (
        "documentation.time_out",
        "time_out",
        "The time-out is not recorded: tick “Time-out done” (patient, sites and side confirmed).",
    ),
    (
        "documentation.skin_prep",
        "skin_prep",
        "Skin preparation is not recorded: choose the antiseptic used.",
    ),
    (
        "documentation.pain_before",
        "pain_before",
        "Pain before is not scored: record the 0–10 score before the first needle.",
    ),
    (
        "documentation.pain_after",
        "pain_after",
        "Pain after is not scored: record the 0–10 score, or type why it was not scored.",
    ),
    (
        "documentation.needle_intact",
        "needle_intact",
        "Needle integrity is not recorded: answer “Needle intact after removal”.",
    ),
    (
        "documentation.disposition",
        "disposition",
        "Disposition is not recorded: say how the patient left (e.g. home, stable).",
    ),
)


def _present(ctx: Context, doc: Documentation) -> dict[str, bool]:
    e = ctx.encounter
    return {
        "documentation.consent": doc.consent_obtained,
        "documentation.time_out": doc.time_out_done,
        "documentation.skin_prep": doc.skin_prep_recorded,
        "documentation.pain_before": e.pain_before is not None,
        "documentation.pain_after": e.pain_after is not None or bool(doc.pain_after_reason.strip()),
        "documentation.needle_intact": doc.needle_intact_recorded,
        "documentation.disposition": bool(doc.disposition.strip()),
    }


def _indication(ctx: Context, doc: Documentation) -> list[Finding]:
    has_text = bool(doc.indication.strip())
    has_code = any(code.strip() for code in ctx.encounter.icd10_codes)
    if has_text and has_code:
        return []
    if not has_text and not has_code:
        text = "No indication: write why the injections are given and add its ICD-10 code."
    elif not has_text:
        text = "No indication: write why the injections are given (the ICD-10 code is there)."
    else:
        text = "The indication has no ICD-10 code: add at least one."
    target = "icd10" if has_text else "indication"
    return [ctx.book.finding("documentation.indication", text, target=target)]


def _lot_missing(dose: DoseFact) -> bool:
    return dose.has_lots and not dose.lot_recorded and not dose.lot_missing_reason.strip()


def _lots(ctx: Context) -> list[Finding]:
    findings = []
    for site in ctx.sites:
        missing = [d for d in site.doses if _lot_missing(d)]
        if not missing:
            continue
        names = []
        for dose in missing:
            entry = ctx.formulary.get(dose.medication_code)
            names.append(entry.name if entry is not None else dose.medication_code)
        text = (
            f"Site {site.number}: no lot recorded for {join_and(names)}. Choose the lot, or "
            "“Lot not available…” with a reason."
        )
        findings.append(ctx.book.finding("documentation.lot", text, [site.number], target="lot"))
    return findings


def check(ctx: Context) -> list[Finding]:
    """The missing elements, in form order; nothing when no documentation facts were given."""
    doc = ctx.encounter.documentation
    if doc is None:
        return []
    present = _present(ctx, doc)
    findings = _indication(ctx, doc)
    findings += [
        ctx.book.finding(rule, text, target=target)
        for rule, target, text in _SIMPLE
        if not present[rule]
    ]
    return findings + _lots(ctx)
