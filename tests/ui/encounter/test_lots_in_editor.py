"""Issue 12 §5 in the editor: "Add a lot…" from the dose row, the default lot of a new site,
and the note when the visit uses a lot up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox

from clinic_app.domain import clock
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Role, Side
from clinic_app.services.dto import DoseInput, EncounterInput, LotReceipt, SiteDraft, SiteInput
from clinic_app.ui.common.lot_form import LotDialog
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.encounter.sites.delegates import ADD_LOT
from clinic_app.ui.encounter.sites.text import Column
from tests.factories import add_user, sign_in_as
from tests.ui.prompts import Prompts

EDIT = Qt.ItemDataRole.EditRole


@pytest.fixture(autouse=True)
def _answer_save_on_close(prompts: Prompts) -> None:
    prompts.always("ask_unsaved_close", QMessageBox.StandardButton.Save)


@pytest.fixture
def lido(services) -> int:
    return {m.code: m.id for m in services.clinic.medications()}["lidocaine_1"]


@pytest.fixture
def draft_id(services, admin, make_patient, lido) -> int:
    """A draft with one lidocaine site and no lot."""
    patient = make_patient(family_name="Okafor")
    enc = services.encounters.create(patient.id, admin.id)
    site = SiteDraft(
        SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, 0.62, 0.25),
        (DoseInput(lido, Decimal("1")),),
    )
    services.encounters.save_draft(enc.id, enc.version, EncounterInput(), [site])
    return enc.id


@pytest.fixture
def open_editor(qtbot, services) -> Callable[[int], EncounterEditor]:
    def make(encounter_id: int) -> EncounterEditor:
        editor = EncounterEditor(services, encounter_id)
        qtbot.addWidget(editor)
        editor.session.autosave_timer.setInterval(20)
        editor.show()
        with qtbot.waitActive(editor):
            editor.activateWindow()
        return editor

    return make


def open_lot_list(qtbot, editor: EncounterEditor) -> QComboBox:
    return open_lot_list_of(qtbot, editor, 0)


def open_lot_list_of(qtbot, editor: EncounterEditor, row: int) -> QComboBox:
    index = editor.model.index(row, Column.LOT)
    editor.table.setCurrentIndex(index)
    editor.table.edit(index)
    qtbot.waitUntil(lambda: editor.table.state() == editor.table.State.EditingState)
    combos = [c for c in editor.table.viewport().findChildren(QComboBox) if c.isVisible()]
    assert len(combos) == 1
    return combos[0]


def items(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_a_lot_added_from_the_dose_row_is_chosen_and_undoable(
    qtbot, open_editor, draft_id, services
) -> None:
    editor = open_editor(draft_id)
    combo = open_lot_list(qtbot, editor)
    index = combo.findText(ADD_LOT)
    assert index >= 0, items(combo)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert combo.currentText() != ADD_LOT  # the list goes back as it was
    form = editor.sites.lot_helper.form
    assert isinstance(form, LotDialog)
    assert form.medication.currentText() == "Lidocaine 1%"
    assert not form.medication.isEnabled()
    form.lot_number.setText("NEW-42")
    form.quantity.setText("30")
    with qtbot.waitSignal(editor.sites.lot_helper.lot_added) as added:
        form.buttons.button(form.buttons.StandardButton.Save).click()
    lot = added.args[0]
    cell = editor.model.index(0, Column.LOT)
    assert cell.data(EDIT) == (lot.id,)
    assert cell.data() == "NEW-42"
    with qtbot.waitSignal(editor.encounter_saved, timeout=5000):
        pass
    assert services.encounters.get(draft_id).sites[0].doses[0].lot_id == lot.id
    editor.table.closePersistentEditor(cell)
    editor.stack.undo()
    assert editor.model.index(0, Column.LOT).data(EDIT) == (None,)


def test_a_provider_is_not_offered_to_add_a_lot(qtbot, open_editor, draft_id, services) -> None:
    doc = add_user(services, "doc", "Dan Doc", Role.PROVIDER, "MD")
    sign_in_as(services, doc)
    editor = open_editor(draft_id)
    combo = open_lot_list(qtbot, editor)
    assert ADD_LOT not in items(combo)


def test_a_new_site_takes_the_first_lot_to_expire_with_stock(
    qtbot, open_editor, draft_id, services, lido
) -> None:
    today = clock.today()
    services.lots.receive(LotReceipt(lido, "LATE-1", today + timedelta(days=300), "50"))
    soon = services.lots.receive(LotReceipt(lido, "SOON-1", today + timedelta(days=60), "1"))
    expired = services.clinic.add_lot(lido, "OLD-1", today - timedelta(days=1))
    recalled = services.lots.receive(LotReceipt(lido, "BAD-1", today + timedelta(days=5), "50"))
    services.lots.set_recalled(recalled.id, True, expected_version=recalled.version)
    editor = open_editor(draft_id)
    editor.sites.new_sites.favourite_combo.setCurrentIndex(0)  # lidocaine 1% 1 mL
    with qtbot.waitSignal(
        editor.sites.status_message, check_params_cb=lambda text: "SOON-1" in text
    ) as note:
        editor.sites.body_map.add_site("gluteus_medius", Side.RIGHT)
    assert note.args[0] == "Lot SOON-1 is used up by this visit; receive a new lot."
    doses = editor.model.index(1, Column.MEDICATION).data(EDIT)
    assert [(d.medication_id, d.lot_id) for d in doses] == [(lido, soon.id)]
    assert editor.model.index(1, Column.LOT).data() == "SOON-1"
    # SOON-1 is used up now: the next site takes the later lot (never the expired or
    # recalled one).
    editor.sites.body_map.add_site("gluteus_medius", Side.LEFT)
    doses = editor.model.index(2, Column.MEDICATION).data(EDIT)
    assert doses[0].lot_id not in (soon.id, expired.id, recalled.id)
    assert editor.model.index(2, Column.LOT).data() == "LATE-1"
    # The lot list says what is left after this visit's doses.
    labels = items(open_lot_list_of(qtbot, editor, 2))
    assert "SOON-1 (exp " in " ".join(labels)
    assert any(t.startswith("SOON-1") and t.endswith(", 0 mL left)") for t in labels)
    assert any(t.startswith("LATE-1") and t.endswith(", 49 mL left)") for t in labels)
    editor.table.closePersistentEditor(editor.model.index(2, Column.LOT))
    # Undo gives SOON-1's stock back to the next new site.
    editor.stack.undo()
    editor.stack.undo()
    editor.sites.body_map.add_site("gluteus_medius", Side.LEFT)
    assert editor.model.index(1, Column.MEDICATION).data(EDIT)[0].lot_id == soon.id


def test_a_medicine_changed_on_a_site_takes_its_default_lot(
    qtbot, open_editor, draft_id, services, lido
) -> None:
    today = clock.today()
    codes = {m.code: m.id for m in services.clinic.medications()}
    bupi = codes["bupivacaine_0_25"]
    lot = services.lots.receive(LotReceipt(bupi, "BUPI-7", today + timedelta(days=90), "20"))
    editor = open_editor(draft_id)
    cell = editor.model.index(0, Column.MEDICATION)
    assert editor.model.setData(cell, (DoseInput(bupi, Decimal("1")),), EDIT)
    doses = cell.data(EDIT)
    assert [(d.medication_id, d.lot_id) for d in doses] == [(bupi, lot.id)]
    assert editor.model.index(0, Column.LOT).data() == "BUPI-7"
    # A medicine the site already had keeps its lot as it was (here: none chosen).
    both = (DoseInput(lido, Decimal("1")), DoseInput(bupi, Decimal("1")))
    editor.stack.undo()
    assert editor.model.setData(cell, both, EDIT)
    assert [(d.medication_id, d.lot_id) for d in cell.data(EDIT)] == [
        (lido, None),
        (bupi, lot.id),
    ]
    editor.stack.undo()
    assert [(d.medication_id, d.lot_id) for d in cell.data(EDIT)] == [(lido, None)]
