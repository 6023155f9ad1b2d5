"""The rule book: every rule's severity and source, read from ``resources/rules/*.toml``.

The engine's code holds the arithmetic; the files hold what a clinic or a reviewer may want to
read or change: severities, sources, screening questions, allergy words, payer profiles, CPT
bands, HCPCS descriptions and the ICD-10 table. :func:`load_rules` checks all of it and raises
:class:`RulesDataError` naming the file and the entry (README.md in that folder explains each
file).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Final

from clinic_app.domain.formulary import DrugClass
from clinic_app.domain.resource_files import resource
from clinic_app.domain.rules._toml import (
    RULE_ID,
    SNAKE_CASE,
    RulesDataError,
    Table,
    entries,
    read_document,
)
from clinic_app.domain.rules.choices import (
    REASON_FILE,
    ChestWall,
    allowed_severities,
    read_chest_wall,
    read_reasons,
)
from clinic_app.domain.rules.model import SEVERITY_ORDER, Finding, Severity
from clinic_app.domain.rules.tables import (
    CptBand,
    Icd10Table,
    PayerProfile,
    read_coding,
    read_icd10,
    read_payers,
)

__all__ = [
    "DOCUMENTATION_RULES",
    "FLAGS",
    "GENERAL_RULES",
    "PAYER_RULES",
    "AllergyTerms",
    "FiresWhen",
    "RuleBook",
    "RuleSpec",
    "RulesDataError",
    "ScreeningQuestion",
    "default_rules",
    "default_rules_dir",
    "load_rules",
]

#: The documentation-completeness group (documentation.py): blocks a clinic may lower.
DOCUMENTATION_RULES: Final = frozenset({
    "documentation.consent", "documentation.time_out", "documentation.skin_prep",
    "documentation.pain_before", "documentation.pain_after", "documentation.indication",
    "documentation.needle_intact", "documentation.disposition", "documentation.lot",
})  # fmt: skip
#: Rules defined in rules.toml: the engine raises exactly these (plus the screening file's).
GENERAL_RULES: Final = DOCUMENTATION_RULES | frozenset({
    "dose.unknown_medication", "dose.invalid_volume", "dose.anesthetic_max",
    "dose.anesthetic_mixed", "dose.weight_missing", "dose.weight_outdated", "dose.site_volume",
    "steroid.window", "steroid.diabetes",
    "site.unknown_muscle", "site.pneumothorax", "site.nearby_structure",
    "site.bilateral_chest_wall", "site.lot_expired", "site.lot_recalled",
    "site.injection_without_dose",
    "site.dose_on_dry_needling",
    "interval.since_last", "payer.unknown_profile",
    "coding.no_sites", "coding.coder_review",
    "icd10.missing", "icd10.invalid", "icd10.not_billable", "icd10.unknown",
})  # fmt: skip
#: Rules whose numbers and source come from the patient's payer profile (payers.toml), so
#: rules.toml gives them a severity but no source.
PAYER_RULES: Final = frozenset({
    "interval.same_site", "interval.sessions_per_year", "interval.relief",
    "payer.icd10_not_covered", "payer.dry_needling",
})  # fmt: skip
#: Record flags a screening question's finding may also be raised from.
FLAGS: Final = frozenset({
    "patient.anticoagulant", "patient.pregnant_or_breastfeeding", "patient.diabetes",
    "encounter.acute_trauma",
})  # fmt: skip
RULE_FILE: Final = "rules.toml"
SCREENING_FILE: Final = "screening.toml"
_SPEC_FIELDS: Final = ("severity", "needs_reason", "source")


class FiresWhen(StrEnum):
    """Which screening answer raises a question's finding."""

    YES = "yes"  # answered yes
    NOT_YES = "not_yes"  # not answered yes (no, or not asked): "allergies reviewed"


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """How one rule reports: severity, typed-reason need and source.

    Attributes:
        source: None for payer rules, whose source is the payer profile's.
        clinic_may_lower: a block the clinic may lower to a warning (with a typed reason).
        floor: the lowest severity a clinic may set (None = the shipped severity).
    """

    id: str
    severity: Severity
    needs_reason: bool
    source: str | None
    title: str
    clinic_may_lower: bool = False
    floor: Severity | None = None

    @property
    def lowest(self) -> Severity:
        """The lowest severity a clinic may set for this rule."""
        return self.floor or self.severity

    @property
    def choices(self) -> tuple[Severity, ...]:
        """The severities a clinic may choose, most severe first."""
        return allowed_severities(self.lowest)


