"""pyproject.toml lists every package and every kind of data file (the wheel ships them).

setuptools' ``packages.find`` cannot map the top-level ``resources/`` folder to the package
``clinic_app.resources``, so the packages are listed by hand; these checks catch a new
sub-package or a new kind of data file that the list forgets.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def setuptools_config() -> dict[str, Any]:
    document = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    config: dict[str, Any] = document["tool"]["setuptools"]
    return config


def test_every_folder_of_python_code_is_a_listed_package() -> None:
    code = ROOT / "clinic_app"
    found = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in (code, *code.rglob("*"))
        if folder.is_dir() and any(folder.glob("*.py"))
    }
    # The body-map builder is a developer tool that rewrites the checkout's figures: not shipped.
    developer_tools = {p for p in found if p.startswith("clinic_app.bodymap_builder")}
    assert developer_tools == {"clinic_app.bodymap_builder"}
    assert set(setuptools_config()["packages"]) == (found - developer_tools) | {
        "clinic_app.resources"
    }


def test_the_resources_folder_installs_as_clinic_app_resources() -> None:
    config = setuptools_config()
    assert config["package-dir"] == {"clinic_app.resources": "resources"}
    assert (ROOT / "resources" / "__init__.py").is_file()


def test_package_data_takes_every_data_file_of_resources() -> None:
    folder = ROOT / "resources"
    patterns = setuptools_config()["package-data"]["clinic_app.resources"]
    shipped = {path for pattern in patterns for path in folder.glob(pattern)}
    data = {
        path
        for path in folder.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }
    assert data, "no data files found"
    assert sorted(map(str, data - shipped)) == []
