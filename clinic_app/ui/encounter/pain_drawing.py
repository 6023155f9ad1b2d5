"""The encounter editor's pain drawing: the mode toggle, the suggestions, loading and saving.

:class:`PainDrawingPanel` puts a checkable "Pain drawing" button (Lucide's paintbrush, key P)
on the body map's button row. While it is on, drags on the figures shade where it hurts
(:mod:`clinic_app.ui.bodymap.drawing`) and a "Suggested muscles" list under the figures
shows the five muscles whose referred-pain patterns best match the drawing
(:mod:`clinic_app.domain.pain_drawing_rank`), each with how much of its pattern is covered
and how much of the drawing it explains. Hovering or selecting a row shades that muscle's
zones; a click (or Enter) charts a site on it through the map's own keyboard path
(:meth:`BodyMapWidget.add_site`), so it is one undo step like a click on the figure.

The drawing is stored apart from the form and the sites (its own row and version): every
stroke, undo or redo is saved at once on the encounter session's worker, in order with the
encounter's saves, so signing (which waits for that worker) seals the drawing as shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.bodymap import FigureView
from clinic_app.domain.catalog import Catalog, default_catalog
from clinic_app.domain.enums import Side
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.pain_drawing import PainDrawing
from clinic_app.domain.pain_drawing_rank import DEFAULT_LIMIT, Suggestion, suggest
from clinic_app.domain.referred import ReferredAreas, default_referred_areas
from clinic_app.ui.bodymap.drawing import DrawingModel, PainBrush
from clinic_app.ui.bodymap.items import OverlayItem
from clinic_app.ui.bodymap.widget import BodyMapWidget
from clinic_app.ui.common import icons

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices
    from clinic_app.services.pain_drawing import PainDrawingView
    from clinic_app.ui.encounter.session import EncounterSession

HINT = (
    "Drag on the figures to shade where it hurts; right-drag or Shift+drag erases. "
    "Click a suggestion to chart a site on that muscle."
)
_ROLE = Qt.ItemDataRole.UserRole


def suggestion_text(suggestion: Suggestion, catalog: Catalog) -> str:
    """ "Infraspinatus, left — covers 82 %, explains 64 %"."""
    name = catalog.get(suggestion.muscle_code).name
    return (
        f"{name}, {suggestion.side.value} — covers {round(suggestion.covered * 100)} %, "
        f"explains {round(suggestion.explained * 100)} %"
    )


class SuggestionList(QListWidget):
    """The top suggestions; hover/selection previews, click or Enter charts.

    Signals:
        previewed(str, str): muscle code and side to shade ("" and "" for none).
        chosen(str, str): muscle code and side to chart a site on.
    """

    previewed = Signal(str, str)
    chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Suggested muscles")
        self.setMouseTracking(True)
        self.itemEntered.connect(self._preview)
        self.currentItemChanged.connect(lambda item, _old: self._preview(item))
        self.itemClicked.connect(self._choose)

    def set_suggestions(self, suggestions: list[Suggestion], catalog: Catalog) -> None:
        self.clear()
        for suggestion in suggestions:
            item = QListWidgetItem(suggestion_text(suggestion, catalog))
            item.setData(_ROLE, (suggestion.muscle_code, suggestion.side.value))
            item.setToolTip(f"Referral pattern: {suggestion.source}")
            self.addItem(item)
        self.previewed.emit("", "")

    def _preview(self, item: QListWidgetItem | None) -> None:
        code, side = item.data(_ROLE) if item is not None else ("", "")
        self.previewed.emit(code, side)

    def _choose(self, item: QListWidgetItem) -> None:
        code, side = item.data(_ROLE)
        self.chosen.emit(code, side)

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        self._preview(self.currentItem())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self._choose(item)
            event.accept()
            return
        super().keyPressEvent(event)


class PainDrawingPanel(QObject):
    """Pain-drawing mode of one encounter editor's body map.

    Signals:
        save_failed(str): a save of the drawing was refused (the service's message).

    Attributes:
        model: the drawing shown. brush: the pointer handling. action: the mode toggle.
        button: the toggle on the map's row. box: the suggestions box. suggestions: its list.
        overlays: per figure, the shading of the previewed suggestion's zones.
    """

    save_failed = Signal(str)

    def __init__(
        self,
        services: AppServices,
        session: EncounterSession,
        body_map: BodyMapWidget,
        stack: QUndoStack,
        *,
        catalog: Catalog | None = None,
        referred: ReferredAreas | None = None,
    ) -> None:
        super().__init__(body_map)
        self._services = services
        self._session = session
        self._map = body_map
        self._catalog = catalog or default_catalog()
        self._referred = referred or default_referred_areas()
        self._version = 0
        self._loading = False
        self._saving = False
        self._save_again = False
        self.model = DrawingModel(self)
        self.brush = PainBrush(body_map.canvases, self.model, stack, self)
        self.brush.status_message.connect(body_map.status_message)
        self.overlays: dict[FigureView, OverlayItem] = {}
        for view, scene in body_map.scenes.items():
            overlay = OverlayItem(scene.figure.width, scene.figure.height)
            scene.addItem(overlay)
            self.overlays[view] = overlay
        self._build_controls()
        self.model.changed.connect(self._on_changed)
        session.reloaded.connect(lambda _view: self.load())
        session.switched.connect(self._on_switched)
        self.load()

    def _build_controls(self) -> None:
        self.action = QAction("Pain drawing", self._map)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("P"))
        self.action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action.setToolTip(
            "Pain drawing (P): shade where it hurts and see which muscles refer pain there"
        )
        icons.apply(self.action, "pain_drawing")
        self.action.toggled.connect(self.set_mode)
        self._map.addAction(self.action)
        self.button = QToolButton()
        self.button.setDefaultAction(self.action)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setAccessibleName("Pain drawing")
        self._map.add_tool(self.button)
        self.box = QWidget()
        self.box.setAccessibleName("Pain drawing suggestions")
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        self.title = QLabel("<b>Suggested muscles</b>")
        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        self.suggestions = SuggestionList()
        self.suggestions.addItem("—")  # the style's row height, measured once: a fixed box
        row = self.suggestions.sizeHintForRow(0)
        self.suggestions.clear()
        frame = 2 * self.suggestions.frameWidth()
        self.suggestions.setFixedHeight(row * DEFAULT_LIMIT + frame)
        self.suggestions.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.suggestions.previewed.connect(self.preview)
        self.suggestions.chosen.connect(self.chart)
        for widget in (self.title, self.hint, self.suggestions):
            layout.addWidget(widget)
        self.box.hide()
        map_layout = self._map.layout()
        assert isinstance(map_layout, QVBoxLayout)
        map_layout.insertWidget(2, self.box)  # under the figures, above the muscle picker

    # ------------------------------------------------------------------ mode
    @property
    def drawing(self) -> PainDrawing:
        return self.model.drawing

    def set_mode(self, on: bool) -> None:
        """Pain-drawing mode on or off (the toggle, or P on the map)."""
        if self.action.isChecked() != on:
            self.action.setChecked(on)
            return
        self.brush.set_active(on)
        self.box.setVisible(on)
        self.preview("", "")
        if on:
            self._refresh_suggestions()
        self._map.status_message.emit(
            "Pain drawing: drag to shade, right-drag or Shift+drag to erase."
            if on
            else "Pain drawing off: clicks chart sites."
        )

    def set_editable(self, editable: bool) -> None:
        self.brush.set_read_only(not editable)

    def preview(self, muscle: str, side: str) -> None:
        """Shade a suggested muscle's referred-pain zones ("" clears)."""
        for view, overlay in self.overlays.items():
            if not muscle:
                overlay.set_shapes(())
                continue
            tags = self._catalog.get(muscle).referred_pain_areas
            overlay.set_shapes(self._referred.shapes_for(tags, view.value, side))

    def chart(self, muscle: str, side: str) -> int | None:
        """Chart a site on a suggested muscle (one undo step, as a click on the map)."""
        return self._map.add_site(muscle, Side(side))

    def _refresh_suggestions(self) -> None:
        drawing = self.model.drawing  # (nothing drawn: the patterns need not be rasterised)
        ranked = [] if drawing.is_empty else suggest(drawing, DEFAULT_LIMIT)
        self.suggestions.set_suggestions(ranked, self._catalog)
        self.title.setText(
            "<b>Suggested muscles</b>"
            if ranked
            else "<b>Suggested muscles</b> — shade where it hurts to see them"
        )

    # ------------------------------------------------------------------ storage
    def load(self) -> None:
        """Show the drawing as stored (an error leaves the mode off, and says why)."""
        try:
            view = self._services.pain_drawings.get(self._session.encounter_id)
        except ClinicError as exc:
            self.action.setEnabled(False)
            self.action.setToolTip(f"Pain drawing unavailable: {exc}")
            return
        self._take(view)

    def _take(self, view: PainDrawingView) -> None:
        self._version = view.version
        self._loading = True
        try:
            self.model.set_drawing(view.drawing)
        finally:
            self._loading = False
        self._refresh_suggestions()

    def _on_changed(self, _drawing: PainDrawing) -> None:
        self._refresh_suggestions()
        if not self._loading:
            self.save()

    def _on_switched(self, _old: int, _new: int) -> None:
        self._version = 0  # the edits went into a new draft: the drawing follows them
        if not self.model.drawing.is_empty:
            self.save()

    def save(self) -> None:
        """Queue a save of the drawing on the session's worker (coalesced while one runs)."""
        if self._saving:
            self._save_again = True
            return
        service, encounter_id = self._services.pain_drawings, self._session.encounter_id
        drawing, version = self.model.drawing, self._version
        self._saving = True
        self._session.jobs.submit(
            lambda: service.save(encounter_id, drawing, expected_version=version),
            self._on_saved,
            self._on_save_error,
        )

    def _on_saved(self, view: PainDrawingView) -> None:
        self._saving = False
        self._version = view.version
        if self._save_again or view.drawing != self.model.drawing:
            self._save_again = False
            self.save()

    def _on_save_error(self, exc: Exception) -> None:
        self._saving = self._save_again = False
        if not isinstance(exc, ClinicError):
            raise exc
        self.save_failed.emit(f"the pain drawing. {exc}")


def attach_pain_drawing(
    services: AppServices, session: EncounterSession, body_map: QWidget, stack: QUndoStack
) -> PainDrawingPanel | None:
    """The pain-drawing mode of an editor's map; None when the map could not be drawn."""
    if not isinstance(body_map, BodyMapWidget):
        return None
    return PainDrawingPanel(services, session, body_map, stack)


__all__ = [
    "HINT",
    "PainDrawingPanel",
    "SuggestionList",
    "attach_pain_drawing",
    "suggestion_text",
]
