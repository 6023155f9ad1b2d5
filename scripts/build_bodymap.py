"""Generate the body-map drawings (``resources/anatomy/bodymap/*.svg``) and check them.

Usage::

    python scripts/build_bodymap.py            # write the three SVGs, then verify them
    python scripts/build_bodymap.py --check    # only verify the files already on disk

A thin entry point: the generator is the package :mod:`clinic_app.bodymap_builder` (also
``python -m clinic_app.bodymap_builder`` or ``make bodymap``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from clinic_app.bodymap_builder.cli import main

if __name__ == "__main__":
    sys.exit(main())
