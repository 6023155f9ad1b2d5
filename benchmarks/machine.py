"""Where a benchmark ran, and a place to record its result next to that description."""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results.md"
#: One JSON file per benchmark, the figures of its last recorded run (:func:`save_figures`).
FIGURES = Path(__file__).resolve().parent / "results"


def describe_machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, Qt platform "
        f"{os.environ.get('QT_QPA_PLATFORM', 'default')}"
    )


def recording() -> bool:
    """Whether this run writes its results into the repository: only when asked, with
    ``--record`` on the command line or ``CLINIC_APP_BENCH_RECORD=1`` (``make bench RECORD=1``).
    Otherwise a benchmark only prints."""
    return "--record" in sys.argv[1:] or os.environ.get("CLINIC_APP_BENCH_RECORD") == "1"


def record(name: str, line: str) -> None:
    """Append a dated result with the machine it ran on to results.md (when :func:`recording`)."""
    if not recording():
        return
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(f"- {stamp} · **{name}** · {line} · {describe_machine()}\n")


def save_figures(name: str, figures: dict[str, Any]) -> Path | None:
    """Write ``results/<name>.json``: this run's figures with the machine they ran on (only
    when :func:`recording`; otherwise nothing is written and None is returned)."""
    if not recording():
        return None
    path = FIGURES / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"machine": describe_machine(), **figures}
    path.write_text(json.dumps(body, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(FIGURES.parent.parent)}")
    return path
