"""The clinic settings dialog and its File-menu action."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from clinic_app.domain.enums import Language, Role
from clinic_app.services.dto import ClinicProfileData
from clinic_app.ui.admin import clinic_settings as clinic_settings_dialog
from clinic_app.ui.admin.clinic_settings import NO_LOGO_TEXT, ClinicSettingsDialog
from clinic_app.ui.main_window import MainWindow
from tests.factories import PASSWORD, add_user
from tests.ui.prompts import Prompts

# Opening a dialog over the window makes the offscreen plugin say it cannot propagate
# size hints or raise a window, which only a real window system can.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)"
)


@pytest.fixture
def profiled(services):
    """The set-up clinic with every profile field filled in."""
    services.clinic.update_profile(
        ClinicProfileData(
            name="Riverside Pain Clinic",
            address="1 River Rd\nSpringfield",
            phone="555-0100",
            after_hours_phone="555-0199",
            default_language=Language.SPANISH,
            fever_threshold_c=Decimal("38.5"),
            activity_restriction_hours=24,
            follow_up_weeks=4,
        ),
        expected_version=services.clinic.profile().version,
    )
    return services


@pytest.fixture
def dialog(qtbot, profiled) -> ClinicSettingsDialog:
    d = ClinicSettingsDialog(profiled)
    qtbot.addWidget(d)
    return d


def image_file(path: Path, width: int, height: int, fmt: str = "PNG") -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#1565c0"))
    assert image.save(str(path), fmt)
    return path


def choose_file(prompts: Prompts, path: Path) -> None:
    prompts.answer("ask_open_file", str(path))


def test_prefilled_from_profile(dialog):
    assert dialog.clinic_name.text() == "Riverside Pain Clinic"
    assert dialog.address.toPlainText() == "1 River Rd\nSpringfield"
    assert dialog.phone.text() == "555-0100"
    assert dialog.after_hours_phone.text() == "555-0199"
    assert dialog.default_language.currentData() == Language.SPANISH
    assert dialog.fever_threshold.value() == pytest.approx(38.5)
    assert dialog.fahrenheit.text() == "= 101.3 °F"
    assert dialog.activity_hours.value() == 24
    assert dialog.follow_up_weeks.value() == 4
    assert dialog.logo_png is None
    assert dialog.logo_preview.text() == NO_LOGO_TEXT
    assert not dialog.remove_logo_button.isEnabled()
    assert not dialog.is_dirty()


def test_saving_phone_and_fever_threshold(qtbot, dialog, profiled):
    dialog.phone.setText("555-0123")
    dialog.fever_threshold.setValue(38.9)
    assert dialog.is_dirty()
    with qtbot.wait_signal(dialog.profile_saved) as sig:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert sig.args[0].phone == "555-0123"
    assert dialog.result() == ClinicSettingsDialog.DialogCode.Accepted
    profile = profiled.clinic.profile()
    assert profile.phone == "555-0123"
    assert profile.fever_threshold_c == Decimal("38.9")
    # Untouched fields are kept as they were.
    assert profile.after_hours_phone == "555-0199"
    assert profile.default_language == Language.SPANISH
    assert profile.follow_up_weeks == 4


def test_refused_value_marks_field_and_keeps_typing(qtbot, dialog, profiled):
    dialog.clinic_name.setText("   ")
    dialog.phone.setText("555-0777")
    with qtbot.assert_not_emitted(dialog.profile_saved):
        dialog.accept()
    assert dialog.errors.invalid_fields() == ["name"]
    assert dialog.errors.message("name")
    assert dialog.phone.text() == "555-0777"
    assert dialog.result() != ClinicSettingsDialog.DialogCode.Accepted
    assert profiled.clinic.profile().phone == "555-0100"


@pytest.mark.service_behaviour
def test_settings_saved_elsewhere_meanwhile_are_not_overwritten(qtbot, dialog, profiled):
    """Issue 11 §2: the dialog passes the version it loaded; a stale save is refused."""
    current = profiled.clinic.profile()
    theirs = profiled.clinic.update_profile(
        ClinicProfileData(name=current.name, phone="555-0999"), expected_version=current.version
    )
    dialog.address.setPlainText("2 Hill St")
    with qtbot.assert_not_emitted(dialog.profile_saved):
        dialog.accept()
    assert "changed on another workstation" in dialog.errors.general_message()
    assert dialog.address.toPlainText() == "2 Hill St"  # what was typed stays
    assert profiled.clinic.profile() == theirs


def test_a_check_lowered_in_the_dialog_does_not_make_its_own_save_stale(
    qtbot, dialog, profiled, prompts
):
    """The checks live on the profile: lowering one moves its version, and the dialog's
    copy follows, so the Save after it is not refused as "changed elsewhere"."""
    box = dialog.documentation_checks
    dialog.phone.setText("555-0142")
    prompts.answer("ask_rule_lowering_reason", "Consent kept on paper")
    box.select_rule("documentation.consent")
    with qtbot.waitSignal(box.version_changed) as moved:
        box.lower_button.click()
    assert moved.args == [box.version - 1, box.version]
    with qtbot.waitSignal(dialog.profile_saved):
        dialog.accept()
    stored = profiled.clinic.profile()
    assert stored.phone == "555-0142"
    assert stored.version == box.version + 1
    lowered = {r.rule_id for r in profiled.clinic.rule_settings().rules if r.lowered}
    assert lowered == {"documentation.consent"}


@pytest.mark.service_behaviour
def test_a_check_changed_from_a_stale_dialog_is_refused_and_keeps_the_reason(
    qtbot, dialog, profiled, prompts
):
    """Issue 11 §2: another administrator saved the settings after this dialog opened."""
    box = dialog.documentation_checks
    dialog.address.setPlainText("2 Hill St")  # typed in the form meanwhile
    current = profiled.clinic.profile()
    theirs = profiled.clinic.update_profile(
        ClinicProfileData(name=current.name, phone="555-0999"), expected_version=current.version
    )
    reason = "Consent kept on paper in the front office"
    prompts.answer("ask_rule_lowering_reason", reason)
    prompts.answer("show_error")
    box.select_rule("documentation.consent")
    with qtbot.assert_not_emitted(box.changed):
        box.lower_button.click()
    assert prompts.titles()[-1] == "Changed on another workstation"
    assert "changed on another workstation" in prompts.shown[-1].text
    assert box.status.text().startswith("Not changed: the clinic settings were changed")
    assert "Your reason is kept" in box.status.text()
    assert not any(r.lowered for r in profiled.clinic.rule_settings().rules)
    assert profiled.clinic.profile() == theirs
    # The list now shows the stored state (and its version); the typed reason comes back.
    assert box.version == theirs.version
    assert box.current_rule().rule_id == "documentation.consent"
    assert box.kept_reason("documentation.consent") == reason
    prompts.answer("ask_rule_lowering_reason", lambda prompt: prompt.default)
    with qtbot.waitSignal(box.changed):
        box.lower_button.click()
    assert prompts.shown[-1].default == reason
    stored = {r.rule_id: r for r in profiled.clinic.rule_settings().rules}
    assert stored["documentation.consent"].reason == reason
    assert box.kept_reason("documentation.consent") == ""
    # The form itself is still older than the other administrator's save: Save refuses it
    # and what was typed stays.
    with qtbot.assert_not_emitted(dialog.profile_saved):
        dialog.accept()
    assert "changed on another workstation" in dialog.errors.general_message()
    assert dialog.address.toPlainText() == "2 Hill St"
    assert profiled.clinic.profile().phone == "555-0999"


def test_choosing_a_logo_stores_png_within_600_by_200(qtbot, dialog, profiled, prompts, tmp_path):
    choose_file(prompts, image_file(tmp_path / "logo.png", 1200, 300))
    qtbot.mouseClick(dialog.choose_logo_button, Qt.MouseButton.LeftButton)
    assert dialog.logo_png is not None
    assert not dialog.logo_preview.pixmap().isNull()
    assert dialog.remove_logo_button.isEnabled()
    with qtbot.wait_signal(dialog.profile_saved):
        dialog.accept()

    stored = profiled.clinic.profile().logo_png
    assert stored is not None
    assert stored.startswith(b"\x89PNG\r\n\x1a\n")
    image = QImage.fromData(stored)
    assert (image.width(), image.height()) == (600, 150)


def test_jpeg_logo_is_stored_as_png(qtbot, dialog, prompts, tmp_path):
    choose_file(prompts, image_file(tmp_path / "logo.jpg", 100, 400, "JPEG"))
    qtbot.mouseClick(dialog.choose_logo_button, Qt.MouseButton.LeftButton)
    assert dialog.logo_png is not None
    assert dialog.logo_png.startswith(b"\x89PNG")
    image = QImage.fromData(dialog.logo_png)
    assert (image.width(), image.height()) == (50, 200)


def test_unreadable_logo_file_shows_message_and_stores_nothing(
    qtbot, dialog, profiled, prompts, tmp_path
):
    bad = tmp_path / "logo.png"
    bad.write_bytes(b"this is not an image")
    choose_file(prompts, bad)
    qtbot.mouseClick(dialog.choose_logo_button, Qt.MouseButton.LeftButton)
    assert "Could not read" in dialog.errors.message("logo_png")
    assert "PNG or JPEG" in dialog.errors.message("logo_png")
    assert dialog.logo_png is None
    assert not dialog.is_dirty()
    with qtbot.wait_signal(dialog.profile_saved):
        dialog.accept()
    assert profiled.clinic.profile().logo_png is None


def test_remove_logo(qtbot, profiled, prompts, tmp_path):
    png = clinic_settings_dialog.logo_png_from_file(str(image_file(tmp_path / "l.png", 60, 20)))
    current = profiled.clinic.profile()
    profiled.clinic.update_profile(
        ClinicProfileData(
            name=current.name, fever_threshold_c=current.fever_threshold_c, logo_png=png
        ),
        expected_version=current.version,
    )
    d = ClinicSettingsDialog(profiled)
    qtbot.addWidget(d)
    assert d.logo_png == png
    qtbot.mouseClick(d.remove_logo_button, Qt.MouseButton.LeftButton)
    assert d.logo_png is None
    assert d.logo_preview.text() == NO_LOGO_TEXT
    with qtbot.wait_signal(d.profile_saved):
        d.accept()
    assert profiled.clinic.profile().logo_png is None


def test_cancel_with_edits_asks_first(qtbot, dialog, prompts):
    prompts.answer("confirm_discard", False)
    dialog.reject()  # no edits: closes without asking
    assert prompts.shown == []
    dialog.phone.setText("555-0000")
    dialog.setResult(-1)
    dialog.reject()
    assert prompts.names() == ["confirm_discard"]
    assert dialog.result() == -1  # kept open, edits kept
    assert dialog.phone.text() == "555-0000"


def test_admin_gets_the_action_and_saving_refreshes_title(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    action = window.clinic_settings_action
    assert action.isEnabled()
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()

    action.trigger()
    dialog = window.clinic_settings_dialog
    assert dialog is not None
    dialog.clinic_name.setText("Lakeside Pain Clinic")
    with qtbot.wait_signal(window.clinic_settings_saved):
        dialog.accept()
    assert window.windowTitle() == "clinic_app — Lakeside Pain Clinic"
    qtbot.waitUntil(lambda: window.clinic_settings_dialog is None)


def test_non_admin_does_not_get_the_action(qtbot, services):
    add_user(services, "nnurse", "Nora Nurse", Role.NURSE, "RN")
    services.clinic.authenticate("nnurse", PASSWORD)
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert not window.clinic_settings_action.isEnabled()
    window.clinic_settings_action.trigger()
    assert window.clinic_settings_dialog is None


def test_the_default_skin_prep_is_a_clinic_setting(qtbot, dialog, profiled):
    """Issue 12 §4: chlorhexidine unless the clinic chooses another (or none)."""
    from clinic_app.domain.enums import SkinPrep

    assert dialog.default_skin_prep.currentData() == SkinPrep.CHLORHEXIDINE
    dialog.default_skin_prep.setCurrentIndex(dialog.default_skin_prep.findData(SkinPrep.ALCOHOL))
    assert dialog.is_dirty()
    with qtbot.wait_signal(dialog.profile_saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert profiled.clinic.profile().default_skin_prep is SkinPrep.ALCOHOL


def test_the_handout_progress_line_is_a_clinic_setting_off_by_default(qtbot, dialog, profiled):
    """Issue 14 §1: the clinic turns the handout's "your progress" line on."""
    assert not dialog.handout_progress.isChecked()
    dialog.handout_progress.setChecked(True)
    assert dialog.is_dirty()
    with qtbot.wait_signal(dialog.profile_saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert profiled.clinic.profile().handout_progress is True
    again = ClinicSettingsDialog(profiled)
    qtbot.addWidget(again)
    assert again.handout_progress.isChecked()
