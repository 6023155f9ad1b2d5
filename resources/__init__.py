"""The app's data files, installed as the package ``clinic_app.resources``.

The folder stays at the top of the repository (data, not code); ``pyproject.toml`` maps it to
this package, and the app reads it only through :mod:`clinic_app.domain.resource_files`.
"""
