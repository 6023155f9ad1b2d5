"""The outcome questionnaire dialog (NDI, ODI), built from the measure's data file.

One group per section with its six answers as radio buttons; the keys 0-5 answer the
section that has the focus and move on to the next one (Backspace clears it), so a
questionnaire filled in on paper is typed in ten key presses. The score and its band follow
every answer; Save records it (:meth:`OutcomeMeasureService.record`), and closing with
answers not saved asks first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.enums import Language
from clinic_app.domain.errors import ClinicError, ValidationError
from clinic_app.domain.measure_files import default_measures
from clinic_app.domain.measures import Measure, percent_text, score
from clinic_app.services.dto import MeasureEntry, MeasureResponseView
from clinic_app.ui.common import messages
from clinic_app.ui.measures.target import MeasureTarget

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

LANGUAGE_NAMES = {Language.ENGLISH: "English", Language.SPANISH: "Español"}
_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(6)}


class AnswerLabel(QLabel):
    """An answer's text beside its radio button: wraps, and a click on it chooses the answer.

    Signals:
        clicked(): the text was clicked.
    """

    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)


class SectionBox(QGroupBox):
    """One section: its title and its answers as exclusive radio buttons (ids 0-5), each
    with its text in a wrapping label beside it (a radio button's own text never wraps)."""

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.group = QButtonGroup(self)
        self.buttons: list[QRadioButton] = []
        self.labels: list[AnswerLabel] = []
        layout = QGridLayout(self)
        layout.setVerticalSpacing(3)
        layout.setColumnStretch(1, 1)
        for value in range(6):
            button = QRadioButton(str(value), self)
            label = AnswerLabel(self)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.clicked.connect(button.click)
            self.group.addButton(button, value)
            self.buttons.append(button)
            self.labels.append(label)
            layout.addWidget(button, value, 0, Qt.AlignmentFlag.AlignTop)
            layout.addWidget(label, value, 1)

    def set_texts(self, title: str, options: list[str]) -> None:
        self.setTitle(f"{self.number}. {title}")
        for value, (button, label, text) in enumerate(
            zip(self.buttons, self.labels, options, strict=True)
        ):
            label.setText(text)
            button.setAccessibleName(f"Section {self.number}, answer {value}: {text}")

    def answer(self) -> int | None:
        value = self.group.checkedId()
        return None if value < 0 else value

    def set_answer(self, value: int | None) -> None:
        if value is None:
            self.group.setExclusive(False)  # an exclusive group cannot uncheck its button
            for button in self.buttons:
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[value].setChecked(True)


class MeasureDialog(QDialog):
    """Record one outcome questionnaire for the target patient (and visit).

    Signals:
        answers_changed(): an answer was given, changed or cleared (the score follows).
        saved(MeasureResponseView): the questionnaire was recorded.

    Attributes:
        measure_combo, language_combo, date_edit, visit_combo: the choices above the
            sections; ``sections`` the section boxes; ``score_label`` the live score.
    """

    answers_changed = Signal()
    saved = Signal(object)

    def __init__(
        self,
        services: AppServices,
        target: MeasureTarget,
        parent: QWidget | None = None,
        *,
        measure: str | None = None,
        language: Language = Language.ENGLISH,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._target = target
        self._measures = default_measures()
        self._saved = False
        self.setObjectName("measureDialog")
        self.setWindowTitle("Outcome questionnaire — clinic_app")
        self.setAccessibleName("Outcome questionnaire")
        self.resize(760, 820)
        self._build(measure or next(iter(self._measures)), language)

    # ------------------------------------------------------------------ building
    def _build(self, code: str, language: Language) -> None:
        self.measure_combo = QComboBox()
        self.measure_combo.setAccessibleName("Questionnaire")
        for m in self._measures.values():
            self.measure_combo.addItem(f"{m.name} ({m.short_name} {m.version})", m.code)
        self.measure_combo.setCurrentIndex(self.measure_combo.findData(code))
        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName("Language of the questions")
        for lang, name in LANGUAGE_NAMES.items():
            self.language_combo.addItem(name, lang)
        self.language_combo.setCurrentIndex(self.language_combo.findData(language))
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        today = self._target.today
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.visit_combo = QComboBox()
        self.visit_combo.setAccessibleName("Visit")
        if self._target.patient_id is not None:
            self.visit_combo.addItem("Not linked to a visit", None)
        for encounter_id, label in self._target.visits:
            self.visit_combo.addItem(label, encounter_id)
        self.visit_combo.setCurrentIndex(self.visit_combo.findData(self._target.encounter_id))

        form = QFormLayout()
        self.patient_label = QLabel(self._target.patient_label)
        self.patient_label.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow("Patient:", self.patient_label)
        form.addRow("&Questionnaire:", self.measure_combo)
        form.addRow("&Language:", self.language_combo)
        form.addRow("&Taken on:", self.date_edit)
        form.addRow("&Visit:", self.visit_combo)

        self._body = QWidget()
        self._body_layout = QVBoxLayout(self._body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._body)
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.source_label.setTextFormat(Qt.TextFormat.PlainText)
        self.score_label = QLabel()
        self.score_label.setObjectName("measureScore")
        self.score_label.setAccessibleName("Score")
        self.score_label.setTextFormat(Qt.TextFormat.PlainText)
        self.score_label.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Keys 0-5 answer the section with the focus; Backspace clears it."))
        layout.addWidget(scroll, 1)
        layout.addWidget(self.source_label)
        layout.addWidget(self.score_label)
        layout.addWidget(self.buttons)
        self.sections: list[SectionBox] = []
        self.measure_combo.currentIndexChanged.connect(self._on_measure_chosen)
        self.language_combo.currentIndexChanged.connect(lambda _i: self._show_texts())
        self._code = code
        self._make_sections()

    def _make_sections(self) -> None:
        for box in self.sections:
            box.setParent(None)
            box.deleteLater()
        self.sections = []
        while self._body_layout.count():
            self._body_layout.takeAt(0)
        for number in range(1, len(self.measure.sections) + 1):
            box = SectionBox(number, self._body)
            box.group.buttonToggled.connect(self._on_toggled)
            self._body_layout.addWidget(box)
            self.sections.append(box)
        self._body_layout.addStretch(1)
        self.source_label.setText(f"Source: {self.measure.source}\n{self.measure.licence}")
        self._show_texts()
        self._update_score()

    def _show_texts(self) -> None:
        language = self.language()
        for box, section in zip(self.sections, self.measure.sections, strict=True):
            box.set_texts(section.title[language], [o[language] for o in section.options])

    # ------------------------------------------------------------------ state
    @property
    def measure(self) -> Measure:
        return self._measures[self._code]

    def language(self) -> Language:
        return Language(self.language_combo.currentData())

    def answers(self) -> tuple[int | None, ...]:
        return tuple(box.answer() for box in self.sections)

    def has_answers(self) -> bool:
        """Whether any answer was given that is not saved."""
        return not self._saved and any(a is not None for a in self.answers())

    def set_answers(self, answers: tuple[int | None, ...]) -> None:
        for box, value in zip(self.sections, answers, strict=True):
            box.set_answer(value)
        self._update_score()

    def score_text(self) -> str:
        """ "Score 18/50 · 36% · Moderate disability", or what is missing for a score."""
        answers = self.answers()
        answered = sum(a is not None for a in answers)
        if answered == 0:
            return "No answers yet."
        try:
            result = score(self.measure, answers)
        except ValidationError:
            need = len(answers) - self.measure.max_missing
            return f"{answered} of {len(answers)} answered: answer at least {need} for a score."
        return (
            f"Score {result.total}/{5 * result.answered} · {percent_text(result.percent)} · "
            f"{result.band}"
        )

    def _update_score(self) -> None:
        text = self.score_text()
        self.score_label.setText(text)
        self.save_button.setEnabled(text.startswith("Score"))

    # ------------------------------------------------------------------ slots
    def _on_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._update_score()
            self.answers_changed.emit()

    def _on_measure_chosen(self, _index: int) -> None:
        code = str(self.measure_combo.currentData())
        if code == self._code:
            return
        if self.has_answers() and not messages.confirm_discard(self):
            self.measure_combo.blockSignals(True)
            self.measure_combo.setCurrentIndex(self.measure_combo.findData(self._code))
            self.measure_combo.blockSignals(False)
            return
        self._code = code
        self._make_sections()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """0-5 answer the focused section and move to the next; Backspace clears it."""
        key = Qt.Key(event.key())
        current = self._focused_section()
        if current is None or (key not in _DIGITS and key != Qt.Key.Key_Backspace):
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_Backspace:
            current.set_answer(None)
            self._update_score()
            self.answers_changed.emit()
            return
        current.set_answer(_DIGITS[key])
        following = self.sections.index(current) + 1
        target = self.sections[following] if following < len(self.sections) else current
        (target.group.checkedButton() or target.buttons[0]).setFocus(Qt.FocusReason.TabFocusReason)

    def _focused_section(self) -> SectionBox | None:
        widget: QWidget | None = self.focusWidget()
        while widget is not None:
            if isinstance(widget, SectionBox):
                return widget
            widget = widget.parentWidget()
        return None

    def save(self) -> None:
        """Record the questionnaire; on success the dialog closes."""
        taken = self.date_edit.date().toPython()
        entry = MeasureEntry(
            self._code,
            self.answers(),
            taken,  # type: ignore[arg-type]
            patient_id=self._target.patient_id,
            encounter_id=self.visit_combo.currentData(),
        )
        try:
            view: MeasureResponseView = self._services.measures.record(entry)
        except ClinicError as exc:
            messages.show_error(self, "Questionnaire not saved", exc)
            return
        self._saved = True
        self.saved.emit(view)
        self.accept()

    def reject(self) -> None:
        """Cancel, Escape and the window's close button: ask first when answers would be lost
        (QDialog's close event calls this, and stays open when it does not close)."""
        if self.has_answers() and not messages.confirm_discard(self):
            return
        super().reject()


def open_measure_dialog(
    services: AppServices, target: MeasureTarget, parent: QWidget | None = None
) -> MeasureDialog:
    """Show the questionnaire dialog over ``parent`` (window-modal, deleted on close)."""
    dialog = MeasureDialog(services, target, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
