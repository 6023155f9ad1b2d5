"""Tests that need a system service: skipped with how to enable it, failed under ``CI=true``.

A test that needs PostgreSQL, a CUPS print queue, poppler's or qpdf's tools calls
:func:`missing_service` (or :func:`system_tool`) when the service is absent. On a developer's
machine that skips the test, so ``make test`` passes with only Python; under ``CI=true``
(``.ci/run`` installs and starts every service) it fails, so CI can never go green without
having run them. :func:`skip_summary` groups the skips for the summary at the end of the run
(``tests/conftest.py``), with what to install or start to run them.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from typing import NoReturn

import pytest

POSTGRESQL = "PostgreSQL"
CUPS = "a CUPS print queue"
POPPLER = "poppler"
QPDF = "qpdf"
BUILD = "the build tools"

#: How to enable each service (Debian commands; the README's "Running the tests" has them).
HOW_TO_ENABLE = {
    POSTGRESQL: (
        "start PostgreSQL and create the test role and database (README, “Running the "
        "tests”), or point CLINIC_APP_TEST_PG_URL at a server"
    ),
    CUPS: (
        "sudo apt-get install cups printer-driver-cups-pdf; sudo cupsd; sudo lpadmin -p PDF "
        "-E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
    ),
    POPPLER: "sudo apt-get install poppler-utils",
    QPDF: "sudo apt-get install qpdf",
    BUILD: "pip install -c constraints.txt -e '.[test]' (make test does it)",
}

#: The Debian package of each tool a test may run.
TOOL_SERVICE = {"pdftoppm": POPPLER, "pdftotext": POPPLER, "qpdf": QPDF, "lpstat": CUPS}

#: How many different reasons the summary shows per service.
MAX_DETAILS = 2

_PREFIX = re.compile(r"^(?:Skipped: )?needs (?P<service>[^:]+): ")


def in_ci() -> bool:
    """True under ``CI=true`` (``.ci/run`` sets it), where a missing service is a failure."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing_service(message: str, *, service: str | None = None) -> NoReturn:
    """Skip a test whose system service is absent; fail instead under ``CI=true``.

    Args:
        message: what is missing and why, e.g. "PostgreSQL at ... is unreachable: ...".
        service: which service (a key of :data:`HOW_TO_ENABLE`), so the end-of-run summary
            can group the skips and say how to enable them.
    """
    text = f"needs {service}: {message}" if service else message
    if in_ci():
        pytest.fail(text + " (CI=true: .ci/run installs and starts it)", pytrace=False)
    pytest.skip(text)


def system_tool(name: str, package: str | None = None) -> str:
    """The path of a system tool a test runs (``pdftoppm``, ``qpdf``...); skipped (failed
    under ``CI=true``) with the install command when it is not on ``PATH``."""
    path = shutil.which(name)
    if path is None:
        service = TOOL_SERVICE.get(name, package or name)
        hint = HOW_TO_ENABLE.get(service, f"sudo apt-get install {package or name}")
        missing_service(f"{name} is not on PATH ({hint})", service=service)
    return path


def skip_summary(reasons: Iterable[str]) -> list[str]:
    """Lines saying how many tests were skipped, per service, and how to run them.

    ``reasons`` are the skip reasons of a run; those made by :func:`missing_service` are
    grouped by service, any others by their reason.
    """
    by_service: Counter[str] = Counter()
    details: dict[str, list[str]] = {}
    other: Counter[str] = Counter()
    for reason in reasons:
        match = _PREFIX.match(reason)
        if match:
            service = match.group("service")
            by_service[service] += 1
            seen = details.setdefault(service, [])
            detail = reason[match.end() :]
            if detail not in seen:
                seen.append(detail)
        else:
            other[reason.removeprefix("Skipped: ")] += 1
    total = sum(by_service.values()) + sum(other.values())
    if not total:
        return []
    lines = [f"{total} test{'s' if total != 1 else ''} skipped. To run them:"]
    for service, count in sorted(by_service.items(), key=lambda item: (-item[1], item[0])):
        how = HOW_TO_ENABLE.get(service, "see the reason below")
        lines.append(f"  {count:>5}  need {service}: {how}")
        lines.extend(f"         ({detail})" for detail in details[service][:MAX_DETAILS])
    for reason, count in sorted(other.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  {count:>5}  {reason}")
    return lines
