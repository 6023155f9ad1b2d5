"""How a site reads in the table: columns, words for enum values, medicines, doses, lots.

No Qt here: :class:`SiteFormatter` turns a :class:`SiteDraft` into the text of each column,
computes doses (concentration × volume, exact) and the encounter's totals per drug.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from html import escape as html_escape
from typing import Any

from clinic_app.domain.catalog import Catalog, default_catalog
from clinic_app.domain.enums import DoseUnit, Language, Technique
from clinic_app.domain.formulary import default_formulary
from clinic_app.domain.labels import (
    ASPIRATION_LABELS,
    DASH,
    FINDING_LABELS,
    SIDE_LABELS,
    TECHNIQUE_LABELS,
    TWITCH_LABELS,
    capital,
    needle_text,
)
from clinic_app.domain.quantities import dose_of, format_quantity
from clinic_app.services.dto import DoseInput, LotView, MedicationView, SiteDraft

#: Gauges and lengths offered (tpi-reference.md §4: 25–27 G × 1.25–1.5 in superficial,
#: 21–22 G × 2–3.5 in spinal needles for deep muscles; 30–32 G dry-needling filaments).
NEEDLE_GAUGES = (18, 20, 21, 22, 23, 25, 27, 30, 32)
NEEDLE_LENGTHS_IN = tuple(Decimal(x) for x in ("0.5", "1", "1.25", "1.5", "2", "2.5", "3", "3.5"))


class Column(IntEnum):
    """Logical columns. The number is last in the model and shown first by the view: it is
    derived from the row's position, so it changes when rows above move (announced with
    dataChanged), while column 0 keeps data that travels with its row, as item-model
    testers (and proxies) expect."""

    MUSCLE = 0
    SIDE = 1
    TECHNIQUE = 2
    MEDICATION = 3
    VOLUME = 4
    DOSE = 5
    LOT = 6
    NEEDLE = 7
    TWITCH = 8
    ASPIRATION = 9
    TAUT_BAND = 10
    JUMP_SIGN = 11
    REFERRED_PAIN = 12
    NUMBER = 13


HEADERS = {
    Column.MUSCLE: "Muscle",
    Column.SIDE: "Side",
    Column.TECHNIQUE: "Technique",
    Column.MEDICATION: "Medication(s)",
    Column.VOLUME: "Volume",
    Column.DOSE: "Dose",
    Column.LOT: "Lot",
    Column.NEEDLE: "Needle",
    Column.TWITCH: "Twitch",
    Column.ASPIRATION: "Aspiration",
    Column.TAUT_BAND: "Taut band",
    Column.JUMP_SIGN: "Jump sign",
    Column.REFERRED_PAIN: "Referred pain",
    Column.NUMBER: "#",
}
#: Trigger point findings at a site (yes / no / not recorded), by column and site field.
FINDING_COLUMNS = {
    Column.TAUT_BAND: "taut_band",
    Column.JUMP_SIGN: "jump_sign",
    Column.REFERRED_PAIN: "referred_pain_reproduced",
}
HEADER_TIPS = {
    Column.DOSE: "Concentration × volume, computed",
    Column.TAUT_BAND: "A taut band palpated at the point",
    Column.JUMP_SIGN: "Jump sign: the patient flinches when the point is pressed",
    Column.REFERRED_PAIN: "Pressure on the point reproduced the patient's referred pain",
}
#: Shown in the lot cell when a dose's lot was not available (the typed reason is its tooltip).
LOT_NOT_AVAILABLE = "Not available"
#: Columns holding one value per medicine: a mix shows one line per medicine.
PER_DOSE = frozenset({Column.MEDICATION, Column.VOLUME, Column.DOSE, Column.LOT})


@dataclass(frozen=True, slots=True)
class DrugTotal:
    """What the encounter gives of one drug: "Lidocaine: 30 mg" (mL for saline)."""

    label: str
    amount: Decimal
    unit: str

    @property
    def text(self) -> str:
        return f"{self.label}: {format_quantity(self.amount, self.unit)}"


def edit_value(draft: SiteDraft, column: Column) -> Any:
    """A column's value as editors take and give it (its EditRole)."""
    site = draft.site
    values: dict[Column, Any] = {
        Column.SIDE: site.side,
        Column.TECHNIQUE: site.technique,
        Column.MEDICATION: draft.doses,
        Column.VOLUME: tuple(Decimal(d.volume_ml) for d in draft.doses),
        Column.NEEDLE: (site.needle_gauge, site.needle_length_in),
        Column.TWITCH: site.twitch_response,
        Column.ASPIRATION: site.aspiration,
        Column.TAUT_BAND: site.taut_band,
        Column.JUMP_SIGN: site.jump_sign,
        Column.REFERRED_PAIN: site.referred_pain_reproduced,
    }
    if column == Column.LOT:
        # A lot id, the typed reason no lot was available, or None (not recorded).
        return tuple(d.lot_id if d.lot_id is not None else d.lot_missing_reason or None
                     for d in draft.doses)  # fmt: skip
    return values.get(column)


