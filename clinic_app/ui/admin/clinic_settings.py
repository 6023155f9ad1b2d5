"""Administrators edit the clinic profile after setup, including the handout's logo."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QImage, QImageWriter, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.errors import ClinicError
from clinic_app.domain.labels import SKIN_PREP_LABELS
from clinic_app.domain.sign_in import IDLE_LOCK_DEFAULT, IDLE_LOCK_MAX, IDLE_LOCK_MIN
from clinic_app.services.dto import ClinicProfileData, ClinicProfileView
from clinic_app.ui.admin.clinic_fields import ClinicBoxMixin, form_layout, form_row, spin_field
from clinic_app.ui.admin.rule_settings import DocumentationRulesBox
from clinic_app.ui.common import messages
from clinic_app.ui.common.forms import FORM_STYLE, FormErrors
from clinic_app.ui.common.messages import confirm_discard

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

#: The largest logo stored; the handout header draws it far smaller, so more is waste.
LOGO_MAX_WIDTH = 600
LOGO_MAX_HEIGHT = 200
#: The preview in the dialog.
PREVIEW_WIDTH = 240
PREVIEW_HEIGHT = 80
NO_LOGO_TEXT = "No logo"
LOGO_FILTER = "Images (*.png *.jpg *.jpeg);;PNG (*.png);;JPEG (*.jpg *.jpeg)"

_Snapshot = tuple[object, ...]


def logo_png_from_file(path: str) -> bytes | None:
    """The image at ``path`` as PNG bytes at most 600×200 px; ``None`` when unreadable."""
    image = QImage(path)
    if image.isNull():
        return None
    if image.width() > LOGO_MAX_WIDTH or image.height() > LOGO_MAX_HEIGHT:
        image = image.scaled(
            LOGO_MAX_WIDTH,
            LOGO_MAX_HEIGHT,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # QImageWriter, not QImage.save: PySide6's stubs and runtime disagree on save()'s format type.
    saved = QImageWriter(buffer, QByteArray(b"png")).write(image)
    buffer.close()
    return bytes(data.data()) if saved else None


class ClinicSettingsDialog(ClinicBoxMixin, QDialog):
    """Edits the clinic profile through ``services.clinic.update_profile``.

    Save stores the profile; on a refused value the field at fault is marked and
    everything typed stays. Cancel, Esc or the close button ask before discarding edits.

    Signals:
        profile_saved(ClinicProfileView): the profile was saved.

    Attributes:
        errors: the inline error display (tests read messages from it).
        save_button: the button that saves (Save role).
        logo_preview: the logo as it will print, or "No logo".
        choose_logo_button, remove_logo_button: change or drop the logo.
    """

    profile_saved = Signal(object)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._saved: ClinicProfileView | None = None
        self._logo_png: bytes | None = None
        self.setWindowTitle("Clinic settings")
        self.setAccessibleName("Clinic settings")
        self.setStyleSheet(FORM_STYLE)
        self.setMinimumWidth(520)

        general = QLabel(self)
        general.setAccessibleName("Error")
        self.errors = FormErrors(general)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save clinic settings")

        layout = QVBoxLayout(self)
        layout.addWidget(self._clinic_box())
        layout.addWidget(self._handout_box())
        layout.addWidget(self._lock_box())
        self._add_documentation_checks(layout)
        layout.addWidget(general)
        layout.addWidget(buttons)

        profile = services.clinic.profile()
        #: The version the form was loaded from (the service refuses a stale save).
        self._version = profile.version if profile is not None else 0
        if profile is not None:
            self._load(profile)
        self._initial = self.snapshot()
        self.clinic_name.setFocus()

    # ------------------------------------------------------------------ building
    def _handout_box(self) -> QGroupBox:
        e = self.errors
        box, form = self._handout_defaults_box()

        self.logo_preview = QLabel(NO_LOGO_TEXT)
        self.logo_preview.setAccessibleName("Logo preview")
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setMinimumSize(PREVIEW_WIDTH, PREVIEW_HEIGHT)
        self.logo_preview.setStyleSheet("QLabel { border: 1px dashed #9e9e9e; color: #616161; }")
        self.choose_logo_button = QPushButton("&Choose…")
        self.choose_logo_button.setAccessibleName("Choose logo")
        self.choose_logo_button.setToolTip("A PNG or JPEG image, printed in the handout's header")
        self.choose_logo_button.clicked.connect(self.on_choose_logo)
        self.remove_logo_button = QPushButton("&Remove")
        self.remove_logo_button.setAccessibleName("Remove logo")
        self.remove_logo_button.clicked.connect(self.on_remove_logo)
        logo_row = QWidget()
        logo_layout = QHBoxLayout(logo_row)
        logo_layout.setContentsMargins(0, 0, 0, 0)
        logo_layout.addWidget(self.logo_preview)
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.choose_logo_button)
        logo_buttons.addWidget(self.remove_logo_button)
        logo_buttons.addStretch(1)
        logo_layout.addLayout(logo_buttons)
        logo_layout.addStretch(1)

        form_row(
            form,
            "Lo&go:",
            e.wrap("logo_png", self.choose_logo_button, shown=logo_row),
            self.choose_logo_button,
        )
        self._show_logo()
        self.handout_progress = QCheckBox("Show the patient's &progress on the handout")
        self.handout_progress.setToolTip(
            "One line on the handout, in the patient's language: their pain at the first "
            "visit and today"
        )
        form.addRow("", self.handout_progress)
        return box

    def _lock_box(self) -> QGroupBox:
        self.idle_lock_minutes = spin_field(
            "Lock after minutes without input",
            IDLE_LOCK_MIN,
            IDLE_LOCK_MAX,
            IDLE_LOCK_DEFAULT,
            " minutes",
        )
        self.idle_lock_minutes.setToolTip(
            "Every window hides its patient data after this long without keyboard or mouse "
            "input; Ctrl+L locks at once. Unlocking needs the user's password."
        )
        box = QGroupBox("Workstation")
        form = form_layout(box)
        form_row(
            form,
            "Loc&k after:",
            self.errors.wrap("idle_lock_minutes", self.idle_lock_minutes),
            self.idle_lock_minutes,
        )
        self.default_skin_prep = QComboBox()
        self.default_skin_prep.setAccessibleName("Default skin prep")
        self.default_skin_prep.setToolTip("What a new encounter's skin prep starts with")
        self.default_skin_prep.addItem("None (chosen at each visit)", None)
        for prep, label in SKIN_PREP_LABELS.items():
            self.default_skin_prep.addItem(label, prep)
        form_row(
            form,
            "Default skin &prep:",
            self.errors.wrap("default_skin_prep", self.default_skin_prep),
            self.default_skin_prep,
        )
        return box

    def _add_documentation_checks(self, layout: QVBoxLayout) -> None:
        """Which completeness checks block signing (saved on their own, not by Save)."""
        self.documentation_checks = DocumentationRulesBox(self._services)
        self.documentation_checks.version_changed.connect(self.on_rules_saved)
        layout.addWidget(self.documentation_checks)

    def _load(self, p: ClinicProfileView) -> None:
        self.clinic_name.setText(p.name)
        self.address.setPlainText(p.address)
        self.phone.setText(p.phone)
        self.after_hours_phone.setText(p.after_hours_phone)
        index = self.default_language.findData(p.default_language)
        if index >= 0:
            self.default_language.setCurrentIndex(index)
        self.fever_threshold.setValue(float(p.fever_threshold_c))
        self.activity_hours.setValue(p.activity_restriction_hours)
        self.follow_up_weeks.setValue(p.follow_up_weeks)
        self.set_timezone(p.timezone)
        self.idle_lock_minutes.setValue(p.idle_lock_minutes)
        self.default_skin_prep.setCurrentIndex(
            max(self.default_skin_prep.findData(p.default_skin_prep), 0)
        )
        self._logo_png = p.logo_png
        self._show_logo()
        self.handout_progress.setChecked(p.handout_progress)

    # ------------------------------------------------------------------ state
    @property
    def profile(self) -> ClinicProfileView | None:
        """The profile as saved (``None`` until a save succeeded)."""
        return self._saved

    @property
    def logo_png(self) -> bytes | None:
        """The logo the form holds now, as PNG bytes."""
        return self._logo_png

    def is_dirty(self) -> bool:
        """True when any field differs from what the dialog opened with."""
        return self.snapshot() != self._initial

    def snapshot(self) -> _Snapshot:
        """Every field's raw value, as typed (what "unsaved changes" compares)."""
        return (
            self.clinic_name.text(),
            self.address.toPlainText(),
            self.phone.text(),
            self.after_hours_phone.text(),
            self.default_language.currentData(),
            f"{self.fever_threshold.value():.1f}",
            self.activity_hours.value(),
            self.follow_up_weeks.value(),
            self._logo_png,
            self.timezone_text(),
            self.idle_lock_minutes.value(),
            self.default_skin_prep.currentData(),
            self.handout_progress.isChecked(),
        )

    def form_input(self) -> ClinicProfileData:
        """What the form holds, for the service to check."""
        return ClinicProfileData(
            name=self.clinic_name.text(),
            address=self.address.toPlainText(),
            phone=self.phone.text(),
            after_hours_phone=self.after_hours_phone.text(),
            default_language=self.default_language.currentData(),
            fever_threshold_c=Decimal(f"{self.fever_threshold.value():.1f}"),
            activity_restriction_hours=self.activity_hours.value(),
            follow_up_weeks=self.follow_up_weeks.value(),
            logo_png=self._logo_png,
            timezone=self.timezone_text(),
            idle_lock_minutes=self.idle_lock_minutes.value(),
            default_skin_prep=self.default_skin_prep.currentData(),
            handout_progress=self.handout_progress.isChecked(),
        )

    # ------------------------------------------------------------------ slots
    def on_choose_logo(self) -> None:
        path = messages.ask_open_file(self, "Choose the clinic's logo", LOGO_FILTER)
        if not path:
            return
        self.errors.clear()
        png = logo_png_from_file(path)
        if png is None:
            self.errors.show(
                "logo_png",
                f"Could not read {path} as an image; choose a PNG or JPEG file.",
            )
            return
        self._logo_png = png
        self._show_logo()

    def on_remove_logo(self) -> None:
        self.errors.clear()
        self._logo_png = None
        self._show_logo()

    def on_rules_saved(self, before: int, after: int) -> None:
        """A check was lowered or restored from this dialog: the profile's version moved.

        The form's copy follows only when it was that same version (nothing else changed
        the settings meanwhile), so Save still refuses a form that another workstation's
        save made stale.
        """
        if self._version == before:
            self._version = after

    # ------------------------------------------------------------------ QDialog
    def accept(self) -> None:
        """Save; stays open with the field marked when the service refuses."""
        self.errors.clear()
        try:
            saved = self._services.clinic.update_profile(
                self.form_input(), expected_version=self._version
            )
        except ClinicError as exc:
            self.errors.show_exception(exc)
            return
        self._saved = saved
        self._version = saved.version
        self._initial = self.snapshot()
        self.profile_saved.emit(saved)
        super().accept()

    def reject(self) -> None:
        """Cancel, Esc and the close button: ask first when edits would be lost."""
        if self.is_dirty() and not confirm_discard(self):
            return
        super().reject()

    # ------------------------------------------------------------------ helpers
    def _show_logo(self) -> None:
        pixmap = QPixmap()
        if self._logo_png and pixmap.loadFromData(self._logo_png):
            self.logo_preview.setPixmap(
                pixmap.scaled(
                    PREVIEW_WIDTH,
                    PREVIEW_HEIGHT,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(NO_LOGO_TEXT)
        self.remove_logo_button.setEnabled(self._logo_png is not None)
