"""Favourite mixes, formulary medicines and the defaults new sites start with.

The domain favourites (:mod:`clinic_app.domain.favourites`) name formulary *codes*; a site
records medication *ids* of this database. :class:`MedicationChoices` bridges the two and
leaves out a favourite whose medicine the clinic has deactivated.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar, QWidget

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Side, Technique
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.favourites import Favourite, Favourites
from clinic_app.domain.quantities import format_quantity
from clinic_app.services.dto import (
    ChartingDefaults,
    DoseInput,
    MedicationView,
    SiteDraft,
    SiteInput,
)
from clinic_app.ui.common import icons
from clinic_app.ui.common.chrome import make_action
from clinic_app.ui.encounter.sites.text import NEEDLE_GAUGES, NEEDLE_LENGTHS_IN

if TYPE_CHECKING:
    from clinic_app.services.preferences import PreferenceService

#: Volume a single medicine picked from the list starts with (mL); the provider edits it.
DEFAULT_SINGLE_VOLUME_ML = Decimal("1")


class MedicationChoices:
    """What the medication picker and the new-site defaults offer.

    Attributes:
        favourites: the clinic's favourites file.
        medications: active medications of this database, by name.
    """

    def __init__(self, favourites: Favourites, medications: Sequence[MedicationView]) -> None:
        self.favourites = favourites
        self.medications = sorted(medications, key=lambda m: m.name)
        self._by_code = {m.code: m for m in medications}

    def doses_for(self, favourite: Favourite) -> tuple[DoseInput, ...] | None:
        """The favourite as doses of this database; None when a medicine is not stocked."""
        doses = []
        for dose in favourite.doses:
            med = self._by_code.get(dose.medication.code)
            if med is None:
                return None
            doses.append(DoseInput(med.id, dose.volume_ml))
        return tuple(doses)

    def available(self, *, injections_only: bool = False) -> list[Favourite]:
        """Favourites whose every medicine is stocked, in file order."""
        items = self.favourites.injections() if injections_only else self.favourites.items
        return [f for f in items if self.doses_for(f) is not None]

    def single(self, medication: MedicationView, volume: Decimal | None = None) -> tuple[DoseInput]:
        return (DoseInput(medication.id, volume or DEFAULT_SINGLE_VOLUME_ML),)

    def matching(self, doses: Sequence[DoseInput]) -> Favourite | None:
        """The favourite these doses are (lots aside), if any."""
        wanted = [(d.medication_id, Decimal(d.volume_ml)) for d in doses]
        for favourite in self.available():
            mine = self.doses_for(favourite) or ()
            if [(d.medication_id, Decimal(d.volume_ml)) for d in mine] == wanted:
                return favourite
        return None

    def default_new_site(self) -> Favourite | None:
        """The favourite a new site starts with: the file's choice, else the first stocked."""
        wanted = self.favourites.new_site
        if self.doses_for(wanted) is not None:
            return wanted
        injections = self.available(injections_only=True)
        return injections[0] if injections else None


#: Characters of a favourite's name the toolbar's combo box shows ("Lidocaine 1% 1 mL").
FAVOURITE_CHARACTERS = 18


