"""``python -m clinic_app.bodymap_builder``: write the body-map SVGs and check them."""

from __future__ import annotations

import sys

from clinic_app.bodymap_builder.cli import main

sys.exit(main())
