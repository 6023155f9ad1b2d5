"""Screening before the first needle: one key or click per answer, or all at once.

Issue 12 §4: eight drop-downs cost 16 clicks. Each question is now an :class:`AnswerPicker`
(Y / N / ?), "All negative / reviewed" answers every open question with its all-clear answer
in one undoable action, and what the patient record already says (anticoagulant, pregnancy,
diabetes, the allergy list or NKDA) is shown as "carried over from the record" until the
provider confirms it — one click for all. Safety: "All negative" never overwrites an answer:
a carried-over yes (the patient is on an anticoagulant) is confirmed as yes, and the box
says so. A carried-over answer is not stored until confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.allergies import allergy_status
from clinic_app.domain.rules import default_rules
from clinic_app.domain.screening import ScreeningAnswer
from clinic_app.domain.screening_prefill import Proposal, all_clear_answer, record_proposals
from clinic_app.services.dto import PatientView
from clinic_app.ui.encounter.pickers import AnswerPicker

ALL_NEGATIVE_TEXT = "All negative / reviewed"
ALL_NEGATIVE_SHORTCUT = "Ctrl+Alt+N"
CONFIRM_TEXT = "Confirm from record"
CARRIED_TEXT = "carried over from the record"

#: {code: (answer, carried)}: what the pickers show and which are unconfirmed proposals.
State = dict[str, tuple[bool | None, bool]]


@dataclass
class ScreeningRow:
    """One question's widgets."""

    answer: AnswerPicker
    note: QLineEdit
    carried: QLabel


class ScreeningCommand(QUndoCommand):
    """A change of screening answers, undone as one step (STYLE.md #4)."""

    def __init__(self, box: ScreeningBox, before: State, after: State, text: str) -> None:
        super().__init__(text)
        self._box, self._before, self._after = box, before, after

    def redo(self) -> None:
        self._box.apply_state(self._after)

    def undo(self) -> None:
        self._box.apply_state(self._before)


