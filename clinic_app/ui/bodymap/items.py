"""Graphics items of the body map: muscle regions, site markers, the referred-pain overlay."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QRadialGradient,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from clinic_app.domain.bodymap import Layer, Region
from clinic_app.domain.enums import Technique
from clinic_app.domain.referred import Ellipse
from clinic_app.domain.svgpath import Command

# Colours: muscle tissue reds for superficial muscles, violet for the deep layer, the
# hover/selection in a saturated tone that still reads in greyscale print.
MUSCLE_FILL = QColor(205, 92, 84, 120)
MUSCLE_EDGE = QColor(150, 55, 48)
MUSCLE_HOVER = QColor(226, 60, 45, 200)
DEEP_EDGE = QColor(88, 72, 168)
DEEP_FILL = QColor(120, 100, 210, 60)
DEEP_HOVER = QColor(108, 84, 220, 150)
FADED_FILL = QColor(205, 92, 84, 45)
INJECTION_FILL = QColor(196, 30, 58)
NEEDLING_EDGE = QColor(20, 90, 170)

Z_SILHOUETTE, Z_DETAILS, Z_SUPERFICIAL, Z_DEEP, Z_OVERLAY, Z_MARKER, Z_LABEL = (
    0,
    1,
    2,
    3,
    4,
    10,
    11,
)


def painter_path(commands: Iterable[Command]) -> QPainterPath:
    """A QPainterPath from parsed SVG commands (the same geometry the domain hit-tests)."""
    path = QPainterPath()
    for c in commands:
        a = c.args
        if c.op == "M":
            path.moveTo(a[0], a[1])
        elif c.op == "L":
            path.lineTo(a[0], a[1])
        elif c.op == "C":
            path.cubicTo(a[0], a[1], a[2], a[3], a[4], a[5])
        elif c.op == "Q":
            path.quadTo(a[0], a[1], a[2], a[3])
        else:
            path.closeSubpath()
    return path


class RegionItem(QGraphicsPathItem):
    """One muscle on one side. Styling only: clicks are resolved by the domain hit-test."""

    def __init__(self, region: Region) -> None:
        super().__init__(painter_path(region.commands))
        self.region = region
        self.setZValue(Z_DEEP if region.layer is Layer.DEEP else Z_SUPERFICIAL)
        self.setAcceptHoverEvents(False)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._hovered = False
        self._deep_mode = False
        # Cached as a pixmap at screen resolution: repainting a marker over a muscle does
        # not re-render the muscle's curves. Qt re-renders it on zoom or restyle.
        self.setCacheMode(QGraphicsPathItem.CacheMode.DeviceCoordinateCache)
        self._restyle()

    def set_hovered(self, hovered: bool) -> None:
        if hovered != self._hovered:
            self._hovered = hovered
            self._restyle()

    def set_deep_mode(self, deep: bool) -> None:
        """Deep layer on: deep muscles show (dashed) and superficial ones fade back."""
        self._deep_mode = deep
        if self.region.layer is Layer.DEEP:
            self.setVisible(deep)
        self._restyle()

    def _restyle(self) -> None:
        deep = self.region.layer is Layer.DEEP
        if deep:
            pen = QPen(DEEP_EDGE, 1.4, Qt.PenStyle.DashLine)
            brush = QBrush(DEEP_HOVER if self._hovered else DEEP_FILL)
        else:
            pen = QPen(MUSCLE_EDGE, 0.9)
            if self._hovered:
                brush = QBrush(MUSCLE_HOVER)
                pen = QPen(MUSCLE_EDGE.darker(130), 1.6)
            else:
                brush = QBrush(FADED_FILL if self._deep_mode else MUSCLE_FILL)
        pen.setCosmetic(True)  # the same line width at every zoom
        self.setPen(pen)
        self.setBrush(brush)


class MarkerItem(QGraphicsItem):
    """A numbered site marker: a filled red disc for an injection, an open blue diamond for
    dry needling, so the two read apart at a glance and in greyscale."""

    RADIUS = 8.5

    def __init__(self, key: int, number: int, technique: Technique, deep: bool = False) -> None:
        super().__init__()
        self.key = key
        self.number = number
        self.technique = technique
        self.deep = deep
        self.flagged = False
        self.setZValue(Z_MARKER)
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
        )
        self.setCursor(Qt.CursorShape.SizeAllCursor)
        self.press_pos: QPointF | None = None

    def set_content(self, number: int, technique: Technique, deep: bool = False) -> None:
        if (number, technique, deep) != (self.number, self.technique, self.deep):
            self.number, self.technique, self.deep = number, technique, deep
            self.update()

    def set_flagged(self, flagged: bool) -> None:
        """Show the safety badge (a danger zone under this site: lung, artery, nerve)."""
        if flagged != self.flagged:
            self.flagged = flagged
            self.update()

    def boundingRect(self) -> QRectF:
        r = self.RADIUS + 5
        return QRectF(-r, -r - 6, 2 * r + 8, 2 * r + 6)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), self.RADIUS + 2, self.RADIUS + 2)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.RADIUS
        if self.deep:  # a deep muscle's site: a dashed violet ring, like its outline
            ring = QPen(DEEP_EDGE, 1.6, Qt.PenStyle.DashLine)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), r + 3.5, r + 3.5)
        if self.isSelected():
            painter.setPen(QPen(QColor(255, 200, 0), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), r + 3, r + 3)
        if self.technique is Technique.DRY_NEEDLING:
            diamond = QPolygonF(
                [
                    QPointF(0, -r - 1.5),
                    QPointF(r + 1.5, 0),
                    QPointF(0, r + 1.5),
                    QPointF(-r - 1.5, 0),
                ]
            )
            painter.setPen(QPen(NEEDLING_EDGE, 2))
            painter.setBrush(QColor("white"))
            painter.drawPolygon(diamond)
            text_colour = NEEDLING_EDGE
        else:
            painter.setPen(QPen(QColor("white"), 1.5))
            painter.setBrush(INJECTION_FILL)
            painter.drawEllipse(QPointF(0, 0), r, r)
            text_colour = QColor("white")
        if self.flagged:  # an amber warning triangle at the top right
            tip = QPointF(r + 1, -r - 5)
            badge = QPolygonF([tip, tip + QPointF(6, 10), tip + QPointF(-6, 10)])
            painter.setPen(QPen(QColor(120, 70, 0), 1))
            painter.setBrush(QColor(255, 176, 0))
            painter.drawPolygon(badge)
            painter.setPen(QColor(60, 30, 0))
            bang = QFont()
            bang.setPixelSize(8)
            bang.setBold(True)
            painter.setFont(bang)
            painter.drawText(
                QRectF(tip.x() - 4, tip.y() + 2, 8, 8), Qt.AlignmentFlag.AlignCenter, "!"
            )
        font = QFont()
        font.setPixelSize(11 if self.number < 10 else 9)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(text_colour)
        painter.drawText(
            QRectF(-r, -r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, str(self.number)
        )


class OverlayItem(QGraphicsItem):
    """Soft shading where the hovered or selected muscle refers pain."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self._rect = QRectF(0, 0, width, height)
        self._shapes: tuple[Ellipse, ...] = ()
        self.setZValue(Z_OVERLAY)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    @property
    def shapes(self) -> tuple[Ellipse, ...]:
        return self._shapes

    def set_shapes(self, shapes: tuple[Ellipse, ...]) -> None:
        if shapes != self._shapes:
            self._shapes = shapes
            self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        for e in self._shapes:
            painter.save()
            painter.translate(e.cx, e.cy)
            painter.rotate(e.angle)
            gradient = QRadialGradient(QPointF(0, 0), e.rx)
            gradient.setColorAt(0.0, QColor(255, 140, 0, 150))
            gradient.setColorAt(0.6, QColor(255, 170, 0, 90))
            gradient.setColorAt(1.0, QColor(255, 200, 0, 0))
            painter.setBrush(gradient)
            painter.scale(1.0, e.ry / e.rx if e.rx else 1.0)
            painter.drawEllipse(QPointF(0, 0), e.rx, e.rx)
            painter.restore()
