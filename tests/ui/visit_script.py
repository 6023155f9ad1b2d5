"""Issue 12 §1: chart a typical visit with real mouse and key events, and count them.

The visit: a new provider's 6-site visit (right upper trapezius, left levator scapulae, both
quadratus lumborum, right gluteus medius, right piriformis; lidocaine, one steroid site),
then signing; and the same patient's routine repeat visit through "Repeat last visit".

Every click and keystroke of the visit goes through :class:`ActionCounter`, which sends it
with QTest (a real event through Qt's event delivery, hit-testing, shortcuts and delegates)
and counts it; typed text is counted as one free-text entry. What is not part of the visit
(the clinic, the provider, the patient, the lots received) is set up through the services
and not counted. The script waits through the callables it is given (``qtbot.waitUntil`` in
the test, a plain event-loop wait in the benchmark), never by sleeping.

Used by tests/ui/test_action_count.py (asserts the target) and
benchmarks/bench_action_count.py (records the count).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QToolBar, QWidget

from clinic_app.domain import clock
from clinic_app.domain.bodymap import FigureView, default_bodymap
from clinic_app.domain.enums import Language, Role, Sex, Side
from clinic_app.services.dto import PatientInput
from clinic_app.ui.encounter.sites.text import Column
from tests.factories import add_user, sign_in_as

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices
    from clinic_app.ui.encounter.editor import EncounterEditor
    from clinic_app.ui.main_window import MainWindow

#: The issue's target for the visit: clicks + keystrokes (free text counted apart).
TARGET_ACTIONS = 25
LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
#: (muscle, side) in the order a provider clicks them: surface muscles, then the deep ones.
SITES = (
    ("trapezius_upper", Side.RIGHT),
    ("levator_scapulae", Side.LEFT),
    ("gluteus_medius", Side.RIGHT),
    ("quadratus_lumborum", Side.RIGHT),
    ("quadratus_lumborum", Side.LEFT),
    ("piriformis", Side.RIGHT),
)
STEROID_SITE = 6  # the right piriformis (the last) gets lidocaine + triamcinolone
STEROID_MIX = "lidocaine_1_1ml_triamcinolone_10mg"
FIRST_VISIT_AT = datetime(2026, 9, 1, 15, 0, tzinfo=UTC)
REPEAT_AFTER = timedelta(weeks=8)

WaitUntil = Callable[[Callable[[], bool]], None]
Activate = Callable[[QWidget], None]


@dataclass
class ActionCount:
    """What a scenario cost the user.

    Attributes:
        clicks, keys: mouse clicks (a double click is two) and keystrokes (a chord is one).
        free_text: entries typed as words (indication, a code, a reason).
        by_step: clicks + keys per step of the visit.
    """

    clicks: int = 0
    keys: int = 0
    free_text: int = 0
    by_step: Counter[str] = field(default_factory=Counter)

    @property
    def actions(self) -> int:
        """Clicks + keystrokes: what the target counts."""
        return self.clicks + self.keys

    def as_dict(self) -> dict[str, object]:
        return {
            "clicks": self.clicks,
            "keys": self.keys,
            "free_text": self.free_text,
            "actions": self.actions,
            "by_step": dict(self.by_step),
        }


class ActionCounter:
    """Sends each user action as a real event and counts it under the current step."""

    def __init__(self) -> None:
        self.count = ActionCount()
        self._step = "start"

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        previous, self._step = self._step, name
        try:
            yield
        finally:
            self._step = previous

    def _add(self, clicks: int = 0, keys: int = 0) -> None:
        self.count.clicks += clicks
        self.count.keys += keys
        self.count.by_step[self._step] += clicks + keys

    def click(self, widget: QWidget, pos: QPoint | None = None) -> None:
        at = pos or widget.rect().center()
        QTest.mouseClick(widget, LEFT, Qt.KeyboardModifier.NoModifier, at)
        self._add(clicks=1)

    def double_click(self, widget: QWidget, pos: QPoint) -> None:
        QTest.mouseDClick(widget, LEFT, Qt.KeyboardModifier.NoModifier, pos)
        self._add(clicks=2)

    def key(
        self,
        widget: QWidget,
        key: Qt.Key,
        modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    ) -> None:
        QTest.keyClick(widget, key, modifiers)
        self._add(keys=1)

    def type_number(self, widget: QWidget, digits: str) -> None:
        """A number typed digit by digit: each digit is a keystroke, not free text."""
        QTest.keyClicks(widget, digits)
        self._add(keys=len(digits))

    def type_text(self, widget: QWidget, text: str) -> None:
        """Words typed: one free-text entry (its keystrokes are not counted as actions)."""
        QTest.keyClicks(widget, text)
        self.count.free_text += 1


@dataclass(frozen=True)
class Clinic:
    """What the visit needs before it starts, made through the services."""

    provider_id: int
    patient_id: int


def set_up(services: AppServices) -> Clinic:
    """The lots received, a new provider signed in, one patient (none of it counted).

    ``services`` is a set-up clinic with its administrator signed in.
    """
    meds = {m.code: m.id for m in services.clinic.medications()}
    expires = FIRST_VISIT_AT.date() + timedelta(days=365)
    services.clinic.add_lot(meds["lidocaine_1"], "LD-2291", expires)
    services.clinic.add_lot(meds["triamcinolone_40"], "TR-0415", expires)
    account = add_user(services, "newdoc", "Dr New Provider", Role.PROVIDER, "MD")
    provider = sign_in_as(services, account)
    patient = services.patients.create(
        PatientInput(
            mrn="V-1",
            given_name="Vera",
            family_name="Visit",
            date_of_birth=date(1968, 4, 2),
            sex=Sex.FEMALE,
            weight_kg="68",
            preferred_language=Language.ENGLISH,
            no_known_drug_allergies=True,
        )
    )
    return Clinic(provider.id, patient.id)


# ---------------------------------------------------------------------- the visit, step by step
def open_new_encounter(counter: ActionCounter, window: MainWindow) -> EncounterEditor:
    with counter.step("new encounter"):
        counter.key(window, Qt.Key.Key_N, CTRL | SHIFT)
    (editor,) = window.encounters.editors()
    return editor


def chart_sites(
    counter: ActionCounter,
    editor: EncounterEditor,
    wait_until: WaitUntil,
    before_steroid_site: Callable[[], None],
) -> None:
    """Click each muscle at its position on the posterior figure (the deep layer on first);
    ``before_steroid_site`` picks the steroid mix just before that site."""
    body_map = editor.body_map
    figure = default_bodymap()[FigureView.POSTERIOR]
    with counter.step("body map"):
        if body_map.current_view is not FigureView.POSTERIOR:
            counter.click(body_map.view_buttons[FigureView.POSTERIOR])
        canvas = body_map.current_canvas
        for number, (muscle, side) in enumerate(SITES, 1):
            region = next(r for r in figure.regions if r.muscle_code == muscle and r.side == side)
            if number == STEROID_SITE:
                before_steroid_site()
            if region.layer.value == "deep" and not body_map.deep_button.isChecked():
                counter.click(body_map.deep_button)
            pos = canvas.mapFromScene(QPointF(*figure.standard_point(region)))
            counter.click(canvas.viewport(), pos)
            wait_until(lambda n=number: len(editor.chart) == n)
            site = editor.chart.drafts()[-1].site
            assert (site.muscle_code, site.side) == (muscle, side), (muscle, side, site)


def _cell(editor: EncounterEditor, row: int, column: Column) -> QPoint:
    index = editor.model.index(row, column)
    editor.table.scrollTo(index)
    return editor.table.visualRect(index).center()


def choose_steroid_mix(
    counter: ActionCounter, editor: EncounterEditor, wait_until: WaitUntil
) -> None:
    """Before the steroid site (the last one), the New sites favourite: lidocaine + steroid."""
    combo = editor.new_sites.favourite_combo
    with counter.step("steroid site"):
        _choose(counter, combo, combo.findData(STEROID_MIX), wait_until)
    assert combo.currentData() == STEROID_MIX


def _choose(counter: ActionCounter, combo: QComboBox, index: int, wait_until: WaitUntil) -> None:
    """Open the list with a click, step to the item with the arrow key, Return.

    (A click on the item would do, but Qt ignores a release that comes sooner than a
    double-click interval after the list opened, and a test does not sleep.)
    """
    steps = index - combo.currentIndex()
    counter.click(combo)
    view = combo.view()
    wait_until(view.isVisible)
    for _ in range(steps):
        counter.key(view, Qt.Key.Key_Down)
    counter.key(view, Qt.Key.Key_Return)
    wait_until(lambda: not view.isVisible())


def fill_missing_lots(
    counter: ActionCounter, editor: EncounterEditor, wait_until: WaitUntil
) -> int:
    """Pick a lot for every dose that has none; returns how many actions it took.

    With a default lot in the dose row (the "lots" work of issue 12 §5) there is nothing to
    pick. Without it: the first lidocaine site's lot, applied to all sites (Ctrl+Shift+A),
    then the steroid site's two lots.
    """
    before = counter.count.actions
    with counter.step("lots"):
        for _ in range(len(SITES)):
            drafts = editor.chart.drafts()
            missing = [i for i, d in enumerate(drafts) if any(x.lot_id is None for x in d.doses)]
            if not missing:
                break
            row = missing[0]
            counter.click(editor.table.viewport(), _cell(editor, row, Column.LOT))
            counter.key(editor.table, Qt.Key.Key_F2)
            combos = [c for c in editor.table.viewport().findChildren(QComboBox) if c.isVisible()]
            assert combos, (QApplication.activeWindow(), editor.table.state())
            for combo in combos:
                if combo.currentData() is None:
                    _choose(counter, combo, 1, wait_until)
            if len(drafts[row].doses) == 1 and len(missing) > 1:
                editor.table.setCurrentIndex(editor.model.index(row, Column.LOT))
                counter.click(_toolbar_button(editor, editor.apply_all_action))
            wait_until(lambda r=row: all(x.lot_id for x in editor.chart.drafts()[r].doses))
    return counter.count.actions - before


def fill_form(counter: ActionCounter, editor: EncounterEditor, *, first_visit: bool) -> None:
    form = editor.form
    with counter.step("screening"):
        counter.click(form.screening_box.all_negative_button)  # or Ctrl+Alt+N
    with counter.step("consent, time-out, skin prep"):
        for button in (form.consent, form.time_out, form.skin_prep):
            if not button.isChecked():  # a repeat copies the skin prep already ticked
                counter.click(button, QPoint(12, button.height() // 2))
    with counter.step("pain"):
        counter.click(form.pain_before.buttons[6])
        counter.click(form.pain_after.buttons[2])
    if first_visit:
        with counter.step("indication and ICD-10"):
            counter.click(form.indication)
            counter.type_text(form.indication, "Myofascial pain, neck and low back")
            counter.click(form.icd10)
            counter.type_text(form.icd10, "M79.18")
    elif form.relief.isVisibleTo(form):
        with counter.step("relief since last visit"):
            counter.click(form.relief.percent)
            counter.type_number(form.relief.percent, "70")
            counter.click(form.relief.weeks)
            counter.type_number(form.relief.weeks, "6")
    with counter.step("outcome"):
        counter.click(form.needle_intact.yes)
        counter.click(form.disposition_presets.buttons[0])


def _toolbar_button(editor: EncounterEditor, action: QAction) -> QAbstractButton:
    for toolbar in editor.findChildren(QToolBar):
        button = toolbar.widgetForAction(action)
        if isinstance(button, QAbstractButton):
            return button
    raise AssertionError(f"no toolbar button for {action.text()}")


def sign(counter: ActionCounter, editor: EncounterEditor, wait_until: WaitUntil) -> list[str]:
    """Sign: the toolbar's Sign, a reason for each warning that needs one, then Sign.

    Returns the rules that needed a typed reason.
    """
    with counter.step("sign"):
        counter.click(_toolbar_button(editor, editor.sign_action))
        dialog = editor.sign_dialog
        assert dialog is not None, editor.message_bar.text()
        wait_until(dialog.isVisible)
        for edit in dialog.reasons.values():
            counter.click(edit)
            counter.type_text(edit, "Reviewed with the patient; routine")
        checked = editor.form.checks.assessment
        blocks = [f.message for f in checked.blocks] if checked else []
        assert dialog.sign_button.isEnabled(), (dialog.status.text(), blocks)
        counter.click(dialog.sign_button)
    wait_until(lambda: not editor.is_draft)
    return list(dialog.reasons)


@dataclass
class VisitResult:
    count: ActionCount
    lot_actions: int
    reasons: list[str]


def first_visit(
    services: AppServices, window: MainWindow, wait_until: WaitUntil, activate: Activate
) -> VisitResult:
    """The new provider's 6-site visit, from "New encounter" to the signature."""
    counter = ActionCounter()
    activate(window)
    editor = open_new_encounter(counter, window)
    activate(editor)
    chart_sites(
        counter, editor, wait_until, lambda: choose_steroid_mix(counter, editor, wait_until)
    )
    assert len(editor.chart.drafts()[STEROID_SITE - 1].doses) == 2
    activate(editor)
    lots = fill_missing_lots(counter, editor, wait_until)
    activate(editor)
    fill_form(counter, editor, first_visit=True)
    activate(editor)
    reasons = sign(counter, editor, wait_until)
    editor.close()
    return VisitResult(counter.count, lots, reasons)


