"""Cell editors of the site table: pick lists, the medication picker, volume, lot, needle.

Every editor hands the table model a value of the column's EditRole type; the model checks it
and turns it into an undo command (it never writes the chart directly). Refusals come back
through ``SiteTableModel.edit_refused`` with a message the editor shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from clinic_app.domain.labels import DASH
from clinic_app.domain.quantities import format_quantity, plain_decimal
from clinic_app.services.dto import DoseInput, LotView
from clinic_app.ui.common import messages
from clinic_app.ui.encounter.favourites import MedicationChoices
from clinic_app.ui.encounter.sites.table_model import SiteTableModel
from clinic_app.ui.encounter.sites.text import NEEDLE_GAUGES, NEEDLE_LENGTHS_IN, Column

#: The lot list's last item: asks why no lot can be recorded, and keeps the typed reason.
ASK_LOT_REASON = "Lot not available…"
_ASK = "\x00ask"  # item data of ASK_LOT_REASON (never a reason: reasons are typed text)
#: Receives a new lot of the dose's medicine and selects it (roles that keep the shelf only).
ADD_LOT = "Add a lot…"
_ADD = "\x00add"

_Index = QModelIndex | QPersistentModelIndex


def _fit_popup(combo: QComboBox) -> None:
    """Let the list open as wide as its longest item, though the cell is narrower."""
    view = combo.view()
    view.setMinimumWidth(view.sizeHintForColumn(0) + 2 * view.frameWidth() + 24)


def _select_data(combo: QComboBox, value: object, label: str | None = None) -> None:
    """Select the item holding ``value``; add it (as ``label``) when the list lacks it."""
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            combo.setCurrentIndex(i)
            return
    combo.addItem(label if label is not None else str(value), value)
    combo.setCurrentIndex(combo.count() - 1)


class _ComboDelegate(QStyledItemDelegate):
    """A pick list that commits as soon as an item is chosen."""

    def items(self, index: _Index) -> list[tuple[str, object]]:
        raise NotImplementedError

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(
            str(index.model().headerData(index.column(), Qt.Orientation.Horizontal))
        )
        for text, value in self.items(index):
            if text == "-":
                combo.insertSeparator(combo.count())
            else:
                combo.addItem(text, value)
        _fit_popup(combo)
        combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        _select_data(editor, index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class EnumDelegate(_ComboDelegate):
    """Side, technique, twitch response, aspiration: a fixed list of words."""

    def __init__(self, labels: Mapping[Any, str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._labels = dict(labels)

    def items(self, index: _Index) -> list[tuple[str, object]]:
        return [(text, value) for value, text in self._labels.items()]


class MedicationDelegate(_ComboDelegate):
    """Favourites first (one click sets technique, medicines and volumes), then each medicine."""

    def __init__(self, choices: MedicationChoices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._choices = choices

    def items(self, index: _Index) -> list[tuple[str, object]]:
        current: tuple[DoseInput, ...] = index.data(Qt.ItemDataRole.EditRole) or ()
        volumes = {d.medication_id: Decimal(d.volume_ml) for d in current}
        items: list[tuple[str, object]] = [
            (f"★ {f.label}", self._choices.doses_for(f)) for f in self._choices.available()
        ]
        items.append(("-", None))
        for med in self._choices.medications:
            volume = volumes.get(med.id)
            items.append((med.name, self._choices.single(med, volume)))
        return items

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        current: tuple[DoseInput, ...] = index.data(Qt.ItemDataRole.EditRole) or ()
        wanted = [(d.medication_id, Decimal(d.volume_ml)) for d in current]
        for i in range(editor.count()):
            doses = editor.itemData(i)
            if (
                isinstance(doses, tuple | list)
                and [(d.medication_id, Decimal(d.volume_ml)) for d in doses] == wanted
            ):
                editor.setCurrentIndex(i)
                return
        editor.addItem(str(index.data(Qt.ItemDataRole.DisplayRole)), current)
        editor.setCurrentIndex(editor.count() - 1)


class VolumeDelegate(QStyledItemDelegate):
    """Volumes in mL, one per medicine ("1 + 0.25"); the model refuses what is not plausible."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        edit = QLineEdit(parent)
        edit.setAccessibleName("Volume in mL")
        edit.setToolTip("mL per medicine, e.g. 0.5 or 1 + 0.25 for a mix")
        return edit

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QLineEdit)
        volumes = index.data(Qt.ItemDataRole.EditRole) or ()
        editor.setText(" + ".join(format(plain_decimal(Decimal(v)), "f") for v in volumes))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class _ComboRowEditor(QWidget):
    """Several pick lists side by side in one cell (one per medicine, or gauge + length)."""

    def __init__(self, parent: QWidget, names: list[str]) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.combos: list[QComboBox] = []
        for name in names:
            combo = QComboBox(self)
            combo.setAccessibleName(name)
            combo.setToolTip(name)
            layout.addWidget(combo, 1)
            self.combos.append(combo)
        if self.combos:
            self.setFocusProxy(self.combos[0])


class _RowDelegate(QStyledItemDelegate):
    """Commits each time one of the row editor's lists changes (one undo step per choice)."""

    def _watch(self, editor: _ComboRowEditor) -> None:
        for combo in editor.combos:
            _fit_popup(combo)
            combo.activated.connect(lambda _i, e=editor: self.commitData.emit(e))

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: _Index
    ) -> None:
        rect = option.rect
        editor.setGeometry(
            rect.x(), rect.y(), max(rect.width(), editor.sizeHint().width()), rect.height()
        )


