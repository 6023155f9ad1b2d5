"""The one helper for tests that need a system service: skip locally, fail under CI=true,
and the summary that ends every run."""

from __future__ import annotations

import pytest

from tests import system_services as ss


@pytest.mark.parametrize("ci", ["", "false", "0"])
def test_a_missing_service_skips_on_a_developers_machine(
    ci: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match=r"^needs poppler: pdftoppm is gone"):
        ss.missing_service("pdftoppm is gone", service=ss.POPPLER)


@pytest.mark.parametrize("ci", ["true", "TRUE", "1", "yes"])
def test_a_missing_service_fails_under_ci(ci: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match=r"CI=true: \.ci/run installs and starts it"):
        ss.missing_service("pdftoppm is gone", service=ss.POPPLER)


def test_a_tool_off_the_path_is_a_missing_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(pytest.skip.Exception) as skipped:
        ss.system_tool("pdftoppm", "poppler-utils")
    assert str(skipped.value).startswith("needs poppler: pdftoppm is not on PATH")
    assert "apt-get install poppler-utils" in str(skipped.value)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        ss.system_tool("qpdf", "qpdf")


def test_the_summary_groups_skips_by_service_and_says_how_to_enable_them() -> None:
    reasons = [
        "Skipped: needs PostgreSQL: the server at postgresql+psycopg://clinic:***@h/db is down",
        "Skipped: needs PostgreSQL: the server at postgresql+psycopg://clinic:***@h/db is down",
        "needs poppler: pdftoppm is not on PATH (sudo apt-get install poppler-utils)",
        "Skipped: needs a CUPS print queue: lpstat -p PDF failed",
        "Skipped: running as root without a read-only bind mount",
    ]
    lines = ss.skip_summary(reasons)
    assert lines[0] == "5 tests skipped. To run them:"
    assert lines[1].split()[:3] == ["2", "need", "PostgreSQL:"]
    assert "README" in lines[1]
    # The reason once, however many tests it skipped.
    assert lines[2].strip() == "(the server at postgresql+psycopg://clinic:***@h/db is down)"
    assert "is down" not in lines[3]
    assert any("need a CUPS print queue: sudo apt-get install cups" in line for line in lines)
    assert any("need poppler: sudo apt-get install poppler-utils" in line for line in lines)
    assert lines[-1].split(maxsplit=1) == ["1", "running as root without a read-only bind mount"]
    assert ss.skip_summary([]) == []
