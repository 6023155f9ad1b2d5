"""The app's look: Fusion, a calm clinical palette, touch-size controls, light or dark.

Applied once at start-up (:func:`apply_theme`). The scheme follows the operating system's
light or dark setting (``QStyleHints.colorScheme``, Qt 6.5+) and switches live when it
changes; :func:`set_scheme` forces one (tests, screenshots). Text colours meet WCAG AA
(4.5:1) on the backgrounds they are used on; ``tests/ui/common/test_theme.py`` computes it.

The anatomical figure of the body map stays a light drawing in both schemes
(:data:`FIGURE_CANVAS` is its background), like a paper chart on a dark desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

#: Smallest height of a button, combo box or field: a fingertip (touch screens at the point
#: of care), about 9 mm at 96 dpi.
MIN_HIT: Final = 34
#: Smallest height of a table row: still a fingertip, two pixels less so tables keep rows.
MIN_ROW: Final = 32
#: The body map's background in both schemes: the figure is a light drawing.
FIGURE_CANVAS: Final = QColor("#f7f9fa")


@dataclass(frozen=True)
class Scheme:
    """One scheme's colours (hex strings)."""

    name: str
    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    button: str
    button_text: str
    placeholder: str
    disabled_text: str
    highlight: str
    highlighted_text: str
    accent: str
    link: str
    border: str
    grid: str
    hover: str
    checked: str
    tooltip: str
    danger: str


LIGHT: Final = Scheme(
    name="light",
    window="#f3f6f8",
    window_text="#1b2733",
    base="#ffffff",
    alternate_base="#f1f6f8",
    text="#1b2733",
    button="#fbfcfd",
    button_text="#1b2733",
    placeholder="#5d6b78",
    disabled_text="#94a0aa",
    highlight="#0d6e9a",
    highlighted_text="#ffffff",
    accent="#0f766e",
    link="#0b5fa5",
    border="#c5d0d8",
    grid="#e0e7ec",
    hover="#e0eff1",
    checked="#cde6ea",
    tooltip="#ffffff",
    danger="#b71c1c",
)

DARK: Final = Scheme(
    name="dark",
    window="#1b2228",
    window_text="#e4eaef",
    base="#141a1f",
    alternate_base="#1d252c",
    text="#e4eaef",
    button="#26303a",
    button_text="#e4eaef",
    placeholder="#9aa8b4",
    disabled_text="#66737e",
    highlight="#1d6a94",
    highlighted_text="#ffffff",
    accent="#5cc8bb",
    link="#80c6f2",
    border="#3a4752",
    grid="#2b353e",
    hover="#23404a",
    checked="#1f4d57",
    tooltip="#26303a",
    danger="#ff8a80",
)

_STYLE = """
QToolBar {{ spacing: 4px; padding: 1px 6px; border: none;
            border-bottom: 1px solid {border}; background: {window}; }}
QToolBar QToolButton {{ min-height: {min_button}px; padding: 3px 5px; border: 1px solid transparent;
                        border-radius: 6px; }}
QToolBar QToolButton:hover {{ background: {hover}; border-color: {border}; }}
QToolBar QToolButton:checked {{ background: {checked}; border-color: {accent}; }}
QToolBar QToolButton:pressed {{ background: {checked}; }}
QToolBar QToolButton:disabled {{ color: {disabled_text}; }}
QLineEdit, QPlainTextEdit, QTextEdit {{ border: 1px solid {border}; border-radius: 4px;
    background: {base}; padding: 2px 4px; }}
QLineEdit {{ min-height: {min_field}px; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border-color: {accent}; }}
QAbstractSpinBox QLineEdit, QComboBox QLineEdit {{ border: none; padding: 0; min-height: 0; }}
QMenu::item:selected {{ background: {hover}; color: {window_text}; }}
QTableView, QTreeView, QListView {{ gridline-color: {grid}; }}
QHeaderView::section {{ padding: 4px 6px; }}
QLabel[danger="true"] {{ color: {danger}; font-weight: bold; }}
QToolTip {{ color: {window_text}; background: {tooltip}; border: 1px solid {border}; }}
"""


def stylesheet(scheme: Scheme) -> str:
    """The application style sheet for ``scheme``: toolbar, menus, tables, tooltips."""
    # min-height is the content's: the padding and border come on top.
    return _STYLE.format(min_button=MIN_HIT - 8, min_field=MIN_HIT - 6, **vars(scheme))


