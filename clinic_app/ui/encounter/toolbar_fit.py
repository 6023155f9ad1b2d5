"""The encounter editor's two toolbars at any window width (issue 12 §3).

The commands (Undo ... Sign) and the new-site choices (technique, favourite, needle) sit on
one row when the window is wide enough, which gives the site table a row of height back on
a laptop. Narrower, they take two rows; narrower still, the commands show their icons only
(their names stay in the tooltips and menus), so no button ever goes into the toolbar's
overflow menu, least of all Sign, which always keeps its name.

The choice changes only when the window is resized, never while charting: a button never
moves under the pointer during an edit.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QToolBar, QToolButton

#: Room left over beside the toolbars' own widths (window frame, extension button, rounding).
SLACK = 24


class Rows(enum.Enum):
    """How the two toolbars sit."""

    ONE_ROW = "one row"
    ONE_ROW_ICONS = "one row, commands as icons"
    TWO_ROWS = "two rows"
    TWO_ROWS_ICONS = "two rows, icons only"


@dataclass(frozen=True)
class _Widths:
    commands: int
    command_icons: int
    choices: int
    choice_icons: int


class ToolbarFit:
    """Arranges ``commands`` and ``choices`` (the toolbar under it) for a window width.

    ``named`` are the commands that keep their text whenever any layout allows (Sign).
    """

    def __init__(
        self,
        window: QMainWindow,
        commands: QToolBar,
        choices: QToolBar,
        named: Sequence[QAction],
    ) -> None:
        self._window = window
        self._commands = commands
        self._choices = choices
        self._named = tuple(named)
        self._widths: _Widths | None = None
        self.rows = Rows.TWO_ROWS

    def fit(self, width: int) -> Rows:
        """Arrange the toolbars for a window ``width`` pixels wide; return the arrangement."""
        widths = self._widths or self._measure()
        if widths.commands + widths.choices + SLACK <= width:
            rows = Rows.ONE_ROW
        elif widths.command_icons + widths.choices + SLACK <= width:
            rows = Rows.ONE_ROW_ICONS
        elif max(widths.commands, widths.choices) + SLACK <= width:
            rows = Rows.TWO_ROWS
        else:
            rows = Rows.TWO_ROWS_ICONS
        self._arrange(rows)
        return rows

    def _measure(self) -> _Widths:
        """Each toolbar's width with text and with icons only (measured once: no label
        changes after the window is built)."""
        widths = []
        for toolbar in (self._commands, self._choices):
            for icons_only in (False, True):
                self._set_icons_only(toolbar, icons_only)
                if toolbar is self._commands:
                    self._keep_names()
                widths.append(_width(toolbar))
        self._widths = _Widths(*widths)
        self._arrange(self.rows, force=True)
        return self._widths

    def _arrange(self, rows: Rows, *, force: bool = False) -> None:
        if rows is self.rows and not force:
            return
        self.rows = rows
        self._set_icons_only(self._commands, rows is not Rows.ONE_ROW and rows is not Rows.TWO_ROWS)
        self._set_icons_only(self._choices, rows is Rows.TWO_ROWS_ICONS)
        self._keep_names()
        one_row = rows in (Rows.ONE_ROW, Rows.ONE_ROW_ICONS)
        has_break = self._window.toolBarBreak(self._choices)
        if one_row and has_break:
            self._window.removeToolBarBreak(self._choices)
        elif not one_row and not has_break:
            self._window.insertToolBarBreak(self._choices)

    def _keep_names(self) -> None:
        for action in self._named:  # Sign keeps its name beside the icons
            _style(self._commands, action, icons_only=False)

    def _set_icons_only(self, toolbar: QToolBar, icons_only: bool) -> None:
        for action in toolbar.actions():
            _style(toolbar, action, icons_only=icons_only)


def _style(toolbar: QToolBar, action: QAction, *, icons_only: bool) -> None:
    button = toolbar.widgetForAction(action)
    if isinstance(button, QToolButton) and not action.icon().isNull():
        button.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonIconOnly
            if icons_only
            else Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        )


def _width(toolbar: QToolBar) -> int:
    """What ``toolbar`` needs to show every widget without its overflow menu."""
    layout = toolbar.layout()
    spacing = layout.spacing() if layout is not None else 0
    margins = toolbar.contentsMargins()
    total = margins.left() + margins.right() + 2 * spacing
    for action in toolbar.actions():
        widget = toolbar.widgetForAction(action)
        if widget is not None and action.isVisible():
            total += widget.sizeHint().width() + spacing
    return total
