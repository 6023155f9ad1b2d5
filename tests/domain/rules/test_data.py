"""The rule files: the shipped data, and loader errors that name the file and the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clinic_app.domain.errors import ClinicError
from clinic_app.domain.formulary import DrugClass
from clinic_app.domain.rules import (
    FiresWhen,
    RulesDataError,
    Severity,
    default_rules,
    default_rules_dir,
    load_rules,
)
from clinic_app.domain.rules.data import DOCUMENTATION_RULES, GENERAL_RULES, PAYER_RULES

FILES = ("reasons.toml", "rules.toml", "screening.toml", "payers.toml", "coding.toml", "icd10.toml")


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


def edit(directory: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# ---------------------------------------------------------------- the shipped data


def test_shipped_rules_load_and_are_cached() -> None:
    book = default_rules()
    assert book is default_rules()
    assert load_rules() == book
    assert sorted(p.name for p in default_rules_dir().glob("*.toml")) == sorted(FILES)
    screening_rules = {q.rule for q in book.questions if q.rule} | {"screening.allergy"}
    assert set(book.rules) == GENERAL_RULES | PAYER_RULES | screening_rules
    for spec in book.rules.values():
        assert spec.title
        assert spec.title != spec.id
        assert (spec.source is None) is (spec.id in PAYER_RULES)
        assert spec.needs_reason is False or spec.severity is Severity.WARNING


def test_shipped_severities() -> None:
    severity = {rule: spec.severity.value for rule, spec in default_rules().rules.items()}
    blocks = sorted(rule for rule, value in severity.items() if value == "block")
    assert blocks == [
        *sorted(DOCUMENTATION_RULES),
        "dose.anesthetic_max", "dose.invalid_volume", "dose.unknown_medication",
        "icd10.invalid", "icd10.not_billable", "screening.allergy", "screening.infection",
        "site.lot_expired", "site.lot_recalled", "site.unknown_muscle",
    ]  # fmt: skip
    infos = sorted(rule for rule, value in severity.items() if value == "info")
    assert infos == [
        "coding.coder_review", "interval.since_last", "screening.keloid",
        "screening.needle_phobia", "site.nearby_structure", "site.pneumothorax",
    ]  # fmt: skip


def test_shipped_payers_and_codes() -> None:
    book = default_rules()
    assert set(book.payers) == {"none", "medicare"}
    none, medicare = book.payers["none"], book.payers["medicare"]
    assert (none.same_site_min_days, none.covered_icd10, none.dry_needling_covered) == (
        None, None, True
    )  # fmt: skip
    assert medicare.same_site_min_days == 42
    assert (medicare.session_window_days, medicare.max_sessions_in_window) == (365, 3)
    assert (medicare.min_relief_percent, medicare.min_relief_weeks) == (50, 6)
    assert medicare.covered_icd10 == (("G44.201", "G44.229"), ("M79.10", "M79.18"))
    assert not medicare.dry_needling_covered
    assert [(b.code, b.technique.value, b.min_muscles, b.max_muscles) for b in book.cpt] == [
        ("20552", "injection", 1, 2), ("20553", "injection", 3, None),
        ("20560", "dry_needling", 1, 2), ("20561", "dry_needling", 3, None),
    ]  # fmt: skip
    assert set(book.hcpcs) == {"J3301", "J1010", "J1100", "J0585"}
    allergy = book.allergy
    assert "amide anesthetic" in allergy.class_terms[DrugClass.LOCAL_ANESTHETIC]
    assert "kenalog" in allergy.generic_terms["triamcinolone acetonide"]
    infection = next(q for q in book.questions if q.code == "infection")
    assert infection.fires_when is FiresWhen.YES


def test_title_is_optional(rules_dir: Path) -> None:
    edit(rules_dir, "rules.toml", 'title = "Medication not in the formulary"\n', "")
    assert load_rules(rules_dir).rules["dose.unknown_medication"].title == "dose.unknown_medication"


# ---------------------------------------------------------------- loader errors

ERRORS = [
    # reading
    ("rules.toml", "[[rule]]\nid", "[[rule]\nid", r"^rules\.toml, line \d+: invalid TOML"),
    ("payers.toml", '[[profile]]\ncode = "none"', 'colour = "red"\n[[profile]]\ncode = "none"',
     r"^payers\.toml: unknown top-level key 'colour'$"),
    # entries
    ("payers.toml", 'code = "none"\n', "", r"^payers\.toml, entry 'profile #1': code is missing$"),
    ("payers.toml", 'code = "none"', 'code = "medicare"',
     r"^payers\.toml, entry 'medicare': duplicate code \(profile #1 has it too\)$"),
    ("payers.toml", 'code = "medicare"', 'code = "Medicare"',
     r"entry 'Medicare': code 'Medicare' must be lowercase snake_case$"),
    ("payers.toml", 'name = "Medicare"', "name = 5",
     r"entry 'medicare': name must be a string, not an integer$"),
    ("payers.toml", 'name = "Medicare"', 'name = "  "',
     r"entry 'medicare': name must not be empty$"),
    ("payers.toml", 'name = "Medicare"', "name = 2024-01-01",
     r"name must be a string, not a date/time$"),
    ("payers.toml", "same_site_min_days = 42\ns", 'same_site_min_days = "42"\ns',
     r"entry 'medicare': same_site_min_days must be an integer, not a string$"),
    ("payers.toml", "same_site_min_days = 42\ns", "same_site_min_days = true\ns",
     r"same_site_min_days must be an integer, not a boolean$"),
    ("payers.toml", "same_site_min_days = 42\ns", "same_site_min_days = 0\ns",
     r"same_site_min_days must be at least 1, not 0$"),
    ("payers.toml", "min_relief_percent = 50", "min_relief_percent = 150",
     r"min_relief_percent must be at least 1 and at most 100, not 150$"),
    ("payers.toml", "max_sessions_in_window = 3\n", "",
     r"entry 'medicare': give session_window_days and max_sessions_in_window together$"),
    ("payers.toml", "dry_needling_covered = false", "dry_needling_covered = 0",
     r"dry_needling_covered must be true or false, not an integer$"),
    ("payers.toml", '"G44.201-G44.229"', '"G44-G44.229"',
     r"covered_icd10: 'G44-G44.229' must run from a code to a later code$"),
    ("payers.toml", '"G44.201-G44.229"', '"G44.229-G44.201"',
     r"covered_icd10: 'G44.229-G44.201' must run from a code to a later code$"),
    ("payers.toml", '"G44.201-G44.229"', '"G44.201-nope"',
     r"covered_icd10: 'nope' must be an ICD-10-CM code such as M79.18$"),
    ("payers.toml", '"G44.201-G44.229"', '"G44.201-G44.229", "G44.201-G44.229"',
     r"covered_icd10 lists 'G44.201-G44.229' twice$"),
    ("payers.toml", 'covered_icd10 = ["G44.201-G44.229", "M79.10-M79.18"]', "covered_icd10 = 5",
     r"covered_icd10 must be an array of strings, not an integer$"),
    ("payers.toml", 'covered_icd10 = ["G44.201-G44.229", ', 'covered_icd10 = [1, ',
     r"covered_icd10 must hold only non-empty strings, found 1$"),
    ("payers.toml", 'code = "none"', 'code = "nobody"',
     r"^payers\.toml: the 'none' profile is missing \(the fallback for every patient\)$"),
    ("payers.toml", 'name = "No payer rules"', 'name = "No payer rules"\ncolour = 1',
     r"entry 'none': unknown field 'colour'$"),
    # rules.toml
    ("rules.toml", 'id = "coding.no_sites"', 'id = "coding.magic"',
     r"entry 'coding.magic': unknown rule id \(the engine has no such rule\)$"),
    ("rules.toml", 'id = "coding.coder_review"\nseverity = "info"',
     'id = "coding.coder_review"\nseverity = "fatal"',
     r"entry 'coding.coder_review': severity 'fatal' is not one of block, warning, info$"),
    ("rules.toml", 'id = "site.lot_expired"\nseverity = "block"\nneeds_reason = false',
     'id = "site.lot_expired"\nseverity = "block"\nneeds_reason = true',
     r"entry 'site.lot_expired': needs_reason applies only to a warning$"),
    ("rules.toml", 'id = "documentation.consent"\nseverity = "block"',
     'id = "documentation.consent"\nseverity = "warning"',
     r"entry 'documentation.consent': clinic_may_lower applies only to a block$"),
    ("rules.toml", 'id = "documentation.lot"\nseverity = "block"\nneeds_reason = false\n'
     'clinic_may_lower = true', 'id = "documentation.lot"\nseverity = "block"\n'
     'needs_reason = false\nclinic_may_lower = 1',
     r"entry 'documentation.lot': clinic_may_lower must be true or false, not an integer$"),
    ("rules.toml", 'title = "Dry needling not covered"',
     'title = "Dry needling not covered"\nsource = "x"',
     r"entry 'payer.dry_needling': a payer rule takes its source from the payer profile$"),
    ("rules.toml", 'id = "coding.no_sites"', 'id = "coding.coder_review"',
     r"entry 'coding.coder_review': duplicate id \(rule #\d+ has it too\)$"),
    ("rules.toml", 'needs_reason = false\ntitle = "No sites charted"\n',
     'title = "No sites charted"\n', r"entry 'coding.no_sites': needs_reason is missing$"),
    ("rules.toml",
     'title = "Unknown payer profile"\nsource = "Data check (not evidence): the patient\'s payer '
     'has no coverage profile in this app"\n',
     "", r"entry 'payer.unknown_profile': source is missing$"),
    # screening.toml
    ("screening.toml", 'help = "A steroid raises blood glucose for 24–72 h."',
     'help = "A steroid raises blood glucose for 24–72 h."\nalso_from = ["patient.diabetes"]',
     r"^screening\.toml, entry 'diabetes': also_from needs a rule$"),
    ("screening.toml",
     'message = "Infection at the site or a systemic infection was recorded: do not inject."\n',
     "", r"entry 'infection': message is missing$"),
    ("screening.toml", 'rule = "screening.infection"', 'rule = "dose.infection"',
     r"entry 'infection': rule 'dose.infection' must be a new id starting with 'screening\.'$"),
    ("screening.toml", 'rule = "screening.infection"', 'rule = "screening.anticoagulant"',
     r"entry 'infection': rule 'screening.anticoagulant' must be a new id"),
    ("screening.toml", 'rule = "screening.infection"', 'rule = "infection"',
     r"entry 'infection': rule 'infection' must be a rule id such as \"screening.infection\"$"),
    ("screening.toml", 'also_from = ["patient.anticoagulant"]', 'also_from = ["patient.mood"]',
     r"entry 'anticoagulant': also_from 'patient.mood' is not one of encounter.acute_trauma, "),
    ("screening.toml", 'fires_when = "not_yes"', 'fires_when = "maybe"',
     r"entry 'allergies_reviewed': fires_when 'maybe' is not one of yes, not_yes$"),
    ("screening.toml", 'code = "keloid"', 'code = "Keloid"',
     r"entry 'Keloid': code 'Keloid' must be lowercase snake_case$"),
    ("screening.toml", 'rule = "screening.allergy"', 'rule = "screening.allergies"',
     r"entry 'allergy': rule must be 'screening.allergy'$"),
    ("screening.toml", "botulinum_toxin = ", "opioid = ",
     r"entry 'allergy': class_terms 'opioid' is not one of local_anesthetic, "),
    ("screening.toml", '"local anesthetic", "local anaesthetic"', '"Local anesthetic"',
     r"entry 'allergy': class_terms.local_anesthetic must hold lowercase text, "
     r"found 'Local anesthetic'$"),
    ("screening.toml", "[allergy.generic_terms]\n", "[allergy.generic_terms]\nlidocaine_x = 4\n",
     r"entry 'allergy': generic_terms.lidocaine_x must be an array of strings, not an integer$"),
    ("screening.toml", "[allergy.class_terms]\nlocal_anesthetic = [",
     "[allergy.class_terms]\nbad = 3\nlocal_anesthetic = [",
     r"entry 'allergy': class_terms 'bad' is not one of"),
    # coding.toml
    ("coding.toml", 'code = "20553"\ntechnique = "injection"\nmin_muscles = 3',
     'code = "20553"\ntechnique = "injection"\nmin_muscles = 4',
     r"^coding\.toml: CPT bands for injection must run on from 3 muscle\(s\) without gap or "
     r"overlap \(20553 starts at 4\)$"),
    ("coding.toml", 'min_muscles = 3\ndescription = "Needle',
     'min_muscles = 3\nmax_muscles = 9\ndescription = "Needle',
     r"^coding\.toml: the last CPT band for dry_needling must have no max_muscles$"),
    ("coding.toml", 'code = "20552"\ntechnique = "injection"\nmin_muscles = 1\nmax_muscles = 2',
     'code = "20552"\ntechnique = "injection"\nmin_muscles = 3\nmax_muscles = 2',
     r"entry '20552': max_muscles must be at least 3, not 2$"),
    ("coding.toml", 'technique = "dry_needling"', 'technique = "acupuncture"',
     r"entry '20560': technique 'acupuncture' is not one of injection, dry_needling$"),
    ("coding.toml", 'code = "20552"', 'code = "2055"',
     r"code '2055' must be a five-digit CPT code$"),
    ("coding.toml", 'code = "J3301"', 'code = "J33"',
     r"code 'J33' must be a HCPCS code such as J3301$"),
    ("coding.toml", 'description = "Injection, triamcinolone',
     'colour = 1\ndescription = "Injection, triamcinolone',
     r"entry 'J3301': unknown field 'colour'$"),
    # icd10.toml
    ("icd10.toml", 'code = "M79.10"', 'code = "M79-10"',
     r"entry 'M79-10': code 'M79-10' must be an ICD-10-CM code such as M79.18$"),
    ("icd10.toml", 'code = "M79.1"\n', 'code = "M79.7"\n',
     r"^icd10\.toml, entry 'M79.7': listed both as a code and as a parent$"),
    ("icd10.toml", '"M79.10", "M79.11", "M79.12", "M79.18"', '"M79.10", "M79.11", "M79.19"',
     r"entry 'M79.1': child 'M79.19' is not in the file$"),
    ("icd10.toml", '"M79.10", "M79.11", "M79.12", "M79.18"', '"M79.10", "M54.2"',
     r"entry 'M79.1': child 'M54.2' does not extend 'M79.1'$"),
    ("icd10.toml", '"M79.10", "M79.11", "M79.12", "M79.18"', "",
     r"entry 'M79.1': children must list at least one code$"),
    ("icd10.toml", "retired_on = 2021-10-01", 'retired_on = "2021-10-01"',
     r"entry 'M54.5': retired_on must be a date such as 2021-10-01, not a string$"),
    ("icd10.toml", 'description = "Fibromyalgia"',
     'description = "Fibromyalgia"\nretired_on = 2020-01-01',
     r"entry 'M79.7': unknown field 'retired_on'$"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "pattern"), ERRORS)
def test_broken_files_name_the_file_and_entry(
    rules_dir: Path, name: str, old: str, new: str, pattern: str
) -> None:
    edit(rules_dir, name, old, new)
    with pytest.raises(RulesDataError, match=pattern) as info:
        load_rules(rules_dir)
    assert isinstance(info.value, ClinicError)
    assert info.value.path == rules_dir / name
    assert info.value.problem in str(info.value)


def test_error_attributes(rules_dir: Path) -> None:
    edit(rules_dir, "payers.toml", "same_site_min_days = 42\ns", "same_site_min_days = 0\ns")
    with pytest.raises(RulesDataError) as info:
        load_rules(rules_dir)
    assert (info.value.entry, info.value.line) == ("medicare", None)
    edit(rules_dir, "payers.toml", '[[profile]]\ncode = "none"', '[[profile]\ncode = "none"')
    with pytest.raises(RulesDataError) as info:
        load_rules(rules_dir)
    assert info.value.entry is None
    assert isinstance(info.value.line, int)


@pytest.mark.parametrize(
    ("name", "text", "pattern"),
    [
        ("payers.toml", "", r"^payers\.toml: expected one or more \[\[profile\]\] tables$"),
        ("payers.toml", "profile = [1, 2]",
         r"entry 'profile #1': must be a table, not an integer$"),
        ("coding.toml", "cpt = 3", r"^coding\.toml: expected one or more \[\[cpt\]\] tables$"),
        ("screening.toml", '[[question]]\ncode = "a"\nlabel = "A"\nhelp = "h"\n',
         r"^screening\.toml: the \[allergy\] table is missing$"),
        ("screening.toml", 'allergy = 1\n[[question]]\ncode = "a"\nlabel = "A"\nhelp = "h"\n',
         r"^screening\.toml: allergy must be a table, not an integer$"),
    ],
)  # fmt: skip
def test_whole_file_errors(rules_dir: Path, name: str, text: str, pattern: str) -> None:
    (rules_dir / name).write_text(text, encoding="utf-8")
    with pytest.raises(RulesDataError, match=pattern):
        load_rules(rules_dir)


def test_missing_rule_is_named(rules_dir: Path) -> None:
    edit(
        rules_dir,
        "rules.toml",
        '[[rule]]\nid = "coding.no_sites"',
        '[[rule]]\nid = "icd10.unknown"\n[[xrule]]\nid = "coding.no_sites"',
    )
    with pytest.raises(RulesDataError, match=r"^rules\.toml: unknown top-level key 'xrule'$"):
        load_rules(rules_dir)
    shutil.copy(default_rules_dir() / "rules.toml", rules_dir / "rules.toml")
    text = (rules_dir / "rules.toml").read_text(encoding="utf-8")
    start = text.index('[[rule]]\nid = "coding.no_sites"')
    end = text.index("[[rule]]", start + 1)
    (rules_dir / "rules.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(RulesDataError, match=r"^rules\.toml: rule coding\.no_sites missing$"):
        load_rules(rules_dir)


def test_unreadable_files(rules_dir: Path) -> None:
    (rules_dir / "icd10.toml").unlink()
    with pytest.raises(RulesDataError, match=r"^icd10\.toml: file not found$"):
        load_rules(rules_dir)
    (rules_dir / "icd10.toml").mkdir()
    with pytest.raises(RulesDataError, match=r"^icd10\.toml: cannot read the file \("):
        load_rules(rules_dir)
    (rules_dir / "coding.toml").write_bytes(b"\xff\xfe[[cpt]]")
    with pytest.raises(RulesDataError, match=r"^coding\.toml: the file is not UTF-8 text$"):
        load_rules(rules_dir)
