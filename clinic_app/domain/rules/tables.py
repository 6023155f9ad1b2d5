"""The payer, coding and ICD-10 tables (payers.toml, coding.toml, icd10.toml) and their checks."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Final

from clinic_app.domain.enums import Technique
from clinic_app.domain.rules._toml import SNAKE_CASE, Table, entries, read_document

#: ICD-10-CM shape: letter, digit, character, then optionally a dot and 1–4 characters.
ICD10_CODE: Final = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?")
_CPT: Final = re.compile(r"\d{5}")
_HCPCS: Final = re.compile(r"[A-Z]\d{4}")
_ICD10_WHAT: Final = "an ICD-10-CM code such as M79.18"
#: The profile every patient without a known payer falls back to.
NO_PAYER: Final = "none"


@dataclass(frozen=True, slots=True)
class PayerProfile:
    """One payer's coverage rules; a rule whose numbers are None is not checked.

    Attributes:
        same_site_min_days: a muscle+side repeated sooner than this warns.
        session_window_days / max_sessions_in_window: e.g. at most 3 sessions in 365 days.
        min_relief_percent / min_relief_weeks: relief the last session there must document.
        covered_icd10: inclusive (low, high) code ranges; None = every code is covered.
        dry_needling_covered: False warns on every dry-needled site.
    """

    code: str
    name: str
    source: str
    same_site_min_days: int | None = None
    session_window_days: int | None = None
    max_sessions_in_window: int | None = None
    min_relief_percent: int | None = None
    min_relief_weeks: int | None = None
    covered_icd10: tuple[tuple[str, str], ...] | None = None
    dry_needling_covered: bool = True

    def covers(self, code: str) -> bool:
        """Whether ``code`` (normalised, e.g. "M79.18") is on the covered list."""
        if self.covered_icd10 is None:
            return True
        return any(
            len(code) == len(low) and low <= code <= high for low, high in self.covered_icd10
        )

    def covered_text(self) -> str:
        """The covered list as people write it: "G44.201–G44.229, M79.10–M79.18"."""
        ranges = self.covered_icd10 or ()
        return ", ".join(low if low == high else f"{low}–{high}" for low, high in ranges)


@dataclass(frozen=True, slots=True)
class CptBand:
    """A CPT code for ``technique`` at ``min_muscles``..``max_muscles`` (None: no upper end)."""

    code: str
    technique: Technique
    min_muscles: int
    max_muscles: int | None
    description: str
    source: str

    def fits(self, technique: Technique, muscles: int) -> bool:
        upper = self.max_muscles is None or muscles <= self.max_muscles
        return technique is self.technique and muscles >= self.min_muscles and upper


@dataclass(frozen=True, slots=True)
class Icd10Entry:
    """A code of the clinic's table. A parent (``billable`` False) lists its children."""

    code: str
    description: str
    billable: bool
    children: tuple[str, ...] = ()
    retired_on: date | None = None


@dataclass(frozen=True, slots=True)
class Icd10Table:
    entries: Mapping[str, Icd10Entry]

    def billable_under(self, code: str) -> tuple[str, ...]:
        """The billable codes below parent ``code``, in file order, depth first."""
        found: list[str] = []
        for child in self.entries[code].children:
            entry = self.entries[child]
            found.extend([child] if entry.billable else self.billable_under(child))
        return tuple(found)

    def parent_of(self, code: str) -> Icd10Entry | None:
        """The longest non-billable code in the table that ``code`` starts with, if any."""
        for length in range(len(code) - 1, 2, -1):
            entry = self.entries.get(code[:length].rstrip("."))
            if entry is not None and not entry.billable:
                return entry
        return None


def _positive(table: Table, key: str) -> int | None:
    return table.integer(key) if table.has(key) else None


_PAYER_NUMBERS: Final = (
    "same_site_min_days", "session_window_days", "max_sessions_in_window",
    "min_relief_percent", "min_relief_weeks",
)  # fmt: skip