def mark_danger(widget: QWidget, on: bool = True) -> None:
    """Show ``widget``'s text as a warning: bold, in the scheme's readable red."""
    widget.setProperty("danger", on)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def palette(scheme: Scheme) -> QPalette:
    """A full palette for ``scheme`` (every role the app's widgets paint with)."""
    pal = QPalette()
    roles = QPalette.ColorRole
    for role, value in (
        (roles.Window, scheme.window),
        (roles.WindowText, scheme.window_text),
        (roles.Base, scheme.base),
        (roles.AlternateBase, scheme.alternate_base),
        (roles.Text, scheme.text),
        (roles.Button, scheme.button),
        (roles.ButtonText, scheme.button_text),
        (roles.BrightText, "#ffffff"),
        (roles.PlaceholderText, scheme.placeholder),
        (roles.Highlight, scheme.highlight),
        (roles.HighlightedText, scheme.highlighted_text),
        (roles.Accent, scheme.accent),
        (roles.Link, scheme.link),
        (roles.LinkVisited, scheme.link),
        (roles.ToolTipBase, scheme.tooltip),
        (roles.ToolTipText, scheme.window_text),
    ):
        pal.setColor(role, QColor(value))
    border = QColor(scheme.border)
    dark = scheme is DARK
    pal.setColor(roles.Mid, border)
    pal.setColor(roles.Dark, border.darker(130) if not dark else QColor("#0e1317"))
    pal.setColor(roles.Shadow, QColor("#000000") if dark else border.darker(180))
    pal.setColor(roles.Light, QColor(scheme.button).lighter(115))
    pal.setColor(
        roles.Midlight, QColor(scheme.button).lighter(105) if dark else border.lighter(115)
    )
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        pal.setColor(disabled, role, QColor(scheme.disabled_text))
    pal.setColor(disabled, roles.Highlight, border)
    return pal


_GROWN: Final[dict[QStyle.ContentsType, int]] = {
    QStyle.ContentsType.CT_PushButton: MIN_HIT,
    QStyle.ContentsType.CT_ComboBox: MIN_HIT,
    QStyle.ContentsType.CT_LineEdit: MIN_HIT,
    QStyle.ContentsType.CT_SpinBox: MIN_HIT,
    QStyle.ContentsType.CT_ToolButton: MIN_HIT,
    QStyle.ContentsType.CT_ItemViewItem: MIN_ROW,
}


class TouchStyle(QProxyStyle):
    """Fusion with buttons, combo boxes, fields and table rows at least :data:`MIN_HIT` high."""

    _INDICATORS = (
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_IndicatorRadioButton,
    )

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def sizeFromContents(
        self,
        kind: QStyle.ContentsType,
        option: QStyleOption,
        size: QSize,
        widget: QWidget | None = None,
    ) -> QSize:
        result = super().sizeFromContents(kind, option, size, widget)  # type: ignore[arg-type]
        least = _GROWN.get(kind, 0)
        if result.height() < least:
            result.setHeight(least)
        return result

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        dark_field = option.palette.color(QPalette.ColorRole.Base).lightness() < 128
        if element in self._INDICATORS and dark_field and isinstance(painter, QPainter):
            # Fusion outlines check boxes and radio buttons in a darker window colour, which
            # vanishes on a dark window: a visible edge (3:1 against the field).
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(option.palette.color(QPalette.ColorRole.PlaceholderText), 1))
            box = QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5)
            if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
                side = min(box.width(), box.height())
                box = QRectF(box.center().x() - side / 2, box.center().y() - side / 2, side, side)
                painter.drawEllipse(box)
            else:
                painter.drawRoundedRect(box, 2, 2)
            painter.restore()

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        if metric == QStyle.PixelMetric.PM_HeaderDefaultSectionSizeVertical:
            return MIN_ROW
        if metric == QStyle.PixelMetric.PM_ToolBarIconSize:
            return 20
        return int(super().pixelMetric(metric, option, widget))


class _SchemeFollower(QObject):
    """Applies the scheme the OS asks for, now and whenever it changes (unless forced)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.forced: Scheme | None = None
        self.current: Scheme = LIGHT
        app.styleHints().colorSchemeChanged.connect(self.on_os_scheme_changed)

    def on_os_scheme_changed(self, _scheme: Qt.ColorScheme | None = None) -> None:
        if self.forced is None:
            self.apply(os_scheme())

    def apply(self, scheme: Scheme) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.current = scheme
        app.setPalette(palette(scheme))
        app.setStyleSheet(stylesheet(scheme))


def os_scheme() -> Scheme:
    """The scheme the operating system asks for (light when it says nothing)."""
    hints = QGuiApplication.styleHints()
    return DARK if hints.colorScheme() == Qt.ColorScheme.Dark else LIGHT


def _follower(app: QApplication) -> _SchemeFollower | None:
    found = app.findChild(_SchemeFollower)
    return found if isinstance(found, _SchemeFollower) else None


def apply_theme(app: QApplication, scheme: Scheme | None = None) -> Scheme:
    """Give ``app`` the clinic look, following the OS scheme (or ``scheme`` when given).

    Safe to call more than once. Returns the scheme now in force.
    """
    follower = _follower(app)
    if follower is None:
        follower = _SchemeFollower(app)
        app.setStyle(TouchStyle())
    follower.forced = scheme
    follower.apply(scheme or os_scheme())
    return follower.current


def set_scheme(scheme: Scheme | None) -> None:
    """Force ``scheme`` (``None``: follow the OS again) on the themed application."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, scheme)


def current_scheme() -> Scheme | None:
    """The scheme in force, or ``None`` when the theme was never applied."""
    app = QApplication.instance()
    follower = _follower(app) if isinstance(app, QApplication) else None
    return follower.current if follower else None


def remove_theme(app: QApplication) -> None:
    """Undo :func:`apply_theme`: Qt's Fusion, its own palette, no style sheet (tests)."""
    follower = _follower(app)
    if follower is None:
        return
    app.styleHints().colorSchemeChanged.disconnect(follower.on_os_scheme_changed)
    follower.setParent(None)
    follower.deleteLater()
    app.setStyleSheet("")
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(QPalette())
