"""The line under the body map that names the hovered muscle and where it refers pain.

A plain QLabel with word wrap grew a line whenever a long referred-pain text wrapped, and
the map above it shrank and rescaled under the pointer. :class:`MuscleInfo` always takes the
same height (a bold title line and :data:`DESCRIPTION_LINES` lines of description), elides
what does not fit and gives the whole text in its tooltip and accessible description.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QTextLayout
from PySide6.QtWidgets import QSizePolicy, QWidget

#: Lines of description under the title; the widget's height never changes.
DESCRIPTION_LINES = 2
_MARGIN = 2


def wrapped_lines(text: str, font: QFont, width: int, max_lines: int) -> list[str]:
    """``text`` wrapped at ``width`` pixels into at most ``max_lines`` lines, the last one
    elided with "…" when the text is longer."""
    layout = QTextLayout(text, font)
    spans: list[tuple[int, int]] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(width, 1))
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    lines = [text[start : start + length].rstrip() for start, length in spans[:max_lines]]
    if len(spans) > max_lines:
        rest = text[spans[max_lines - 1][0] :]
        lines[-1] = QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return lines


class MuscleInfo(QWidget):
    """A title and a short description in a fixed height; the full text is the tooltip.

    Attributes:
        title: the bold first line ("Trapezius (upper), right"); may be empty.
        description: the text under it, wrapped and elided.
    """

    def __init__(self, description: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.description = description
        self.setAccessibleName("Muscle information")
        # Any width (the map decides it), one fixed height.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._update_tips()

    def set_info(self, title: str, description: str) -> None:
        if (title, description) != (self.title, self.description):
            self.title, self.description = title, description
            self._update_tips()
            self.update()

    def text(self) -> str:
        """Everything shown (or elided), as one plain line."""
        return f"{self.title}. {self.description}" if self.title else self.description

    def _update_tips(self) -> None:
        self.setToolTip(self.text())
        self.setAccessibleDescription(self.text())

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        height = QFontMetrics(self._bold()).lineSpacing()
        height += DESCRIPTION_LINES * metrics.lineSpacing() + 2 * _MARGIN
        return QSize(metrics.averageCharWidth() * 40, height)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().windowText().color())
        width = self.width() - 2 * _MARGIN
        y = _MARGIN
        lines: list[tuple[QFont, str]] = []
        if self.title:
            bold = self._bold()
            metrics = QFontMetrics(bold)
            lines.append((bold, metrics.elidedText(self.title, Qt.TextElideMode.ElideRight, width)))
        max_lines = DESCRIPTION_LINES + (0 if self.title else 1)
        lines += [
            (self.font(), t) for t in wrapped_lines(self.description, self.font(), width, max_lines)
        ]
        for font, text in lines:
            metrics = QFontMetrics(font)
            painter.setFont(font)
            painter.drawText(_MARGIN, y + metrics.ascent(), text)
            y += metrics.lineSpacing()
        painter.end()
