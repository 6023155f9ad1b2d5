"""Message bars that float over the bottom of the form instead of pushing the chart down.

A save failure, a conflict or a refused entry used to appear above the map and the table, so
both jumped down under the pointer. :class:`NoticeOverlay` stacks the editor's bars over the
bottom edge of the form's scroll area, and gives that scroll area a bottom margin of the same
height, so every field can still be scrolled into view above the bars. Nothing else moves.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize
from PySide6.QtWidgets import QAbstractScrollArea, QVBoxLayout, QWidget

_PLACE_ON = frozenset(
    {
        QEvent.Type.Resize,
        QEvent.Type.Move,
        QEvent.Type.ShowToParent,
        QEvent.Type.HideToParent,
        QEvent.Type.LayoutRequest,
    }
)


class NoticeOverlay(QObject):
    """Keeps ``bars`` over the bottom of ``anchor`` (a scroll area) inside ``host``.

    Attributes:
        panel: the floating widget that holds the bars (hidden while every bar is).
    """

    def __init__(self, host: QWidget, anchor: QAbstractScrollArea, bars: Sequence[QWidget]) -> None:
        super().__init__(host)
        self._host = host
        self._anchor = anchor
        self._bars = list(bars)
        self.panel = QWidget(host)
        self.panel.setObjectName("noticeOverlay")
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for bar in self._bars:
            layout.addWidget(bar)
        self.panel.hide()
        for watched in (anchor, self.panel, *self._bars):
            watched.installEventFilter(self)
        self.place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _PLACE_ON:
            self.place()
        return False

    def place(self) -> None:
        """Put the panel over the anchor's bottom edge (or hide it) and reserve its height."""
        anchor = self._anchor
        if all(bar.isHidden() for bar in self._bars):
            self.panel.hide()
            anchor.setViewportMargins(0, 0, 0, 0)
            return
        width = anchor.width()
        layout = self.panel.layout()
        assert layout is not None
        height = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        height = min(height, anchor.height())
        top_left = anchor.mapTo(self._host, QPoint(0, anchor.height() - height))
        geometry = QRect(top_left, QSize(width, height))
        if self.panel.geometry() != geometry:
            self.panel.setGeometry(geometry)
        self.panel.show()
        self.panel.raise_()
        anchor.setViewportMargins(0, 0, 0, height)
