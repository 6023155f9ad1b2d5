"""Clinic fields shared by the first-run setup and the clinic settings dialog."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from clinic_app.domain.enums import Language
from clinic_app.domain.labels import LANGUAGE_LABELS
from clinic_app.ui.common.forms import FormErrors

THIS_COMPUTER_ZONE = "this computer's time zone"


def _known_zone(name: str) -> str:
    name = name.strip().lstrip(":")
    if not name or name.startswith("/"):
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return name


def computer_zone_name(
    env: Mapping[str, str] | None = None, localtime: Path = Path("/etc/localtime")
) -> str:
    """This computer's IANA zone name when it can be told portably, else "".

    Looked for in the ``TZ`` variable, then where ``/etc/localtime`` points (Linux, macOS);
    Windows names its zones differently, so there the answer is "" (= this computer's zone,
    which is still right for a clinic with one workstation).
    """
    zone = _known_zone((os.environ if env is None else env).get("TZ", ""))
    if zone:
        return zone
    try:
        target = str(localtime.resolve(strict=True))
    except OSError:
        return ""
    marker = "zoneinfo/"
    return _known_zone(target.split(marker, 1)[1]) if marker in target else ""


def zone_combo() -> QComboBox:
    """An editable list of IANA zone names; empty means this computer's zone."""
    combo = QComboBox()
    combo.setAccessibleName("Time zone")
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("")
    combo.addItems(sorted(z for z in available_timezones() if "/" in z and z.isascii()))
    combo.setCurrentIndex(0)
    line = combo.lineEdit()
    assert line is not None  # an editable combo always has one
    line.setPlaceholderText(THIS_COMPUTER_ZONE)
    completer = QCompleter(combo.model(), combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    combo.setCompleter(completer)
    combo.setToolTip(
        "Times on screen and on paper are shown in this zone (stored in UTC). Leave empty "
        "to use this computer's zone."
    )
    return combo


class ClinicBoxMixin:
    """The "Clinic" group (name, address, phones, handout language, zone) and the handout
    defaults, shared by the first-run setup and the clinic settings dialog. The host sets
    ``self.errors`` first."""

    errors: FormErrors

    def _clinic_box(self) -> QGroupBox:
        e = self.errors
        self.clinic_name = line_field("Clinic name", "required")
        self.address = QPlainTextEdit()
        self.address.setAccessibleName("Clinic address")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.address.fontMetrics().lineSpacing() * 3 + 14)
        self.phone = line_field("Clinic phone")
        self.after_hours_phone = line_field("After-hours phone", "printed on the aftercare handout")
        self.default_language = QComboBox()
        self.default_language.setAccessibleName("Default handout language")
        for language in Language:
            self.default_language.addItem(LANGUAGE_LABELS[language], language)
        box = QGroupBox("Clinic")
        form = form_layout(box)
        form_row(form, "Clinic &name:", e.wrap("name", self.clinic_name), self.clinic_name)
        form_row(form, "&Address:", e.wrap("address", self.address), self.address)
        form_row(form, "&Phone:", e.wrap("phone", self.phone), self.phone)
        form_row(
            form,
            "After-&hours phone:",
            e.wrap("after_hours_phone", self.after_hours_phone),
            self.after_hours_phone,
        )
        form_row(form, "Handout &language:", self.default_language, self.default_language)
        self.timezone = zone_combo()
        form_row(form, "Time &zone:", e.wrap("timezone", self.timezone), self.timezone)
        return box

    def timezone_text(self) -> str:
        """The zone typed or chosen ("" = this computer's)."""
        return self.timezone.currentText().strip()

    def set_timezone(self, name: str) -> None:
        self.timezone.setEditText(name)

    def _handout_defaults_box(self) -> tuple[QGroupBox, QFormLayout]:
        """The "Aftercare handout" group: fever threshold, rest, follow-up (the caller may
        add rows to the returned form)."""
        e = self.errors
        self.fever_threshold = QDoubleSpinBox()
        self.fever_threshold.setAccessibleName("Fever threshold in degrees Celsius")
        self.fever_threshold.setDecimals(1)
        self.fever_threshold.setRange(37.5, 39.5)
        self.fever_threshold.setSingleStep(0.1)
        self.fever_threshold.setSuffix(" °C")
        self.fahrenheit = QLabel()
        self.fever_threshold.valueChanged.connect(self.on_fever_changed)
        self.fever_threshold.setValue(38.0)
        self.on_fever_changed(self.fever_threshold.value())
        fever_row = QWidget()
        row = QHBoxLayout(fever_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.fever_threshold)
        row.addWidget(self.fahrenheit, 1)
        self.activity_hours = spin_field("Hours without strenuous activity", 0, 336, 48, " hours")
        self.follow_up_weeks = spin_field("Follow-up after weeks", 0, 52, 3, " weeks")
        box = QGroupBox("Aftercare handout")
        form = form_layout(box)
        form_row(
            form,
            "&Fever threshold:",
            e.wrap("fever_threshold_c", self.fever_threshold, shown=fever_row),
            self.fever_threshold,
        )
        form_row(
            form,
            "Rest from strenuous &activity:",
            e.wrap("activity_restriction_hours", self.activity_hours),
            self.activity_hours,
        )
        form_row(
            form,
            "Follow-&up visit after:",
            e.wrap("follow_up_weeks", self.follow_up_weeks),
            self.follow_up_weeks,
        )
        return box, form

    def on_fever_changed(self, celsius: float) -> None:
        self.fahrenheit.setText(f"= {celsius * 9 / 5 + 32:.1f} °F")


def line_field(accessible_name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible_name)
    edit.setPlaceholderText(placeholder)
    return edit


def spin_field(accessible_name: str, low: int, high: int, value: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setAccessibleName(accessible_name)
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin


def form_layout(box: QGroupBox) -> QFormLayout:
    form = QFormLayout(box)
    # Text fields fill the column; spin boxes keep their natural width.
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    return form


def form_row(form: QFormLayout, caption: str, field: QWidget, buddy: QWidget) -> None:
    label = QLabel(caption)
    label.setBuddy(buddy)
    form.addRow(label, field)
