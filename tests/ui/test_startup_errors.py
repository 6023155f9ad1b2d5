"""The GUI on a database it cannot open: one dialog saying what is wrong and what to do,
then a clean exit (code 2), never a traceback (issue 11 §3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clinic_app import app
from tests.storage.damaged_files import BROKEN, closed_port_url, garbage, newer, url_of
from tests.ui.prompts import Prompts

TITLE = "The database cannot be opened"


@pytest.mark.parametrize(("make", "problem"), BROKEN, ids=[m.__name__ for m, _ in BROKEN])
def test_a_broken_database_shows_one_dialog_and_exits(
    make: Callable[[Path, Path], Path],
    problem: str,
    qtbot: QtBot,
    prompts: Prompts,
    sqlite_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = make(tmp_path, sqlite_template)
    prompts.answer("fatal")
    assert app.run_gui(url_of(path)) == 2
    assert prompts.names() == ["fatal"]
    (shown,) = prompts.shown
    assert shown.title == TITLE
    what, advice = shown.text.split("\n\n")
    assert str(path) in what
    assert advice
    assert "Traceback" not in capsys.readouterr().err


def test_the_dialog_on_garbage_says_restore_a_backup(
    qtbot: QtBot, prompts: Prompts, sqlite_template: Path, tmp_path: Path
) -> None:
    path = garbage(tmp_path, sqlite_template)
    prompts.answer("fatal")
    app.run_gui(url_of(path))
    text = prompts.shown[0].text
    assert "is not a clinic_app database" in text
    assert "restore its latest backup" in text


def test_the_dialog_on_a_newer_database_says_update_the_app(
    qtbot: QtBot, prompts: Prompts, sqlite_template: Path, tmp_path: Path
) -> None:
    path = newer(tmp_path, sqlite_template)
    prompts.answer("fatal")
    app.run_gui(url_of(path))
    text = prompts.shown[0].text
    assert "written by a newer version of clinic_app" in text
    assert "Update the app" in text
    assert "upgrade" not in text


def test_an_unreachable_server_shows_one_dialog(qtbot: QtBot, prompts: Prompts) -> None:
    prompts.answer("fatal")
    assert app.run_gui(closed_port_url()) == 2
    (shown,) = prompts.shown
    assert shown.title == TITLE
    assert "cannot be reached" in shown.text
    assert "secret-pw" not in shown.text


def test_a_database_failing_at_the_first_dialog_shows_one_dialog(
    qtbot: QtBot, prompts: Prompts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clinic_app.domain.errors import StorageError
    from clinic_app.services.clinic import ClinicService

    def unreachable(self: ClinicService) -> bool:
        raise StorageError("The database cannot be reached. Check the network.")

    # The file opens; the first read (which dialog to show) meets a database gone away.
    monkeypatch.setattr(ClinicService, "needs_setup", unreachable)
    prompts.answer("fatal")
    assert app.run_gui(url_of(tmp_path / "clinic.sqlite3")) == 2
    (shown,) = prompts.shown
    assert shown.title == "clinic_app cannot start"
    assert shown.text == "The database cannot be reached. Check the network."
