"""The one accessor of the shipped data files (resources/, installed as clinic_app.resources)."""

from __future__ import annotations

import contextlib
import zipfile
from pathlib import Path

import pytest

from clinic_app.domain import resource_files
from clinic_app.domain.resource_files import PACKAGE, resource, resource_path, resource_root


def test_the_root_holds_the_data_folders() -> None:
    root = resource_root()
    assert root is resource_root()  # located once per process
    assert (root / "__init__.py").is_file()
    assert {item.name for item in root.iterdir()} >= {
        "anatomy", "fonts", "formulary", "handouts", "rules",
    }  # fmt: skip


def test_resource_walks_the_parts_below_the_root() -> None:
    rules = resource("rules", "rules.toml")
    assert rules.name == "rules.toml"
    assert rules.read_bytes() == (resource_root() / "rules" / "rules.toml").read_bytes()
    assert resource() == resource_root()


def test_the_package_is_read_through_importlib_resources(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def files(package: str) -> Path:
        asked.append(package)
        return Path("/installed/clinic_app/resources")

    monkeypatch.setattr(resource_files.resources, "files", files)
    assert resource_files._locate() == Path("/installed/clinic_app/resources")
    assert asked == [PACKAGE] == ["clinic_app.resources"]


def test_a_checkout_run_without_installing_reads_the_folder_beside_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def files(package: str) -> Path:
        raise ModuleNotFoundError(f"No module named {package!r}")

    monkeypatch.setattr(resource_files.resources, "files", files)
    folder = resource_files._locate()
    assert isinstance(folder, Path)
    assert folder == Path(resource_files.__file__).resolve().parents[2] / "resources"
    assert (folder / "anatomy" / "muscles.toml").is_file()


def test_a_file_on_disk_is_given_as_it_is() -> None:
    path = resource_path("fonts", "DejaVuSans.ttf")
    assert path == resource("fonts", "DejaVuSans.ttf")
    assert path.is_file()


def test_a_zipped_install_gives_a_temporary_copy_until_exit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    archive = tmp_path / "app.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("clinic_app/resources/fonts/Some.ttf", b"font bytes")
    monkeypatch.setattr(
        resource_files, "resource_root", lambda: zipfile.Path(archive, "clinic_app/resources/")
    )
    copies = contextlib.ExitStack()
    monkeypatch.setattr(resource_files, "_copies", copies)
    resource_files._extracted.cache_clear()
    try:
        path = resource_path("fonts", "Some.ttf")
        assert isinstance(path, Path)
        assert path.read_bytes() == b"font bytes"
        assert resource_path("fonts", "Some.ttf") == path  # one copy per file
        copies.close()  # what the process does at exit
        assert not path.exists()
    finally:
        resource_files._extracted.cache_clear()
