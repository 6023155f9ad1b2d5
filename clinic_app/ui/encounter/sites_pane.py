"""The chart side of the encounter editor: body map, site table and totals on one undo stack.

:class:`SitesPane` builds the chart model, the table and the map that mirror it, keeps their
selections in step, fetches the lots the table offers and shows the totals footer. It saves
nothing: edits reach the :class:`EncounterSession` through the editor.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape as html_escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from clinic_app.domain.errors import ClinicError
from clinic_app.domain.favourites import default_favourites
from clinic_app.domain.rules import Assessment
from clinic_app.services.dto import DoseInput, EncounterView, LotView, MedicationView
from clinic_app.ui.chart.commands import ChartUndoStack, RemoveSiteCommand
from clinic_app.ui.chart.model import ChartModel
from clinic_app.ui.encounter.checks_panel import safety_site_numbers
from clinic_app.ui.encounter.favourites import MedicationChoices, NewSiteControls
from clinic_app.ui.encounter.lot_helper import LotHelper
from clinic_app.ui.encounter.parts import make_body_map
from clinic_app.ui.encounter.session import EncounterSession
from clinic_app.ui.encounter.sites.details import SiteDetails
from clinic_app.ui.encounter.sites.edits import drafts_of, stand_in_medications
from clinic_app.ui.encounter.sites.table_model import SiteTableModel, keys_for_numbers
from clinic_app.ui.encounter.sites.table_view import SiteTableView
from clinic_app.ui.encounter.sites.text import Column, limit_total, limits_html

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices


class SitesPane(QObject):
    """The map, the table and the totals of one encounter.

    Signals:
        status_message(str): something to say on the status bar (lots that cannot load…).

    Attributes:
        stack, chart, choices, model, table, body_map, new_sites, totals_label.
        details: the current site's technique, needle, twitch, aspiration and findings.
        last_assessment: the live checks' last result (the totals use its limits).
    """

    status_message = Signal(str)

    def __init__(
        self,
        services: AppServices,
        session: EncounterSession,
        medications: Sequence[MedicationView],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._services = services
        self._session = session
        self.last_assessment: Assessment | None = None
        self.stack = ChartUndoStack(window)
        self.chart = ChartModel(window)
        self.choices = MedicationChoices(default_favourites(), medications)
        self.model = SiteTableModel(
            self.chart, self.stack, medications, window, injection_defaults=self._doses
        )
        self.model.set_medications(stand_in_medications(session.view, {m.id for m in medications}))
        self.table = SiteTableView(self.model, self.choices, self.lots_for)
        self.details = SiteDetails(self.model, self.table)
        window.addAction(self.details.focus_action)
        self.body_map = make_body_map(self.chart, self.stack)
        self.new_sites = NewSiteControls(self.choices, window, services.preferences)
        self.totals_label = QLabel()
        self.totals_label.setAccessibleName("Totals")
        self.totals_label.setWordWrap(True)
        self.totals_label.setTextFormat(Qt.TextFormat.RichText)
        # Two lines reserved: the totals gaining their limits (after the checks) must not
        # push the site details up under the pointer.
        self.totals_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.totals_label.setMinimumHeight(2 * self.totals_label.fontMetrics().lineSpacing())
        # After the table model's own slot (connected first), so the row exists.
        self.chart.site_added.connect(self.on_site_added)
        self.table.site_selected.connect(self.on_table_site_selected)
        self.body_map.marker_selected.connect(self.table.select_key)
        # Issue 12 §5: default lots, "Add a lot…" in the lot list, run-out notes.
        delegate = self.table.itemDelegateForColumn(Column.LOT)
        self.lot_helper = LotHelper(services, session, self.model, delegate, window)
        self.body_map.set_site_factory(self.lot_helper.site_factory(self.new_sites.make_site))
        self.model.default_lots = self.lot_helper.with_default_lots
        for source in (self.table, self.details, self.body_map, self.new_sites, self.lot_helper):
            source.status_message.connect(self.status_message)
        for signal in (
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.modelReset,
            self.model.dataChanged,
        ):
            signal.connect(self.update_totals)

    def _doses(self) -> tuple[DoseInput, ...]:
        return self.lot_helper.with_default_lots(self.new_sites.doses())

    def load(self, encounter: EncounterView) -> None:
        """Show the encounter's sites, with an empty, clean undo history."""
        drafts = drafts_of(encounter)
        for medication_id in {d.medication_id for s in drafts for d in s.doses}:
            self._fetch_lots(medication_id, visit_day_too=True)
        self.chart.reset(drafts)
        self.stack.clear()
        self.stack.setClean()
        self.update_totals()

    def set_editable(self, editable: bool) -> None:
        # Emptied and closed while locked: Undo/Redo cannot take back what was signed.
        self.stack.set_locked(not editable)
        self.model.set_read_only(not editable)
        self.body_map.set_read_only(not editable)

    def set_assessment(self, assessment: Assessment | None) -> None:
        """The live checks' result (None: they could not run) for the map and the totals."""
        self.last_assessment = assessment
        if assessment is not None:
            self.body_map.set_flagged_sites(safety_site_numbers(assessment.findings))
            self.update_totals()

    def highlight(self, numbers: Sequence[int]) -> None:
        """Highlight the sites with these numbers (what a repeated visit asks to check)."""
        self.model.set_highlighted(keys_for_numbers(self.model, numbers))

    def lots_for(self, medication_id: int) -> list[LotView]:
        """Lots of a medication that can be used today (for the lot picker)."""
        return self._fetch_lots(medication_id)

    def update_totals(self, *_args: object) -> None:
        """The footer: the last checks' totals against limits, else the table's sums."""
        count = self.model.rowCount()
        sites = "1 site" if count == 1 else f"{count} sites"
        checked = self.last_assessment
        totals = [
            limit_total(t.medication_generic, t.total, t.unit, t.limit)
            for t in (checked.totals if checked else ())
        ]
        text = (
            limits_html(totals, (f.rule for f in checked.findings))
            if checked and totals
            else html_escape(self.model.totals_text())
        )
        self.totals_label.setText(f"Totals ({sites}): {text}")

    def select_number(self, number: int) -> None:
        """Select the site with this number in the table (and so on the map)."""
        keys = keys_for_numbers(self.model, [number])
        if keys:
            self.table.select_key(keys[0])
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_lot(self, number: int) -> None:
        """Put the cursor in the lot cell of the site with this number."""
        keys = keys_for_numbers(self.model, [number])
        row = self.model.row_of_key(keys[0]) if keys else None
        if row is not None:
            index = self.model.index(row, Column.LOT)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def apply_to_all(self) -> bool:
        """ "Apply to all sites" for the site detail that has the cursor, else the table's
        current cell."""
        column = self.details.current_column()
        if column is not None:
            return self.details.apply_to_all(column)
        return self.table.apply_to_all()

    def remove_selected(self) -> None:
        key = self.table.current_key()
        if key is not None and not self.model.read_only:
            self.stack.push(RemoveSiteCommand(self.chart, key))

    def on_site_added(self, key: int, _row: int) -> None:
        # A site just charted (or restored by undo) is the one the provider looks at next.
        self.table.select_key(key)

    def on_table_site_selected(self, key: int) -> None:
        self.body_map.select_site(key if key >= 0 else None)

    def _fetch_lots(self, medication_id: int, *, visit_day_too: bool = False) -> list[LotView]:
        today = self._session.clinic_today()
        visit_day = self._session.performed_on
        clinic = self._services.clinic
        try:
            found = {lot.id: lot for lot in clinic.usable_lots(medication_id)}
            if visit_day_too and visit_day < today:
                # A lot valid on the visit day but expired since must still show its number.
                older = clinic.usable_lots(medication_id, on=visit_day)
                found.update({lot.id: lot for lot in older})
        except ClinicError as exc:
            self.status_message.emit(f"Could not load lots: {exc}")
            return []
        self.model.add_lots(found.values())
        return [lot for lot in found.values() if lot.expires_on >= today]
