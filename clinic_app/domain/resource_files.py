"""Where the shipped data files are: the one place that knows.

The files live in ``resources/`` at the top of the repository (data, not code) and install as
the package ``clinic_app.resources`` (``pyproject.toml`` maps the folder), so an installed app,
an editable install and a checkout read the same files through :mod:`importlib.resources`.
Readers take what :func:`resource` returns (a :class:`~importlib.resources.abc.Traversable`:
``read_bytes``, ``open``, ``/``), so they never build a path from ``__file__``.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Final

#: The package the ``resources/`` folder installs as.
PACKAGE: Final = "clinic_app.resources"

_copies = contextlib.ExitStack()
atexit.register(_copies.close)


def _locate() -> Traversable:
    try:
        return resources.files(PACKAGE)
    except ModuleNotFoundError:
        # A checkout run without installing it (``PYTHONPATH=. python -m clinic_app``): nothing
        # maps the folder to the package yet, so take it from beside the ``clinic_app`` folder.
        return Path(__file__).resolve().parents[2] / "resources"


@functools.cache
def resource_root() -> Traversable:
    """The shipped data folder (the package ``clinic_app.resources``)."""
    return _locate()


def resource(*parts: str) -> Traversable:
    """A shipped file or folder, e.g. ``resource("anatomy", "muscles.toml")``."""
    item = resource_root()
    for part in parts:
        item = item / part
    return item


def resource_path(*parts: str) -> Path:
    """A shipped file as a file on disk, for libraries that open files by name (fonts).

    Installed from a wheel or run from a checkout, that is the file itself; when the package
    is imported from a zip archive, a temporary copy that lives until the process exits.
    """
    item = resource(*parts)
    if isinstance(item, Path):
        return item
    return _extracted(parts)


@functools.cache
def _extracted(parts: tuple[str, ...]) -> Path:
    return _copies.enter_context(resources.as_file(resource(*parts)))
