"""A signed visit's window is frozen: no action, shortcut, click or key changes what it shows.

The bug this guards: after signing, two Undos took a drug and a site off the screen of a
signed visit (the database was unchanged, so the screen no longer showed what was signed).
Then the addenda: corrections are typed in the signed editor and shown under the original.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from sqlalchemy import Engine, text

from clinic_app.domain import clock
from clinic_app.domain.bodymap import default_bodymap
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import EncounterStatus, Side, SkinPrep, Technique, Tolerance
from clinic_app.services.container import AppServices
from clinic_app.services.dto import DoseInput, EncounterInput, SiteDraft, SiteInput
from clinic_app.ui.bodymap.widget import BodyMapWidget
from clinic_app.ui.encounter.addenda import ADD_ADDENDUM_TEXT, SAVE_ADDENDUM_TEXT
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.encounter.sites.text import Column

pytestmark = [
    pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)"),
    pytest.mark.service_behaviour,  # what the database's triggers refuse, on each backend
]
EDIT = Qt.ItemDataRole.EditRole

#: Everything a completeness rule may ask for, so signing needs at most typed reasons.
COMPLETE = EncounterInput(
    indication="Myofascial pain of the upper back",
    icd10_codes=("M79.18",),
    screening={"allergies_reviewed": {"answer": True, "note": ""}},
    consent_obtained=True,
    time_out_done=True,
    skin_prep=SkinPrep.CHLORHEXIDINE,
    pain_before=7,
    pain_after=3,
    tolerance=Tolerance.WELL,
    complications="None",
    needle_intact=True,
    disposition="Home, stable",
    conservative_treatment="Physical therapy for 8 weeks",
)


def site(muscle: str, side: Side, x: float, y: float = 0.25, **kw: Any) -> SiteInput:
    return SiteInput(muscle, side, View.POSTERIOR, x, y, **kw)


@pytest.fixture
def draft_id(services: AppServices, admin, make_patient) -> int:
    patient = make_patient(family_name="Okafor", given_name="Ada", weight_kg=Decimal("70"))
    meds = {m.code: m.id for m in services.clinic.medications()}
    lot = services.clinic.add_lot(meds["lidocaine_1"], "LD-2291", clock.today() + timedelta(90))
    encounter = services.encounters.create(patient.id, admin.id)
    services.encounters.save_draft(
        encounter.id,
        encounter.version,
        COMPLETE,
        [
            SiteDraft(
                site("trapezius_upper", Side.RIGHT, 0.62, needle_gauge=25, needle_length_in="1.5"),
                (DoseInput(meds["lidocaine_1"], Decimal("1"), lot.id),),
            ),
            SiteDraft(
                site("rhomboids", Side.LEFT, 0.45, 0.3, technique=Technique.DRY_NEEDLING),
                (),
            ),
        ],
    )
    return encounter.id


@pytest.fixture
def editor(qtbot, services: AppServices, draft_id: int) -> EncounterEditor:
    window = EncounterEditor(services, draft_id)
    qtbot.addWidget(window)
    window.session.autosave_timer.setInterval(20)
    window.resize(1440, 900)
    window.show()
    qtbot.waitExposed(window)
    activate(qtbot, window)
    return window


def activate(qtbot, window: QWidget) -> None:
    """Shortcuts only fire in the active window."""
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=20_000)


def sign_in_editor(qtbot, editor: EncounterEditor) -> None:
    """Sign through the editor's own dialog, typing a reason for any warning that asks."""
    qtbot.waitUntil(lambda: editor.form.checks.assessment is not None)
    editor.sign_action.trigger()
    dialog = editor.sign_dialog
    assert dialog is not None, editor.message_bar.text()
    qtbot.addWidget(dialog)
    for edit in dialog.reasons.values():
        edit.setText("Reviewed with the patient")
    assert dialog.sign_button.isEnabled(), dialog.status.text()
    with qtbot.waitSignal(editor.encounter_saved):
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert editor.read_only


