"""The app's icons: Lucide line icons shipped in ``resources/icons/`` (licence beside them).

Every icon is named here by what it means ("undo", "sign"), not by its file, so a command
keeps its picture wherever it is created and a change of set is one table. The SVGs draw with
``currentColor``; an icon is painted when shown, in the colour of the palette in force at that
moment (the accent colour, or the disabled text colour), so icons follow a live switch between
the light and the dark theme without being set again.
"""

from __future__ import annotations

import functools
from typing import Final

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer

from clinic_app.domain.resource_files import resource

#: What each icon means -> its Lucide file in resources/icons (without ".svg").
ICON_FILES: Final[dict[str, str]] = {
    # encounter editor
    "undo": "undo-2",
    "redo": "redo-2",
    "remove_site": "trash-2",
    "apply_to_all": "copy-check",
    "save": "save",
    "sign": "signature",
    "addendum": "file-pen-line",
    "close": "x",
    "injection": "syringe",
    "dry_needling": "diamond",
    "pain_drawing": "paintbrush",
    # main window
    "new_patient": "user-round-plus",
    "edit_patient": "user-round-pen",
    "void_patient": "user-round-x",
    "refresh": "refresh-cw",
    "find": "search",
    "quit": "power",
    "new_encounter": "clipboard-plus",
    "repeat_visit": "repeat",
    "front_desk": "printer",
    "clinic_settings": "settings",
    "users": "users",
    "audit_trail": "scroll-text",
    "change_password": "key-round",
    "about": "info",
    "lock": "lock",
    "sign_out": "log-out",
    "back_up": "database-backup",
    "restore": "archive-restore",
    "backup_settings": "folder-cog",
    "lots": "package",
    "import_patients": "import",
    "my_defaults": "bookmark-check",
    "export_fhir": "file-down",
    "progress": "chart-line",
    "outcome_measure": "clipboard-list",
    # front desk
    "print": "printer",
    "save_pdf": "file-down",
}

#: Icon size on toolbars and buttons (logical pixels).
TOOLBAR_ICON_SIZE: Final = 20


@functools.cache
def svg_source(name: str) -> str:
    """The SVG text of the icon meaning ``name``.

    Raises:
        KeyError: ``name`` is not in :data:`ICON_FILES`.
    """
    return resource("icons", f"{ICON_FILES[name]}.svg").read_text(encoding="utf-8")


def icon_colour(mode: QIcon.Mode, palette: QPalette | None = None) -> QColor:
    """The colour an icon draws in: the accent, or the disabled text colour."""
    palette = palette or QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Accent)


class _TintedSvgEngine(QIconEngine):
    """Draws one SVG in the colour of the current palette, cached per size and colour."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name
        self._cache: dict[tuple[int, int, str], QPixmap] = {}

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        colour = icon_colour(mode).name(QColor.NameFormat.HexRgb)
        svg = svg_source(self._name).replace("currentColor", colour)
        QSvgRenderer(QByteArray(svg.encode("utf-8"))).render(painter, rect)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        colour = icon_colour(mode).name(QColor.NameFormat.HexRgb)
        key = (size.width(), size.height(), colour)
        cached = self._cache.get(key)
        if cached is None:
            cached = QPixmap(size)
            cached.fill(Qt.GlobalColor.transparent)
            painter = QPainter(cached)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
            painter.end()
            self._cache[key] = cached
        return QPixmap(cached)

    def clone(self) -> QIconEngine:
        return _TintedSvgEngine(self._name)

    def key(self) -> str:
        return "clinic_app.tinted_svg"


def icon(name: str) -> QIcon:
    """The icon meaning ``name`` (see :data:`ICON_FILES`).

    Raises:
        KeyError: ``name`` is not a known icon.
    """
    svg_source(name)  # fail here, at the call, on an unknown name
    return QIcon(_TintedSvgEngine(name))


def apply(action: QAction, name: str) -> QAction:
    """Give ``action`` the icon meaning ``name``; returns the action."""
    action.setIcon(icon(name))
    return action
