"""The pain drawing of an encounter: read it, save a draft's, and the muscles it suggests.

One drawing per encounter (:class:`clinic_app.models.PainDrawing`), saved on its own with its
own version, so shading never races the editor's form-and-sites save. A signed encounter's
drawing never changes: the service refuses (as the editor's save does) and the database
triggers of migration 0017 refuse any client. The signed snapshot carries the drawing
(:func:`clinic_app.services.snapshot.build_snapshot`), so the note prints what was signed.
"Repeat last visit" does not copy it: pain is asked afresh at every visit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from clinic_app.domain import fields as f
from clinic_app.domain.bodymap import FigureView
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import EncounterStatus, Side
from clinic_app.domain.errors import ConflictError, NotFoundError, ValidationError
from clinic_app.domain.pain_drawing import PainDrawing, PainDrawingError
from clinic_app.domain.pain_drawing_rank import DEFAULT_LIMIT, Suggestion, suggest
from clinic_app.models import Encounter
from clinic_app.models import PainDrawing as PainDrawingRow
from clinic_app.reports.note_data import NotePainDrawing, NotePainMark
from clinic_app.services import rows
from clinic_app.services.base import Service

#: What a save from a stale copy of the drawing is told.
STALE_DRAWING = (
    "The pain drawing was changed on another workstation since you opened this visit; "
    "reopen it to see the changes. Your shading was not saved."
)
_SIDES = frozenset(side.value for side in Side)
_VIEWS = frozenset(view.value for view in View)
#: Most suggestions one call returns.
MAX_LIMIT = 50


@dataclass(frozen=True, slots=True)
class PainDrawingView:
    """An encounter's pain drawing as stored.

    Attributes:
        encounter_id: the visit.
        drawing: the shaded cells (empty when nothing was drawn).
        version: the version to pass back when saving; 0 while no drawing was ever saved.
    """

    encounter_id: int
    drawing: PainDrawing
    version: int


def stored_drawing(session: Session, encounter_id: int) -> PainDrawing:
    """The encounter's drawing (empty when none is stored, or unreadable)."""
    row = session.get(PainDrawingRow, encounter_id)
    if row is None:
        return PainDrawing()
    try:
        return PainDrawing.decode(row.cells)
    except PainDrawingError:
        return PainDrawing()


def _encounter(session: Session, encounter_id: int, *, for_edit: bool = False) -> Encounter:
    """The encounter row alone (its sites are not needed here); ``for_edit`` refuses a signed
    one, with the editor's words."""
    e = session.get(Encounter, encounter_id)
    if e is None:
        raise NotFoundError(f"No encounter with id {encounter_id}.")
    if for_edit and e.status != EncounterStatus.DRAFT:
        raise ConflictError(rows.SIGNED_READ_ONLY)
    return e


def _view(session: Session, encounter_id: int) -> PainDrawingView:
    row = session.get(PainDrawingRow, encounter_id)
    version = row.version if row is not None else 0
    return PainDrawingView(encounter_id, stored_drawing(session, encounter_id), version)


def pain_drawing_of(snap: Mapping[str, Any]) -> NotePainDrawing | None:
    """The snapshot's pain drawing with the sites to mark on it (None when nothing is drawn)."""
    cells = snap.get("pain_drawing")
    if not cells or not isinstance(cells, str):
        return None
    marks = []
    for site in snap.get("sites", ()):
        side, view = site.get("side"), site.get("view")
        if side not in _SIDES or view not in _VIEWS:
            continue
        figure = FigureView.for_site(View(view), Side(side))
        marks.append(
            NotePainMark(
                int(site.get("number", 0)),
                figure.value,
                float(site.get("point_x", 0.0)),
                float(site.get("point_y", 0.0)),
            )
        )
    return NotePainDrawing(cells, tuple(marks))


class PainDrawingService(Service):
    """Use cases of the body map's pain-drawing mode."""

    def get(self, encounter_id: int) -> PainDrawingView:
        """The encounter's pain drawing (empty, version 0, when none was saved)."""
        self._permit("pain_drawing.read", encounter_id=encounter_id)
        encounter_id = f.check_id("encounter_id", encounter_id, label="Encounter")
        with self._tx() as session:
            _encounter(session, encounter_id)
            return _view(session, encounter_id)

    def save(
        self, encounter_id: int, drawing: PainDrawing, *, expected_version: int
    ) -> PainDrawingView:
        """Store a draft's drawing in one transaction (audited as "pain_drawing.save").

        ``expected_version`` is the version last read or saved (0 when none existed); a
        save from a stale copy is refused and nothing is written. A signed encounter is
        refused: its drawing is part of the signed record.
        """
        self._permit("pain_drawing.save")
        encounter_id = f.check_id("encounter_id", encounter_id, label="Encounter")
        version = f.check_int(
            "expected_version", expected_version, label="The drawing's version", low=0,
            high=2**31 - 1,
        )  # fmt: skip
        if not isinstance(drawing, PainDrawing):
            raise ValidationError("drawing", "The pain drawing is missing its cells.")
        with self._tx() as session:
            e = _encounter(session, encounter_id, for_edit=True)
            row = session.get(PainDrawingRow, encounter_id, with_for_update=True)
            found = row.version if row is not None else 0
            rows.check_version(found, version, STALE_DRAWING)
            if row is None:
                row = PainDrawingRow(encounter_id=encounter_id)
                session.add(row)
            row.cells = drawing.encode()
            self._audit(session, "pain_drawing.save", "encounter", e.id, e.patient_id)
            session.flush()
            return _view(session, encounter_id)

    def suggestions(self, encounter_id: int, limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
        """The muscles whose referred pain best matches the stored drawing, best first."""
        self._permit("pain_drawing.read", encounter_id=encounter_id)
        encounter_id = f.check_id("encounter_id", encounter_id, label="Encounter")
        limit = f.check_int("limit", limit, label="Number of suggestions", low=1, high=MAX_LIMIT)
        with self._tx() as session:
            _encounter(session, encounter_id)
            drawing = stored_drawing(session, encounter_id)
        return suggest(drawing, limit, index=None)


__all__ = [
    "STALE_DRAWING",
    "PainDrawingService",
    "PainDrawingView",
    "pain_drawing_of",
    "stored_drawing",
]
