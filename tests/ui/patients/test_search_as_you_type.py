"""Issue 13: typing in the search box runs one search after the pause, and the first row's
history is loaded once then, with it; never per keystroke."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from clinic_app.services.container import AppServices
from clinic_app.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: Any, services: AppServices) -> MainWindow:
    w = MainWindow(services)
    qtbot.addWidget(w)
    return w


def test_typing_searches_and_loads_the_history_once_after_the_pause(
    qtbot: Any,
    window: MainWindow,
    services: AppServices,
    make_patient: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = make_patient(family_name="Nguyen", given_name="Lan")
    make_patient(family_name="Smith", given_name="Ngozi")
    window.refresh()
    searched: list[str] = []
    histories: list[int] = []
    search, history = services.patients.search, services.encounters.history

    def counted_search(text: str, **kw: Any) -> Any:
        searched.append(text)
        return search(text, **kw)

    def counted_history(patient_id: int) -> Any:
        histories.append(patient_id)
        return history(patient_id)

    monkeypatch.setattr(services.patients, "search", counted_search)
    monkeypatch.setattr(services.encounters, "history", counted_history)

    with qtbot.waitSignal(window.search_finished) as finished:
        qtbot.keyClicks(window.search_box, "nguy")
    assert finished.args == [1]
    qtbot.waitUntil(lambda: histories == [first.id])
    assert searched == ["nguy"]  # four keystrokes, one search
    assert window.current_patient_id() == first.id
    qtbot.keyClicks(window.search_box, "en")  # two more keystrokes: one more search
    qtbot.waitUntil(lambda: histories == [first.id, first.id])
    assert searched == ["nguy", "nguyen"]
