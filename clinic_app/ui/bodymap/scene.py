"""One figure as a QGraphicsScene that mirrors the chart model (orange-canvas-core style).

The scene never decides what exists: clicks become ``muscle_clicked`` and drops become
``marker_dropped`` signals; the widget turns them into undo commands on the chart model, and
the model's signals add, move and remove marker items here.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
)

from clinic_app.domain.bodymap import Figure, FigureView, Region
from clinic_app.domain.catalog import Catalog
from clinic_app.domain.enums import Language, Side
from clinic_app.domain.referred import ReferredAreas
from clinic_app.ui.bodymap.items import (
    Z_DETAILS,
    Z_LABEL,
    Z_SILHOUETTE,
    MarkerItem,
    OverlayItem,
    RegionItem,
    painter_path,
)
from clinic_app.ui.chart.model import ChartModel

SKIN = QColor(246, 232, 218)
SKIN_EDGE = QColor(128, 100, 82)
DETAIL = QColor(170, 135, 112)
SIDE_LABEL = QColor(40, 40, 40)


def side_word(side: Side) -> str:
    return "right" if side is Side.RIGHT else "left"


class FigureScene(QGraphicsScene):
    """The drawing, the clickable muscles and the markers of one figure.

    Signals:
        muscle_clicked(str, str, QPointF): muscle code, patient's side ("left"/"right") and
            the point in figure units, for a click on a muscle.
        marker_dropped(int, str, str, QPointF): a marker was dragged onto a muscle.
        hovered_changed(str, str): the muscle under the pointer ("" when none).
        status_message(str): something to tell the user (a click outside every muscle).
    """

    muscle_clicked = Signal(str, str, QPointF)
    marker_dropped = Signal(int, str, str, QPointF)
    hovered_changed = Signal(str, str)
    status_message = Signal(str)

    def __init__(
        self, figure: Figure, model: ChartModel, catalog: Catalog, referred: ReferredAreas
    ) -> None:
        super().__init__()
        self.figure = figure
        self._model = model
        self._catalog = catalog
        self._referred = referred
        self._deep = False
        self._overlay_on = False
        self._read_only = False
        self._hovered: RegionItem | None = None
        self.markers: dict[int, MarkerItem] = {}
        self.setSceneRect(0, 0, figure.width, figure.height)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self._draw_figure()
        self.regions = {(r.muscle_code, r.side): RegionItem(r) for r in figure.regions}
        for item in self.regions.values():
            item.set_deep_mode(False)
            self.addItem(item)
        self.overlay = OverlayItem(figure.width, figure.height)
        self.addItem(self.overlay)
        self._draw_side_labels()
        model.site_added.connect(self.on_site_added)
        model.site_removed.connect(self.on_site_removed)
        model.site_changed.connect(self.on_site_changed)
        model.sites_reset.connect(self.on_sites_reset)
        model.numbers_changed.connect(self.on_numbers_changed)
        self.on_sites_reset()

    # ------------------------------------------------------------------ drawing
    def _draw_figure(self) -> None:
        for stroke in self.figure.silhouette:
            item = QGraphicsPathItem(painter_path(stroke.commands))
            pen = QPen(SKIN_EDGE, 1.2)
            pen.setCosmetic(True)
            item.setPen(pen)
            item.setBrush(QBrush(SKIN))
            item.setZValue(Z_SILHOUETTE)
            item.setCacheMode(QGraphicsPathItem.CacheMode.DeviceCoordinateCache)
            self.addItem(item)
        # Hundreds of hairlines (fibres, bones) drawn as a handful of merged, cached paths:
        # painting stays well inside one frame when a marker is added.
        merged: dict[tuple[str | None, float], QPainterPath] = {}
        for stroke in self.figure.details:
            key = (stroke.fill, round(max(0.4, stroke.width), 2))
            merged.setdefault(key, QPainterPath()).addPath(painter_path(stroke.commands))
        for (fill, width), path in merged.items():
            item = QGraphicsPathItem(path)
            item.setPen(QPen(DETAIL, width))
            item.setBrush(QBrush(QColor(fill)) if fill else QBrush())
            item.setZValue(Z_DETAILS)
            item.setCacheMode(QGraphicsPathItem.CacheMode.DeviceCoordinateCache)
            self.addItem(item)

    def _draw_side_labels(self) -> None:
        """Big "R" and "L" where the patient's right and left are: clinicians check this."""
        font = QFont()
        font.setPixelSize(int(self.figure.height * 0.045))
        font.setBold(True)
        view = self.figure.view
        if view in (FigureView.ANTERIOR, FigureView.POSTERIOR):
            left, right = ("R", "L") if view.patient_right_on_viewer_left() else ("L", "R")
            placements = [(left, 0.04), (right, 0.90)]
        else:
            placements = [("R" if view is FigureView.LATERAL_RIGHT else "L", 0.04)]
        self.side_labels: dict[str, QGraphicsSimpleTextItem] = {}
        for text, fx in placements:
            label = QGraphicsSimpleTextItem(text)
            label.setFont(font)
            label.setBrush(SIDE_LABEL)
            label.setPos(self.figure.width * fx, self.figure.height * 0.01)
            label.setZValue(Z_LABEL)
            label.setToolTip(f"Patient's {'right' if text == 'R' else 'left'} side")
            self.addItem(label)
            self.side_labels[text] = label

    # ------------------------------------------------------------------ modes
    def set_deep_layer(self, deep: bool) -> None:
        self._deep = deep
        for item in self.regions.values():
            item.set_deep_mode(deep)
        self._set_hovered(None)

    def set_overlay(self, on: bool) -> None:
        self._overlay_on = on
        self.refresh_overlay()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for marker in self.markers.values():
            marker.setFlag(MarkerItem.GraphicsItemFlag.ItemIsMovable, not read_only)

    # ------------------------------------------------------------------ model → items
    def _on_this_figure(self, key: int) -> bool:
        site = self._model.site(key).site
        return (
            site.side is not None and FigureView.for_site(site.view, site.side) is self.figure.view
        )

    def _place(self, marker: MarkerItem, key: int) -> None:
        site = self._model.site(key).site
        x, y = self.figure.denormalise(site.point_x, site.point_y)
        marker.setPos(QPointF(x, y))
        region = self.figure.region(site.muscle_code, site.side) if site.side else None
        deep = region is not None and region.layer.value == "deep"
        marker.set_content(self._model.number_of(key), site.technique, deep)
        name = (
            self._catalog.get(site.muscle_code).name
            if site.muscle_code in self._catalog
            else site.muscle_code
        )
        marker.setToolTip(f"Site {marker.number}: {name}, {side_word(site.side or Side.LEFT)}")

    def on_site_added(self, key: int, _row: int) -> None:
        if not self._on_this_figure(key):
            return
        site = self._model.site(key).site
        marker = MarkerItem(key, self._model.number_of(key), site.technique)
        marker.setFlag(MarkerItem.GraphicsItemFlag.ItemIsMovable, not self._read_only)
        self.markers[key] = marker
        self.addItem(marker)
        self._place(marker, key)

    def on_site_removed(self, key: int, _row: int) -> None:
        marker = self.markers.pop(key, None)
        if marker is not None:
            self.removeItem(marker)

    def on_site_changed(self, key: int) -> None:
        marker = self.markers.get(key)
        if marker is not None and not self._on_this_figure(key):
            self.on_site_removed(key, 0)
        elif marker is None:
            self.on_site_added(key, 0)
        else:
            self._place(marker, key)
        self.refresh_overlay()

    def on_sites_reset(self) -> None:
        for key in list(self.markers):
            self.on_site_removed(key, 0)
        for site in self._model.sites():
            self.on_site_added(site.key, 0)

    def on_numbers_changed(self) -> None:
        for key, marker in self.markers.items():
            self._place(marker, key)

    # ------------------------------------------------------------------ pointer
    def region_at(self, pos: QPointF) -> Region | None:
        """The muscle a click at ``pos`` would chart (the domain decides, never Qt shapes)."""
        return self.figure.hit_test(pos.x(), pos.y(), deep=self._deep)

    def _set_hovered(self, item: RegionItem | None) -> None:
        if item is self._hovered:
            return
        if self._hovered is not None:
            self._hovered.set_hovered(False)
        self._hovered = item
        if item is not None:
            item.set_hovered(True)
            self.hovered_changed.emit(item.region.muscle_code, item.region.side.value)
        else:
            self.hovered_changed.emit("", "")
        self.refresh_overlay()

    @property
    def hovered_region(self) -> Region | None:
        return self._hovered.region if self._hovered else None

    def tooltip_for(self, region: Region) -> str:
        muscle = self._catalog.get(region.muscle_code)
        depth = " (deep)" if region.layer.value == "deep" else ""
        warn = ""
        if muscle.pneumothorax_risk:
            warn = "<br><b>Caution:</b> lung below (pneumothorax risk)."
        elif muscle.nearby_structures:
            warn = f"<br><b>Caution:</b> near the {', '.join(muscle.nearby_structures)}."
        return (
            f"<b>{muscle.name}</b>{depth} — patient's {side_word(region.side)}"
            f"<br>Referred pain: {muscle.referred_pain(Language.ENGLISH)}{warn}"
        )

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if event.buttons() != Qt.MouseButton.NoButton:
            return
        region = self.region_at(event.scenePos())
        item = self.regions.get((region.muscle_code, region.side)) if region else None
        self._set_hovered(item)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        item = self.itemAt(event.scenePos(), self.views()[0].transform()) if self.views() else None
        if isinstance(item, MarkerItem) or event.button() != Qt.MouseButton.LeftButton:
            for marker in self.markers.values():
                marker.press_pos = marker.pos()
            super().mousePressEvent(event)
            return
        self.clearSelection()
        event.accept()
        if self._read_only:
            self.status_message.emit("This encounter is read-only.")
            return
        region = self.region_at(event.scenePos())
        if region is None:
            hint = "" if self._deep else " Deep muscles need the deep layer (D)."
            self.status_message.emit(
                f"No muscle at that point: nothing added. Click inside a shaded muscle.{hint}"
            )
            return
        self.muscle_clicked.emit(region.muscle_code, region.side.value, event.scenePos())

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        for key, marker in self.markers.items():
            start = marker.press_pos
            marker.press_pos = None
            if start is None or start == marker.pos():
                continue
            region = self._drop_region(key, marker.pos())
            if region is None or self._read_only:
                marker.setPos(start)  # refused: back where it was
                self.status_message.emit("A site must sit on a muscle: the marker went back.")
                continue
            self.marker_dropped.emit(key, region.muscle_code, region.side.value, marker.pos())

    def _drop_region(self, key: int, pos: QPointF) -> Region | None:
        """Where a dragged marker lands: still inside its own muscle (on any layer), it stays
        that muscle, so nudging a deep muscle's marker never turns it into the one above."""
        site = self._model.site(key).site
        own = self.figure.region(site.muscle_code, site.side) if site.side else None
        if own is not None and own.contains(pos.x(), pos.y()):
            return own
        return self.region_at(pos)

    def clear_hover(self) -> None:
        """The pointer left the figure: nothing is hovered any more."""
        self._set_hovered(None)

    # ------------------------------------------------------------------ overlay
    def overlay_subject(self) -> tuple[str, Side] | None:
        """The muscle whose referred pain is shown: hovered, else the selected marker's."""
        if self._hovered is not None:
            return self._hovered.region.muscle_code, self._hovered.region.side
        for marker in self.selectedItems():
            if isinstance(marker, MarkerItem):
                site = self._model.site(marker.key).site
                if site.side is not None:
                    return site.muscle_code, site.side
        return None

    def refresh_overlay(self) -> None:
        subject = self.overlay_subject() if self._overlay_on else None
        if subject is None:
            self.overlay.set_shapes(())
            return
        code, side = subject
        tags = self._catalog.get(code).referred_pain_areas
        self.overlay.set_shapes(self._referred.shapes_for(tags, self.figure.view.value, side.value))