def repeat_visit(
    services: AppServices, window: MainWindow, wait_until: WaitUntil, activate: Activate
) -> VisitResult:
    """The routine repeat visit, from "Repeat last visit" (Ctrl+R) to the signature."""
    counter = ActionCounter()
    activate(window)
    with counter.step("repeat last visit"):
        counter.key(window, Qt.Key.Key_R, CTRL)
    (editor,) = window.encounters.editors()
    activate(editor)
    lots = fill_missing_lots(counter, editor, wait_until)
    activate(editor)
    fill_form(counter, editor, first_visit=False)
    activate(editor)
    reasons = sign(counter, editor, wait_until)
    editor.close()
    return VisitResult(counter.count, lots, reasons)


def run_both(
    services: AppServices,
    make_window: Callable[[], MainWindow],
    wait_until: WaitUntil,
    activate: Activate,
) -> tuple[VisitResult, VisitResult]:
    """Set up (not counted), chart the first visit, then the repeat 8 weeks later."""
    clock.set_clock(clock.fixed_clock(FIRST_VISIT_AT))
    set_up(services)
    window = make_window()
    window.refresh()
    first = first_visit(services, window, wait_until, activate)
    clock.set_clock(clock.fixed_clock(FIRST_VISIT_AT + REPEAT_AFTER))
    window.refresh()
    repeat = repeat_visit(services, window, wait_until, activate)
    return first, repeat
