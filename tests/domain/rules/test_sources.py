"""Every rule cites the primary source it stands for, never an internal document (issue 8 §8).

The Checks panel and the procedure note print a finding's ``source``; a coder or a reviewer
can look up a drug label, a CMS document or a case report, not the app's own reference notes
or data files.
"""

from __future__ import annotations

import re

import pytest

from clinic_app.domain.rules.data import default_rules

#: Names of the app's own documents and files, which nobody outside the project can look up.
INTERNAL = re.compile(r"tpi-reference|seed \d|\.toml\b|\.md\b|resources/", re.IGNORECASE)


def _sources() -> list[tuple[str, str]]:
    book = default_rules()
    cited = [(rule_id, spec.source) for rule_id, spec in book.rules.items() if spec.source]
    cited += [(f"payer profile {code}", p.source) for code, p in book.payers.items()]
    return cited


@pytest.mark.parametrize(("rule", "source"), _sources())
def test_a_rule_source_names_no_internal_document(rule: str, source: str) -> None:
    assert not INTERNAL.search(source), f"{rule}: {source}"


def test_the_check_matches_what_it_forbids() -> None:
    for internal in ("tpi-reference §5", "seed 000", "resources/rules/payers.toml", "x.md"):
        assert INTERNAL.search(internal), internal
    assert not INTERNAL.search("CMS LCD L36859 and billing article A57701")


def test_rules_with_a_source_are_many() -> None:
    # Guards the parametrisation above against silently checking nothing.
    assert len(_sources()) >= 30
