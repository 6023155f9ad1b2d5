"""Run every non-GUI test with Qt made unimportable (STYLE.md: the headless check).

Any import of PySide6 or shiboken6 — direct or through a library — raises ImportError, so
a stray Qt import in domain/models/storage/services/reports fails the run.
Usage: python tests/run_headless.py [pytest args]
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from pathlib import Path

BLOCKED = ("PySide6", "shiboken6", "pytestqt")


class QtBlocker(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Sequence[str] | None, target: object = None) -> None:
        if fullname.split(".")[0] in BLOCKED:
            raise ImportError(
                f"{fullname} is blocked: this test run proves the core works without Qt"
            )
        return None


def main(argv: list[str]) -> int:
    import pytest

    sys.meta_path.insert(0, QtBlocker())
    root = Path(__file__).resolve().parents[1]
    args = [
        "-c",
        str(root / "tests" / "headless" / "pytest.ini"),
        "--rootdir",
        str(root),
        "--confcutdir",
        str(root),
        "-p",
        "no:pytest-qt",
        "-p",
        "no:cacheprovider",
        "--ignore",
        str(root / "tests" / "ui"),
        # Runs the installed app in its own processes (with Qt): the full run covers it.
        "--ignore",
        str(root / "tests" / "packaging" / "test_wheel.py"),
        # Writer processes and servers, minutes of them in the long run: the full run has them.
        "--ignore",
        str(root / "tests" / "reliability"),
        str(root / "tests"),
        *argv,
    ]
    code = int(pytest.main(args))
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    if leaked:
        print(f"Qt modules were imported: {leaked}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
