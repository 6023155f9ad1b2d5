"""The progress chart as reportlab graphics (vector, not a screenshot of the screen).

Pain before and after each visit (0-10, left axis) as two lines over the visits' dates, with
the relief that visit gave (reported at the next one, 0-100 %, right axis) as pale bars.
Dates are placed by day, so a long gap between visits shows as one.
"""

from __future__ import annotations

import itertools
from datetime import date

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from clinic_app.domain.progress import Progress, VisitPoint
from clinic_app.reports.base import REGULAR

BEFORE = colors.HexColor("#b03a2e")
AFTER = colors.HexColor("#1f5fa8")
RELIEF = colors.HexColor("#cfe8d4")
GRID = colors.HexColor("#d9d9d9")
TEXT = colors.HexColor("#333333")
#: Least distance between two date labels under the axis, in points (the points are all
#: drawn; only their dates are thinned out).
LABEL_SPACING = 46.0


class Frame:
    """Where the plot area is inside the drawing and how values map onto it."""

    def __init__(self, width: float, height: float, first: date, last: date) -> None:
        self.left, self.right = 30.0, width - 36.0
        self.bottom, self.top = 30.0, height - 24.0
        self.first = first
        self.single = first == last
        self.days = max((last - first).days, 1)

    def x(self, when: date) -> float:
        # Visits on one day only: in the middle.
        share = 0.5 if self.single else (when - self.first).days / self.days
        # Inset so the first and last relief bars stay inside the plot.
        inset = 12.0
        return self.left + inset + share * (self.right - self.left - 2 * inset)

    def y(self, pain: float) -> float:
        return self.bottom + pain / 10 * (self.top - self.bottom)

    def y_percent(self, percent: float) -> float:
        return self.bottom + min(max(percent, 0), 100) / 100 * (self.top - self.bottom)


def _text(x: float, y: float, text: str, size: float = 7.5, anchor: str = "middle") -> String:
    return String(x, y, text, fontName=REGULAR, fontSize=size, fillColor=TEXT, textAnchor=anchor)


def _axes(drawing: Drawing, frame: Frame) -> None:
    for pain in range(0, 11, 2):
        y = frame.y(pain)
        drawing.add(Line(frame.left, y, frame.right, y, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(_text(frame.left - 4, y - 2.5, str(pain), anchor="end"))
        drawing.add(_text(frame.right + 4, y - 2.5, f"{pain * 10}%", anchor="start"))
    drawing.add(_text(frame.left - 4, frame.top + 12, "Pain", anchor="end"))
    drawing.add(_text(frame.right + 4, frame.top + 12, "Relief", anchor="start"))


def _labelled(frame: Frame, points: tuple[VisitPoint, ...]) -> list[VisitPoint]:
    """The points whose date is printed: the first and the last, and between them each one
    far enough from its neighbours' labels (a date is about 40 points wide at this size)."""
    first, last = points[0], points[-1]
    chosen = [first]
    end = frame.x(last.performed_on)
    for p in points[1:]:
        x = frame.x(p.performed_on)
        room = x - frame.x(chosen[-1].performed_on) >= LABEL_SPACING
        if room and (p is last or end - x >= LABEL_SPACING):
            chosen.append(p)
    return chosen


def _bar_width(frame: Frame, points: tuple[VisitPoint, ...]) -> float:
    """Wide enough to see, narrow enough that two visits close together keep apart."""
    xs = [frame.x(p.performed_on) for p in points]
    gaps = [b - a for a, b in itertools.pairwise(xs) if b > a]
    return max(2.0, min([12.0, *(g * 0.7 for g in gaps)]))


def _series(drawing: Drawing, frame: Frame, points: tuple[VisitPoint, ...], before: bool) -> None:
    colour = BEFORE if before else AFTER
    known = [
        (frame.x(p.performed_on), frame.y(value))
        for p in points
        if (value := p.pain_before if before else p.pain_after) is not None
    ]
    if len(known) > 1:
        flat = [c for xy in known for c in xy]
        drawing.add(PolyLine(flat, strokeColor=colour, strokeWidth=1.6))
    for x, y in known:
        drawing.add(Circle(x, y, 2.4, fillColor=colour, strokeColor=colors.white))


def progress_drawing(progress: Progress, width: float, height: float) -> Drawing:
    """The chart of ``progress`` in a ``width`` x ``height`` drawing (points)."""
    drawing = Drawing(width, height)
    points = progress.points
    if not points:
        drawing.add(_text(width / 2, height / 2, "No signed visits yet", size=10))
        return drawing
    frame = Frame(width, height, points[0].performed_on, points[-1].performed_on)
    _axes(drawing, frame)
    bar = _bar_width(frame, points)
    for p in points:
        if p.relief_percent is not None:
            x = frame.x(p.performed_on)
            drawing.add(
                Rect(
                    x - bar / 2,
                    frame.bottom,
                    bar,
                    frame.y_percent(p.relief_percent) - frame.bottom,
                    fillColor=RELIEF,
                    strokeColor=None,
                )
            )
    _series(drawing, frame, points, before=True)
    _series(drawing, frame, points, before=False)
    for p in _labelled(frame, points):
        drawing.add(_text(frame.x(p.performed_on), frame.bottom - 11, p.performed_on.isoformat()))
    # The legend, top left inside the plot.
    legend = (
        ("Pain before", BEFORE),
        ("Pain after", AFTER),
        ("Relief reported next visit", RELIEF),
    )
    x = frame.left + 6
    for label, colour in legend:
        drawing.add(Rect(x, frame.top + 10, 8, 6, fillColor=colour, strokeColor=None))
        drawing.add(_text(x + 11, frame.top + 10.5, label, anchor="start"))
        x += 14 + len(label) * 3.9
    return drawing
