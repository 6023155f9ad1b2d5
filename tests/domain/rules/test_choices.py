"""What a clinic may choose about a rule: severity within the floor, chest wall, reasons."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from types import MappingProxyType

import pytest

from clinic_app.domain.rules import (
    ClinicPolicy,
    Documentation,
    RulesDataError,
    Severity,
    SeverityChoice,
    allowed_severities,
    default_rules,
    default_rules_dir,
    load_rules,
)

from .helpers import L, R, encounter, needled, only, run, site

B, W, N = Severity.BLOCK, Severity.WARNING, Severity.INFO
NECK = encounter(site(1, "trapezius_upper", R), site(2, "levator_scapulae", L))


def policy(**choices: tuple[Severity, str]) -> ClinicPolicy:
    mapped = {k.replace("__", "."): SeverityChoice(*v) for k, v in choices.items()}
    return ClinicPolicy(severities=MappingProxyType(mapped))


def test_shipped_floors() -> None:
    book = default_rules().rules
    assert book["dose.anesthetic_max"].choices == (B,)  # a toxic dose is never lowered
    assert book["site.lot_expired"].choices == (B,)
    assert book["documentation.consent"].choices == (B, W)
    assert book["site.pneumothorax"].choices == (B, W, N)
    assert book["site.bilateral_chest_wall"].choices == (B, W)
    assert book["dose.site_volume"].choices == (B, W, N)
    assert allowed_severities(W) == (B, W)


def test_a_clinic_raises_the_apex_note_to_a_warning_with_a_reason() -> None:
    raised = run(NECK, policy=policy(site__pneumothorax=(W, "Our policy: apex sites")))
    assert {f.rule for f in raised.reasons_needed} == {"site.pneumothorax"}
    finding = raised.reasons_needed[0]
    assert finding.message.endswith("(Raised to a warning by the clinic: Our policy: apex sites)")
    blocked = run(NECK, policy=policy(site__pneumothorax=(B, "never")))
    assert not blocked.can_sign
    assert not any(f.needs_reason for f in blocked.blocks)


def test_a_clinic_lowers_within_the_floor_only() -> None:
    sites = encounter(site(1, "rhomboids", L), site(2, "rhomboids", R))
    lowered = run(sites, policy=policy(site__bilateral_chest_wall=(W, "x")))  # shipped: no change
    assert only(lowered, "site.bilateral_chest_wall").message.endswith("at one visit.")
    below = run(sites, policy=policy(site__bilateral_chest_wall=(N, "fatigue")))
    assert only(below, "site.bilateral_chest_wall").severity is W  # below the floor: ignored
    noted = run(
        encounter(needled(1), icd10=("M79.99",)),
        policy=policy(icd10__unknown=(N, "our coder checks")),
    )
    finding = only(noted, "icd10.unknown")
    assert (finding.severity, finding.needs_reason) == (N, False)
    assert finding.message.endswith("(Lowered to a note by the clinic: our coder checks)")


def test_an_empty_reason_changes_nothing_and_severities_win_over_lowered() -> None:
    empty = run(NECK, policy=policy(site__pneumothorax=(W, "  ")))
    assert not empty.reasons_needed
    note = dataclasses.replace(NECK, documentation=Documentation())
    lowered = ClinicPolicy(lowered=MappingProxyType({"documentation.consent": "paper"}))
    assert only(run(note, policy=lowered), "documentation.consent").severity is W
    both = dataclasses.replace(
        lowered,
        severities=MappingProxyType({"documentation.consent": SeverityChoice(B, "back")}),
    )
    assert only(run(note, policy=both), "documentation.consent").severity is B


def test_shipped_reasons_point_at_rules() -> None:
    book = default_rules()
    assert set(book.reasons) <= set(book.rules)
    assert book.reasons["site.bilateral_chest_wall"]
    assert all(len(p) <= 300 for picks in book.reasons.values() for p in picks)
    for spec in book.rules.values():
        if spec.needs_reason:
            assert spec.id in book.reasons, spec.id


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


def edit(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ERRORS = [
    ("rules.toml", 'clinic_may_lower = true\ntitle = "Consent not recorded"',
     'clinic_may_lower = true\nfloor = "info"\ntitle = "Consent not recorded"',
     r"entry 'documentation.consent': floor and clinic_may_lower must not both be given$"),
    ("rules.toml", 'id = "site.pneumothorax"\nseverity = "info"\n',
     'id = "site.pneumothorax"\nseverity = "info"\nfloor = "block"\n',
     r"entry 'site.pneumothorax': floor must not be above the severity$"),
    ("rules.toml", '[chest_wall]', '[chest_walls]', r"unknown top-level key 'chest_walls'$"),
    ("rules.toml", 'muscles = [\n', 'muscles = [\n    "rhomboids",\n',
     r"entry 'chest_wall': muscles lists 'rhomboids' twice$"),
    ("rules.toml", 'muscles = [\n', 'colour = 1\nmuscles = [\n',
     r"entry 'chest_wall': unknown field 'colour'$"),
    ("reasons.toml", 'rule = "icd10.unknown"', 'rule = "icd10.nope"',
     r"entry 'icd10.nope': 'icd10.nope' is not a rule of rules.toml or screening.toml$"),
    ("reasons.toml", 'picks = [\n    "Code checked',
     'picks = [\n    "' + "x" * 301 + '",\n    "Code checked',
     r"entry 'icd10.unknown': picks must each be at most 300 characters$"),
    ("reasons.toml", '"Code checked against the current ICD-10-CM code set.",',
     '"Same.", "Same.",', r"entry 'icd10.unknown': picks lists 'Same.' twice$"),
    ("reasons.toml", '"Code checked against the current ICD-10-CM code set.",',
     '', r"entry 'icd10.unknown': picks must list at least one item$"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "pattern"), ERRORS)
def test_broken_choice_data_is_named(
    rules_dir: Path, name: str, old: str, new: str, pattern: str
) -> None:
    edit(rules_dir, name, old, new)
    with pytest.raises(RulesDataError, match=pattern):
        load_rules(rules_dir)


def test_the_chest_wall_table_is_required(rules_dir: Path) -> None:
    text = (rules_dir / "rules.toml").read_text(encoding="utf-8")
    start = text.index("[chest_wall]")
    end = text.index("# ----", start)
    (rules_dir / "rules.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(RulesDataError, match=r"the \[chest_wall\] table is missing$"):
        load_rules(rules_dir)
