"""The encounter editor's chrome: its actions, menus and toolbars, and how its panes sit.

Kept apart from :mod:`clinic_app.ui.encounter.editor`, which decides what the actions do:
here is only what exists and where it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from clinic_app.ui.chart.commands import ChartUndoStack
from clinic_app.ui.common import icons
from clinic_app.ui.common.chrome import build_menus, build_toolbar, make_action
from clinic_app.ui.encounter.favourites import NewSiteControls


@dataclass(frozen=True)
class EditorHandlers:
    """What the editor's own actions call."""

    remove_site: Callable[[], object]
    apply_to_all: Callable[[], object]
    save: Callable[[], object]
    sign: Callable[[], object]
    add_addendum: Callable[[], object]


class EditorActions(QObject):
    """The encounter editor's actions, in its menus and toolbars.

    Attributes:
        undo_action, redo_action: on the shared undo stack.
        remove_site_action: Delete, on the site table only (the map has its own).
        apply_all_action, save_action, sign_action, close_action, addendum_action.
        new_sites_toolbar: technique and favourite for sites charted next.
    """

    def __init__(
        self,
        window: QMainWindow,
        stack: ChartUndoStack,
        table: QWidget,
        new_sites: NewSiteControls,
        handlers: EditorHandlers,
    ) -> None:
        super().__init__(window)
        self.undo_action = stack.createUndoAction(window, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = stack.createRedoAction(window, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action, tip in (
            (self.undo_action, "Undo the last chart edit"),
            (self.redo_action, "Redo"),
        ):
            action.setStatusTip(tip)
            window.addAction(action)
        self.remove_site_action = make_action(
            window,
            "Remove site",
            handlers.remove_site,
            QKeySequence.StandardKey.Delete,
            "Remove the selected site",
        )
        # Delete belongs to the table here; the body map has its own (no ambiguous shortcut).
        self.remove_site_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        window.removeAction(self.remove_site_action)
        table.addAction(self.remove_site_action)
        self.apply_all_action = make_action(
            window,
            "Apply to all sites",
            handlers.apply_to_all,
            "Ctrl+Shift+A",
            "Copy the current cell's value to every site (one undo step)",
        )
        self.save_action = make_action(
            window,
            "&Save now",
            handlers.save,
            QKeySequence.StandardKey.Save,
            "Save the encounter now",
        )
        self.sign_action = make_action(
            window, "S&ign…", handlers.sign, "Ctrl+Alt+S", "Check and sign this encounter"
        )
        self.close_action = make_action(
            window, "&Close", window.close, "Ctrl+W", "Close this encounter"
        )
        self.addendum_action = make_action(
            window,
            "Add &addendum…",
            handlers.add_addendum,
            "Ctrl+Alt+A",
            "Add a signed correction to this signed encounter (the signed note stays as it was)",
        )
        self.addendum_action.setEnabled(False)  # only a signed encounter takes one
        for action, icon in (
            (self.undo_action, "undo"), (self.redo_action, "redo"), (self.save_action, "save"),
            (self.remove_site_action, "remove_site"), (self.apply_all_action, "apply_to_all"),
            (self.sign_action, "sign"), (self.addendum_action, "addendum"),
            (self.close_action, "close"), (new_sites.injection_action, "injection"),
            (new_sites.dry_needling_action, "dry_needling"),
        ):  # fmt: skip
            icons.apply(action, icon)
        self._new_sites = new = new_sites
        # fmt: off
        build_menus(window, [
            ("&Encounter", [self.save_action, self.sign_action, self.addendum_action, None,
                            self.close_action]),
            ("&Edit", [self.undo_action, self.redo_action, None, self.remove_site_action,
                       self.apply_all_action]),
            ("&New sites", [new.injection_action, new.dry_needling_action, new.toggle_action]),
        ])
        build_toolbar(window, "Encounter actions", [
            self.undo_action, self.redo_action, self.remove_site_action, self.apply_all_action,
            self.save_action, self.sign_action, self.addendum_action,
        ])
        # fmt: on
        window.addToolBarBreak()  # (theme) icons widen the buttons: new-site choices get a row
        self.new_sites_toolbar: QToolBar = build_toolbar(
            window, "New sites", [new.injection_action, new.dry_needling_action]
        )
        new.add_to(self.new_sites_toolbar)

    def set_editable(self, editable: bool) -> None:
        """Turn every editing action on or off (Undo/Redo off too when locking)."""
        for action in (
            self.remove_site_action,
            self.apply_all_action,
            self.save_action,
            self.sign_action,
        ):
            action.setEnabled(editable)
        if not editable:  # the stack is empty now; these stay off until it takes a command
            self.undo_action.setEnabled(False)
            self.redo_action.setEnabled(False)
        self._new_sites.set_enabled(editable)
        self.new_sites_toolbar.setVisible(editable)


@dataclass(frozen=True)
class EditorPanes:
    """The map on the left; the site table, the form and the addenda on the right."""

    splitter: QSplitter
    form_scroll: QScrollArea


def build_panes(
    body_map: QWidget, table: QWidget, totals: QLabel, form: QWidget, addenda: QWidget
) -> EditorPanes:
    form_scroll = QScrollArea()
    form_scroll.setAccessibleName("Encounter form")
    form_scroll.setWidgetResizable(True)
    form_scroll.setWidget(form)
    table_panel = QWidget()
    table_layout = QVBoxLayout(table_panel)
    table_layout.setContentsMargins(0, 0, 0, 0)
    table_layout.addWidget(table, 1)
    table_layout.addWidget(totals)
    right = QSplitter(Qt.Orientation.Vertical)
    right.setChildrenCollapsible(False)
    right.addWidget(table_panel)
    right.addWidget(form_scroll)
    right.addWidget(addenda)
    right.setSizes([260, 540, 160])
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(body_map)
    splitter.addWidget(right)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 5)
    splitter.setSizes([540, 900])
    return EditorPanes(splitter, form_scroll)
