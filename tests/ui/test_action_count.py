"""Issue 12 §1: the typical visit charted with real mouse and key events, counted.

Target: at most 25 clicks + keystrokes for the new provider's 6-site visit, and for the
routine repeat visit ("Repeat last visit") the same with no free text at all. The script is
tests/ui/visit_script.py (benchmarks/bench_action_count.py records its count).

Two parts of issue 12 belong to other work and are measured, not assumed: picking a lot
for each dose (a default lot in the dose row, §5) and the typed reason the bilateral
chest-wall warning asks for at a neck visit (§6). Until both are in, the first visit's
total is reported as an expected failure naming them; the count without them is asserted
either way, and once they are in the assertion holds on the total.
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
#: The warning that needs a typed reason at a neck visit until issue 12 §6 lands.
BILATERAL = "site.bilateral_chest_wall"


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
    pending = []
    if first.lot_actions:
        pending.append(f"{first.lot_actions} actions to pick lots (no default lot yet, §5)")
    waiting_reason = [BILATERAL in v.reasons for v in (first, repeat)]
    if any(waiting_reason):
        pending.append("a typed reason for the bilateral chest-wall warning (§6)")
    # No other warning asks for words at a routine visit.
    assert [r for v in (first, repeat) for r in v.reasons if r != BILATERAL] == []
    # What this work owns holds now: the visit without the lots picked by hand; words
    # only for the indication and its ICD-10 code at the first visit.
    assert first.count.actions - first.lot_actions <= TARGET_ACTIONS, first.count.by_step
    assert first.count.free_text - waiting_reason[0] == 2
    # A routine repeat: copied sites, lots, indication and prep; no words to type at all.
    assert repeat.count.actions <= TARGET_ACTIONS, repeat.count.by_step
    assert repeat.lot_actions == 0
    assert repeat.count.free_text - waiting_reason[1] == 0
    if pending:
        pytest.xfail(
            f"first visit {first.count.actions} actions, repeat {repeat.count.actions}: "
            + "; ".join(pending)
        )
    assert first.count.actions <= TARGET_ACTIONS, first.count.by_step
    assert repeat.count.free_text == 0
