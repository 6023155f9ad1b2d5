"""``python -m clinic_app`` starts the same command as ``clinic-app``."""

from clinic_app.cli import main

raise SystemExit(main())
