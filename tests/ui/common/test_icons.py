"""The shipped icon set: every name has its file, every file is used, each one draws."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QIcon, QImage, QPalette
from PySide6.QtWidgets import QMainWindow, QToolBar, QToolButton

from clinic_app.domain.resource_files import resource
from clinic_app.ui.common import icons
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.main_window import MainWindow


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


MAIN_WINDOW_COMMANDS = (
    "new_patient_action", "edit_patient_action", "void_patient_action", "refresh_action",
    "find_action", "quit_action", "front_desk_action", "clinic_settings_action",
    "change_password_action", "about_action", "users_action", "audit_trail_action",
    "new_encounter_action", "repeat_visit_action", "back_up_action", "restore_action",
    "backup_settings_action",
)  # fmt: skip
EDITOR_COMMANDS = (
    "undo_action", "redo_action", "remove_site_action", "apply_all_action", "save_action",
    "sign_action", "addendum_action", "close_action",
)  # fmt: skip


def assert_toolbar_actions_have_icons(window: QMainWindow) -> int:
    count = 0
    for toolbar in window.findChildren(QToolBar):
        for action in toolbar.actions():
            if isinstance(toolbar.widgetForAction(action), QToolButton):
                assert not action.icon().isNull(), action.text()
                count += 1
    return count


def test_every_main_window_command_has_an_icon(qtbot, services) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    for name in MAIN_WINDOW_COMMANDS:
        assert not getattr(window, name).icon().isNull(), name
    lock = window.session_lock
    for action in (lock.lock_action, lock.sign_out_action):
        assert not action.icon().isNull(), action.text()
    assert assert_toolbar_actions_have_icons(window) >= 7


def test_every_editor_command_has_an_icon(qtbot, services, admin, make_patient) -> None:
    encounter = services.encounters.create(make_patient().id, admin.id)
    editor = EncounterEditor(services, encounter.id)
    qtbot.addWidget(editor)
    actions = editor.editor_actions
    for name in EDITOR_COMMANDS:
        assert not getattr(actions, name).icon().isNull(), name
    assert assert_toolbar_actions_have_icons(editor) >= 9  # with injection / dry needling