def real_map(editor: EncounterEditor) -> BodyMapWidget:
    assert isinstance(editor.body_map, BodyMapWidget), getattr(editor.body_map, "reason", "")
    return editor.body_map


def shown(editor: EncounterEditor) -> dict[str, object]:
    """What the window shows of the visit: sites and doses, table cells, form, markers."""
    model = editor.model
    body_map = real_map(editor)
    return {
        "sites": editor.chart.drafts(),
        "cells": [
            [model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())
        ],
        "form": editor.form.form_input(),
        "markers": {
            view: sorted((k, m.pos().x(), m.pos().y()) for k, m in scene.markers.items())
            for view, scene in body_map.scenes.items()
        },
        "signature": editor.form.signature.text(),
        "addenda": editor.addenda_panel.text(),
    }


def stored(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            table: [tuple(row) for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
            for table in ("encounter", "injection_site", "site_dose", "encounter_addendum")
        }


def all_actions(editor: EncounterEditor) -> list[QAction]:
    found: dict[int, QAction] = {}
    for owner in [editor, *editor.findChildren(QWidget)]:
        for action in owner.actions():
            found[id(action)] = action
    for action in editor.findChildren(QAction):
        found[id(action)] = action
    menu = editor.table.context_menu(QPoint(5, 5))
    for action in menu.actions():
        found[id(action)] = action
    return list(found.values())


def press_shortcuts(qtbot, editor: EncounterEditor, action: QAction, target: QWidget) -> None:
    for sequence in action.shortcuts():
        for i in range(sequence.count()):
            combo = sequence[i]
            qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


def close_dialogs(editor: EncounterEditor) -> None:
    for widget in QApplication.topLevelWidgets():
        dialog = widget.inherits("QDialog") or widget.inherits("QMenu")
        if widget is not editor and widget.isVisible() and dialog:
            widget.close()


def poke_form(qtbot, editor: EncounterEditor) -> None:
    """Type into every text field and spin box, click every check box, turn every combo."""
    for widget in editor.form.findChildren(QWidget):
        if not widget.isVisibleTo(editor):
            continue
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.setFocus()
            qtbot.keyClicks(widget, "9 changed")
            qtbot.keyClick(widget, Qt.Key.Key_Backspace)
        elif isinstance(widget, QAbstractSpinBox):
            widget.setFocus()
            qtbot.keyClick(widget, Qt.Key.Key_Up)
            qtbot.keyClicks(widget, "1")
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
            qtbot.keyClick(widget, Qt.Key.Key_Space)
        elif isinstance(widget, QComboBox):
            qtbot.keyClick(widget, Qt.Key.Key_Down)


def poke_table(qtbot, editor: EncounterEditor) -> None:
    """Every cell: type over it, Enter, F2, Delete, Backspace; plus Ctrl+Z and Ctrl+Y."""
    table = editor.table
    model = editor.model
    table.setFocus()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            table.setCurrentIndex(model.index(row, column))
            for key in (Qt.Key.Key_Return, Qt.Key.Key_F2, Qt.Key.Key_Delete):
                qtbot.keyClick(table, key)
                qtbot.keyClick(QApplication.focusWidget() or table, Qt.Key.Key_Escape)
            qtbot.keyClicks(table, "3")
            qtbot.keyClick(QApplication.focusWidget() or table, Qt.Key.Key_Return)
            model.setData(model.index(row, column), "2", EDIT)
    for sequence in ("Ctrl+Z", "Ctrl+Y", "Ctrl+Shift+Z", "Ctrl+Shift+A"):
        combo = QKeySequence(sequence)[0]
        qtbot.keyClick(table, combo.key(), combo.keyboardModifiers())


def poke_map(qtbot, editor: EncounterEditor) -> None:
    """Click a muscle on every figure, drag every marker, press Delete and Ctrl+Z there."""
    body_map = real_map(editor)
    bodymap = default_bodymap()
    for view, canvas in body_map.canvases.items():
        body_map.set_current_view(view)
        figure = bodymap[view]
        region = figure.regions[0]
        point = canvas.mapFromScene(QPointF(*figure.standard_point(region)))
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)
        for marker in body_map.scenes[view].markers.values():
            start = canvas.mapFromScene(marker.scenePos())
            qtbot.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, pos=start)
            qtbot.mouseMove(canvas.viewport(), start + QPoint(40, 30))
            qtbot.mouseRelease(
                canvas.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(40, 30)
            )
            canvas.setFocus()
            for key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                qtbot.keyClick(canvas, key)
            qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_after_signing_nothing_in_the_window_changes_what_was_signed(
    qtbot, editor: EncounterEditor, ui_engine: Engine, services: AppServices
) -> None:
    # Chart edits before signing, so the undo history holds a drug change and a site.
    model = editor.model
    model.setData(model.index(0, Column.VOLUME), "1.5", EDIT)
    real_map(editor).add_site("levator_scapulae", Side.RIGHT)
    # The new site's drug needs its lot too (documentation.lot), or signing is refused.
    new_row = model.rowCount() - 1
    doses = model.index(new_row, Column.MEDICATION).data(EDIT)
    lots = tuple(editor.lots_for(d.medication_id)[0].id for d in doses)
    model.setData(model.index(new_row, Column.LOT), lots, EDIT)
    assert editor.stack.count() >= 2
    assert editor.undo_action.isEnabled()
    # Shortcuts reach the window here (so pressing them after signing is a real try).
    index = editor.stack.index()
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.stack.index() == index - 1
    qtbot.keyClick(editor.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.stack.index() == index
    sign_in_editor(qtbot, editor)

    assert services.encounters.get(editor.encounter_id).status is EncounterStatus.SIGNED
    assert editor.stack.count() == 0
    assert not editor.undo_action.isEnabled()
    assert not editor.redo_action.isEnabled()
    before_view = shown(editor)
    before_db = stored(ui_engine)
    assert len(before_view["sites"]) == 3  # type: ignore[arg-type]

    # The reported bug, exactly: two Undos.
    editor.undo_action.trigger()
    editor.stack.undo()
    editor.stack.undo()
    assert shown(editor) == before_view

    actions = all_actions(editor)
    texts = {a.text().replace("&", "") for a in actions}
    assert {"Undo", "Redo", "Remove site", "Apply to all sites", "Sign…"} <= texts
    close = editor.close_action
    for action in actions:
        if action is close:
            continue
        for target in (editor.table, real_map(editor).current_canvas, editor.form):
            target.setFocus()
            press_shortcuts(qtbot, editor, action, target)
        action.trigger()
        if action.isCheckable():
            action.trigger()
        close_dialogs(editor)
        assert shown(editor) == before_view, action.text()
    poke_table(qtbot, editor)
    close_dialogs(editor)
    assert shown(editor) == before_view
    poke_map(qtbot, editor)
    assert shown(editor) == before_view
    poke_form(qtbot, editor)
    assert shown(editor) == before_view
    assert not editor.is_dirty()
    assert not editor.session.autosave_timer.isActive()
    assert editor.save_now()  # nothing to save for a signed visit
    assert stored(ui_engine) == before_db
    assert editor.close()
    assert stored(ui_engine) == before_db


def test_a_signed_visit_opened_later_is_frozen_the_same_way(
    qtbot, services: AppServices, editor: EncounterEditor, ui_engine: Engine
) -> None:
    sign_in_editor(qtbot, editor)
    editor.close()
    again = EncounterEditor(services, editor.encounter_id)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    before = shown(again)
    before_db = stored(ui_engine)
    inputs = [
        w
        for w in again.form.findChildren(QWidget)
        if isinstance(w, QLineEdit | QPlainTextEdit | QAbstractSpinBox)
    ]
    assert inputs
    assert all(w.isReadOnly() for w in inputs)
    choices = [
        w
        for w in again.form.findChildren(QWidget)
        if isinstance(w, QComboBox) or (isinstance(w, QAbstractButton) and w.isCheckable())
    ]
    assert choices
    assert not any(w.isEnabled() for w in choices)
    poke_form(qtbot, again)
    poke_table(qtbot, again)
    assert shown(again) == before
    assert stored(ui_engine) == before_db


def test_an_addendum_is_signed_and_shown_under_the_original(
    qtbot, services: AppServices, editor: EncounterEditor, ui_engine: Engine
) -> None:
    assert not editor.addendum_action.isEnabled()  # a draft is edited, not amended
    sign_in_editor(qtbot, editor)
    original = shown(editor)
    assert editor.addendum_action.isEnabled()
    assert editor.addendum_action.shortcut() == QKeySequence("Ctrl+Alt+A")
    assert editor.addenda_scroll.isHidden()
    button = editor.banner.button(ADD_ADDENDUM_TEXT)
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = editor.addendum_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    about = [w for w in dialog.findChildren(QLabel) if w.accessibleName() == "About addenda"]
    assert "signed by Ana Ruiz" in about[0].text()
    assert not dialog.save_button.isEnabled()  # nothing typed yet
    qtbot.keyClicks(dialog.text_edit, "Site 2 was the left levator scapulae, not the rhomboids.")
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(editor.encounter_saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    stored_view = services.encounters.get(editor.encounter_id)
    (addendum,) = stored_view.addenda
    assert addendum.text == "Site 2 was the left levator scapulae, not the rhomboids."
    assert addendum.author_name == "Ana Ruiz"
    assert editor.addenda_scroll.isVisibleTo(editor)
    panel_text = editor.addenda_panel.text()
    assert f"Addendum by Ana Ruiz, {addendum.created_local}" in panel_text
    assert "levator scapulae, not" in panel_text
    now = shown(editor)
    assert {k: v for k, v in now.items() if k != "addenda"} == {
        k: v for k, v in original.items() if k != "addenda"
    }  # the signed content is still shown as signed
    assert stored_view.sites[1].muscle_code == "rhomboids"

    # A text over the limit cannot be saved, and says why.
    # The menu and toolbar action (Ctrl+Alt+A) opens it too. Triggered directly: after a
    # dialog, the offscreen platform may not hand activation back in time under load.
    assert editor.addendum_action in editor.actions()
    editor.addendum_action.trigger()
    second = editor.addendum_dialog
    assert second is not None
    assert second is not dialog
    qtbot.addWidget(second)
    assert second.isVisible()
    second.text_edit.setPlainText("x" * 4001)
    assert not second.save_button.isEnabled()
    assert "At most 4000" in second.status.text()
    second.reject()
    assert len(services.encounters.get(editor.encounter_id).addenda) == 1

    reopened = EncounterEditor(services, editor.encounter_id)
    qtbot.addWidget(reopened)
    assert "levator scapulae, not" in reopened.addenda_panel.text()
    assert reopened.addenda_scroll.isVisibleTo(reopened) or not reopened.isVisible()


def test_a_refused_addendum_keeps_the_dialog_open_with_the_reason(
    qtbot, services: AppServices, editor: EncounterEditor
) -> None:
    sign_in_editor(qtbot, editor)
    dialog = editor.on_add_addendum()
    assert dialog is not None
    qtbot.addWidget(dialog)
    services.actor.user_id = None  # signed out meanwhile: the service refuses
    dialog.text_edit.setPlainText("Late entry")
    dialog.on_save()
    assert dialog.isVisible()
    assert "Not added" in dialog.status.text()
    assert "Sign in" in dialog.status.text()
    assert dialog.save_button.text() == SAVE_ADDENDUM_TEXT
