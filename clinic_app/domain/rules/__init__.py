"""The clinical safety and coding engine: pure functions over plain facts.

:func:`assess` takes an encounter, the patient, earlier sessions and the clinic policy and
returns an :class:`Assessment`: findings (block / warning / info, each with a plain message and
its source), per-drug totals against their limits, and the codes (CPT, HCPCS units, ICD-10).
Severities, sources, screening questions, payer profiles and code tables are data in
``resources/rules`` (:func:`load_rules`); dose limits come from the formulary, muscle flags from
the catalog. No Qt, no database.
"""

from clinic_app.domain.rules._toml import RulesDataError
from clinic_app.domain.rules.choices import ChestWall, allowed_severities
from clinic_app.domain.rules.data import (
    DOCUMENTATION_RULES,
    AllergyTerms,
    FiresWhen,
    RuleBook,
    RuleSpec,
    ScreeningQuestion,
    default_rules,
    default_rules_dir,
    load_rules,
)
from clinic_app.domain.rules.engine import DEFAULT_POLICY, assess
from clinic_app.domain.rules.model import (
    TARGETS,
    Assessment,
    ClinicPolicy,
    CodeLine,
    CodingSummary,
    Documentation,
    DoseFact,
    DrugTotal,
    EncounterFact,
    Finding,
    PatientFact,
    PriorSession,
    Severity,
    SeverityChoice,
    SiteFact,
)
from clinic_app.domain.rules.tables import CptBand, Icd10Entry, Icd10Table, PayerProfile

__all__ = [
    "DEFAULT_POLICY",
    "DOCUMENTATION_RULES",
    "TARGETS",
    "AllergyTerms",
    "Assessment",
    "ChestWall",
    "ClinicPolicy",
    "CodeLine",
    "CodingSummary",
    "CptBand",
    "Documentation",
    "DoseFact",
    "DrugTotal",
    "EncounterFact",
    "Finding",
    "FiresWhen",
    "Icd10Entry",
    "Icd10Table",
    "PatientFact",
    "PayerProfile",
    "PriorSession",
    "RuleBook",
    "RuleSpec",
    "RulesDataError",
    "ScreeningQuestion",
    "Severity",
    "SeverityChoice",
    "SiteFact",
    "allowed_severities",
    "assess",
    "default_rules",
    "default_rules_dir",
    "load_rules",
]
