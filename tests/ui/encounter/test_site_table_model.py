"""The site table model: mirrors the chart model, edits through undo commands, exact doses."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Aspiration, DoseUnit, Side, Technique, TwitchResponse
from clinic_app.domain.errors import ValidationError
from clinic_app.services.dto import DoseInput, LotView, MedicationView, SiteDraft, SiteInput
from clinic_app.ui.chart.commands import AddSiteCommand, EditSiteCommand, RemoveSiteCommand
from clinic_app.ui.chart.model import ChartModel
from clinic_app.ui.encounter.sites.edits import mirrored_to_side, parse_volumes
from clinic_app.ui.encounter.sites.table_model import (
    HIGHLIGHT_COLOUR,
    DraftRole,
    HighlightRole,
    SiteKeyRole,
    SiteTableModel,
    keys_for_numbers,
)
from clinic_app.ui.encounter.sites.text import Column

LIDO, TRIAM, SALINE, BUPI, LIDO2 = 1, 2, 3, 4, 5


def med(id_: int, code: str, name: str, concentration: str, unit: DoseUnit) -> MedicationView:
    per_ml = {DoseUnit.MG: "mg/mL", DoseUnit.UNITS: "units/mL"}.get(unit, "none")
    return MedicationView(id_, code, name, "", Decimal(concentration), per_ml, unit)


MEDS = [
    med(LIDO, "lidocaine_1", "Lidocaine 1%", "10", DoseUnit.MG),
    med(TRIAM, "triamcinolone_40", "Triamcinolone acetonide 40 mg/mL", "40", DoseUnit.MG),
    med(SALINE, "saline_0_9", "Normal saline 0.9%", "0", DoseUnit.NONE),
    med(BUPI, "bupivacaine_0_25", "Bupivacaine 0.25%", "2.5", DoseUnit.MG),
    med(LIDO2, "lidocaine_2", "Lidocaine 2%", "20", DoseUnit.MG),
]
EDIT = Qt.ItemDataRole.EditRole


def draft(
    muscle: str = "trapezius_upper",
    side: Side = Side.RIGHT,
    doses: tuple[DoseInput, ...] = (DoseInput(LIDO, Decimal("0.5")),),
    **site: object,
) -> SiteDraft:
    values: dict[str, object] = {"view": View.POSTERIOR, "point_x": 0.6, "point_y": 0.2}
    values.update(site)
    return SiteDraft(SiteInput(muscle, side, **values), doses)  # type: ignore[arg-type]


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def chart() -> ChartModel:
    return ChartModel()


@pytest.fixture
def model(chart: ChartModel, stack: QUndoStack) -> SiteTableModel:
    return SiteTableModel(
        chart, stack, MEDS, injection_defaults=lambda: (DoseInput(BUPI, Decimal(1)),)
    )


def cell(model: SiteTableModel, row: int, column: Column, role: int = Qt.ItemDataRole.DisplayRole):
    return model.index(row, column).data(role)


def column_texts(model: SiteTableModel, column: Column) -> list[str]:
    return [cell(model, r, column) for r in range(model.rowCount())]


@pytest.mark.parametrize("force_py", [False, True])
def test_model_tester_through_add_remove_change_reset(qtmodeltester, chart, stack, model, force_py):
    chart.reset([draft(), draft("gluteus_medius", Side.LEFT)])
    qtmodeltester.check(model, force_py=force_py)
    stack.push(AddSiteCommand(chart, draft("piriformis"), row=0))
    key = chart.at(1).key
    stack.push(EditSiteCommand(chart, key, chart.update_site(key, needle_gauge=27), "gauge"))
    stack.push(RemoveSiteCommand(chart, chart.at(0).key))
    stack.undo()
    stack.undo()
    chart.reset([draft()])
    model.set_highlighted([chart.at(0).key])
    model.set_read_only(True)
    model.add_lots([LotView(7, LIDO, "L7", date(2030, 1, 1))])
    assert model.rowCount() == 1
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    assert model.data(QModelIndex()) is None


def test_rows_follow_the_chart_model(qtbot, chart, stack, model):
    chart.reset([draft(), draft("gluteus_medius", Side.LEFT)])
    assert column_texts(model, Column.MUSCLE) == ["Trapezius (upper)", "Gluteus medius"]
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        stack.push(AddSiteCommand(chart, draft("piriformis", Side.LEFT), row=0))
    assert inserted.args[1:] == [0, 0]
    assert column_texts(model, Column.NUMBER) == ["1", "2", "3"]
    assert column_texts(model, Column.MUSCLE)[0] == "Piriformis"
    assert [cell(model, r, Column.NUMBER, SiteKeyRole) for r in range(3)] == [
        s.key for s in chart.sites()
    ]
    with qtbot.waitSignal(model.rowsRemoved) as removed:
        stack.push(RemoveSiteCommand(chart, chart.at(1).key))
    assert removed.args[1:] == [1, 1]
    assert column_texts(model, Column.MUSCLE) == ["Piriformis", "Gluteus medius"]
    with qtbot.waitSignal(model.modelReset):
        chart.reset([])
    assert model.rowCount() == 0


def test_a_change_signals_just_the_changed_cells(qtbot, chart, stack, model):
    chart.reset([draft(), draft()])
    key = chart.at(1).key
    with qtbot.waitSignal(model.dataChanged) as changed:
        stack.push(EditSiteCommand(chart, key, chart.update_site(key, needle_gauge=27), "g"))
    top_left, bottom_right = changed.args[:2]
    assert (top_left.row(), top_left.column()) == (1, Column.NEEDLE)
    assert (bottom_right.row(), bottom_right.column()) == (1, Column.NEEDLE)
    assert cell(model, 1, Column.NEEDLE) == "27 G"


def test_texts_of_every_column(chart, model):
    lot = LotView(7, LIDO, "LD2291", date(2030, 1, 31))
    model.add_lots([lot])
    chart.reset(
        [
            draft(
                doses=(DoseInput(LIDO, Decimal("1"), 7), DoseInput(TRIAM, Decimal("0.25"))),
                needle_gauge=25,
                needle_length_in=Decimal("1.50"),
                twitch_response=TwitchResponse.LOCAL,
                aspiration=Aspiration.NEGATIVE,
                taut_band=True,
                jump_sign=False,
            ),
            draft(side=Side.LEFT, doses=(), technique=Technique.DRY_NEEDLING),
            draft(doses=(DoseInput(SALINE, Decimal(2)),)),
        ]
    )
    row = [cell(model, 0, c) for c in Column]
    assert row == [
        "Trapezius (upper)",
        "Right",
        "Injection",
        "Lidocaine 1%\nTriamcinolone acetonide 40 mg/mL",
        "1 mL\n0.25 mL",
        "10 mg\n10 mg",
        "LD2291\n—",
        "25 G × 1.5 in",
        "Local",
        "Negative",
        "Yes",
        "No",
        "—",
        "1",
    ]
    assert cell(model, 0, Column.DOSE, Qt.ItemDataRole.AccessibleTextRole) == "10 mg + 10 mg"
    assert cell(model, 0, Column.LOT, Qt.ItemDataRole.ToolTipRole) == "LD2291, expires 2030-01-31"
    assert "upper" in cell(model, 0, Column.MUSCLE, Qt.ItemDataRole.ToolTipRole)
    assert cell(model, 1, Column.MEDICATION) == "None (dry needling)"
    assert cell(model, 1, Column.SIDE) == "Left"
    assert cell(model, 1, Column.NEEDLE) == "—"
    assert cell(model, 2, Column.DOSE) == "—"  # saline: a volume, not a dose
    assert cell(model, 0, Column.MEDICATION, EDIT) == chart.at(0).draft.doses
    assert cell(model, 0, Column.NUMBER, DraftRole) == chart.at(0).draft
    assert model.headerData(Column.DOSE, Qt.Orientation.Horizontal) == "Dose"


def test_dose_is_computed_exactly(chart, model):
    chart.reset([draft(doses=(DoseInput(LIDO, Decimal("0.5")),))])
    assert cell(model, 0, Column.DOSE) == "5 mg"
    assert cell(model, 0, Column.VOLUME) == "0.5 mL"
    chart.reset([draft(doses=(DoseInput(BUPI, Decimal("0.1")),))])
    assert cell(model, 0, Column.DOSE) == "0.25 mg"


def test_totals_per_drug(chart, model):
    assert model.totals_text() == "no medicine charted yet"
    chart.reset(
        [
            draft(doses=(DoseInput(LIDO, Decimal(1)), DoseInput(TRIAM, Decimal("0.25")))),
            draft(doses=(DoseInput(LIDO2, Decimal(1)), DoseInput(TRIAM, Decimal("0.25")))),
            draft(doses=(DoseInput(SALINE, Decimal("1.5")),)),
            draft(doses=(), technique=Technique.DRY_NEEDLING),
        ]
    )
    assert [t.text for t in model.totals()] == [
        "Lidocaine: 30 mg",
        "Triamcinolone acetonide: 20 mg",
        "Normal saline 0.9%: 1.5 mL",
    ]
    assert model.totals_text() == (
        "Lidocaine: 30 mg · Triamcinolone acetonide: 20 mg · Normal saline 0.9%: 1.5 mL"
    )


def test_set_data_pushes_an_undo_command_and_undo_restores(chart, stack, model):
    chart.reset([draft()])
    before = chart.at(0).draft
    assert model.setData(model.index(0, Column.TWITCH), TwitchResponse.REFERRED, EDIT)
    assert stack.count() == 1
    assert stack.undoText() == "Change twitch of site 1"
    assert chart.at(0).site.twitch_response is TwitchResponse.REFERRED
    assert cell(model, 0, Column.TWITCH) == "Referred"
    stack.undo()
    assert chart.at(0).draft == before
    assert cell(model, 0, Column.TWITCH) == "Not assessed"
    stack.redo()
    assert cell(model, 0, Column.TWITCH) == "Referred"
    # The same value again is no edit at all.
    assert model.setData(model.index(0, Column.TWITCH), "referred", EDIT)
    assert stack.count() == 1


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (Column.VOLUME, "1.5", "1.5 mL"),
        (Column.VOLUME, "2 mL", "2 mL"),
        (Column.VOLUME, (Decimal("0.3"),), "0.3 mL"),
        (Column.LOT, (7,), "L7"),
        (Column.LOT, 7, "L7"),
        (Column.NEEDLE, (22, Decimal("3.5")), "22 G × 3.5 in"),
        (Column.ASPIRATION, Aspiration.POSITIVE, "Positive"),
        (Column.TECHNIQUE, Technique.DRY_NEEDLING, "Dry needling"),
    ],
)
def test_each_editable_column(chart, stack, model, column, value, expected):
    model.add_lots([LotView(7, LIDO, "L7", date(2030, 1, 1))])
    chart.reset([draft()])
    assert model.setData(model.index(0, column), value, EDIT)
    assert cell(model, 0, column) == expected
    assert stack.count() == 1


def test_technique_and_medicines_stay_consistent(chart, model):
    chart.reset([draft(doses=(DoseInput(LIDO, Decimal(1), 9),))])
    model.setData(model.index(0, Column.TECHNIQUE), Technique.DRY_NEEDLING, EDIT)
    assert chart.at(0).draft.doses == ()
    assert not model.flags(model.index(0, Column.VOLUME)) & Qt.ItemFlag.ItemIsEditable
    # Back to injection: the favourite for new sites fills in.
    model.setData(model.index(0, Column.TECHNIQUE), "injection", EDIT)
    assert chart.at(0).draft.doses == (DoseInput(BUPI, Decimal(1)),)
    # Choosing medicines keeps the lot already recorded for the same medicine.
    model.setData(model.index(0, Column.LOT), 4, EDIT)
    mix = (DoseInput(BUPI, Decimal(1)), DoseInput(TRIAM, Decimal("0.25")))
    model.setData(model.index(0, Column.MEDICATION), mix, EDIT)
    assert chart.at(0).draft.doses == (
        DoseInput(BUPI, Decimal(1), 4),
        DoseInput(TRIAM, Decimal("0.25")),
    )
    assert (
        cell(model, 0, Column.MEDICATION) == "Bupivacaine 0.25%\nTriamcinolone acetonide 40 mg/mL"
    )
    assert cell(model, 0, Column.VOLUME, EDIT) == (Decimal(1), Decimal("0.25"))
    model.setData(model.index(0, Column.VOLUME), "2 + 0.5", EDIT)
    assert cell(model, 0, Column.VOLUME) == "2 mL\n0.5 mL"
    model.setData(model.index(0, Column.MEDICATION), (), EDIT)
    assert chart.at(0).site.technique is Technique.DRY_NEEDLING


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "must be more than 0 mL"),
        ("0", "must be more than 0 mL"),
        ("80", "not plausible"),
        ("0.125", "two decimals"),
        ("abc", "Volume"),
        ("1 + 1", "one volume in mL per medicine"),
        ("", "one volume in mL per medicine"),
    ],
)
def test_implausible_volumes_are_refused_with_a_message(qtbot, chart, stack, model, value, message):
    chart.reset([draft()])
    with qtbot.waitSignal(model.edit_refused) as refused:
        assert not model.setData(model.index(0, Column.VOLUME), value, EDIT)
    assert message in refused.args[0]
    assert stack.count() == 0
    assert cell(model, 0, Column.VOLUME) == "0.5 mL"


def test_bad_needle_refused(qtbot, chart, model):
    chart.reset([draft()])
    with qtbot.waitSignal(model.edit_refused) as refused:
        assert not model.setData(model.index(0, Column.NEEDLE), (50, None), EDIT)
    assert "18–34 G" in refused.args[0]


def test_read_only_and_derived_columns_are_not_editable(chart, stack, model):
    chart.reset([draft()])
    editable = {c for c in Column if model.flags(model.index(0, c)) & Qt.ItemFlag.ItemIsEditable}
    assert editable == set(Column) - {Column.NUMBER, Column.MUSCLE, Column.DOSE}
    assert not model.setData(model.index(0, Column.DOSE), "50 mg", EDIT)
    assert not model.setData(model.index(0, Column.TWITCH), "local", Qt.ItemDataRole.DisplayRole)
    model.set_read_only(True)
    assert not any(model.flags(model.index(0, c)) & Qt.ItemFlag.ItemIsEditable for c in Column)
    assert not model.setData(model.index(0, Column.TWITCH), "local", EDIT)
    assert not model.can_apply_to_all(Column.TWITCH)
    assert stack.count() == 0


def test_side_change_moves_the_marker_to_the_other_side(chart, model):
    chart.reset([draft(point_x=0.7)])
    model.setData(model.index(0, Column.SIDE), Side.LEFT, EDIT)
    site = chart.at(0).site
    assert site.side is Side.LEFT
    assert site.point_x < 0.5  # the marker no longer sits on the right
    assert mirrored_to_side(site, Side.LEFT) is site


def test_apply_to_all_is_one_undo_step(chart, stack, model):
    chart.reset(
        [
            draft(needle_gauge=22, needle_length_in=Decimal("3.5")),
            draft("gluteus_medius"),
            draft("piriformis", doses=(DoseInput(TRIAM, Decimal("0.5")),)),
        ]
    )
    before = chart.drafts()
    changed, skipped = model.apply_to_all(0, Column.NEEDLE)
    assert (changed, skipped) == (2, 0)
    assert column_texts(model, Column.NEEDLE) == ["22 G × 3.5 in"] * 3
    assert stack.count() == 1
    assert stack.undoText() == "Apply needle of site 1 to all sites"
    stack.undo()
    assert chart.drafts() == before

    # Volumes only go where the medicines are the same.
    model.setData(model.index(0, Column.VOLUME), "1.5", EDIT)
    assert model.apply_to_all(0, Column.VOLUME) == (1, 1)
    assert column_texts(model, Column.VOLUME) == ["1.5 mL", "1.5 mL", "0.5 mL"]
    # Lots go to doses of the same medicine.
    model.setData(model.index(0, Column.LOT), 3, EDIT)
    assert model.apply_to_all(0, Column.LOT) == (1, 1)
    assert [d.lot_id for s in chart.drafts() for d in s.doses] == [3, 3, None]
    # The whole mix, with the technique.
    assert model.apply_to_all(2, Column.MEDICATION) == (2, 0)
    assert column_texts(model, Column.DOSE) == ["20 mg"] * 3
    assert model.apply_to_all(0, Column.TWITCH) == (0, 0)  # all equal: nothing to do
    assert not model.can_apply_to_all(Column.SIDE)
    assert model.apply_to_all(0, Column.MUSCLE) == (0, 0)


def test_highlighted_rows_until_edited(qtbot, chart, model):
    chart.reset([draft(), draft(), draft()])
    keys = keys_for_numbers(model, [2, 3, 9])
    assert keys == [chart.at(1).key, chart.at(2).key]
    model.set_highlighted(keys)
    assert [cell(model, r, Column.MUSCLE, HighlightRole) for r in range(3)] == [False, True, True]
    assert cell(model, 1, Column.LOT, Qt.ItemDataRole.BackgroundRole) == HIGHLIGHT_COLOUR
    assert cell(model, 0, Column.LOT, Qt.ItemDataRole.BackgroundRole) is None
    assert "last visit" in cell(model, 1, Column.LOT, Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.setData(model.index(1, Column.TWITCH), TwitchResponse.LOCAL, EDIT)
    assert (changed.args[0].column(), changed.args[1].column()) == (0, len(Column) - 1)
    assert model.highlighted() == {chart.at(2).key}


def test_medication_known_late_and_unknown(chart, stack):
    model = SiteTableModel(chart, stack)
    chart.reset([draft(doses=(DoseInput(99, Decimal(1), 5),))])
    assert cell(model, 0, Column.MEDICATION) == "Medication #99"
    assert cell(model, 0, Column.LOT) == "#5"
    assert cell(model, 0, Column.DOSE) == "—"
    assert model.totals() == []
    model.set_medications([replace(MEDS[0], id=99)])
    assert cell(model, 0, Column.DOSE) == "10 mg"
    assert model.medication(99) is not None


def test_parse_volumes():
    assert parse_volumes(" 1 + 0,25 ml ", 2) == ("1", "0.25")
    with pytest.raises(ValidationError, match=r"e\.g\. 0\.5 \+ 0\.5"):
        parse_volumes("1", 2)


def test_medication_choices_bridge_favourites_to_this_database():
    from clinic_app.domain.favourites import default_favourites
    from clinic_app.ui.encounter.favourites import MedicationChoices

    favourites = default_favourites()
    choices = MedicationChoices(favourites, MEDS)
    assert [m.name for m in choices.medications][:2] == ["Bupivacaine 0.25%", "Lidocaine 1%"]
    mix = favourites.get("lidocaine_1_1ml_triamcinolone_10mg")
    assert choices.doses_for(mix) == (
        DoseInput(LIDO, Decimal(1)),
        DoseInput(TRIAM, Decimal("0.25")),
    )
    assert choices.matching([DoseInput(TRIAM, "0.25", 7)]) is None
    assert choices.matching([DoseInput(LIDO, "1.0", 7), DoseInput(TRIAM, "0.25")]) == mix
    assert choices.single(MEDS[0]) == (DoseInput(LIDO, Decimal(1)),)
    assert choices.default_new_site() == favourites.new_site
    # A clinic without lidocaine 1%: its favourites are not offered; the next one is the default.
    without = MedicationChoices(favourites, [m for m in MEDS if m.id != LIDO])
    assert without.doses_for(mix) is None
    assert [f.code for f in without.available()] == [
        "bupivacaine_0_25_1ml",
        "saline_1ml",
        "dry_needling",
    ]
    assert without.default_new_site() == favourites.get("bupivacaine_0_25_1ml")
    assert MedicationChoices(favourites, []).default_new_site() is None
