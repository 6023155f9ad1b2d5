"""The clinic values the aftercare handout prints, read with their sources from
``resources/handouts/settings.toml`` (the same in every language)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources.abc import Traversable

from clinic_app.domain.datafile import DataFileError, read_document
from clinic_app.domain.resource_files import resource


class HandoutSettingsError(DataFileError):
    """``resources/handouts/settings.toml`` is missing, not TOML, or has a bad value."""


@dataclass(frozen=True, slots=True)
class HandoutSettings:
    """Clinic values the handout prints, each read with its source from ``settings.toml``.

    Attributes:
        glucose_call_mg_dl: a diabetic patient who got a steroid calls above this blood sugar.
        no_soak_hours: no bath, pool or hot tub for this long.
    """

    glucose_call_mg_dl: int
    glucose_call_source: str
    no_soak_hours: int
    no_soak_source: str


def default_settings_path() -> Traversable:
    """The shipped ``handouts/settings.toml``."""
    return resource("handouts", "settings.toml")


def load_settings(path: Traversable | None = None) -> HandoutSettings:
    """Read and check the handout's clinic values.

    Raises:
        HandoutSettingsError: the file is missing or malformed, has an unknown key, a table
            or its source is missing, or a value is not a whole number in its allowed range
            (the message names the file and the field: ``glucose_call.mg_dl``).
    """
    path = default_settings_path() if path is None else path
    document = read_document(path, HandoutSettingsError, {"glucose_call", "no_soak"})

    def value(key: str, number: str, low: int, high: int) -> tuple[int, str]:
        table = document.table(key)
        table.fields((number, "source"))
        return table.integer(number, minimum=low, maximum=high), table.text("source")

    glucose, glucose_source = value("glucose_call", "mg_dl", 150, 500)
    soak, soak_source = value("no_soak", "hours", 0, 168)
    return HandoutSettings(glucose, glucose_source, soak, soak_source)


@functools.cache
def default_settings() -> HandoutSettings:
    """The shipped clinic values, loaded once per process."""
    return load_settings()
