"""The Lots and stock window: receive a lot, see its stock and warnings, recall it, search
who received it and export the list."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Role, Side
from clinic_app.services.dto import (
    DoseInput,
    EncounterInput,
    LotReceipt,
    PatientInput,
    SiteDraft,
    SiteInput,
)
from clinic_app.ui.admin.lot_recall_dialog import RecallDialog
from clinic_app.ui.admin.lots_dialog import COLUMNS, LotsDialog
from clinic_app.ui.common.lot_form import LotDialog
from clinic_app.ui.common.refresh import ChangeListener
from clinic_app.ui.main_window import MainWindow
from tests.factories import add_user, medication_ids, sign_in_as


def cell(d: LotsDialog, lot_number: str, column: str) -> str:
    row = [x.lot_number for x in d.lots].index(lot_number)
    item = d.table.item(row, COLUMNS.index(column))
    return item.text() if item else ""


def test_a_nurse_receives_a_lot_and_sees_its_stock(qtbot, services) -> None:
    nurse = add_user(services, "nnurse", "Nina Park", Role.NURSE, "RN")
    sign_in_as(services, nurse)
    d = LotsDialog(services)
    qtbot.addWidget(d)
    assert d.lots == []
    assert d.receive_button.isVisibleTo(d)
    d.receive_button.click()
    form = d.form
    assert isinstance(form, LotDialog)
    form.medication.setCurrentIndex(form.medication.findText("Lidocaine 1%"))
    form.lot_number.setText("la2611b42")
    form.expires_on.setDate(form.expires_on.date().addYears(1))
    form.quantity.setText("12")
    form.supplier.setText("Henry Schein")
    with qtbot.waitSignal(d.lots_changed):
        form.buttons.button(form.buttons.StandardButton.Save).click()
    assert [x.lot_number for x in d.lots] == ["LA2611B42"]
    assert cell(d, "LA2611B42", "Left") == "12 mL"
    assert cell(d, "LA2611B42", "Supplier") == "Henry Schein"
    # Below the clinic's low-stock threshold: the warning shows above the list.
    assert "Lidocaine 1%: low stock, 12 mL left in date." in d.warnings_label.text()
    assert d.warnings_label.isVisibleTo(d)


def test_a_refused_receipt_keeps_the_form_open_with_the_reason(qtbot, services) -> None:
    d = LotsDialog(services)
    qtbot.addWidget(d)
    d.receive_button.click()
    form = d.form
    assert isinstance(form, LotDialog)
    form.lot_number.setText("AB 12")
    form.quantity.setText("10")
    form.buttons.button(form.buttons.StandardButton.Save).click()
    assert form.isVisible()
    assert "letters, digits" in form.error_label.text()
    assert d.lots == []


def test_marking_a_lot_recalled_hides_it_unless_asked(qtbot, services, prompts) -> None:
    lido = medication_ids(services)["lidocaine_1"]
    services.lots.receive(LotReceipt(lido, "R1", date.today() + timedelta(days=400), "50"))
    d = LotsDialog(services)
    qtbot.addWidget(d)
    d.select_lot("R1")
    prompts.answer("confirm_lot_recall", True)
    d.recall_button.click()
    assert d.lots == []
    d.show_old.setChecked(True)
    assert cell(d, "R1", "Status") == "Recalled"
    d.select_lot("R1")
    assert d.recall_button.text() == "Undo re&call"


def test_the_recall_search_lists_the_patients_and_exports_them(
    qtbot, services, make_patient, prompts, tmp_path: Path
) -> None:
    admin_id = services.actor.user_id
    assert admin_id is not None
    lido = medication_ids(services)["lidocaine_1"]
    lot = services.lots.receive(LotReceipt(lido, "RC7", date.today() + timedelta(days=400), "50"))
    for mrn in ("M1", "M2"):
        patient = make_patient(mrn=mrn)
        visit = services.encounters.create(patient.id, admin_id)
        site = SiteDraft(
            SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, 0.5, 0.3),
            (DoseInput(lido, Decimal("1.5"), lot.id),),
        )
        services.encounters.save_draft(visit.id, visit.version, EncounterInput(), [site])
    d = LotsDialog(services)
    qtbot.addWidget(d)
    assert cell(d, "RC7", "Left") == "47 mL"
    d.select_lot("RC7")
    d.search_button.click()
    search = d.form
    assert isinstance(search, RecallDialog)
    assert search.lot_number.text() == "RC7"
    search.start.setDate(QDate.currentDate().addDays(-1))
    search.search_button.click()
    assert [r.patient_mrn for r in search.rows] == ["M1", "M2"]
    assert search.table.rowCount() == 2
    assert "2 visits of 2 patients" in search.summary_label.text()
    out = tmp_path / "recall.csv"
    prompts.answer("ask_save_file", str(out))
    prompts.answer("inform", None)
    search.export_button.click()
    found = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [row[1] for row in found[1:]] == ["M1", "M2"]
    assert found[1][5:7] == ["RC7", "1.5"]


def test_the_menu_offers_lots_to_admins_and_nurses_only(qtbot, services) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.refresh()
    assert window.lots_action.isVisible()
    window.lots_action.trigger()
    assert isinstance(window.admin.lots_dialog, LotsDialog)
    window.admin.lots_dialog.reject()
    desk = add_user(services, "desk", "Dee Desk", Role.FRONT_DESK)
    sign_in_as(services, desk)
    window.refresh()
    assert not window.lots_action.isVisible()


def test_wastage_is_recorded_with_its_reason(qtbot, services, prompts) -> None:
    lido = medication_ids(services)["lidocaine_1"]
    services.lots.receive(LotReceipt(lido, "W1", date.today() + timedelta(days=400), "50"))
    d = LotsDialog(services)
    qtbot.addWidget(d)
    d.select_lot("W1")
    prompts.answer("ask_stock_adjustment", "5")
    prompts.answer("ask_stock_adjustment_reason", "Vial dropped")
    with qtbot.waitSignal(d.lots_changed):
        d.adjust_button.click()
    assert cell(d, "W1", "Left") == "45 mL"
    # A refusal (no reason) says why and changes nothing.
    prompts.answer("ask_stock_adjustment", "1")
    prompts.answer("ask_stock_adjustment_reason", "  ")
    prompts.answer("show_error", None)
    d.adjust_button.click()
    assert cell(d, "W1", "Left") == "45 mL"
    assert "Reason is required" in prompts.shown[-1].text


def test_a_lot_received_and_a_dose_charted_elsewhere_show_by_themselves(
    qtbot, services, other_desk, admin
) -> None:
    lido = medication_ids(services)["lidocaine_1"]
    first = services.lots.receive(
        LotReceipt(lido, "OLD-1", date.today() + timedelta(days=200), "20")
    )
    listener = ChangeListener(services.changes)
    with qtbot.waitSignal(listener.watching, timeout=5000):
        listener.start()
    d = LotsDialog(services, None, listener)
    qtbot.addWidget(d)
    d.show()
    d.select_lot("OLD-1")
    assert d.live is not None
    other_desk.lots.receive(LotReceipt(lido, "NEW-2", date.today() + timedelta(days=300), "30"))
    qtbot.waitUntil(lambda: "NEW-2" in [x.lot_number for x in d.lots], timeout=5000)
    assert d.selected() is not None
    assert d.selected().lot_number == "OLD-1"  # the selection stays where it was
    # Another desk charts 2 mL of OLD-1: the stock left follows.
    patient = other_desk.patients.create(PatientInput("LV-1", "Lia", "Vos", date(1980, 1, 1)))
    visit = other_desk.encounters.create(patient.id, admin.id)
    site = SiteDraft(
        SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, 0.5, 0.3),
        (DoseInput(lido, Decimal("2"), first.id),),
    )
    other_desk.encounters.save_draft(visit.id, visit.version, EncounterInput(), [site])
    qtbot.waitUntil(lambda: cell(d, "OLD-1", "Left") == "18 mL", timeout=5000)
    listener.stop()
