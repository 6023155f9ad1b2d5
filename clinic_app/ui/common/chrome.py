"""Window furniture shared by main windows: actions, menus, toolbar, status-bar fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QLabel, QMainWindow, QStatusBar, QToolBar, QWidget

from clinic_app.ui.common.icons import TOOLBAR_ICON_SIZE

#: A menu's title and its actions; ``None`` draws a separator.
MenuSpec = tuple[str, Sequence[QAction | None]]


def make_action(
    parent: QWidget,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
    tip: str,
) -> QAction:
    """An action with its tip everywhere (status bar, tooltip with keys, What's This).

    The action is also added to ``parent`` so its shortcut works wherever the focus is in
    that window.
    """
    action = QAction(text, parent)
    action.setStatusTip(tip)
    action.setToolTip(tip)
    action.setWhatsThis(tip)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})")
    action.triggered.connect(slot)
    parent.addAction(action)
    return action


def plain_text(action: QAction) -> str:
    """The action's text without mnemonic and ellipsis, as a screen reader should say it."""
    return action.text().replace("&", "").rstrip("…")


def build_menus(window: QMainWindow, menus: Sequence[MenuSpec]) -> None:
    bar = window.menuBar()
    bar.setAccessibleName("Menu bar")
    for title, actions in menus:
        menu = bar.addMenu(title)
        menu.setAccessibleName(title.replace("&", ""))
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)


def build_toolbar(window: QMainWindow, name: str, actions: Sequence[QAction]) -> QToolBar:
    """A fixed toolbar (icon and text beside it) whose buttons carry accessible names."""
    toolbar = QToolBar(name, window)
    toolbar.setObjectName(name.replace(" ", "_"))
    toolbar.setAccessibleName(name)
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setIconSize(QSize(TOOLBAR_ICON_SIZE, TOOLBAR_ICON_SIZE))
    for action in actions:
        toolbar.addAction(action)
        button = toolbar.widgetForAction(action)
        if button is not None:
            button.setAccessibleName(plain_text(action))
    window.addToolBar(toolbar)
    return toolbar


def add_status_fields(bar: QStatusBar, names: Sequence[str]) -> list[QLabel]:
    """Permanent plain-text fields on the right of the status bar, divided by rules."""
    labels: list[QLabel] = []
    for position, name in enumerate(names):
        if position:
            rule = QFrame()
            rule.setFrameShape(QFrame.Shape.VLine)
            rule.setFrameShadow(QFrame.Shadow.Sunken)
            bar.addPermanentWidget(rule)
        label = QLabel()
        label.setAccessibleName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setContentsMargins(6, 0, 6, 0)
        bar.addPermanentWidget(label)
        labels.append(label)
    return labels
