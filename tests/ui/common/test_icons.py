"""The shipped icon set: every name has its file, every file is used, each one draws."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QIcon, QImage, QPalette

from clinic_app.domain.resource_files import resource
from clinic_app.ui.common import icons


def painted_pixels(image: QImage) -> int:
    return sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 0
    )


def test_every_icon_name_has_its_svg_and_every_svg_is_used() -> None:
    folder = resource("icons")
    shipped = {item.name.removesuffix(".svg") for item in folder.iterdir()}
    assert shipped - set(icons.ICON_FILES.values()) == {"LICENSE.txt", "README.md"}
    assert set(icons.ICON_FILES.values()) <= shipped


def test_the_licence_ships_with_the_icons() -> None:
    licence = resource("icons", "LICENSE.txt").read_text(encoding="utf-8")
    assert "Lucide Contributors" in licence
    assert "Permission to use, copy, modify, and/or distribute" in licence


@pytest.mark.parametrize("name", sorted(icons.ICON_FILES))
def test_every_icon_renders_in_the_palette_colour(qapp, name: str) -> None:
    icon = icons.icon(name)
    assert not icon.isNull()
    image = icon.pixmap(QSize(24, 24)).toImage()
    assert painted_pixels(image) > 20
    accent = icons.icon_colour(QIcon.Mode.Normal)
    darkest = max(
        (image.pixelColor(x, y) for x in range(24) for y in range(24)),
        key=lambda c: c.alpha(),
    )
    assert (darkest.red(), darkest.green(), darkest.blue()) == (
        accent.red(),
        accent.green(),
        accent.blue(),
    )


def test_a_disabled_icon_draws_in_the_disabled_text_colour(qapp) -> None:
    image = icons.icon("save").pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage()
    opaque = [
        image.pixelColor(x, y)
        for x in range(24)
        for y in range(24)
        if image.pixelColor(x, y).alpha() == 255
    ]
    expected = qapp.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    assert opaque
    assert {c.name() for c in opaque} == {expected.name()}


def test_apply_sets_the_icon_and_refuses_an_unknown_name(qapp) -> None:
    action = QAction("Save")
    assert icons.apply(action, "save") is action
    assert not action.icon().isNull()
    with pytest.raises(KeyError):
        icons.apply(QAction("Nothing"), "no-such-icon")
