"""ICD-10-CM checks against the clinic's table (icd10.toml; tpi-reference.md §3).

Codes are compared upper-case with the dot after the third character ("m7918" -> "M79.18").
"""

from __future__ import annotations

from clinic_app.domain.rules._text import join_or
from clinic_app.domain.rules.context import Context
from clinic_app.domain.rules.model import Finding
from clinic_app.domain.rules.tables import ICD10_CODE


def normalize(raw: str) -> str:
    """Upper case, no spaces, the dot after the category: " m79.18 " / "M7918" -> "M79.18"."""
    code = "".join(raw.split()).upper()
    if "." not in code and len(code) > 3:
        code = f"{code[:3]}.{code[3:]}"
    return code


def check(ctx: Context) -> tuple[list[Finding], tuple[str, ...]]:
    """Findings for the encounter's codes, and the codes that may go on the claim."""
    codes = list(dict.fromkeys(c for c in map(normalize, ctx.encounter.icd10_codes) if c))
    if not codes:
        if ctx.encounter.documentation is not None:
            return [], ()  # the completeness rule documentation.indication says it
        text = "No ICD-10 code is recorded: add the diagnosis the injections treat."
        return [ctx.book.finding("icd10.missing", text)], ()
    table = ctx.book.icd10
    findings: list[Finding] = []
    accepted: list[str] = []
    for code in codes:
        entry = table.entries.get(code)
        if not ICD10_CODE.fullmatch(code):
            text = (
                f"{code!r} is not an ICD-10-CM code (a letter and two characters, then a dot and "
                "up to four characters, e.g. M79.18)."
            )
            findings.append(ctx.book.finding("icd10.invalid", text))
        elif entry is not None and entry.billable:
            accepted.append(code)
        elif entry is not None:
            retired = entry.retired_on
            if retired is not None and ctx.encounter.performed_on < retired:
                accepted.append(code)  # still billable on the day of the procedure
                continue
            use = join_or(table.billable_under(code))
            why = "is not billable" if retired is None else f"was retired on {retired.isoformat()}"
            text = f"{code} {why}; use {use}."
            findings.append(ctx.book.finding("icd10.not_billable", text))
        elif (parent := table.parent_of(code)) is not None:
            use = join_or(table.billable_under(parent.code))
            text = f"{code} is not a valid code under {parent.code}; use {use}."
            findings.append(ctx.book.finding("icd10.invalid", text))
        else:
            accepted.append(code)
            text = (
                f"{code} is not in the clinic's ICD-10 table; check that it is a valid, "
                "billable code."
            )
            findings.append(ctx.book.finding("icd10.unknown", text))
    return findings, tuple(accepted)
