"""Encounter UI fixtures: no worker thread outlives its test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clinic_app.ui.common import jobs


@pytest.fixture(autouse=True)
def _join_workers(qtbot) -> Iterator[None]:
    """Join every job worker once the test's widgets are closed (no thread at GC time)."""
    yield
    jobs.shutdown_all()