class LotDelegate(_RowDelegate):
    """One list per medicine of the site: lots that have not expired, or "Lot not available…".

    Choosing "Lot not available…" asks for the reason (``messages.ask_lot_missing_reason``);
    the reason is kept with the dose and shown as the list's choice. Cancelling the question
    puts the list back as it was.

    With ``can_add_lot`` the list also offers "Add a lot…": the list goes back as it was and
    ``add_lot_requested`` asks for the receive form (:mod:`clinic_app.ui.encounter.lot_helper`).

    Signals:
        add_lot_requested(int, int, int): site key, dose position, medication id.
    """

    add_lot_requested = Signal(int, int, int)
    can_add_lot = False
    #: How a lot reads in the list (the lot helper adds the stock left), if not by default.
    lot_label: Callable[[LotView], str] | None = None

    def __init__(
        self,
        model: SiteTableModel,
        lots_for: Callable[[int], list[LotView]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._lots_for = lots_for

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        doses: tuple[DoseInput, ...] = (
            index.model().index(index.row(), Column.MEDICATION).data(Qt.ItemDataRole.EditRole) or ()
        )
        names = []
        for dose in doses:
            med = self._model.medication(dose.medication_id)
            names.append(f"Lot of {med.name if med else 'medication'}")
        editor = _ComboRowEditor(parent, names)
        for combo, dose, name in zip(editor.combos, doses, names, strict=True):
            combo.addItem(f"{DASH} not recorded", None)
            for lot in self._lots_for(dose.medication_id):
                label = self.lot_label(lot) if self.lot_label else None
                combo.addItem(
                    label or f"{lot.lot_number} (exp {lot.expires_on.isoformat()})", lot.id
                )
            if self.can_add_lot:
                combo.addItem(ADD_LOT, _ADD)
            combo.addItem(ASK_LOT_REASON, _ASK)
            combo.setProperty("lot_of", name)
            combo.setProperty("medication_id", dose.medication_id)
        editor.setProperty("site_key", self._model.key_at(index.row()))
        for combo in editor.combos:
            _fit_popup(combo)
            combo.activated.connect(lambda _i, e=editor, c=combo: self._on_chosen(e, c))
        return editor

    def _on_chosen(self, editor: _ComboRowEditor, combo: QComboBox) -> None:
        if combo.currentData() == _ADD:
            previous = combo.property("previous_index")
            combo.setCurrentIndex(int(previous) if previous is not None else 0)
            self.add_lot_requested.emit(
                int(editor.property("site_key")),
                editor.combos.index(combo),
                int(combo.property("medication_id")),
            )
            return
        if combo.currentData() == _ASK:
            previous = combo.property("previous_index")
            reason = messages.ask_lot_missing_reason(editor, str(combo.property("lot_of")))
            if reason is None or not reason.strip():
                combo.setCurrentIndex(int(previous) if previous is not None else 0)
                return
            _select_reason(combo, reason.strip())
        combo.setProperty("previous_index", combo.currentIndex())
        self.commitData.emit(editor)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, _ComboRowEditor)
        for combo, lot_id in zip(
            editor.combos, index.data(Qt.ItemDataRole.EditRole) or (), strict=False
        ):
            if isinstance(lot_id, str):
                _select_reason(combo, lot_id)
            else:
                lot = self._model.lot(lot_id) if lot_id is not None else None
                _select_data(
                    combo, lot_id, f"{lot.lot_number} (not usable today)" if lot else f"#{lot_id}"
                )
            combo.setProperty("previous_index", combo.currentIndex())

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, _ComboRowEditor)
        model.setData(
            index, tuple(c.currentData() for c in editor.combos), Qt.ItemDataRole.EditRole
        )


def _select_reason(combo: QComboBox, reason: str) -> None:
    """Show a typed "lot not available" reason as the list's choice (just above the ask item)."""
    for i in range(combo.count()):
        if isinstance(combo.itemData(i), str) and combo.itemData(i) != _ASK:
            combo.removeItem(i)
            break
    combo.insertItem(combo.count() - 1, f"Not available: {reason}", reason)
    combo.setCurrentIndex(combo.count() - 2)


class NeedleDelegate(_RowDelegate):
    """Gauge and length, each from the sizes in use (or not recorded)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = _ComboRowEditor(parent, ["Needle gauge", "Needle length"])
        gauge, length = editor.combos
        gauge.addItem(f"{DASH} G", None)
        for g in NEEDLE_GAUGES:
            gauge.addItem(f"{g} G", g)
        length.addItem(f"{DASH} in", None)
        for x in NEEDLE_LENGTHS_IN:
            length.addItem(format_quantity(x, "in"), x)
        self._watch(editor)
        return editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, _ComboRowEditor)
        gauge, length = index.data(Qt.ItemDataRole.EditRole) or (None, None)
        _select_data(editor.combos[0], gauge, f"{gauge} G")
        value = None if length is None else Decimal(length)
        _select_data(editor.combos[1], value, format_quantity(value, "in") if value else None)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, _ComboRowEditor)
        value = (editor.combos[0].currentData(), editor.combos[1].currentData())
        model.setData(index, value, Qt.ItemDataRole.EditRole)
