"""The speed benchmarks (see README.md)."""

from __future__ import annotations

import os
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent / "build" / "bench" / "home"


def use_bench_home() -> None:
    """Point the app's configuration, data and log folders and its audit key at
    ``build/bench/home/`` (unless they are set already), next to the synthetic databases kept
    in ``build/bench/``: a benchmark never writes into this workstation's own settings, its
    audit key (or the OS keyring) or its audit anchors, and the synthetic databases are sealed
    with a key that stays with them. Each benchmark's ``main`` calls it first; importing the
    package changes nothing (the tests import the synthetic clinic's builder)."""
    for name, path in (
        ("CLINIC_APP_CONFIG_DIR", HOME / "config"),
        ("CLINIC_APP_DATA_DIR", HOME / "data"),
        ("CLINIC_APP_LOG_DIR", HOME / "log"),
        ("CLINIC_APP_AUDIT_KEY", HOME / "config" / "audit.key"),
    ):
        os.environ.setdefault(name, str(path))
