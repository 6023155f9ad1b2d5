"""The encounter editor's chrome: its actions, menus and toolbars, and how its panes sit.

Kept apart from :mod:`clinic_app.ui.encounter.editor`, which decides what the actions do:
here is only what exists and where it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QFrame,
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
from clinic_app.ui.encounter.sites.table_view import SiteTableView
from clinic_app.ui.encounter.toolbar_fit import ToolbarFit

#: What Undo and Redo say when the stack has nothing to take back or do again.
NOTHING_TO = {True: "Nothing to undo", False: "Nothing to redo"}


def stack_action(window: QMainWindow, stack: QUndoStack, text: str, *, undo: bool) -> QAction:
    """Undo or Redo with a label that never changes (its button never moves or resizes).

    ``QUndoStack.createUndoAction`` puts the last command's text in the label ("Undo Change
    medication(s) of site 4"), which widened the button and pushed Sign sideways; here the
    command's text goes to the tooltip and the status tip instead.
    """
    action = QAction(text, window)
    action.setProperty("undo", undo)
    action.setEnabled(stack.canUndo() if undo else stack.canRedo())
    (stack.canUndoChanged if undo else stack.canRedoChanged).connect(action.setEnabled)
    # The signal's text, not the stack's: the stack may be mid-destruction when it clears.
    (stack.undoTextChanged if undo else stack.redoTextChanged).connect(
        lambda text, a=action: describe_stack_action(a, text)
    )
    action.triggered.connect(stack.undo if undo else stack.redo)
    return action


def describe_stack_action(action: QAction, command: str) -> None:
    """Tooltip and status tip name what Undo/Redo would do now ("Undo: Move site 3")."""
    undo = bool(action.property("undo"))
    verb = "Undo" if undo else "Redo"
    tip = f"{verb}: {command}" if command else NOTHING_TO[undo]
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setStatusTip(tip)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)


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
        self.undo_action = stack_action(window, stack, "&Undo", undo=True)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = stack_action(window, stack, "&Redo", undo=False)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            window.addAction(action)
            describe_stack_action(
                action, stack.undoText() if action is self.undo_action else stack.redoText()
            )
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
        commands = build_toolbar(window, "Encounter actions", [
            self.undo_action, self.redo_action, self.remove_site_action, self.apply_all_action,
            self.save_action, self.sign_action, self.addendum_action,
        ])
        # fmt: on
        window.addToolBarBreak()  # (theme) icons widen the buttons: new-site choices get a row
        self.new_sites_toolbar: QToolBar = build_toolbar(
            window, "New sites", [new.injection_action, new.dry_needling_action]
        )
        new.add_to(self.new_sites_toolbar)
        #: One row or two, with or without the commands' names, by the window's width.
        self.toolbar_fit = ToolbarFit(window, commands, self.new_sites_toolbar, [self.sign_action])

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
    """The map on the left; the site table, the checks, the form and the addenda on the right.

    Attributes:
        splitter: map | right-hand column. right: the right-hand column's splitter.
        table_panel: the site table with the site details and the totals under it.
        form_scroll, checks_scroll: the form's and the checks' scroll areas.
    """

    splitter: QSplitter
    right: QSplitter
    table_panel: QWidget
    form_scroll: QScrollArea
    checks_scroll: QScrollArea

    def set_stacked(self, stacked: bool) -> None:
        """Map above the table (a narrow window, which then scrolls vertically) or beside it."""
        wanted = Qt.Orientation.Vertical if stacked else Qt.Orientation.Horizontal
        if self.splitter.orientation() is wanted:
            return
        self.splitter.setOrientation(wanted)
        self.splitter.setMinimumHeight(
            MIN_CENTRAL_HEIGHT + STACKED_MAP_HEIGHT if stacked else MIN_CENTRAL_HEIGHT
        )
        if stacked:
            self.splitter.setSizes([STACKED_MAP_HEIGHT, MIN_CENTRAL_HEIGHT])

    def fit_to(self, table: SiteTableView, central: QWidget) -> None:
        """Once, when the window first shows: the panes' sizes for its screen and sites."""
        table.fit_to_contents()
        if self.splitter.orientation() is Qt.Orientation.Horizontal:
            share_width(self.splitter, table.natural_width())
        # Lay the panes out at their new widths now: the site details wrap by width, and
        # the table's pane is sized to the rows plus what sits under them.
        for layout in (central.layout(), self.table_panel.layout()):
            if layout is not None:
                layout.activate()
        share_height(
            self.right,
            table.natural_height() + self._under_table(table),
            self.table_panel.minimumSizeHint().height(),
        )

    def _under_table(self, table: QWidget) -> int:
        """The height of what sits under the table (site details, totals) at this width:
        asked of each widget, since a wrapped line shows in its height only later."""
        layout = self.table_panel.layout()
        if layout is None:
            return 0
        width = self.table_panel.width()
        height = layout.spacing() * (layout.count() - 1)
        for i in range(layout.count()):
            item = layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is None or widget is table:
                continue
            wraps = widget.hasHeightForWidth()
            height += widget.heightForWidth(width) if wraps else widget.sizeHint().height()
        return height


