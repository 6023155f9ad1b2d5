"""The Progress view's charts (QtCharts): pain per visit over time, and outcome measures.

:func:`pain_chart` draws pain before and after each signed visit (0-10, left axis) and the
relief that visit gave, as reported at the next visit (0-100 %, right axis), over the visits'
dates. :func:`measures_chart` draws each questionnaire's percent score over time. Both take
plain values and return a :class:`QChart`; nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCharts import QChart, QDateTimeAxis, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from clinic_app.domain.progress import Progress
from clinic_app.services.dto import MeasureScore

BEFORE = QColor("#b03a2e")
AFTER = QColor("#1f5fa8")
RELIEF = QColor("#3c8d50")
MEASURE_COLOURS = ("#7b4fa0", "#c27c0e", "#2a8c8c", "#555555")
PAIN_BEFORE = "Pain before"
PAIN_AFTER = "Pain after"
RELIEF_NAME = "Relief reported at the next visit (%)"
#: Half a day of room either side of the first and last visit, in milliseconds.
_PAD_MS = 12 * 3600 * 1000


def msecs(day: date) -> float:
    """A clinic day as the chart's x value (noon, so a day's point sits mid-day)."""
    return float(QDateTime(day.year, day.month, day.day, 12, 0, 0).toMSecsSinceEpoch())


def _line(name: str, colour: QColor, *, dashed: bool = False) -> QLineSeries:
    series = QLineSeries()
    series.setName(name)
    pen = QPen(colour)
    pen.setWidthF(2.2)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    series.setPen(pen)
    series.setPointsVisible(True)
    return series


def _dates_axis(days: Sequence[date]) -> QDateTimeAxis:
    axis = QDateTimeAxis()
    axis.setFormat("yyyy-MM-dd")
    axis.setTitleText("Visit date")
    first, last = msecs(min(days)), msecs(max(days))
    pad = max(_PAD_MS, (last - first) * 0.04)
    axis.setRange(
        QDateTime.fromMSecsSinceEpoch(int(first - pad)),
        QDateTime.fromMSecsSinceEpoch(int(last + pad)),
    )
    axis.setTickCount(min(max(len(set(days)), 2), 7))
    axis.setLabelsAngle(-30)
    return axis


def _value_axis(title: str, top: float, ticks: int, label: str = "%d") -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, top)
    axis.setTickCount(ticks)
    axis.setLabelFormat(label)
    axis.setTitleText(title)
    return axis


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)  # exports draw at once
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(6, 6, 6, 6))
    return chart


def pain_chart(progress: Progress) -> QChart:
    """Pain before/after per visit and relief percent, over the visits' dates."""
    chart = _chart("Pain before and after each visit")
    points = progress.points
    before = _line(PAIN_BEFORE, BEFORE)
    after = _line(PAIN_AFTER, AFTER)
    relief = _line(RELIEF_NAME, RELIEF, dashed=True)
    for p in points:
        x = msecs(p.performed_on)
        if p.pain_before is not None:
            before.append(x, p.pain_before)
        if p.pain_after is not None:
            after.append(x, p.pain_after)
        if p.relief_percent is not None:
            relief.append(x, p.relief_percent)
    for series in (before, after, relief):
        chart.addSeries(series)
    if not points:
        chart.setTitle("No signed visits yet")
        return chart
    dates = _dates_axis([p.performed_on for p in points])
    pain = _value_axis("Pain (0-10)", 10, 6)
    percent = _value_axis("Relief (%)", 100, 6, "%d%%")
    chart.addAxis(dates, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(pain, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(percent, Qt.AlignmentFlag.AlignRight)
    for series in (before, after):
        series.attachAxis(dates)
        series.attachAxis(pain)
    relief.attachAxis(dates)
    relief.attachAxis(percent)
    return chart


def measures_chart(measures: Sequence[MeasureScore], visit_days: Sequence[date] = ()) -> QChart:
    """Each questionnaire's percent score over time (one line per measure). Its dates span
    ``visit_days`` too, so it lines up under the pain chart; the legend sits at the right,
    leaving the height to the plot."""
    chart = _chart("Outcome questionnaires (percent of the maximum score)")
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    by_measure: dict[str, list[MeasureScore]] = {}
    for score in sorted(measures, key=lambda m: m.taken_on):
        by_measure.setdefault(score.measure, []).append(score)
    dates = _dates_axis([m.taken_on for m in measures] + list(visit_days))
    dates.setLabelsAngle(0)  # level: the shorter chart has no height for slanted dates
    percent = _value_axis("Score (%)", 100, 6, "%d%%")
    chart.addAxis(dates, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(percent, Qt.AlignmentFlag.AlignLeft)
    for index, (_code, scores) in enumerate(by_measure.items()):
        colour = QColor(MEASURE_COLOURS[index % len(MEASURE_COLOURS)])
        series = _line(scores[0].label, colour) if len(scores) > 1 else QScatterSeries()
        series.setName(scores[0].label)
        if isinstance(series, QScatterSeries):
            series.setColor(colour)
            series.setMarkerSize(9)
        for score in scores:
            series.append(msecs(score.taken_on), score.percent)
        chart.addSeries(series)
        series.attachAxis(dates)
        series.attachAxis(percent)
    return chart


#: How a chart view paints (smooth lines in exports and on screen).
RENDER_HINT = QPainter.RenderHint.Antialiasing