def _finding_text(value: bool | None) -> str:
    return DASH if value is None else FINDING_LABELS[value]


class SiteFormatter:
    """Names medicines and lots and computes doses from the reference data it was given."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or default_catalog()
        self.medications: dict[int, MedicationView] = {}
        self.lots: dict[int, LotView] = {}
        # By code, and by name for a medicine known only by name (no longer stocked).
        self._generics = {key: e.generic for e in default_formulary() for key in (e.code, e.name)}

    def add_medications(self, medications: Iterable[MedicationView]) -> None:
        self.medications.update({m.id: m for m in medications})

    def add_lots(self, lots: Iterable[LotView]) -> bool:
        """Remember lots; True when one was new."""
        before = dict(self.lots)
        self.lots.update({lot.id: lot for lot in lots})
        return self.lots != before

    def dose(self, dose: DoseInput) -> tuple[Decimal, str] | None:
        """Concentration × volume and its unit; None for saline or an unknown medicine."""
        med = self.medications.get(dose.medication_id)
        if med is None or med.dose_unit is DoseUnit.NONE:
            return None
        return dose_of(med.concentration, Decimal(dose.volume_ml)), med.dose_unit.value

    def text(self, row: int, draft: SiteDraft, column: Column, separator: str = "\n") -> str:
        """The cell's text; a mix lists one medicine per line (``separator``)."""
        site = draft.site
        if column in PER_DOSE:
            if column == Column.MEDICATION and not draft.doses:
                dry = site.technique is Technique.DRY_NEEDLING
                return "None (dry needling)" if dry else "Choose…"
            return separator.join(self._dose_part(d, column) for d in draft.doses)
        # Only the column asked for is worked out: a table of 60 sites asks for every cell.
        if column == Column.NUMBER:
            return str(row + 1)
        if column == Column.MUSCLE:
            return self.muscle_name(site.muscle_code)
        if column == Column.SIDE:
            return SIDE_LABELS[site.side] if site.side else DASH
        if column == Column.TECHNIQUE:
            return TECHNIQUE_LABELS[site.technique]
        if column == Column.NEEDLE:
            return needle_text(site.needle_gauge, site.needle_length_in, blank=DASH)
        if column == Column.TWITCH:
            return TWITCH_LABELS[site.twitch_response]
        if column == Column.ASPIRATION:
            return ASPIRATION_LABELS[site.aspiration]
        findings = {
            Column.TAUT_BAND: site.taut_band,
            Column.JUMP_SIGN: site.jump_sign,
            Column.REFERRED_PAIN: site.referred_pain_reproduced,
        }
        if column in findings:
            return _finding_text(findings[column])
        raise KeyError(column)

    def _dose_part(self, dose: DoseInput, column: Column) -> str:
        if column == Column.MEDICATION:
            med = self.medications.get(dose.medication_id)
            return med.name if med else f"Medication #{dose.medication_id}"
        if column == Column.VOLUME:
            return format_quantity(Decimal(dose.volume_ml), "mL")
        if column == Column.DOSE:
            computed = self.dose(dose)
            return DASH if computed is None else format_quantity(*computed)
        if dose.lot_id is None:
            return LOT_NOT_AVAILABLE if dose.lot_missing_reason else DASH
        lot = self.lots.get(dose.lot_id)
        return lot.lot_number if lot else f"#{dose.lot_id}"

    def muscle_name(self, code: str) -> str:
        return self.catalog.get(code).name if code in self.catalog else code

    def tooltip(self, draft: SiteDraft, column: Column) -> str | None:
        code = draft.site.muscle_code
        if column == Column.MUSCLE and code in self.catalog:
            muscle = self.catalog.get(code)
            return f"{muscle.name} ({muscle.lay_name(Language.ENGLISH)})"
        if column == Column.LOT:
            texts = []
            for d in draft.doses:
                lot = self.lots.get(d.lot_id) if d.lot_id is not None else None
                if lot is not None:
                    texts.append(f"{lot.lot_number}, expires {lot.expires_on.isoformat()}")
                elif d.lot_id is None and d.lot_missing_reason:
                    texts.append(f"Lot not available: {d.lot_missing_reason}")
            return "; ".join(texts) or None
        if column == Column.MEDICATION and draft.doses:
            return " + ".join(self._dose_part(d, column) for d in draft.doses)  # if elided
        if column == Column.DOSE and draft.doses:
            return "Concentration × volume, computed (never typed)."
        return None

    def totals(self, drafts: Iterable[SiteDraft]) -> list[DrugTotal]:
        """Total per drug over the encounter: lidocaine 1% and 2% add up as lidocaine."""
        sums: dict[tuple[str, str], Decimal] = {}
        for draft in drafts:
            for dose in draft.doses:
                med = self.medications.get(dose.medication_id)
                if med is None:
                    continue
                computed = self.dose(dose)
                if computed is None:  # saline: counted by volume
                    key, amount = (med.name, "mL"), Decimal(dose.volume_ml)
                else:
                    generic = self._generics.get(med.code) or self._generics.get(med.name, med.name)
                    key, amount = (capital(generic), computed[1]), computed[0]
                sums[key] = sums.get(key, Decimal(0)) + amount
        return [DrugTotal(label, amount, unit) for (label, unit), amount in sums.items()]


