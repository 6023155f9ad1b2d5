"""The body map as one widget: figure switcher, layer and overlay toggles, zoom, the
keyboard muscle picker, and the figures themselves."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.bodymap import BodyMap, FigureView, default_bodymap
from clinic_app.domain.catalog import Catalog, View, default_catalog
from clinic_app.domain.enums import Language, Side
from clinic_app.domain.referred import ReferredAreas, default_referred_areas
from clinic_app.services.dto import SiteDraft, SiteInput
from clinic_app.ui.bodymap.info_label import MuscleInfo
from clinic_app.ui.bodymap.items import MarkerItem
from clinic_app.ui.bodymap.picker import MusclePicker
from clinic_app.ui.bodymap.scene import FigureScene, side_word
from clinic_app.ui.bodymap.view import FigureCanvas
from clinic_app.ui.chart.commands import AddSiteCommand, EditSiteCommand, RemoveSiteCommand
from clinic_app.ui.chart.model import ChartModel
from clinic_app.ui.common.flow_layout import FlowLayout

SiteFactory = Callable[[str, Side, View, float, float], SiteDraft]
SHORT_TITLES = {
    FigureView.ANTERIOR: "Front",
    FigureView.POSTERIOR: "Back",
    FigureView.LATERAL_RIGHT: "Head R",
    FigureView.LATERAL_LEFT: "Head L",
}
DEEP_HELP = (
    "Deep layer: shows the muscles that lie under others (rhomboids, "
    "quadratus lumborum, piriformis…) as dashed outlines. While it is on, a click "
    "where a deep muscle lies charts the deep muscle; elsewhere it charts the "
    "surface muscle. What is highlighted is what a click records."
)


def default_site_factory(muscle: str, side: Side, view: View, x: float, y: float) -> SiteDraft:
    return SiteDraft(SiteInput(muscle_code=muscle, side=side, view=view, point_x=x, point_y=y))


class BodyMapWidget(QWidget):
    """The provider's map. Every edit is an undo command on ``stack``.

    Signals:
        marker_selected(int): the selected site's key, or -1 when none is selected.
        status_message(str): feedback for the status bar (e.g. a click outside muscles).
    """

    marker_selected = Signal(int)
    status_message = Signal(str)

    def __init__(
        self,
        model: ChartModel,
        stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        bodymap: BodyMap | None = None,
        catalog: Catalog | None = None,
        referred: ReferredAreas | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Body map")
        self._model = model
        self._stack = stack
        self._bodymap = bodymap or default_bodymap()
        self._catalog = catalog or default_catalog()
        self._referred = referred or default_referred_areas()
        self._factory: SiteFactory = default_site_factory
        self._read_only = False
        self._syncing = False
        self.scenes: dict[FigureView, FigureScene] = {}
        self.canvases: dict[FigureView, FigureCanvas] = {}
        self.stack_widget = QStackedWidget()
        for figure in self._bodymap:
            scene = FigureScene(figure, model, self._catalog, self._referred)
            scene.setParent(self)  # deleted with the widget, never before it
            canvas = FigureCanvas(scene)
            scene.muscle_clicked.connect(self.on_muscle_clicked)
            scene.marker_dropped.connect(self.on_marker_dropped)
            scene.status_message.connect(self.status_message)
            scene.hovered_changed.connect(self.on_hovered_changed)
            scene.selectionChanged.connect(self.on_scene_selection_changed)
            self.scenes[figure.view] = scene
            self.canvases[figure.view] = canvas
            self.stack_widget.addWidget(canvas)
        self._build_controls()
        self.picker = MusclePicker(self._catalog)
        self.picker.muscle_chosen.connect(self.on_picker_chosen)
        focus_picker = QAction("Find muscle", self)
        focus_picker.setShortcut(QKeySequence("Ctrl+M"))
        focus_picker.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        focus_picker.triggered.connect(lambda: self.picker.edit.setFocus())
        self.addAction(focus_picker)
        self.info = MuscleInfo("Hover a muscle to see where it refers pain.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._controls)
        layout.addWidget(self.stack_widget, 1)
        layout.addWidget(self.picker)
        layout.addWidget(self.info)
        for signal in (model.site_added, model.site_removed, model.site_changed):
            signal.connect(self._update_counts)
        model.sites_reset.connect(self._update_counts)
        self._update_counts()
        self.set_current_view(FigureView.POSTERIOR)

    # ------------------------------------------------------------------ controls
    def _build_controls(self) -> None:
        # One row when the map is wide, more when it is narrow (a laptop at 150 % or 200 %):
        # the buttons never force the window wider.
        self._controls = FlowLayout(spacing=3)
        # QActions, not button shortcuts: a button's shortcut clicks after an animation
        # delay and is cleared whenever the button's text changes (the site counts do).
        self.view_buttons: dict[FigureView, QToolButton] = {}
        self.view_actions: dict[FigureView, QAction] = {}
        group = QActionGroup(self)
        group.setExclusive(True)
        for number, view in enumerate(FigureView, 1):
            action = QAction(SHORT_TITLES[view], self)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(str(number)))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{view.label} ({number})")
            action.triggered.connect(lambda _=False, v=view: self.set_current_view(v))
            group.addAction(action)
            self.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAccessibleName(f"Show {view.label}")
            # Wide enough for "Back (99)": a count appearing never shifts the next button.
            action.setText(f"{SHORT_TITLES[view]} (99)")
            button.setMinimumWidth(button.sizeHint().width())
            action.setText(SHORT_TITLES[view])
            self.view_actions[view] = action
            self.view_buttons[view] = button
            self._controls.addWidget(button)
        self.deep_button = self._toggle("Deep layer", "D", DEEP_HELP, self.set_deep_layer)
        self.overlay_button = self._toggle(
            "Referred pain",
            "O",
            "Shade where the hovered or selected muscle refers pain "
            "(from the catalog's referred-pain patterns).",
            self.set_overlay,
        )
        for text, shortcut, slot in (
            ("−", "-", lambda: self.current_canvas.zoom_by(1 / 1.2)),
            ("+", "+", lambda: self.current_canvas.zoom_by(1.2)),
            ("Fit", "0", lambda: self.current_canvas.fit()),
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(f"Zoom {text} ({shortcut}); wheel zooms, right-drag pans")
            button.setAccessibleName({"−": "Zoom out", "+": "Zoom in"}.get(text, "Fit figure"))
            button.clicked.connect(slot)
            self._controls.addWidget(button)
        self.delete_action = QAction("Remove site", self)
        self.delete_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence(Qt.Key.Key_Backspace)]
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.remove_selected)
        self.addAction(self.delete_action)

    def _toggle(
        self, text: str, shortcut: str, tip: str, slot: Callable[[bool], None]
    ) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setShortcut(QKeySequence(shortcut))
        button.setToolTip(f"{tip} ({shortcut})")
        button.setAccessibleName(text)
        button.toggled.connect(slot)
        self._controls.addWidget(button)
        return button

    def _update_counts(self, *_args: object) -> None:
        counts = dict.fromkeys(FigureView, 0)
        for site in self._model.sites():
            if site.site.side is not None:
                counts[FigureView.for_site(site.site.view, site.site.side)] += 1
        for view, action in self.view_actions.items():
            n = counts[view]
            action.setText(f"{SHORT_TITLES[view]} ({n})" if n else SHORT_TITLES[view])

    # ------------------------------------------------------------------ public API
    @property
    def current_view(self) -> FigureView:
        canvas = self.stack_widget.currentWidget()
        assert isinstance(canvas, FigureCanvas)
        return canvas.figure_scene.figure.view

    @property
    def current_canvas(self) -> FigureCanvas:
        return self.canvases[self.current_view]

    def set_current_view(self, view: FigureView) -> None:
        self.stack_widget.setCurrentWidget(self.canvases[view])
        self.view_actions[view].setChecked(True)

    def add_tool(self, widget: QWidget) -> None:
        """Add a control (a mode another module provides) at the end of the map's button row."""
        self._controls.addWidget(widget)

    def set_site_factory(self, factory: SiteFactory) -> None:
        """How a click builds a new site (the editor's current technique, needle, doses)."""
        self._factory = factory

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for scene in self.scenes.values():
            scene.set_read_only(read_only)
        self.picker.setEnabled(not read_only)
        self.delete_action.setEnabled(not read_only)

    def set_deep_layer(self, on: bool) -> None:
        for scene in self.scenes.values():
            scene.set_deep_layer(on)
        if self.deep_button.isChecked() != on:
            self.deep_button.setChecked(on)
        self.status_message.emit(
            "Deep layer on: dashed muscles can be charted."
            if on
            else "Deep layer off: surface muscles only."
        )

    def set_overlay(self, on: bool) -> None:
        for scene in self.scenes.values():
            scene.set_overlay(on)
        if self.overlay_button.isChecked() != on:
            self.overlay_button.setChecked(on)

    def select_site(self, key: int | None) -> None:
        """Select a marker (and show its figure); ``None`` clears the selection."""
        self._syncing = True
        try:
            for scene in self.scenes.values():
                scene.clearSelection()
            if key is None or key < 0:
                return
            site = self._model.site(key).site
            if site.side is None:
                return
            view = FigureView.for_site(site.view, site.side)
            marker = self.scenes[view].markers.get(key)
            if marker is not None:
                self.set_current_view(view)
                marker.setSelected(True)
                self.canvases[view].ensureVisible(marker)
        finally:
            self._syncing = False

    def set_flagged_sites(self, numbers: set[int] | frozenset[int]) -> None:
        """Badge the markers of these site numbers (safety findings from the checks)."""
        for scene in self.scenes.values():
            for key, marker in scene.markers.items():
                marker.set_flagged(self._model.number_of(key) in numbers)

    def flagged_numbers(self) -> set[int]:
        return {m.number for s in self.scenes.values() for m in s.markers.values() if m.flagged}

    def selected_keys(self, scene: FigureScene | None = None) -> list[int]:
        """Keys of the selected markers on ``scene`` (the figure shown by default)."""
        scene = scene or self.scenes[self.current_view]
        return [item.key for item in scene.selectedItems() if isinstance(item, MarkerItem)]

    def remove_selected(self) -> None:
        keys = self.selected_keys()
        if self._read_only or not keys:
            return
        if len(keys) > 1:
            self._stack.beginMacro(f"Remove {len(keys)} sites")
        for key in keys:
            self._stack.push(RemoveSiteCommand(self._model, key))
        if len(keys) > 1:
            self._stack.endMacro()

    def add_site(self, muscle: str, side: Side, view: FigureView | None = None) -> int | None:
        """Chart a muscle at its standard point (the keyboard path); returns the site key."""
        views = [view] if view else [self.current_view, *self._bodymap.views_for(muscle, side)]
        for candidate in views:
            figure = self._bodymap[candidate]
            region = figure.region(muscle, side)
            if region is not None:
                self.set_current_view(candidate)
                if region.layer.value == "deep" and not self.deep_button.isChecked():
                    self.set_deep_layer(True)
                x, y = figure.standard_point(region)
                return self._add(muscle, side, candidate, QPointF(x, y))
        self.status_message.emit(
            f"{self._catalog.get(muscle).name} ({side_word(side)}) is not on any figure."
        )
        return None

    # ------------------------------------------------------------------ slots
    def _add(self, muscle: str, side: Side, view: FigureView, pos: QPointF) -> int | None:
        if self._read_only:
            return None
        nx, ny = self._bodymap[view].normalise(pos.x(), pos.y())
        draft = self._factory(muscle, side, view.catalog_view, nx, ny)
        command = AddSiteCommand(self._model, draft)
        self._stack.push(command)
        if command.key is not None:
            self.select_site(command.key)
            self.status_message.emit(
                f"Site {self._model.number_of(command.key)}: "
                f"{self._catalog.get(muscle).name}, {side_word(side)}."
            )
        return command.key

    def on_muscle_clicked(self, muscle: str, side: str, pos: QPointF) -> None:
        scene = self.sender()
        view = scene.figure.view if isinstance(scene, FigureScene) else self.current_view
        self._add(muscle, Side(side), view, pos)

    def on_marker_dropped(self, key: int, muscle: str, side: str, pos: QPointF) -> None:
        scene = self.sender()
        view = scene.figure.view if isinstance(scene, FigureScene) else self.current_view
        nx, ny = self._bodymap[view].normalise(pos.x(), pos.y())
        new = self._model.update_site(
            key, muscle_code=muscle, side=Side(side), view=view.catalog_view, point_x=nx, point_y=ny
        )
        number = self._model.number_of(key)
        self._stack.push(EditSiteCommand(self._model, key, new, f"Move site {number}"))
        self.status_message.emit(
            f"Site {number} moved to {self._catalog.get(muscle).name}, {side_word(Side(side))}."
        )

    def on_picker_chosen(self, muscle: str, side: str) -> None:
        self.add_site(muscle, Side(side))

    def on_hovered_changed(self, muscle: str, side: str) -> None:
        if not muscle:
            self.current_canvas.setToolTip("")
            return
        self._describe(muscle, side)
        scene = self.sender()
        if isinstance(scene, FigureScene) and scene.hovered_region is not None:
            self.current_canvas.setToolTip(scene.tooltip_for(scene.hovered_region))

    def _describe(self, muscle: str, side: str) -> None:
        m = self._catalog.get(muscle)
        shading = " (shaded orange)" if self.overlay_button.isChecked() else ""
        self.info.set_info(
            f"{m.name}, {side}", f"Referred pain: {m.referred_pain(Language.ENGLISH)}{shading}"
        )

    def on_scene_selection_changed(self) -> None:
        scene = self.sender()
        if not isinstance(scene, FigureScene):
            return
        scene.refresh_overlay()
        subject = scene.overlay_subject()
        if subject is not None:
            self._describe(subject[0], subject[1].value)
        if self._syncing:
            return
        keys = self.selected_keys(scene)
        self.marker_selected.emit(keys[0] if keys else -1)
