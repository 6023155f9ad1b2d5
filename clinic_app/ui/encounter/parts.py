"""Pieces of the encounter editor window: the patient header, message bars, the map's stand-in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain import clock
from clinic_app.domain.allergies import allergy_status
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Side
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.labels import STATUS_LABELS
from clinic_app.services.dto import EncounterView, PatientView, RepeatedVisit, SiteDraft
from clinic_app.ui.bodymap.widget import BodyMapWidget
from clinic_app.ui.chart.model import ChartModel
from clinic_app.ui.common.labels import age_in_years, alerts_of, local_timestamp

#: The two ways out of a save conflict (another workstation saved the encounter first).
RELOAD_THEIRS_TEXT = "Reload their version"
SAVE_AS_NEW_TEXT = "Save mine as a new draft"
DISCARD_MINE_TEXT = "Discard my edits"

#: A message bar's action: the button's text and what clicking it does.
BarAction = tuple[str, Callable[[], object]]

PARTS_STYLE = """
QLabel#editorPatientName { font-size: 15pt; font-weight: 600; }
QLabel#allergies { background: #b71c1c; color: white; font-weight: bold;
                   border-radius: 3px; padding: 3px 8px; }
QLabel#allergies[none="true"] { background: palette(window); color: palette(window-text);
                                font-weight: normal; border: 1px solid palette(mid); }
QLabel#alerts { background: #fff3e0; color: #8a3b00; border: 1px solid #f0b27a;
                border-radius: 3px; padding: 3px 6px; }
QFrame#messageBar { border-radius: 3px; }
QFrame#messageBar[kind="error"] { background: #fdecea; border: 1px solid #e57373; }
QFrame#messageBar[kind="info"] { background: #fff4d6; border: 1px solid #e0b44c; }
QFrame#messageBar[kind="locked"] { background: #e8eaf6; border: 1px solid #7986cb; }
QFrame#messageBar QLabel { color: black; }
QFrame#messageBar QPushButton { padding: 3px 10px; }
QLabel#checksText[empty="true"] { color: palette(mid); }
"""


def _plain_label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setAccessibleName(name)
    return label


class EncounterHeader(QWidget):
    """Who, when, by whom, and the allergies in red: always in view while charting.

    Attributes:
        name, details, allergies, alerts, encounter: the labels shown.
    """

    def __init__(
        self,
        patient: PatientView,
        encounter: EncounterView,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = clock.today,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Patient and encounter")
        self.name = _plain_label(patient.display_name, "Patient name")
        self.name.setObjectName("editorPatientName")
        age = age_in_years(patient.date_of_birth, today())
        weight = f"{patient.weight_kg} kg" if patient.weight_kg is not None else "not recorded"
        self.details = _plain_label(
            f"DOB {patient.date_of_birth.isoformat()} (age {age}) · MRN {patient.mrn} · "
            f"Weight {weight}",
            "Date of birth, MRN and weight",
        )
        status = allergy_status(patient.allergies, patient.no_known_drug_allergies)
        self.allergies = _plain_label(
            f"Allergies: {status.text}" if status.alert else status.text, "Allergies"
        )
        self.allergies.setObjectName("allergies")
        self.allergies.setWordWrap(False)
        # Red only for a real list: "None" or NKDA is not an allergy alert.
        self.allergies.setProperty("none", not status.alert)
        flags = alerts_of(patient)
        self.alerts = _plain_label(" · ".join(flags), "Clinical alerts")
        self.alerts.setObjectName("alerts")
        self.alerts.setWordWrap(False)
        self.alerts.setVisible(bool(flags))
        self.encounter = _plain_label(name="Provider, date and status")
        self.encounter.setWordWrap(False)  # the time and its zone stay on one line
        self.set_encounter(encounter)
        self.encounter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)

        who = QVBoxLayout()
        who.setSpacing(2)
        who.addWidget(self.name)
        who.addWidget(self.details)
        row = QHBoxLayout()
        row.addWidget(self.allergies)
        row.addWidget(self.alerts)
        row.addStretch(1)
        who.addLayout(row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(who, 1)
        layout.addWidget(self.encounter)

    def set_encounter(self, encounter: EncounterView) -> None:
        """Show this encounter's provider, time and status (after a reload or a switch)."""
        self.encounter.setText(
            f"Provider: {encounter.provider_name}\n"
            f"{local_timestamp(encounter.performed_at, encounter.clinic_timezone)} · "
            f"{STATUS_LABELS.get(encounter.status, str(encounter.status))}"
        )