@dataclass(frozen=True, slots=True)
class ScreeningQuestion:
    """One "before the first needle" question (tpi-reference.md §5), for the form and the engine.

    Attributes:
        rule: the finding this question raises, or None (diabetes feeds the steroid rule).
        fires_when: which answer raises it.
        also_from: record flags that raise it too (``patient.anticoagulant``...).
        message: the finding's text.
    """

    code: str
    label: str
    help: str
    rule: str | None
    fires_when: FiresWhen | None
    also_from: tuple[str, ...]
    message: str | None


@dataclass(frozen=True, slots=True)
class AllergyTerms:
    """Words in the allergy list that mean "allergic to this drug", besides its generic name."""

    class_terms: Mapping[DrugClass, tuple[str, ...]]
    generic_terms: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class RuleBook:
    """All rule data, checked. Build it with :func:`load_rules`."""

    rules: Mapping[str, RuleSpec]
    questions: tuple[ScreeningQuestion, ...]
    allergy: AllergyTerms
    payers: Mapping[str, PayerProfile]
    cpt: tuple[CptBand, ...]
    hcpcs: Mapping[str, str]
    icd10: Icd10Table
    #: The muscles site.bilateral_chest_wall counts ([chest_wall] in rules.toml).
    chest_wall: ChestWall
    #: Standard typed reasons by rule id (reasons.toml), offered at signing.
    reasons: Mapping[str, tuple[str, ...]]

    def finding(
        self,
        rule_id: str,
        message: str,
        sites: Sequence[int] = (),
        *,
        rule: str | None = None,
        source: str | None = None,
        target: str = "",
    ) -> Finding:
        """A finding of rule ``rule_id``; ``rule`` overrides the reported id (dose.<drug>_max)."""
        spec = self.rules[rule_id]
        return Finding(
            rule=rule or rule_id,
            severity=spec.severity,
            message=message,
            source=source or spec.source or "",
            sites=tuple(sorted(set(sites))),
            needs_reason=spec.needs_reason,
            target=target,
        )

    def lowerable(self) -> tuple[RuleSpec, ...]:
        """Rules a clinic may lower to a warning, in file order."""
        return tuple(spec for spec in self.rules.values() if spec.clinic_may_lower)


def _spec(table: Table, rule_id: str, *, with_source: bool = True) -> RuleSpec:
    severity = table.choice("severity", Severity)
    needs_reason = table.flag("needs_reason")
    if needs_reason and severity is not Severity.WARNING:
        raise table.error("needs_reason applies only to a warning")
    title = table.text("title") if table.has("title") else rule_id
    source = table.text("source") if with_source else None
    may_lower = table.has("clinic_may_lower") and table.flag("clinic_may_lower")
    if may_lower and severity is not Severity.BLOCK:
        raise table.error("clinic_may_lower applies only to a block")
    floor = Severity.WARNING if may_lower else None
    if table.has("floor"):
        if may_lower:
            raise table.error("and clinic_may_lower must not both be given", "floor")
        floor = table.choice("floor", Severity)
        if SEVERITY_ORDER[floor] < SEVERITY_ORDER[severity]:
            raise table.error("must not be above the severity", "floor")
    return RuleSpec(rule_id, severity, needs_reason, source, title, may_lower, floor)


def _read_rule_file(path: Traversable) -> tuple[dict[str, RuleSpec], ChestWall]:
    document = read_document(path, {"rule", "chest_wall"})
    specs: dict[str, RuleSpec] = {}
    for table in entries(document, "rule", "rule", code_key="id"):
        payer = table.label in PAYER_RULES
        required = ("id", "severity", "needs_reason", *(() if payer else ("source",)))
        table.fields(required, ("title", "source", "clinic_may_lower", "floor"))
        rule_id = table.label or ""
        if rule_id not in GENERAL_RULES | PAYER_RULES:
            raise table.error("unknown rule id (the engine has no such rule)")
        if payer and table.has("source"):
            raise table.error("a payer rule takes its source from the payer profile")
        specs[rule_id] = _spec(table, rule_id, with_source=not payer)
    missing = sorted((GENERAL_RULES | PAYER_RULES) - set(specs))
    if missing:
        raise document.error(f"rule {', '.join(missing)} missing")
    if "chest_wall" not in document.raw:
        raise document.error("the [chest_wall] table is missing")
    chest = document.table("chest_wall")
    chest.label, chest.prefix = "chest_wall", ""
    return specs, read_chest_wall(chest)


