"""Undo commands for every chart edit (STYLE.md #4): the map and the table share one stack.

``redo()`` applies the edit to :class:`ChartModel`; ``undo()`` restores exactly what was
there. The editor's unsaved-changes flag is ``QUndoStack.isClean()``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from clinic_app.services.dto import SiteDraft
from clinic_app.ui.chart.model import ChartModel


def _describe(draft: SiteDraft) -> str:
    side = "R" if draft.site.side and draft.site.side.value == "right" else "L"
    return f"{draft.site.muscle_code.replace('_', ' ')} {side}"


class AddSiteCommand(QUndoCommand):
    """Add a site (a click on the map, the muscle picker, or a paste)."""

    def __init__(self, model: ChartModel, draft: SiteDraft, row: int | None = None) -> None:
        super().__init__(f"Add {_describe(draft)}")
        self._model = model
        self._draft = draft
        self._row = row
        self.key: int | None = None

    def redo(self) -> None:
        self.key = self._model.insert(self._draft, self._row, self.key)

    def undo(self) -> None:
        assert self.key is not None
        self._row, _ = self._model.remove(self.key)


class RemoveSiteCommand(QUndoCommand):
    """Remove a site (Delete on the map or in the table)."""

    def __init__(self, model: ChartModel, key: int) -> None:
        super().__init__(f"Remove {_describe(model.site(key).draft)}")
        self._model = model
        self._key = key
        self._row = 0
        self._draft: SiteDraft | None = None

    def redo(self) -> None:
        self._row, self._draft = self._model.remove(self._key)

    def undo(self) -> None:
        assert self._draft is not None
        self._model.insert(self._draft, self._row, self._key)


class EditSiteCommand(QUndoCommand):
    """Replace a site's content: a drag to a new place or muscle, or a table edit."""

    def __init__(self, model: ChartModel, key: int, new: SiteDraft, text: str) -> None:
        super().__init__(text)
        self._model = model
        self._key = key
        self._new = new
        self._old: SiteDraft | None = None

    def redo(self) -> None:
        self._old = self._model.update(self._key, self._new)

    def undo(self) -> None:
        assert self._old is not None
        self._model.update(self._key, self._old)


def apply_to_all(
    stack: QUndoStack, model: ChartModel, text: str, changed: dict[int, SiteDraft]
) -> None:
    """One undoable step that edits many sites ("Apply to all sites")."""
    edits = {k: d for k, d in changed.items() if model.site(k).draft != d}
    if not edits:
        return
    stack.beginMacro(text)
    for key, draft in edits.items():
        stack.push(EditSiteCommand(model, key, draft, text))
    stack.endMacro()


class ChartUndoStack(QUndoStack):
    """The editor's undo stack; locked, it is empty and takes no command.

    A signed visit's window must show exactly what was signed: locking clears the history
    (so Undo and Redo are disabled and cannot take back a site or a drug that was signed)
    and refuses any command pushed afterwards, whichever widget pushes it.

    Attributes:
        locked: True while the encounter cannot be edited here.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.locked = False

    def set_locked(self, locked: bool) -> None:
        self.locked = locked
        if locked:
            self.clear()

    def push(self, cmd: QUndoCommand) -> None:
        if not self.locked:
            super().push(cmd)

    def beginMacro(self, text: str) -> None:
        if not self.locked:
            super().beginMacro(text)

    def endMacro(self) -> None:
        if not self.locked:
            super().endMacro()

    def undo(self) -> None:
        if not self.locked:
            super().undo()

    def redo(self) -> None:
        if not self.locked:
            super().redo()

    def setIndex(self, idx: int) -> None:
        if not self.locked:
            super().setIndex(idx)