class FavouriteCombo(QComboBox):
    """Picks the injection favourite new sites start with (the editor's toolbar)."""

    def __init__(self, choices: MedicationChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Favourite for new sites")
        self.setToolTip("What a new site on the body map starts with")
        # A fixed width (the list opens as wide as its longest favourite): the toolbar then
        # fits one row beside the encounter's commands on a laptop.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(FAVOURITE_CHARACTERS)
        for favourite in choices.available(injections_only=True):
            self.addItem(favourite.label, favourite.code)
            self.setItemData(self.count() - 1, favourite.detail, Qt.ItemDataRole.ToolTipRole)
        self.view().setMinimumWidth(self.view().sizeHintForColumn(0) + 24)
        default = choices.default_new_site()
        if default is not None:
            self.setCurrentIndex(self.findData(default.code))
        self._choices = choices

    def favourite(self) -> Favourite | None:
        code = self.currentData()
        if not isinstance(code, str):
            return None
        favourite = self._choices.favourites.get(code)
        return favourite if favourite.technique is Technique.INJECTION else None

    def select(self, code: str) -> bool:
        index = self.findData(code)
        if index >= 0:
            self.setCurrentIndex(index)
        return index >= 0


class NewSiteControls(QObject):
    """What a click on the body map starts a site with: technique, favourite and needle.

    Signals:
        status_message(str): feedback when the technique is switched by its shortcut.

    Attributes:
        injection_action, dry_needling_action: the exclusive technique choice.
        toggle_action: Ctrl+T switches between them.
        favourite_combo: the injection favourite new sites start with.
        gauge_combo, length_combo: the needle new sites start with.
        make_default_action: keeps the favourite and needle as the signed-in provider's own
            defaults (issue 12 §4); their next encounters start with them.
    """

    status_message = Signal(str)

    def __init__(
        self,
        choices: MedicationChoices,
        window: QWidget,
        preferences: PreferenceService | None = None,
    ) -> None:
        super().__init__(window)
        self._choices = choices
        self._preferences = preferences
        group = QActionGroup(self)
        self.injection_action = make_action(
            window, "Injection", self.on_technique_chosen, None, "New sites are injections"
        )
        self.dry_needling_action = make_action(
            window, "Dry needling", self.on_technique_chosen, None, "New sites are dry needling"
        )
        for action in (self.injection_action, self.dry_needling_action):
            action.setCheckable(True)
            group.addAction(action)
        self.injection_action.setChecked(True)
        self.toggle_action = make_action(
            window,
            "&Toggle technique",
            self.on_toggle,
            "Ctrl+T",
            "Switch new sites between injection and dry needling",
        )
        self.favourite_combo = FavouriteCombo(choices)
        self.gauge_combo = _choice_combo(
            "Needle gauge for new sites",
            [(f"{g} G", g) for g in NEEDLE_GAUGES],
            choices.favourites.needle_gauge,
        )
        self.length_combo = _choice_combo(
            "Needle length for new sites",
            [(format_quantity(x, "in"), x) for x in NEEDLE_LENGTHS_IN],
            choices.favourites.needle_length_in,
        )
        self.make_default_action = make_action(
            window,
            "Make these my defaults",
            self.on_make_default,
            None,
            "Your new sites start with this favourite and needle, in every encounter",
        )
        icons.apply(self.make_default_action, "my_defaults")
        self.make_default_action.setVisible(preferences is not None)
        self._load_my_defaults()

    def add_to(self, toolbar: QToolBar) -> None:
        label = QLabel("New sites: ")
        label.setAccessibleName("New sites")
        toolbar.insertWidget(toolbar.actions()[0], label)
        for combo in (self.favourite_combo, self.gauge_combo, self.length_combo):
            toolbar.addWidget(combo)
        toolbar.addAction(self.make_default_action)

    def my_defaults(self) -> ChartingDefaults:
        """The choices shown now, as the provider's defaults."""
        favourite = self.favourite_combo.favourite()
        length = self.length_combo.currentData()
        return ChartingDefaults(
            favourite=favourite.code if favourite else None,
            needle_gauge=self.gauge_combo.currentData(),
            needle_length_in=None if length is None else Decimal(length),
        )

    def apply_defaults(self, defaults: ChartingDefaults) -> None:
        """Start new sites with ``defaults``; a choice no longer offered is left as it is."""
        if defaults.favourite is not None:
            self.favourite_combo.select(defaults.favourite)
        for combo, value in (
            (self.gauge_combo, defaults.needle_gauge),
            (self.length_combo, defaults.needle_length_in),
        ):
            index = next(
                (i for i in range(1, combo.count()) if _same(combo.itemData(i), value)), -1
            )
            if value is not None and index > 0:
                combo.setCurrentIndex(index)

    def _load_my_defaults(self) -> None:
        if self._preferences is None:
            return
        # A default that cannot be read leaves the clinic's favourites.
        with contextlib.suppress(ClinicError):
            self.apply_defaults(self._preferences.charting_defaults())

    def on_make_default(self) -> None:
        if self._preferences is None:
            return
        try:
            self._preferences.set_charting_defaults(self.my_defaults())
        except ClinicError as exc:
            self.status_message.emit(f"Your defaults were not saved: {exc}")
            return
        self.status_message.emit("Saved: your new sites start with this favourite and needle.")

    def technique(self) -> Technique:
        if self.dry_needling_action.isChecked():
            return Technique.DRY_NEEDLING
        return Technique.INJECTION

    def doses(self) -> tuple[DoseInput, ...]:
        """The favourite's doses (what a site switched to injection starts with too)."""
        favourite = self.favourite_combo.favourite()
        return (self._choices.doses_for(favourite) or ()) if favourite else ()

    def make_site(self, muscle: str, side: Side, view: View, x: float, y: float) -> SiteDraft:
        """The body map's site factory."""
        technique = self.technique()
        length = self.length_combo.currentData()
        site = SiteInput(
            muscle_code=muscle,
            side=side,
            view=view,
            point_x=x,
            point_y=y,
            technique=technique,
            needle_gauge=self.gauge_combo.currentData(),
            needle_length_in=None if length is None else Decimal(length),
        )
        return SiteDraft(site, self.doses() if technique is Technique.INJECTION else ())

    def set_enabled(self, enabled: bool) -> None:
        for action in (
            self.injection_action,
            self.dry_needling_action,
            self.toggle_action,
            self.make_default_action,
        ):
            action.setEnabled(enabled)
        for combo in (self.favourite_combo, self.gauge_combo, self.length_combo):
            combo.setEnabled(enabled)
        if enabled:
            self.on_technique_chosen()

    def on_technique_chosen(self) -> None:
        self.favourite_combo.setEnabled(self.injection_action.isChecked())

    def on_toggle(self) -> None:
        dry = self.dry_needling_action.isChecked()
        target = self.injection_action if dry else self.dry_needling_action
        target.setChecked(True)
        self.on_technique_chosen()
        self.status_message.emit(f"New sites: {target.text().lower()}.")


def _choice_combo(name: str, items: Sequence[tuple[str, object]], current: object) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(name)
    combo.addItem("— not set", None)
    for text, value in items:
        combo.addItem(text, value)
    combo.setCurrentIndex(
        next((i for i in range(combo.count()) if combo.itemData(i) == current), 0)
    )
    return combo


def _same(item: object, value: object) -> bool:
    """A combo's item equals a stored default (lengths compare as decimals)."""
    if item is None or value is None:
        return False
    try:
        return Decimal(str(item)) == Decimal(str(value))
    except ArithmeticError:
        return False
