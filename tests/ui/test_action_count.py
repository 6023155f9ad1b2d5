"""Issue 12 §1: the typical visit charted with real mouse and key events, counted.

Target: at most 25 clicks + keystrokes for the new provider's 6-site visit, and for the
routine repeat visit ("Repeat last visit") the same with no free text at all. The script is
tests/ui/visit_script.py (benchmarks/bench_action_count.py records its count).

Picking a lot for each dose by hand (no default lot, issue 12 §5) and a typed reason for
the bilateral chest-wall warning at a neck visit (§6) used to cost 12 actions and a typed
entry; both are asserted gone.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from clinic_app.ui.main_window import MainWindow
from tests.ui import visit_script as script
from tests.ui.visit_script import TARGET_ACTIONS

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|grabKeyboard)\(\)"
)


@pytest.fixture
def visits(qtbot, services, prompts):
    # A failing step leaves its editor open: closing it then must not ask.
    prompts.always("ask_unsaved_close", QMessageBox.StandardButton.Discard)

    def activate(widget: QWidget) -> None:
        widget.show()
        with qtbot.waitActive(widget):
            widget.activateWindow()

    def make_window() -> MainWindow:
        window = MainWindow(services)
        qtbot.addWidget(window)
        return window

    return script.run_both(services, make_window, qtbot.waitUntil, activate)


def test_the_typical_visit_and_its_repeat_fit_the_target(visits):
    first, repeat = visits
    # No warning asks for words at a routine visit; no lot is picked by hand.
    assert [r for v in (first, repeat) for r in v.reasons] == []
    assert (first.lot_actions, repeat.lot_actions) == (0, 0)
    assert first.count.actions <= TARGET_ACTIONS, first.count.by_step
    # Words only for the indication and its ICD-10 code at the first visit.
    assert first.count.free_text == 2
    # A routine repeat: copied sites, lots, indication and prep; no words to type at all.
    assert repeat.count.actions <= TARGET_ACTIONS, repeat.count.by_step
    assert repeat.count.free_text == 0
