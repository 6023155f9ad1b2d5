"""The built wheel, installed outside the checkout, finds its data and runs (issue 9 §4).

Builds the wheel from a copy of the sources, installs it into a fresh virtual environment in a
temporary folder and, from a working directory outside the checkout, seeds a small demo
clinic, saves a handout with ``clinic-app handout`` and starts the GUI offscreen.

The new environment sees the test environment's third-party packages through a folder of
links (everything but clinic_app itself), so the test needs no network and does not
reinstall Qt on every run; pip still resolves the wheel's declared dependencies against them.
Slow (about half a minute): marked ``packaging``, and part of ``make test`` like every test.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import pytest
from pypdf import PdfReader

from clinic_app.domain.enums import Language
from clinic_app.domain.handout_texts import default_texts
from clinic_app.services.demo_names import DEMO_PASSWORD, PROVIDERS
from tests.system_services import BUILD, missing_service

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
#: What the build needs: the project file, the readme it names, the code and the data.
SOURCES = ("pyproject.toml", "README.md", "clinic_app", "resources")
TIMEOUT = 600


def run(
    command: Sequence[str | Path],
    cwd: Path,
    env: dict[str, str] | None = None,
    *,
    stdin: str | None = None,
) -> str:
    """Run ``command`` (``stdin`` typed in); its output, or a failure showing everything it
    printed."""
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, command))} exited with {done.returncode}\n"
            f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        )
    return done.stdout + done.stderr


def setuptools_version() -> tuple[int, ...]:
    try:
        text = metadata.version("setuptools")
    except metadata.PackageNotFoundError:
        return ()
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built without network from a clean copy of the sources."""
    if setuptools_version() < (77,):
        missing_service(
            "setuptools >= 77 is missing from the test environment: "
            "install the test extras with `pip install -c constraints.txt -e '.[test]'`",
            service=BUILD,
        )
    source = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", "-w", out, source],
        cwd=source,
    )  # fmt: skip
    (built,) = out.glob("clinic_app-*.whl")
    return built


def dependencies_folder(target: Path) -> Path:
    """Links to every installed package of this environment except clinic_app itself."""
    target.mkdir()
    folders = {Path(sysconfig.get_paths()[key]) for key in ("purelib", "platlib")}
    for folder in folders:
        for item in folder.iterdir():
            name = item.name.lower()
            if name.startswith(("clinic_app", "__editable__", "_clinic_app")) or item.suffix in {
                ".pth",
                ".egg-link",
            }:
                continue
            link = target / item.name
            if not link.exists():
                link.symlink_to(item)
    return target


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment outside the checkout with the wheel installed."""
    home = tmp_path_factory.mktemp("installed")
    env_dir = home / "env"
    run([sys.executable, "-m", "venv", "--without-pip", env_dir], cwd=home)
    python = env_dir / "bin" / "python"
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], home)
    deps = dependencies_folder(home / "deps")
    (Path(site.strip()) / "test_dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")
    run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-index",
         "--no-cache-dir", "--quiet", wheel],
        cwd=home,
    )  # fmt: skip
    return env_dir


@pytest.fixture
def outside(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A working directory outside the checkout, and an environment without the checkout."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env.pop("CLINIC_APP_DB", None)
    env["CLINIC_APP_DATA_DIR"] = str(tmp_path / "appdata")
    env["QT_QPA_PLATFORM"] = "offscreen"
    work = tmp_path / "work"
    work.mkdir()
    return work, env


def test_the_wheel_holds_every_data_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    data = {
        "clinic_app/resources/" + path.relative_to(ROOT / "resources").as_posix()
        for path in (ROOT / "resources").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert sorted(data - names) == []
    assert "clinic_app/storage/migrations/versions/0001_initial_schema.py" in names


def test_the_installed_app_reads_its_own_files(
    venv: Path, outside: tuple[Path, dict[str, str]]
) -> None:
    work, env = outside
    printed = run(
        [venv / "bin" / "python", "-c",
         "import clinic_app\n"
         "from clinic_app.domain.resource_files import resource_root\n"
         "from clinic_app.domain.catalog import default_catalog\n"
         "print(clinic_app.__file__); print(resource_root()); print(len(default_catalog()))"],
        work,
        env,
    )  # fmt: skip
    package, data, muscles = printed.split()
    assert Path(package).is_relative_to(venv)
    assert Path(data).is_relative_to(venv)
    assert Path(data) == Path(package).parent / "resources"
    assert int(muscles) > 20


def test_clinic_app_handout_runs_installed(
    venv: Path, outside: tuple[Path, dict[str, str]]
) -> None:
    work, env = outside
    db = work / "demo.sqlite3"
    clinic_app = venv / "bin" / "clinic-app"
    run([clinic_app, "seed-demo", "--db", db, "--patients", "1"], work, env)
    out = work / "handout.pdf"
    # The command reads patient data, so a user signs in: the demo's first provider, with the
    # password on standard input.
    sign_in = ["--user", PROVIDERS[0][0], "--password-stdin"]
    printed = run(
        [clinic_app, "handout", "1", "--out", out, "--lang", "en", "--db", db, *sign_in],
        work,
        env,
        stdin=DEMO_PASSWORD + "\n",
    )
    assert f"written to {out}" in printed
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    english = default_texts(Language.ENGLISH)
    assert english.text("block.what_to_expect.heading") in " ".join(text.split())
    assert any(page.images for page in reader.pages)  # the body figure, from the SVG geometry


GUI_START = textwrap.dedent(
    """
    import sys

    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication

    from clinic_app.app import open_services
    from clinic_app.services.demo_names import DEMO_PASSWORD
    from clinic_app.services.demo_names import PROVIDERS
    from clinic_app.ui.common.fonts import install_fonts
    from clinic_app.ui.startup import create_main_window

    app = QApplication(sys.argv[:1])
    install_fonts(app)
    assert "Droid Sans Fallback" in QFontDatabase.families(), QFontDatabase.families()
    services = open_services(sys.argv[1])
    services.clinic.authenticate(PROVIDERS[0][0], DEMO_PASSWORD)
    window = create_main_window(services)
    window.show()
    app.processEvents()
    picture = window.grab()
    assert not picture.isNull() and picture.width() > 200, picture.size()
    window.close()
    services.close()
    print("main window", picture.width(), "x", picture.height())
    """
)


def test_the_gui_starts_installed(venv: Path, outside: tuple[Path, dict[str, str]]) -> None:
    work, env = outside
    db = work / "demo.sqlite3"
    run([venv / "bin" / "clinic-app", "seed-demo", "--db", db, "--patients", "1"], work, env)
    printed = run([venv / "bin" / "python", "-c", GUI_START, f"sqlite:///{db}"], work, env)
    assert "main window" in printed
    assert "could not be loaded" not in printed  # every shipped font registered
