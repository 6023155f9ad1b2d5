"""Site edits for issue 8 without a window: findings, "lot not available", apply to all."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Side
from clinic_app.domain.errors import ValidationError
from clinic_app.services.dto import DoseInput, SiteDraft, SiteInput
from clinic_app.ui.encounter.sites.edits import COPYABLE, LOT_REASON_MAX, copied, edited, lot_chosen
from clinic_app.ui.encounter.sites.text import FINDING_COLUMNS, Column, SiteFormatter, edit_value

LIDO, TRIAM = 1, 2


def draft(*doses: DoseInput) -> SiteDraft:
    return SiteDraft(SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, 0.6, 0.2), doses)


@pytest.mark.parametrize("column", list(FINDING_COLUMNS))
def test_findings_are_yes_no_or_not_recorded(column: Column) -> None:
    site = draft()
    assert edit_value(site, column) is None
    yes = edited(site, column, True)
    assert edit_value(yes, column) is True
    assert SiteFormatter().text(0, yes, column) == "Yes"
    assert SiteFormatter().text(0, edited(yes, column, False), column) == "No"
    assert edit_value(edited(yes, column, None), column) is None
    with pytest.raises(ValidationError, match="yes, no or not recorded"):
        edited(site, column, "maybe")
    assert column in COPYABLE


def test_lot_cell_takes_a_lot_a_reason_or_nothing() -> None:
    dose = DoseInput(LIDO, Decimal(1))
    with_reason = lot_chosen(dose, "  Label   unreadable ")
    assert (with_reason.lot_id, with_reason.lot_missing_reason) == (None, "Label unreadable")
    with_lot = lot_chosen(with_reason, 7)
    assert (with_lot.lot_id, with_lot.lot_missing_reason) == (7, "")
    assert lot_chosen(with_reason, None).lot_missing_reason == ""
    with pytest.raises(ValidationError, match="Type why"):
        lot_chosen(dose, "   ")
    with pytest.raises(ValidationError, match="under 500"):
        lot_chosen(dose, "x" * (LOT_REASON_MAX + 1))
    site = edited(draft(dose, DoseInput(TRIAM, Decimal("0.25"))), Column.LOT, ("gone", 3))
    assert edit_value(site, Column.LOT) == ("gone", 3)
    formatter = SiteFormatter()
    assert formatter.text(0, site, Column.LOT) == "Not available\n#3"
    assert formatter.tooltip(site, Column.LOT) == "Lot not available: gone"


def test_a_new_mix_keeps_the_lot_or_reason_of_the_same_medicine() -> None:
    site = draft(DoseInput(LIDO, Decimal(1), None, "sample vial"))
    mixed = edited(site, Column.MEDICATION, (DoseInput(LIDO, Decimal(1)), DoseInput(TRIAM, 1)))
    assert [d.lot_missing_reason for d in mixed.doses] == ["sample vial", ""]
    chosen = edited(site, Column.MEDICATION, (DoseInput(LIDO, Decimal(1), 4),))
    assert (chosen.doses[0].lot_id, chosen.doses[0].lot_missing_reason) == (4, "")


def test_apply_to_all_copies_a_lot_reason_to_the_same_medicine() -> None:
    source = draft(DoseInput(LIDO, Decimal(1), None, "sample vial"))
    target = draft(DoseInput(LIDO, Decimal(2), 9), DoseInput(TRIAM, Decimal("0.5"), 5))
    result = copied(source, target, Column.LOT)
    assert result is not None
    assert [(d.lot_id, d.lot_missing_reason) for d in result.doses] == [
        (None, "sample vial"),
        (5, ""),
    ]
    assert copied(source, draft(DoseInput(TRIAM, Decimal(1))), Column.LOT) is None
    flagged = edited(source, Column.TAUT_BAND, True)
    assert copied(flagged, target, Column.TAUT_BAND).site.taut_band is True  # type: ignore[union-attr]