#: Share of a limit from which a total is shown amber ("near"), and red ("over").
NEAR_LIMIT = Decimal("0.8")
AT_LIMIT = Decimal(1)
LIMIT_COLOURS = {"near": "#8a4b00", "over": "#b71c1c"}
#: Findings that mean the limits are the absolute caps, and what the footer says then.
CAP_ONLY_RULES = {
    "dose.weight_missing": "(weight missing: absolute cap)",
    "dose.weight_outdated": "(weight outdated: absolute cap)",
}


@dataclass(frozen=True, slots=True)
class LimitTotal:
    """One drug's running total as the footer shows it.

    Attributes:
        text: "Lidocaine 60 mg of 300 mg max (20%)" (no limit: "Saline 2 mL").
        level: "" below 80 % of the limit, "near" from 80 %, "over" from 100 %.
    """

    text: str
    level: str = ""


def limit_total(generic: str, total: Decimal, unit: str, limit: Decimal | None) -> LimitTotal:
    """A drug's total against its limit (the engine's numbers; nothing recomputed here)."""
    name = capital(generic)
    amount = format_quantity(total, unit)
    if limit is None or limit <= 0:
        return LimitTotal(f"{name} {amount}")
    fraction = total / limit
    percent = (fraction * 100).quantize(Decimal(1))
    level = "over" if fraction >= AT_LIMIT else "near" if fraction >= NEAR_LIMIT else ""
    words = {"near": " — near the limit", "over": " — at or over the limit"}.get(level, "")
    text = f"{name} {amount} of {format_quantity(limit, unit)} max ({percent}%){words}"
    return LimitTotal(text, level)


def limits_html(totals: Iterable[LimitTotal], cap_rules: Iterable[str] = ()) -> str:
    """The footer as rich text: totals separated by " · ", amber/red by level."""
    parts = []
    for total in totals:
        text = html_escape(total.text)
        colour = LIMIT_COLOURS.get(total.level)
        parts.append(f"<span style='color:{colour}'><b>{text}</b></span>" if colour else text)
    notes = [CAP_ONLY_RULES[r] for r in dict.fromkeys(cap_rules) if r in CAP_ONLY_RULES]
    return " · ".join(parts) + (" " + " ".join(notes) if parts and notes else "")