class MessageBar(QFrame):
    """A message across the window that stays until it is dealt with (no modal loop).

    A message may carry actions: buttons that deal with it (each message replaces the
    previous one's buttons).

    Signals:
        dismissed(): the user closed the bar.

    Attributes:
        label: the message.
        kind: "error", "info" or "locked" (drives the colour).
        close_button: "Dismiss"; hidden for a message that must be dealt with.
        action_buttons: the current message's action buttons, in order.
    """

    dismissed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None, *, closable: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAccessibleName(name)
        self.kind = "info"
        self._closable = closable
        self.action_buttons: list[QPushButton] = []
        self.label = _plain_label(name=name)
        self.close_button = QPushButton("Dismiss")
        self.close_button.setAccessibleName(f"Dismiss {name.lower()}")
        self.close_button.clicked.connect(self.on_close_clicked)
        self.close_button.setVisible(closable)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 4, 4)
        self._layout.addWidget(self.label, 1)
        self._layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(
        self,
        text: str,
        kind: str = "info",
        actions: Sequence[BarAction] = (),
        *,
        closable: bool | None = None,
    ) -> None:
        """Show ``text`` with these action buttons; ``closable`` overrides the bar's default."""
        self.kind = kind
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        self._set_actions(actions)
        self.close_button.setVisible(self._closable if closable is None else closable)
        self.show()

    def show_list(self, heading: str, items: Sequence[str], kind: str = "info") -> None:
        self.show_message("\n".join([heading, *(f"• {item}" for item in items)]), kind)

    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""

    def button(self, text: str) -> QPushButton | None:
        """The current message's action button with this text, if any."""
        return next((b for b in self.action_buttons if b.text() == text), None)

    def on_close_clicked(self) -> None:
        self.hide()
        self.dismissed.emit()

    def _set_actions(self, actions: Sequence[BarAction]) -> None:
        for old in self.action_buttons:
            self._layout.removeWidget(old)
            old.hide()
            old.deleteLater()  # it may be the button whose click is being handled
        self.action_buttons = []
        for position, (text, slot) in enumerate(actions, 1):
            button = QPushButton(text)
            button.setAccessibleName(text)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            self._layout.insertWidget(position, button, 0, Qt.AlignmentFlag.AlignTop)
            self.action_buttons.append(button)


def freeze_inputs(root: QWidget) -> int:
    """Make every input under ``root`` unchangeable, whoever added it; returns how many.

    A signed visit's form must not take a keystroke, whatever fields the form grows: text
    stays selectable (read-only), choices and check boxes are disabled.
    """
    frozen = 0
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QAbstractSpinBox):
            widget.setReadOnly(True)
        elif isinstance(widget, QComboBox | QAbstractSlider) or (
            isinstance(widget, QAbstractButton) and widget.isCheckable()
        ):
            widget.setEnabled(False)
        else:
            continue
        frozen += 1
    return frozen


class BodyMapUnavailable(QFrame):
    """Stands in for the body map when its drawings cannot be loaded.

    Same signals and methods as :class:`clinic_app.ui.bodymap.widget.BodyMapWidget`, so the
    editor works the same (the table still shows and edits every site).

    Signals:
        marker_selected(int): never emitted.
        status_message(str): never emitted.
    """

    marker_selected = Signal(int)
    status_message = Signal(str)

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Body map")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Ctrl+Z works from here as on the map
        self.reason = reason
        label = _plain_label(
            f"The body map cannot be shown: {reason}\n\nSites can still be reviewed and "
            "edited in the table.",
            "Body map unavailable",
        )
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.selected: int | None = None
        self.read_only = False
        self.flagged: set[int] = set()
        self.factory: Callable[[str, Side, View, float, float], SiteDraft] | None = None

    def select_site(self, key: int | None) -> None:
        self.selected = key

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only

    def set_flagged_sites(self, numbers: set[int] | frozenset[int]) -> None:
        self.flagged = set(numbers)

    def set_site_factory(
        self, factory: Callable[[str, Side, View, float, float], SiteDraft]
    ) -> None:
        self.factory = factory


def make_body_map(chart: ChartModel, stack: QUndoStack) -> BodyMapWidget | BodyMapUnavailable:
    """The body map, or a stand-in that says why it cannot be drawn."""
    try:
        return BodyMapWidget(chart, stack)
    except ClinicError as exc:  # the drawings are missing or broken: chart from the table
        return BodyMapUnavailable(str(exc))


EDIT_DRAFT_TEXT = "Edit draft"


def show_signed_banner(bar: MessageBar, signed: str, action: BarAction | None) -> None:
    """A signed encounter: read-only, with the way to add an addendum (``action``; None
    for a role that may not add one)."""
    bar.show_message(
        f"{signed}: this encounter is read-only. Corrections are added as an "
        "addendum, never by editing the signed record.",
        "locked",
        [action] if action else [],
        closable=False,
    )


def show_past_draft_banner(bar: MessageBar, day: date, edit: Callable[[], object] | None) -> None:
    """A draft of an earlier day, opened read-only until "Edit draft" (``edit``; None for
    a role that may not chart)."""
    finish = f" Choose “{EDIT_DRAFT_TEXT}” to finish it." if edit else ""
    bar.show_message(
        f"Unsigned draft from {day.isoformat()}: opened read-only so a "
        f"past visit is not changed by accident.{finish}",
        "locked",
        [(EDIT_DRAFT_TEXT, edit)] if edit else [],
        closable=False,
    )


def show_repeat_banner(bar: MessageBar, repeated: RepeatedVisit, zone: str) -> None:
    """What a repeated visit copied, and what changed since that needs a second look."""
    when = local_timestamp(repeated.previous_at, zone)
    heading = (
        f"Copied from the visit of {when}: sites, needles and doses. Screening, consent, "
        "time-out and pain scores are today's to fill in."
    )
    if repeated.changes:
        bar.show_list(heading + "\nCheck before treating:", repeated.changes, "info")
    else:
        bar.show_message(heading + " Nothing has changed since.", "info")
