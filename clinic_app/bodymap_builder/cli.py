"""The command line: write the SVGs (unless ``--check``), then verify them."""

from __future__ import annotations

import argparse
from pathlib import Path

from clinic_app.bodymap_builder import BODYMAP_DIR
from clinic_app.bodymap_builder.checks import check
from clinic_app.bodymap_builder.svg import build


def main(argv: list[str] | None = None) -> int:
    """Run the generator; 0 when the drawings pass every check, else 1."""
    parser = argparse.ArgumentParser(description="Write and check the body-map SVGs.")
    parser.add_argument("--out", type=Path, default=BODYMAP_DIR)
    parser.add_argument("--check", action="store_true", help="only check the existing files")
    args = parser.parse_args(argv)
    if not args.check:
        for path in build(args.out):
            print(f"wrote {path}")
    return 0 if check(args.out) else 1
