"""The encounter being charted, in memory: the one model the map and the site table mirror.

Widgets never decide what exists: they call the undo commands in
:mod:`clinic_app.ui.chart.commands`, which call this model, which emits signals the body map
scene and the site table react to (STYLE.md #3, #4). Each site has a ``key`` that is stable
for the editing session; its number on the map and in the table is its position + 1.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from clinic_app.services.dto import SiteDraft, SiteInput


@dataclass(frozen=True, slots=True)
class ChartSite:
    """A site in the editor: its session key and its content."""

    key: int
    draft: SiteDraft

    @property
    def site(self) -> SiteInput:
        return self.draft.site


class ChartModel(QObject):
    """The ordered list of sites of one encounter.

    Signals:
        site_added(key, row): a site was inserted at ``row``.
        site_removed(key, row): the site that was at ``row`` is gone.
        site_changed(key): a site's content changed (place, muscle, technique, doses...).
        sites_reset(): the whole list was replaced (opening an encounter).
        numbers_changed(): rows moved, so the displayed numbers changed.
    """

    site_added = Signal(int, int)
    site_removed = Signal(int, int)
    site_changed = Signal(int)
    sites_reset = Signal()
    numbers_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sites: list[ChartSite] = []
        self._keys = itertools.count(1)
        self._read_only = False

    # ------------------------------------------------------------------ reading
    def sites(self) -> list[ChartSite]:
        return list(self._sites)

    def drafts(self) -> list[SiteDraft]:
        return [s.draft for s in self._sites]

    def __len__(self) -> int:
        return len(self._sites)

    def site(self, key: int) -> ChartSite:
        for s in self._sites:
            if s.key == key:
                return s
        raise KeyError(key)

    def row_of(self, key: int) -> int:
        for row, s in enumerate(self._sites):
            if s.key == key:
                return row
        raise KeyError(key)

    def number_of(self, key: int) -> int:
        """The number shown on the marker, in the table and on the handout."""
        return self.row_of(key) + 1

    def at(self, row: int) -> ChartSite:
        return self._sites[row]

    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_read_only(self, value: bool) -> None:
        self._read_only = value

    # ------------------------------------------------------------------ editing
    def reset(self, drafts: list[SiteDraft]) -> None:
        """Replace everything (opening an encounter); keys are new."""
        self._sites = [ChartSite(next(self._keys), d) for d in drafts]
        self.sites_reset.emit()

    def insert(self, draft: SiteDraft, row: int | None = None, key: int | None = None) -> int:
        """Add a site (at the end by default); returns its key. ``key`` restores an undo."""
        site = ChartSite(key if key is not None else next(self._keys), draft)
        position = len(self._sites) if row is None else max(0, min(row, len(self._sites)))
        self._sites.insert(position, site)
        self.site_added.emit(site.key, position)
        if position != len(self._sites) - 1:
            self.numbers_changed.emit()
        return site.key

    def remove(self, key: int) -> tuple[int, SiteDraft]:
        """Remove a site; returns where it was and what it held (for undo)."""
        row = self.row_of(key)
        site = self._sites.pop(row)
        self.site_removed.emit(key, row)
        if row != len(self._sites):
            self.numbers_changed.emit()
        return row, site.draft

    def update(self, key: int, draft: SiteDraft) -> SiteDraft:
        """Replace a site's content; returns the previous content (for undo)."""
        row = self.row_of(key)
        old = self._sites[row].draft
        if old != draft:
            self._sites[row] = ChartSite(key, draft)
            self.site_changed.emit(key)
        return old

    def update_site(self, key: int, **changes: object) -> SiteDraft:
        """Convenience: the site with some :class:`SiteInput` fields changed."""
        current = self.site(key).draft
        return replace(current, site=replace(current.site, **changes))  # type: ignore[arg-type]