class ScreeningBox(QWidget):
    """The screening questions with their one-action helpers.

    Signals:
        changed(): the user changed an answer (click, key, All negative, confirm, undo).

    Attributes:
        rows: per question code, its widgets. all_negative_button, confirm_button: the
        actions. status: what the last action kept, and why.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Screening")
        self._questions = {q.code: q for q in default_rules().questions}
        self._proposals: dict[str, Proposal] = {}
        self._stack: QUndoStack | None = None
        self._applying = False
        self._read_only = False
        self._shown: State = {}
        self.rows: dict[str, ScreeningRow] = {}
        grid = QGridLayout()
        grid.setColumnStretch(3, 1)
        grid.setVerticalSpacing(2)
        for row, question in enumerate(self._questions.values()):
            label = QLabel(question.label)
            label.setToolTip(question.help)
            answer = AnswerPicker(f"{question.label}: answer")
            carried = QLabel()
            carried.setProperty("carried", True)
            carried.setAccessibleName(f"{question.label}: carried over")
            carried.hide()
            note = QLineEdit()
            note.setAccessibleName(f"{question.label}: note")
            note.setPlaceholderText("Note")
            label.setBuddy(answer)
            grid.addWidget(label, row, 0)
            grid.addWidget(answer, row, 1)
            grid.addWidget(carried, row, 2)
            grid.addWidget(note, row, 3)
            self.rows[question.code] = ScreeningRow(answer, note, carried)
            answer.answered.connect(
                lambda value, code=question.code: self._on_answered(code, value)
            )
            answer.advanced.connect(lambda code=question.code: self._focus_after(code))
        self.all_negative_button = QPushButton(ALL_NEGATIVE_TEXT)
        self.all_negative_button.setAccessibleName(ALL_NEGATIVE_TEXT)
        self.all_negative_button.setToolTip(
            f"Answer every open question with its all-clear answer ({ALL_NEGATIVE_SHORTCUT}); "
            "answers given and positives from the record are kept. Undo takes it back."
        )
        self.all_negative_button.clicked.connect(self.on_all_negative)
        self.shortcut = QShortcut(QKeySequence(ALL_NEGATIVE_SHORTCUT), self)
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcut.activated.connect(self.on_all_negative)
        self.confirm_button = QPushButton(CONFIRM_TEXT)
        self.confirm_button.setAccessibleName(CONFIRM_TEXT)
        self.confirm_button.setToolTip("Keep every answer carried over from the patient record")
        self.confirm_button.clicked.connect(self.on_confirm)
        self.status = QLabel()
        self.status.setAccessibleName("Screening status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        actions = QHBoxLayout()
        actions.addWidget(self.all_negative_button)
        actions.addWidget(self.confirm_button)
        actions.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(actions)
        layout.addLayout(grid)
        self._update_actions()

    # ------------------------------------------------------------------ set-up
    def set_undo_stack(self, stack: QUndoStack | None) -> None:
        """Answers become commands on ``stack`` (the editor's): Ctrl+Z takes them back."""
        self._stack = stack

    def set_proposals(self, proposals: dict[str, Proposal]) -> None:
        """What the patient record answers; shown on open questions by :meth:`set_values`."""
        self._proposals = {c: p for c, p in proposals.items() if c in self.rows}

    # ------------------------------------------------------------------ values
    def set_values(self, answers: dict[str, ScreeningAnswer], *, propose: bool) -> None:
        """Show stored answers (no signal); open questions show the record's proposals when
        ``propose`` (a draft being charted, not a signed record)."""
        state: State = {}
        for code, row in self.rows.items():
            entry = answers.get(code, ScreeningAnswer())
            row.note.setText(entry.note)
            proposal = self._proposals.get(code)
            if entry.answer is None and propose and proposal is not None:
                state[code] = (proposal.answer, True)
            else:
                state[code] = (entry.answer, False)
        self.apply_state(state, notify=False)
        self.status.clear()

    def values(self) -> dict[str, ScreeningAnswer]:
        """The recorded answers (a carried-over, unconfirmed answer is not one yet)."""
        result = {}
        for code, row in self.rows.items():
            answer = None if row.answer.pending else row.answer.answer()
            result[code] = ScreeningAnswer(answer, row.note.text().strip())
        return result

    def state(self) -> State:
        return {code: (r.answer.answer(), r.answer.pending) for code, r in self.rows.items()}

    def apply_state(self, state: State, *, notify: bool = True) -> None:
        """Show ``state`` (the undo command's way in); emits ``changed`` when ``notify``."""
        self._applying = True
        try:
            for code, (answer, carried) in state.items():
                row = self.rows[code]
                row.answer.set_answer(answer)
                row.answer.pending = carried
                proposal = self._proposals.get(code)
                row.carried.setText(f"{CARRIED_TEXT}: {proposal.because}" if proposal else "")
                row.carried.setToolTip(row.carried.text())
                row.carried.setVisible(carried and proposal is not None)
        finally:
            self._applying = False
        self._update_actions()
        if notify:
            self.changed.emit()

    def drop_proposals(self) -> None:
        """Show only what is recorded (a signed or locked encounter proposes nothing)."""
        self.apply_state(
            {code: (None, False) if c else (a, False) for code, (a, c) in self.state().items()},
            notify=False,
        )

    def set_read_only(self, read_only: bool) -> None:
        for row in self.rows.values():
            row.answer.setReadOnly(read_only)
            row.note.setReadOnly(read_only)
        self.shortcut.setEnabled(not read_only)
        self._read_only = read_only
        if read_only:
            self.drop_proposals()
        self._update_actions()

    # ------------------------------------------------------------------ actions
    def _change(self, after: State, text: str) -> None:
        before = self.state()
        if after == before:
            return
        if self._stack is None:
            self.apply_state(after)
        else:
            self._stack.push(ScreeningCommand(self, before, after, text))

    def _on_answered(self, code: str, answer: bool | None) -> None:
        if self._applying:
            return
        # The picker already shows the answer; the command records the step for undo.
        before = dict(self._shown)
        after = dict(self._shown)
        after[code] = (answer, False)
        label = self._questions[code].label
        if self._stack is None:
            self.apply_state(after)
        else:
            self._stack.push(ScreeningCommand(self, before, after, f"Answer {label}"))

    def _focus_after(self, code: str) -> None:
        codes = list(self.rows)
        index = codes.index(code) + 1
        if index < len(codes):
            self.rows[codes[index]].answer.setFocus(Qt.FocusReason.TabFocusReason)

    def on_all_negative(self) -> None:
        """Every open question gets its all-clear answer; nothing answered is overwritten."""
        if self._read_only:
            return
        after: State = {}
        kept: list[str] = []
        for code, (answer, carried) in self.state().items():
            question = self._questions[code]
            if carried:
                after[code] = (answer, False)  # the record's answer, confirmed
                if answer != all_clear_answer(question):
                    kept.append(f"{question.label}: {'yes' if answer else 'no'}")
            elif answer is None:
                after[code] = (all_clear_answer(question), False)
            else:
                after[code] = (answer, False)
                if answer != all_clear_answer(question):
                    kept.append(f"{question.label}: {'yes' if answer else 'no'}")
        self._change(after, ALL_NEGATIVE_TEXT)
        self.status.setText(
            "Kept (from the record or answered): " + "; ".join(kept) + "." if kept else ""
        )

    def on_confirm(self) -> None:
        """Keep every carried-over answer as today's answer."""
        after = {code: (answer, False) for code, (answer, _c) in self.state().items()}
        self._change(after, CONFIRM_TEXT)

    def _update_actions(self) -> None:
        self._shown = self.state()
        pending = sum(1 for _a, carried in self._shown.values() if carried)
        read_only = self._read_only
        self.confirm_button.setText(f"{CONFIRM_TEXT} ({pending})" if pending else CONFIRM_TEXT)
        self.confirm_button.setEnabled(bool(pending) and not read_only)
        self.confirm_button.setVisible(bool(pending) or bool(self._proposals))
        self.all_negative_button.setEnabled(not read_only)


def screening_proposals(patient: PatientView) -> dict[str, Proposal]:
    """What ``patient``'s record answers (anticoagulant, pregnancy, diabetes, allergies)."""
    flags = {
        "patient.anticoagulant": patient.anticoagulant,
        "patient.pregnant_or_breastfeeding": patient.pregnant_or_breastfeeding,
        "patient.diabetes": patient.diabetes,
    }
    status = allergy_status(patient.allergies, patient.no_known_drug_allergies)
    return record_proposals(default_rules().questions, flags, status)
