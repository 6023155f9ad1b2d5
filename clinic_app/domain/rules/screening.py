"""Screening before the first needle (tpi-reference.md §5), driven by screening.toml.

Each question with a rule fires on its answer (yes, or "not yes" for allergies reviewed) or on a
record flag (the patient's anticoagulant flag...). The allergy rule searches the patient's
allergy text for whole words naming a drug in the mix: its generic name, brand or short names
and its class ("amide anesthetic", "steroid").
"""

from __future__ import annotations

import re
from collections import defaultdict

from clinic_app.domain.formulary import DrugClass
from clinic_app.domain.rules._text import capital, sites_text
from clinic_app.domain.rules.context import Context
from clinic_app.domain.rules.data import FiresWhen, ScreeningQuestion
from clinic_app.domain.rules.model import Finding


def _flag(ctx: Context, flag: str) -> bool:
    values = {
        "patient.anticoagulant": ctx.patient.anticoagulant,
        "patient.pregnant_or_breastfeeding": ctx.patient.pregnant_or_breastfeeding,
        "patient.diabetes": ctx.patient.diabetes,
        "encounter.acute_trauma": ctx.encounter.acute_trauma is True,
    }
    return values[flag]


def _question(ctx: Context, question: ScreeningQuestion) -> Finding | None:
    if question.rule is None or question.message is None:
        return None
    answered_yes = ctx.encounter.screening.get(question.code) is True
    flagged = [flag for flag in question.also_from if _flag(ctx, flag)]
    if question.fires_when is FiresWhen.NOT_YES:
        fired = not answered_yes or bool(flagged)
    else:
        fired = answered_yes or bool(flagged)
    if not fired:
        return None
    message = question.message
    if flagged and not answered_yes:
        where = "the patient record" if flagged[0].startswith("patient.") else "the encounter"
        message = f"{message.removesuffix('.')} (from {where})."
    return ctx.book.finding(question.rule, message)


def _pattern(term: str) -> re.Pattern[str]:
    """Whole words, plural "s" allowed: "steroid" matches "steroids", not "nonsteroidal"."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(term)}s?(?![a-z0-9])")


def _allergies(ctx: Context) -> list[Finding]:
    text = ctx.patient.allergies.lower()
    if not text.strip():
        return []
    terms = ctx.book.allergy
    sites: dict[str, list[int]] = defaultdict(list)
    classes: dict[str, DrugClass] = {}
    for dose in ctx.doses:
        sites[dose.entry.generic].append(dose.site.number)
        classes[dose.entry.generic] = dose.entry.drug_class
    findings: list[Finding] = []
    for generic, numbers in sites.items():
        words = (
            generic.lower(),
            *terms.generic_terms.get(generic.lower(), ()),
            *terms.class_terms.get(classes[generic], ()),
        )
        # The longest match names the allergy best ("amide anesthetic" rather than "amide").
        ordered = sorted(words, key=len, reverse=True)
        matched = next((word for word in ordered if _pattern(word).search(text)), None)
        if matched is not None:
            message = (
                f'The allergy list mentions "{matched}": {capital(generic)} is in the mix '
                f"({sites_text(numbers)}). Do not give it."
            )
            findings.append(ctx.book.finding("screening.allergy", message, numbers))
    return findings


def check(ctx: Context) -> list[Finding]:
    findings = [_question(ctx, question) for question in ctx.book.questions]
    return [f for f in findings if f is not None] + _allergies(ctx)
