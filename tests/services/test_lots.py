"""Lots and stock (issue 12 §5): receive, stock derived from charting, recall search, CSV.

Every test runs on SQLite and on PostgreSQL (the ``services`` fixture).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Role, Side
from clinic_app.domain.errors import (
    ConflictError,
    PermissionDenied,
    StaleVersionError,
    ValidationError,
)
from clinic_app.models import AuditEvent
from clinic_app.services import lot_recall
from clinic_app.services.dto import (
    DoseInput,
    EncounterInput,
    EncounterView,
    LotReceipt,
    LotStockView,
    RecallQuery,
    SiteDraft,
    SiteInput,
)
from tests.conftest import Services
from tests.factories import add_user, medication_ids, register_patient, set_up_clinic, sign_in_as
from tests.services.test_access_roles import SCREENED

DAY = date(2026, 12, 7)
NOON = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)


@dataclass
class Shelf:
    s: Services
    admin_id: int
    lido: int
    lot: LotStockView


@pytest.fixture
def shelf(services: Services, set_now: Callable[[datetime], None]) -> Shelf:
    set_now(NOON)
    admin = set_up_clinic(services)
    lido = medication_ids(services)["lidocaine_1"]
    lot = services.lots.receive(
        LotReceipt(lido, " ab123 ", date(2027, 6, 30), "50", "McKesson", date(2026, 12, 1))
    )
    return Shelf(services, admin.id, lido, lot)


def chart(shelf: Shelf, mrn: str, volumes: list[str], lot_id: int | None = None) -> EncounterView:
    """A draft for a new patient with one lidocaine dose per volume, from ``lot_id``."""
    s = shelf.s
    patient = register_patient(s, mrn, "Pat", f"Ient{mrn}", today=DAY)
    encounter = s.encounters.create(patient.id, shelf.admin_id)
    sites = [
        SiteDraft(
            SiteInput("trapezius_upper", side, View.POSTERIOR, 0.5, 0.3),
            (DoseInput(shelf.lido, Decimal(volume), lot_id or shelf.lot.id),),
        )
        for side, volume in zip((Side.RIGHT, Side.LEFT), volumes, strict=False)
    ]
    return s.encounters.save_draft(encounter.id, encounter.version, EncounterInput(), sites)


def remaining(shelf: Shelf, lot_id: int | None = None) -> Decimal | None:
    lot_id = lot_id or shelf.lot.id
    return next(x.remaining_ml for x in shelf.s.lots.stock(include_old=True).lots if x.id == lot_id)


def test_a_received_lot_is_on_the_shelf_with_its_details(shelf: Shelf) -> None:
    lot = shelf.lot
    assert (lot.lot_number, lot.expires_on, lot.received_ml, lot.remaining_ml) == (
        "AB123",
        date(2027, 6, 30),
        Decimal("50"),
        Decimal("50"),
    )
    assert (lot.supplier, lot.received_on, lot.received_by, lot.status) == (
        "McKesson",
        date(2026, 12, 1),
        "Ana Ruiz, MD",
        "In use",
    )
    report = shelf.s.lots.stock()
    assert [x.id for x in report.lots] == [lot.id]
    assert report.day == DAY
    with shelf.s.lots._sessions() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "lot.receive" in actions


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lot_number": "AB 1"}, "lot_number"),
        ({"lot_number": ""}, "lot_number"),
        ({"expires_on": date(2026, 12, 6)}, "expires_on"),
        ({"expires_on": None}, "expires_on"),
        ({"quantity_ml": "0"}, "quantity_ml"),
        ({"quantity_ml": "-3"}, "quantity_ml"),
        ({"supplier": "x" * 201}, "supplier"),
        ({"received_on": date(2026, 12, 8)}, "received_on"),
    ],
)
def test_a_receipt_is_checked_at_the_boundary(
    shelf: Shelf, change: dict[str, object], field: str
) -> None:
    receipt = replace(LotReceipt(shelf.lido, "CD9", date(2027, 1, 1), "10"), **change)
    with pytest.raises(ValidationError) as refused:
        shelf.s.lots.receive(receipt)
    assert refused.value.field == field


def test_the_same_lot_number_twice_is_refused(shelf: Shelf) -> None:
    with pytest.raises(ConflictError, match="already on record"):
        shelf.s.lots.receive(LotReceipt(shelf.lido, "ab123", date(2027, 6, 30), "10"))


def test_stock_goes_down_with_charting_and_back_when_a_dose_is_removed(shelf: Shelf) -> None:
    s = shelf.s
    visit = chart(shelf, "P1", ["2", "1.5"])
    assert remaining(shelf) == Decimal("46.5")
    # Undo of the second site = the editor saves without it.
    first = visit.sites[0]
    kept = SiteDraft(
        SiteInput(first.muscle_code, first.side, first.view, first.point_x, first.point_y),
        (DoseInput(shelf.lido, Decimal("2"), shelf.lot.id),),
    )
    s.encounters.save_draft(visit.id, visit.version, EncounterInput(), [kept])
    assert remaining(shelf) == Decimal("48")
    # The editor's own view leaves its visit out: it adds what it charts itself.
    for_dose = s.lots.lots_for_dose(shelf.lido, encounter_id=visit.id)
    assert [(x.id, x.remaining_ml) for x in for_dose] == [(shelf.lot.id, Decimal("50"))]


def test_a_discarded_draft_and_a_voided_patient_give_the_stock_back(shelf: Shelf) -> None:
    s = shelf.s
    visit = chart(shelf, "P1", ["3"])
    assert remaining(shelf) == Decimal("47")
    # Emptied (every dose undone), then discarded as opened by mistake.
    empty = s.encounters.save_draft(visit.id, visit.version, EncounterInput(), [])
    assert s.encounters.discard_if_empty(visit.id, expected_version=empty.version)
    assert remaining(shelf) == Decimal("50")
    other = chart(shelf, "P2", ["4"])
    assert remaining(shelf) == Decimal("46")
    patient = s.patients.get(other.patient_id)
    s.patients.void(patient.id, "Registered twice", expected_version=patient.version)
    assert remaining(shelf) == Decimal("50")


def test_expired_and_recalled_lots_are_not_offered(shelf: Shelf) -> None:
    s = shelf.s
    second = s.lots.receive(LotReceipt(shelf.lido, "EF1", date(2026, 12, 20), "10"))
    assert [x.id for x in s.lots.lots_for_dose(shelf.lido)] == [second.id, shelf.lot.id]
    recalled = s.lots.set_recalled(second.id, True, expected_version=second.version)
    assert recalled.status == "Recalled"
    assert [x.id for x in s.lots.lots_for_dose(shelf.lido)] == [shelf.lot.id]
    assert [x.id for x in s.lots.stock().lots] == [shelf.lot.id]
    assert {x.id for x in s.lots.stock(include_old=True).lots} == {shelf.lot.id, second.id}
    # An old lot (added before stock was kept, already expired) is not offered either.
    old = s.clinic.add_lot(shelf.lido, "OLD1", date(2026, 11, 30))
    assert old.id not in [x.id for x in s.lots.lots_for_dose(shelf.lido)]
    assert "Lidocaine" not in " ".join(s.lots.stock().warnings)


def test_a_draft_charted_from_a_lot_recalled_since_cannot_be_signed(shelf: Shelf) -> None:
    s = shelf.s
    visit = chart(shelf, "RC1", ["1", "2"])
    sites = [x.to_draft() for x in visit.sites]

    def recall_findings() -> list[str]:
        found = s.checks.assess_draft(visit.id, visit.form, sites).findings
        return [x.message for x in found if x.rule == "site.lot_recalled"]

    assert recall_findings() == []
    s.lots.set_recalled(shelf.lot.id, True, expected_version=shelf.lot.version)
    assert recall_findings() == [
        "Lidocaine 1% lot AB123 has been recalled (sites 1 and 2); choose another lot."
    ]
    assert not s.checks.assess_saved(visit.id).can_sign


def test_warnings_name_low_stock_and_lots_expiring_soon(shelf: Shelf) -> None:
    s = shelf.s
    s.lots.receive(LotReceipt(shelf.lido, "SOON1", date(2026, 12, 27), "5"))
    chart(shelf, "P1", ["10", "10"])
    chart(shelf, "P2", ["10", "10"])
    assert remaining(shelf) == Decimal("10")
    warnings = s.lots.stock().warnings
    assert any("low stock, 15 mL left" in w for w in warnings)
    assert any("a lot expires within 30 days (first on 2026-12-27)" in w for w in warnings)


def test_edit_is_versioned_and_an_adjustment_counts(shelf: Shelf) -> None:
    s = shelf.s
    edited = s.lots.update(
        shelf.lot.id,
        LotReceipt(shelf.lido, "AB123", date(2027, 6, 30), "60", "Henry Schein"),
        expected_version=shelf.lot.version,
    )
    assert (edited.received_ml, edited.supplier, edited.version) == (
        Decimal("60"),
        "Henry Schein",
        shelf.lot.version + 1,
    )
    with pytest.raises(StaleVersionError, match="another workstation"):
        s.lots.set_recalled(shelf.lot.id, True, expected_version=shelf.lot.version)
    wasted = s.lots.adjust(shelf.lot.id, "2.5", "Vial dropped")
    assert (wasted.adjusted_ml, wasted.remaining_ml) == (Decimal("2.5"), Decimal("57.5"))
    counted = s.lots.adjust(shelf.lot.id, "-1", "Count on Friday")
    assert counted.remaining_ml == Decimal("58.5")
    with pytest.raises(ValidationError):
        s.lots.adjust(shelf.lot.id, "1", "  ")


def test_a_charted_lot_keeps_its_medication(shelf: Shelf) -> None:
    chart(shelf, "P1", ["1"])
    other = medication_ids(shelf.s)["bupivacaine_0_25"]
    with pytest.raises(ConflictError, match="cannot change"):
        shelf.s.lots.update(
            shelf.lot.id,
            LotReceipt(other, "AB123", date(2027, 6, 30), "50"),
            expected_version=shelf.lot.version,
        )


def test_recall_search_finds_the_patients_between_the_days(
    shelf: Shelf, set_now: Callable[[datetime], None]
) -> None:
    s = shelf.s
    other = s.lots.receive(LotReceipt(shelf.lido, "ZZ9", date(2027, 6, 30), "50"))
    set_now(datetime(2026, 12, 1, 17, tzinfo=UTC))
    chart(shelf, "P1", ["1", "1.5"])
    set_now(datetime(2026, 12, 3, 17, tzinfo=UTC))
    chart(shelf, "P2", ["2"], lot_id=other.id)  # another lot: not listed
    chart(shelf, "P3", ["0.5"])
    set_now(NOON)
    chart(shelf, "P4", ["1"])
    everyone = s.lots.recall_search(RecallQuery("ab123"))
    assert [(r.patient_mrn, r.volume_ml, r.sites) for r in everyone] == [
        ("P1", Decimal("2.5"), 2),
        ("P3", Decimal("0.5"), 1),
        ("P4", Decimal("1"), 1),
    ]
    between = s.lots.recall_search(RecallQuery("AB123", shelf.lido, date(2026, 12, 2), DAY))
    assert [r.patient_mrn for r in between] == ["P3", "P4"]
    assert between[0].performed_on == date(2026, 12, 3)
    assert between[0].status == "draft"
    assert s.lots.recall_search(RecallQuery("AB123", start=date(2026, 12, 8))) == []
    with pytest.raises(ValidationError, match="before the start"):
        s.lots.recall_search(RecallQuery("AB123", start=DAY, end=date(2026, 12, 1)))


def test_recall_csv_lists_the_visits_and_is_audited(shelf: Shelf) -> None:
    s = shelf.s
    chart(shelf, "P1", ["1.25"])
    text = s.lots.recall_csv(RecallQuery("AB123"))
    found = list(csv.reader(io.StringIO(text)))
    assert found[0][:3] == ["Visit day", "MRN", "Patient"]
    assert found[1][:7] == [
        "2026-12-07",
        "P1",
        "IentP1, Pat",
        "",
        "Lidocaine 1%",
        "AB123",
        "1.25",
    ]
    with s.lots._sessions() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "lot.recall_export" in actions


@pytest.mark.parametrize(
    "call",
    [
        lambda s, lot: s.lots.stock(),
        lambda s, lot: s.lots.lots_for_dose(lot.medication_id),
        lambda s, lot: s.lots.receive(LotReceipt(lot.medication_id, "X1", date(2027, 1, 1), "5")),
        lambda s, lot: s.lots.recall_search(RecallQuery("AB123")),
        lambda s, lot: s.lots.recall_csv(RecallQuery("AB123")),
    ],
)
def test_the_front_desk_may_not_see_or_keep_lots(
    shelf: Shelf, call: Callable[[Services, LotStockView], object]
) -> None:
    desk = add_user(shelf.s, "desk", "Dee Desk", Role.FRONT_DESK)
    sign_in_as(shelf.s, desk)
    with pytest.raises(PermissionDenied):
        call(shelf.s, shelf.lot)


def test_a_provider_reads_stock_but_does_not_receive(shelf: Shelf) -> None:
    doc = add_user(shelf.s, "doc", "Dan Doc", Role.PROVIDER, "MD")
    sign_in_as(shelf.s, doc)
    assert [x.id for x in shelf.s.lots.lots_for_dose(shelf.lido)] == [shelf.lot.id]
    with pytest.raises(PermissionDenied):
        shelf.s.lots.receive(LotReceipt(shelf.lido, "X1", date(2027, 1, 1), "5"))
    nurse = add_user_as_admin(shelf, "nurse", Role.NURSE)
    sign_in_as(shelf.s, nurse)
    assert shelf.s.lots.receive(LotReceipt(shelf.lido, "X1", date(2027, 1, 1), "5")).id


def add_user_as_admin(shelf: Shelf, username: str, role: Role):  # type: ignore[no-untyped-def]
    s = shelf.s
    admin = next(u for u in s.clinic.users() if u.id == shelf.admin_id)
    sign_in_as(s, admin)
    return add_user(s, username, username.title(), role)


def test_a_csv_cell_is_never_a_formula() -> None:
    assert lot_recall._cell("=HYPERLINK()") == "'=HYPERLINK()"
    assert lot_recall._cell("@SUM") == "'@SUM"
    assert lot_recall._cell("P1") == "P1"
    assert lot_recall._cell(None) == ""


def test_a_signed_visit_keeps_its_stock_taken_even_if_the_patient_is_voided(shelf: Shelf) -> None:
    """The medicine was given: only a draft of a patient registered in error gives it back."""
    s = shelf.s
    patient = register_patient(s, "S1", "Sig", "Ned", today=DAY, weight_kg="72", allergies="")
    visit = s.encounters.create(patient.id, shelf.admin_id)
    sites = [
        SiteDraft(
            SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, 0.5, 0.3),
            (DoseInput(shelf.lido, Decimal("2"), shelf.lot.id),),
        )
    ]
    saved = s.encounters.save_draft(visit.id, visit.version, SCREENED, sites)
    s.checks.sign(visit.id, saved.version, SCREENED, sites, {})
    patient = s.patients.get(patient.id)
    s.patients.void(patient.id, "Registered twice", expected_version=patient.version)
    assert remaining(shelf) == Decimal("48")
    (row,) = s.lots.recall_search(RecallQuery("AB123"))
    assert (row.patient_mrn, row.status) == ("S1", "signed, patient voided")
