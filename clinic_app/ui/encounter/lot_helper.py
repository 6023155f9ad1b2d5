"""Lots in the encounter editor: the default lot of a new dose, "Add a lot…" from the dose
row, and a note when the doses charted use a lot up.

What is left of a lot comes from the service without this visit's own saved doses
(``LotService.lots_for_dose(encounter_id=...)``); the doses in the editor are then taken off
here, so the numbers are right before the autosave has run and after an undo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from clinic_app.domain import stock
from clinic_app.domain.access import may
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.quantities import format_quantity
from clinic_app.domain.stock import LotLevel
from clinic_app.services.dto import DoseInput, LotStockView, LotView, SiteDraft
from clinic_app.ui.common.lot_form import LotDialog
from clinic_app.ui.encounter.sites.delegates import LotDelegate
from clinic_app.ui.encounter.sites.table_model import SiteTableModel
from clinic_app.ui.encounter.sites.text import Column

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices
    from clinic_app.ui.encounter.session import EncounterSession


class LotHelper(QObject):
    """Default lots, the inline receive form and run-out notes for one editor.

    Signals:
        status_message(str): a non-blocking note (a lot used up by this visit).
        lot_added(LotStockView): a lot was received from the dose row and chosen.

    Attributes:
        form: the receive form open over the editor, if any.
    """

    status_message = Signal(str)
    lot_added = Signal(object)

    def __init__(
        self,
        services: AppServices,
        session: EncounterSession,
        model: SiteTableModel,
        delegate: object,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._session = session
        self._model = model
        self._parent = parent
        self._stock: dict[int, list[LotStockView]] = {}
        self._noted: set[int] = set()
        self.form: LotDialog | None = None
        if isinstance(delegate, LotDelegate):
            delegate.can_add_lot = may(services.actor.granted, "lot.receive")
            delegate.lot_label = self.lot_label
            delegate.add_lot_requested.connect(self.on_add_lot)
        for signal in (model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(self.check_run_out)

    # ------------------------------------------------------------------ stock
    def lots_of(self, medication_id: int) -> list[LotStockView]:
        """Lots a dose of this medication may take, with what is left before this visit."""
        if medication_id not in self._stock:
            try:
                found = self._services.lots.lots_for_dose(
                    medication_id, encounter_id=self._session.encounter_id
                )
            except ClinicError:
                return []  # the lot list itself says when lots cannot load
            self._stock[medication_id] = found
        return self._stock[medication_id]

    def charted(self) -> dict[int, Decimal]:
        """mL of each lot in the editor's doses."""
        used: dict[int, Decimal] = defaultdict(Decimal)
        for row in range(self._model.rowCount()):
            doses = self._model.index(row, Column.MEDICATION).data(Qt.ItemDataRole.EditRole)
            for dose in doses or ():
                if dose.lot_id is not None:
                    used[dose.lot_id] += Decimal(dose.volume_ml)
        return used

    def levels(self, medication_id: int) -> list[LotLevel]:
        used = self.charted()
        return [
            LotLevel(
                lot.id,
                lot.expires_on,
                None if lot.remaining_ml is None else lot.remaining_ml - used.get(lot.id, 0),
                lot.recalled,
            )
            for lot in self.lots_of(medication_id)
        ]

    def lot_label(self, lot: LotView) -> str:
        """ "AB123 (exp 2027-06-30, 12 mL left)": the stock left after this visit's doses."""
        text = f"{lot.lot_number} (exp {lot.expires_on.isoformat()}"
        level = next((x for x in self.levels(lot.medication_id) if x.lot_id == lot.id), None)
        if level is None or level.remaining_ml is None:
            return text + ")"
        left = max(level.remaining_ml, Decimal(0))
        return f"{text}, {format_quantity(left, 'mL')} left)"

    # ------------------------------------------------------------------ default lot
    def with_default_lots(self, doses: Iterable[DoseInput]) -> tuple[DoseInput, ...]:
        """``doses`` with the default lot where none was chosen and no reason was typed."""
        day = self._session.clinic_today()
        filled = []
        for dose in doses:
            if dose.lot_id is None and not dose.lot_missing_reason:
                lot_id = stock.default_lot(self.levels(dose.medication_id), day)
                if lot_id is not None:
                    self._known(dose.medication_id)
                    dose = DoseInput(dose.medication_id, dose.volume_ml, lot_id)
            filled.append(dose)
        return tuple(filled)

    def site_factory(self, make: Callable[..., SiteDraft]) -> Callable[..., SiteDraft]:
        """Wrap the body map's site factory so a new site's doses take the default lot."""

        def make_site(*args: object) -> SiteDraft:
            draft = make(*args)
            return SiteDraft(draft.site, self.with_default_lots(draft.doses))

        return make_site

    def _known(self, medication_id: int) -> None:
        """Let the Lot column name the lots it may now show."""
        self._model.add_lots(
            LotView(x.id, x.medication_id, x.lot_number, x.expires_on)
            for x in self.lots_of(medication_id)
        )

    # ------------------------------------------------------------------ run-out note
    def check_run_out(self, *_args: object) -> None:
        """Say once when the doses charted take a lot to (or past) empty."""
        used = self.charted()
        lots = {lot.id: lot for found in self._stock.values() for lot in found}
        for lot_id, volume in used.items():
            lot = lots.get(lot_id)
            if lot is None or lot.remaining_ml is None:
                continue
            note = stock.run_out_note(lot.lot_number, lot.remaining_ml - volume)
            if note is None:
                self._noted.discard(lot_id)
            elif lot_id not in self._noted:
                self._noted.add(lot_id)
                self.status_message.emit(note)

    # ------------------------------------------------------------------ add a lot
    def on_add_lot(self, key: int, position: int, medication_id: int) -> None:
        medication = self._model.medication(medication_id)
        if medication is None or self.form is not None:
            return
        form = LotDialog(
            self._services,
            [medication],
            self._parent,
            medication_id=medication_id,
            today=self._session.clinic_today(),
        )
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(lambda lot, k=key, p=position: self.on_lot_received(k, p, lot))
        form.finished.connect(self.on_form_finished)
        self.form = form
        form.open()

    def on_form_finished(self, _result: int) -> None:
        self.form = None

    def on_lot_received(self, key: int, position: int, lot: LotStockView) -> None:
        """Choose the lot just received for the dose that asked (one undo step)."""
        self._stock.pop(lot.medication_id, None)
        self._known(lot.medication_id)
        row = self._model.row_of_key(key)
        if row is not None:
            index = self._model.index(row, Column.LOT)
            choices = list(index.data(Qt.ItemDataRole.EditRole) or ())
            if 0 <= position < len(choices):
                choices[position] = lot.id
                self._model.setData(index, tuple(choices), Qt.ItemDataRole.EditRole)
        self.lot_added.emit(lot)
