"""The handout's clinic values and their sources (clinic_app.domain.handout_settings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.domain.datafile import DataFileError
from clinic_app.domain.handout_settings import (
    HandoutSettingsError,
    default_settings,
    default_settings_path,
    load_settings,
)


def test_shipped_settings_have_values_and_sources() -> None:
    settings = default_settings()
    assert default_settings_path().name == "settings.toml"
    assert settings.glucose_call_mg_dl == 300
    assert "tpi-reference" in settings.glucose_call_source
    assert settings.no_soak_hours == 24
    assert settings.no_soak_source


GOOD = """
[glucose_call]
mg_dl = 250
source = "leaflet"
[no_soak]
hours = 48
source = "leaflet"
"""


def test_a_good_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(GOOD, encoding="utf-8")
    settings = load_settings(path)
    assert (settings.glucose_call_mg_dl, settings.no_soak_hours) == (250, 48)
    assert settings.glucose_call_source == settings.no_soak_source == "leaflet"


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ("[no_soak]", "[soak]", None, "unknown top-level key 'soak'"),
        ("[no_soak]\nhours = 48\nsource = \"leaflet\"\n", "", "no_soak", "is missing"),
        ("[no_soak]", "no_soak = 3\n[x]", None, "unknown top-level key 'x'"),
        ("mg_dl = 250", "mg_dl = 90", "glucose_call.mg_dl",
         "must be at least 150 and at most 500, not 90"),
        ("mg_dl = 250", "mg_dl = 501", "glucose_call.mg_dl",
         "must be at least 150 and at most 500, not 501"),
        ("mg_dl = 250", "mg_dl = true", "glucose_call.mg_dl", "must be an integer, not a boolean"),
        ("hours = 48", 'hours = "48"', "no_soak.hours", "must be an integer, not a string"),
        ("hours = 48", "hours = 169", "no_soak.hours",
         "must be at least 0 and at most 168, not 169"),
        ('source = "leaflet"\n[no_soak]', 'source = " "\n[no_soak]', "glucose_call.source",
         "must not be empty"),
        ('hours = 48\nsource = "leaflet"', "hours = 48", "no_soak.source", "is missing"),
        ("hours = 48", "hours = 48\ndays = 2", None, "unknown field 'no_soak.days'"),
    ],
)  # fmt: skip
def test_a_broken_file_names_file_and_field(
    tmp_path: Path, old: str, new: str, field: str | None, problem: str
) -> None:
    path = tmp_path / "settings.toml"
    assert old in GOOD
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(HandoutSettingsError) as info:
        load_settings(path)
    error = info.value
    assert isinstance(error, DataFileError)
    assert (error.path, error.entry, error.field, error.problem) == (path, None, field, problem)
    expected = problem if field is None else f"{field} {problem}"
    assert str(error) == f"settings.toml: {expected}"


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(HandoutSettingsError, match=r"^settings\.toml: file not found$"):
        load_settings(tmp_path / "settings.toml")