#: Below this height the central area scrolls vertically instead of squeezing the panes.
MIN_CENTRAL_HEIGHT = 540
#: Narrower than this, the map sits above the table (side by side, neither would fit).
STACK_BELOW = 760
#: The map's height when it sits above the table.
STACKED_MAP_HEIGHT = 440


def scroll_area(widget: QWidget, name: str) -> QScrollArea:
    """A scroll area that scrolls ``widget`` vertically only (it is never wider than it)."""
    scroll = QScrollArea()
    scroll.setAccessibleName(name)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(widget)
    return scroll


class VerticalScroller(QScrollArea):
    """Scrolls its content vertically when the window is shorter than the content's minimum
    (and never sideways); otherwise the content simply fills it.

    The content sits in a holder without a layout: a scroll area sizes a content with a
    height-for-width layout (word-wrapped labels) at its preferred height, not its minimum,
    and would scroll at any window size.
    """

    def __init__(self, widgets: list[QWidget], name: str) -> None:
        super().__init__()
        content = QWidget()
        layout = QVBoxLayout(content)
        for position, widget in enumerate(widgets):  # the last one takes the spare height
            layout.addWidget(widget, 1 if position == len(widgets) - 1 else 0)
        self.setAccessibleName(name)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidgetResizable(True)
        self.content = content
        holder = _Holder(content)
        self.setWidget(holder)


class _Holder(QWidget):
    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self._content = content
        content.setParent(self)

    def minimumSizeHint(self) -> QSize:
        return self._content.minimumSizeHint()

    def sizeHint(self) -> QSize:
        return self._content.minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._content.setGeometry(self.rect())


def share_width(splitter: QSplitter, table_width: int) -> None:
    """Give the right-hand column the site table's natural width (within 45-55 % of the
    window), the map the rest; the user may move the handle afterwards."""
    total = sum(splitter.sizes())
    if total <= 0:
        return
    right = min(max(table_width + 4, int(total * 0.45)), int(total * 0.55))
    splitter.setSizes([total - right, right])


def share_height(right: QSplitter, table_panel_height: int, table_panel_minimum: int) -> None:
    """Give the table's pane what its rows need (at most 70 % of the column), then the
    checks a third of the rest and the form two thirds; a hidden addenda pane keeps 0."""
    sizes = right.sizes()
    total = sum(sizes[:3])
    if total <= 0:
        return
    table = max(min(table_panel_height, int(total * 0.70)), table_panel_minimum)
    rest = max(total - table, 0)
    right.setSizes([table, rest // 3, rest - rest // 3, *sizes[3:]])


def build_panes(
    body_map: QWidget,
    table_widgets: list[QWidget],
    checks_widgets: list[QWidget],
    form: QWidget,
    addenda: QWidget,
) -> EditorPanes:
    """Lay out the editor's panes.

    The checks and the codes change on every edit, so they get a pane of their own: inside
    the form's scroll area their growing and shrinking moved every field under the cursor
    (typing an ICD-10 code re-ran the checks and the screening lists below jumped).
    """
    form_scroll = scroll_area(form, "Encounter form")
    checks = QWidget()
    checks_layout = QVBoxLayout(checks)
    checks_layout.setContentsMargins(0, 0, 0, 0)
    for widget in checks_widgets:  # taken out of the form's own layout
        checks_layout.addWidget(widget)
    checks_layout.addStretch(1)
    checks_scroll = scroll_area(checks, "Checks and codes")
    table_panel = QWidget()
    table_layout = QVBoxLayout(table_panel)
    table_layout.setContentsMargins(0, 0, 0, 0)
    table_layout.setSpacing(2)
    for position, widget in enumerate(table_widgets):
        table_layout.addWidget(widget, 1 if position == 0 else 0)
    right = QSplitter(Qt.Orientation.Vertical)
    right.setChildrenCollapsible(False)
    for pane in (table_panel, checks_scroll, form_scroll, addenda):
        right.addWidget(pane)
    right.setSizes([460, 130, 280, 150])  # shares of the height; the table most
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(body_map)
    splitter.addWidget(right)
    splitter.setStretchFactor(0, 1)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([1, 1])  # half each (each pane's minimum permitting)
    splitter.setMinimumHeight(MIN_CENTRAL_HEIGHT)
    return EditorPanes(splitter, right, table_panel, form_scroll, checks_scroll)