_QUESTION_RULE_FIELDS: Final = ("rule", "fires_when", "message", *_SPEC_FIELDS)


def _read_question(table: Table, specs: dict[str, RuleSpec]) -> ScreeningQuestion:
    table.fields(("code", "label", "help"), (*_QUESTION_RULE_FIELDS, "also_from", "title"))
    code = table.text("code", SNAKE_CASE, "lowercase snake_case")
    present = [key for key in _QUESTION_RULE_FIELDS if table.has(key)]
    if not present:
        if table.has("also_from"):
            raise table.error("also_from needs a rule")
        return ScreeningQuestion(
            code, table.text("label"), table.text("help"), None, None, (), None
        )
    table.fields(("code", "label", "help", *_QUESTION_RULE_FIELDS), ("also_from", "title"))
    rule_id = table.text("rule", RULE_ID, 'a rule id such as "screening.infection"')
    if not rule_id.startswith("screening.") or rule_id in specs:
        raise table.error(f"rule {rule_id!r} must be a new id starting with 'screening.'")
    also_from = table.texts("also_from") if table.has("also_from") else ()
    for flag in also_from:
        if flag not in FLAGS:
            raise table.error(f"{flag!r} is not one of {', '.join(sorted(FLAGS))}", "also_from")
    specs[rule_id] = _spec(table, rule_id)
    return ScreeningQuestion(
        code=code,
        label=table.text("label"),
        help=table.text("help"),
        rule=rule_id,
        fires_when=table.choice("fires_when", FiresWhen),
        also_from=also_from,
        message=table.text("message"),
    )


def _read_allergy(table: Table, specs: dict[str, RuleSpec]) -> AllergyTerms:
    table.fields(("rule", *_SPEC_FIELDS, "class_terms", "generic_terms"), ("title",))
    rule_id = table.text("rule")
    if rule_id != "screening.allergy":
        raise table.error("rule must be 'screening.allergy'")
    specs[rule_id] = _spec(table, rule_id)
    classes = table.table("class_terms")
    class_terms: dict[DrugClass, tuple[str, ...]] = {}
    for key in classes.raw:
        try:
            drug_class = DrugClass(key)
        except ValueError:
            allowed = ", ".join(member.value for member in DrugClass)
            raise table.error(f"{key!r} is not one of {allowed}", "class_terms") from None
        class_terms[drug_class] = classes.texts(key, lower=True)
    generics = table.table("generic_terms")
    generic_terms = {key.lower(): generics.texts(key, lower=True) for key in generics.raw}
    return AllergyTerms(MappingProxyType(class_terms), MappingProxyType(generic_terms))


def _read_screening(
    path: Traversable, specs: dict[str, RuleSpec]
) -> tuple[tuple[ScreeningQuestion, ...], AllergyTerms]:
    document = read_document(path, {"question", "allergy"})
    questions = tuple(
        _read_question(table, specs) for table in entries(document, "question", "question")
    )
    if "allergy" not in document.raw:
        raise document.error("the [allergy] table is missing")
    allergy_table = document.table("allergy")
    allergy_table.label, allergy_table.prefix = "allergy", ""
    return questions, _read_allergy(allergy_table, specs)


def default_rules_dir() -> Traversable:
    """The shipped ``rules`` folder."""
    return resource("rules")


def load_rules(directory: Traversable | None = None) -> RuleBook:
    """Read and check the six rule files in ``directory`` (the shipped ones by default).

    Raises:
        RulesDataError: a file is missing or unreadable, is not TOML, or an entry breaks a rule.
    """
    directory = default_rules_dir() if directory is None else directory
    specs, chest_wall = _read_rule_file(directory / RULE_FILE)
    questions, allergy = _read_screening(directory / SCREENING_FILE, specs)
    reasons = read_reasons(directory / REASON_FILE, specs)
    cpt, hcpcs = read_coding(directory / "coding.toml")
    return RuleBook(
        rules=MappingProxyType(specs),
        questions=questions,
        allergy=allergy,
        payers=read_payers(directory / "payers.toml"),
        cpt=cpt,
        hcpcs=hcpcs,
        icd10=read_icd10(directory / "icd10.toml"),
        chest_wall=chest_wall,
        reasons=reasons,
    )


@functools.cache
def default_rules() -> RuleBook:
    """The shipped rule book, loaded once per process."""
    return load_rules()
