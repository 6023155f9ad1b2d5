"""The clinic theme: palette per scheme, readable contrast, following the OS, touch sizes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QToolBar,
    QToolButton,
)

from clinic_app.ui.common import theme
from clinic_app.ui.common.theme import DARK, LIGHT, MIN_HIT, MIN_ROW, Scheme
from clinic_app.ui.main_window import MainWindow


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours."""
    high, low = sorted((luminance(QColor(a)), luminance(QColor(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=lambda s: s.name)
def test_text_meets_wcag_aa_on_its_background(scheme: Scheme) -> None:
    for text, background in (
        (scheme.window_text, scheme.window),
        (scheme.text, scheme.base),
        (scheme.text, scheme.alternate_base),
        (scheme.button_text, scheme.button),
        (scheme.placeholder, scheme.base),
        (scheme.highlighted_text, scheme.highlight),
        (scheme.link, scheme.base),
        (scheme.window_text, scheme.hover),
        (scheme.window_text, scheme.checked),
        (scheme.window_text, scheme.tooltip),
    ):
        assert contrast(text, background) >= 4.5, (scheme.name, text, background)
    # Icons are graphics: 3:1 (WCAG 1.4.11) on the toolbar, hovered or not.
    for background in (scheme.window, scheme.hover, scheme.checked):
        assert contrast(scheme.accent, background) >= 3.0, (scheme.name, background)


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=lambda s: s.name)
def test_applying_a_scheme_sets_its_palette_roles(themed: QApplication, scheme: Scheme) -> None:
    assert theme.apply_theme(themed, scheme) is scheme
    palette = themed.palette()
    roles = QPalette.ColorRole
    for role, expected in (
        (roles.Window, scheme.window),
        (roles.WindowText, scheme.window_text),
        (roles.Base, scheme.base),
        (roles.Text, scheme.text),
        (roles.Button, scheme.button),
        (roles.Highlight, scheme.highlight),
        (roles.HighlightedText, scheme.highlighted_text),
        (roles.Accent, scheme.accent),
        (roles.PlaceholderText, scheme.placeholder),
    ):
        assert palette.color(role).name() == expected, role
    disabled = palette.color(QPalette.ColorGroup.Disabled, roles.ButtonText)
    assert disabled.name() == scheme.disabled_text
    assert QPushButton("OK").sizeHint().height() >= MIN_HIT
    assert scheme.accent in themed.styleSheet()
    assert theme.current_scheme() is scheme


def test_dark_is_dark_and_light_is_light() -> None:
    assert luminance(QColor(DARK.window)) < 0.05 < 0.8 < luminance(QColor(LIGHT.window))
    assert luminance(QColor(DARK.text)) > 0.7 > 0.05 > luminance(QColor(LIGHT.text))


def test_the_theme_follows_the_os_scheme_live(
    themed: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(theme, "os_scheme", lambda: LIGHT)
    theme.apply_theme(themed)
    assert themed.palette().color(QPalette.ColorRole.Window).name() == LIGHT.window
    monkeypatch.setattr(theme, "os_scheme", lambda: DARK)
    themed.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert themed.palette().color(QPalette.ColorRole.Window).name() == DARK.window
    assert theme.current_scheme() is DARK
    # A forced scheme stays whatever the OS says; None follows the OS again.
    theme.set_scheme(LIGHT)
    themed.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.current_scheme() is LIGHT
    theme.set_scheme(None)
    assert theme.current_scheme() is DARK


def test_applying_twice_keeps_one_follower(themed: QApplication) -> None:
    theme.apply_theme(themed, LIGHT)
    theme.apply_theme(themed, DARK)
    assert len(themed.findChildren(theme._SchemeFollower)) == 1


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=lambda s: s.name)
def test_main_window_toolbar_buttons_are_touch_size_with_icon_and_text(
    qtbot, themed: QApplication, services, scheme: Scheme
) -> None:
    theme.apply_theme(themed, scheme)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    buttons = [
        button
        for toolbar in window.findChildren(QToolBar)
        for button in toolbar.findChildren(QToolButton)
        if button.defaultAction() is not None and button.isVisible()
    ]
    assert len(buttons) >= 7
    for button in buttons:
        assert button.height() >= MIN_HIT, button.text()
        assert button.width() >= MIN_HIT, button.text()
        assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        assert not button.defaultAction().icon().isNull(), button.text()
    assert window.search_box.height() >= MIN_HIT
    assert window.table.verticalHeader().defaultSectionSize() >= MIN_ROW


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=lambda s: s.name)
def test_a_warning_label_is_readable_red_in_each_scheme(
    qtbot, themed: QApplication, scheme: Scheme
) -> None:
    theme.apply_theme(themed, scheme)
    label = QLabel("Last backup 3 days ago")
    qtbot.addWidget(label)
    theme.mark_danger(label)
    label.ensurePolished()
    shown = label.palette().color(QPalette.ColorRole.WindowText).name()
    assert shown == scheme.danger
    assert contrast(shown, scheme.window) >= 4.5
    assert label.font().bold()
    theme.mark_danger(label, False)
    assert label.palette().color(QPalette.ColorRole.WindowText).name() == scheme.window_text


def test_the_theme_switches_a_shown_window_live(qtbot, themed: QApplication, services) -> None:
    theme.apply_theme(themed, LIGHT)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.table.palette().color(QPalette.ColorRole.Base).name() == LIGHT.base
    theme.set_scheme(DARK)
    assert window.table.palette().color(QPalette.ColorRole.Base).name() == DARK.base
    image = window.table.viewport().grab().toImage()  # an empty list: only its background
    assert image.pixelColor(image.width() // 2, image.height() // 2).name() == DARK.base