def _read_profile(table: Table) -> PayerProfile:
    table.fields(
        ("code", "name", "source"), (*_PAYER_NUMBERS, "covered_icd10", "dry_needling_covered")
    )
    code = table.text("code", SNAKE_CASE, "lowercase snake_case")
    if table.has("session_window_days") != table.has("max_sessions_in_window"):
        raise table.error("give session_window_days and max_sessions_in_window together")
    if table.has("min_relief_percent"):
        table.integer("min_relief_percent", maximum=100)
    ranges: tuple[tuple[str, str], ...] | None = None
    if table.has("covered_icd10"):
        ranges = tuple(_code_range(table, item) for item in table.texts("covered_icd10"))
    return PayerProfile(
        code=code,
        name=table.text("name"),
        source=table.text("source"),
        same_site_min_days=_positive(table, "same_site_min_days"),
        session_window_days=_positive(table, "session_window_days"),
        max_sessions_in_window=_positive(table, "max_sessions_in_window"),
        min_relief_percent=_positive(table, "min_relief_percent"),
        min_relief_weeks=_positive(table, "min_relief_weeks"),
        covered_icd10=ranges,
        dry_needling_covered=(
            table.flag("dry_needling_covered") if table.has("dry_needling_covered") else True
        ),
    )


def _code_range(table: Table, item: str) -> tuple[str, str]:
    low, _, high = item.partition("-")
    high = high or low
    for code in (low, high):
        if not ICD10_CODE.fullmatch(code):
            raise table.error(f"covered_icd10: {code!r} must be {_ICD10_WHAT}")
    if len(low) != len(high) or low > high:
        raise table.error(f"covered_icd10: {item!r} must run from a code to a later code")
    return low, high


def read_payers(path: Traversable) -> Mapping[str, PayerProfile]:
    document = read_document(path, {"profile"})
    profiles = {}
    for table in entries(document, "profile", "profile"):
        profile = _read_profile(table)
        profiles[profile.code] = profile
    if NO_PAYER not in profiles:
        raise document.error(
            f"the {NO_PAYER!r} profile is missing (the fallback for every patient)"
        )
    return MappingProxyType(profiles)


def _read_band(table: Table) -> CptBand:
    table.fields(("code", "technique", "min_muscles", "description", "source"), ("max_muscles",))
    minimum = table.integer("min_muscles")
    maximum = table.integer("max_muscles", minimum=minimum) if table.has("max_muscles") else None
    return CptBand(
        code=table.text("code", _CPT, "a five-digit CPT code"),
        technique=table.choice("technique", Technique),
        min_muscles=minimum,
        max_muscles=maximum,
        description=table.text("description"),
        source=table.text("source"),
    )


def read_coding(path: Traversable) -> tuple[tuple[CptBand, ...], Mapping[str, str]]:
    document = read_document(path, {"cpt", "hcpcs"})
    bands = tuple(_read_band(table) for table in entries(document, "cpt", "cpt"))
    for technique in Technique:
        own = sorted((b for b in bands if b.technique is technique), key=lambda b: b.min_muscles)
        expected = 1
        for band in own:
            if band.min_muscles != expected:
                raise document.error(
                    f"CPT bands for {technique} must run on from {expected} muscle(s) "
                    f"without gap or overlap ({band.code} starts at {band.min_muscles})"
                )
            expected = band.max_muscles + 1 if band.max_muscles is not None else 0
        if expected != 0:
            raise document.error(f"the last CPT band for {technique} must have no max_muscles")
    hcpcs = {}
    for table in entries(document, "hcpcs", "hcpcs"):
        table.fields(("code", "description", "source"))
        hcpcs[table.text("code", _HCPCS, "a HCPCS code such as J3301")] = table.text("description")
    return bands, MappingProxyType(hcpcs)


def _read_icd10_entry(table: Table, *, billable: bool) -> Icd10Entry:
    if billable:
        table.fields(("code", "description"))
        children: tuple[str, ...] = ()
        retired_on = None
    else:
        table.fields(("code", "description", "children"), ("retired_on",))
        children = table.texts("children")
        if not children:
            raise table.error("children must list at least one code")
        retired_on = table.day("retired_on") if table.has("retired_on") else None
    return Icd10Entry(
        code=table.text("code", ICD10_CODE, _ICD10_WHAT),
        description=table.text("description"),
        billable=billable,
        children=children,
        retired_on=retired_on,
    )


def read_icd10(path: Traversable) -> Icd10Table:
    document = read_document(path, {"code", "parent"})
    found: dict[str, Icd10Entry] = {}
    tables = [(t, True) for t in entries(document, "code", "code")]
    tables += [(t, False) for t in entries(document, "parent", "parent")]
    for table, billable in tables:
        entry = _read_icd10_entry(table, billable=billable)
        if entry.code in found:
            raise table.error("listed both as a code and as a parent")
        found[entry.code] = entry
    for table, _ in tables:
        parent = table.label or ""
        for child in found[parent].children:
            if child not in found:
                raise table.error(f"child {child!r} is not in the file")
            if not child.startswith(parent) or child == parent:
                raise table.error(f"child {child!r} does not extend {parent!r}")
    return Icd10Table(MappingProxyType(found))
