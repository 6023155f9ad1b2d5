"""Render the body-map SVGs to PNG for looking at them (offscreen Qt, no window).

Usage::

    QT_QPA_PLATFORM=offscreen python scripts/preview_bodymap.py --out /tmp/bodymap-preview
    ... --labels            # also write *-labels.png: region outlines + codes at their centres
    ... --scale 3 --crop posterior:200,90,200,220   # a zoomed crop (viewBox units)

Writes ``<view>.png`` for each view, ``sheet.png`` (the three side by side) and, with
``--labels``, ``<view>-labels.png`` and ``sheet-labels.png``. Regions are drawn as the SVG styles
them (superficial filled, deep dashed); the label pass outlines superficial regions in red and deep
ones in blue and writes ``code-R``/``code-L`` (patient's side) at the point deepest inside each
region.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtSvg import QSvgRenderer

# PySide6 6.12.0 on CPython 3.11 drops one reference to None on every call of a Qt method that
# returns void (QPainter.drawPath, QPointF.setX, ...); None is not immortal before 3.12, so a few
# thousand calls end in "Fatal Python error: none_dealloc". This short-lived script holds spare
# references while it runs and leaves with os._exit() so finalisation cannot trip over the count.
_NONE_BALLAST = [None] * 2_000_000

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "resources" / "anatomy" / "bodymap"
VIEWS = ("anterior", "posterior", "lateral")
NS = "{http://www.w3.org/2000/svg}"
TOKEN = re.compile(r"[MLCQZ]|-?\d*\.?\d+(?:[eE][-+]?\d+)?")


def parse_path(d: str) -> QPainterPath:
    """The app's subset of SVG path data: absolute M, L, C, Q, Z."""
    tokens = TOKEN.findall(d)
    path = QPainterPath()
    i, cmd = 0, ""
    while i < len(tokens):
        if tokens[i] in "MLCQZ":
            cmd = tokens[i]
            i += 1
            if cmd == "Z":
                path.closeSubpath()
                continue
        n = {"M": 2, "L": 2, "C": 6, "Q": 4}[cmd]
        v = [float(t) for t in tokens[i : i + n]]
        i += n
        if cmd == "M":
            path.moveTo(v[0], v[1])
        elif cmd == "L":
            path.lineTo(v[0], v[1])
        elif cmd == "C":
            path.cubicTo(v[0], v[1], v[2], v[3], v[4], v[5])
        else:
            path.quadTo(v[0], v[1], v[2], v[3])
    return path


def regions(svg: Path) -> list[tuple[str, str, str, QPainterPath]]:
    """(layer, muscle, side, path) for every clickable region, in document order."""
    root = ET.parse(svg).getroot()
    out = []
    for group in root.findall(f"{NS}g"):
        layer = group.get("id", "")
        if not layer.startswith("muscles-"):
            continue
        for el in group.iter(f"{NS}path"):
            out.append(
                (
                    layer[len("muscles-") :],
                    el.get("data-muscle", "?"),
                    el.get("data-side", "?"),
                    parse_path(el.get("d", "")),
                )
            )
    return out


def label_point(path: QPainterPath) -> QPointF:
    """Roughly the point of the region farthest from its border (where a label fits best)."""
    poly = path.toFillPolygon()
    pts = [(poly.at(i).x(), poly.at(i).y()) for i in range(poly.size())]
    box = path.boundingRect()
    best, best_d = box.center(), -1.0
    step = max(1.0, min(box.width(), box.height()) / 14)
    y = box.top() + step / 2
    while y < box.bottom():
        x = box.left() + step / 2
        while x < box.right():
            if path.contains(QPointF(x, y)):
                d = min(_seg_dist(x, y, pts[k - 1], pts[k]) for k in range(1, len(pts)))
                if d > best_d:
                    best, best_d = QPointF(x, y), d
            x += step
        y += step
    return best


def _seg_dist(x: float, y: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / length))
    return math.hypot(x - a[0] - t * dx, y - a[1] - t * dy)


def render(svg: Path, scale: float, labels: bool, crop: QRectF | None = None) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"Qt could not read {svg}")
    box = renderer.viewBoxF()
    area = crop or box
    image = QImage(
        math.ceil(area.width() * scale),
        math.ceil(area.height() * scale),
        QImage.Format.Format_ARGB32,
    )
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(scale, scale)
    painter.translate(-area.left(), -area.top())
    renderer.render(painter, box)
    if labels:
        font = QFont("DejaVu Sans")
        font.setPixelSize(4 if svg.stem != "lateral" else 6)  # viewBox units (painter scaled)
        for layer, muscle, side, path in regions(svg):
            colour = QColor("#d01010") if layer == "superficial" else QColor("#2020c0")
            pen = QPen(colour, 0.5 if layer == "superficial" else 0.7)
            if layer == "deep":
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            text = f"{muscle}-{side[:1].upper()}"
            at = label_point(path)
            glyphs = QPainterPath()
            glyphs.addText(0, 0, font, text)
            box = glyphs.boundingRect()
            glyphs.translate(at.x() - box.center().x(), at.y() - box.center().y())
            painter.setPen(QPen(QColor(255, 255, 255, 230), 1.2))
            painter.drawPath(glyphs)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.fillPath(glyphs, colour.darker(140))
    painter.end()
    return image


def sheet(images: list[QImage], gap: int = 20) -> QImage:
    height = max(im.height() for im in images)
    width = sum(im.width() for im in images) + gap * (len(images) - 1)
    out = QImage(width, height, QImage.Format.Format_ARGB32)
    out.fill(QColor("white"))
    painter = QPainter(out)
    x = 0
    for im in images:
        painter.drawImage(x, 0, im)
        x += im.width() + gap
    painter.end()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=SRC, help="folder with the SVGs")
    parser.add_argument("--out", type=Path, default=Path("/tmp/bodymap-preview"))
    parser.add_argument("--scale", type=float, default=1.0, help="pixels per viewBox unit")
    parser.add_argument("--labels", action="store_true", help="also write labelled versions")
    parser.add_argument(
        "--crop",
        action="append",
        default=[],
        help="VIEW:x,y,w,h  a zoomed crop in viewBox units (repeatable)",
    )
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    plain: list[QImage] = []
    labelled: list[QImage] = []
    for view in VIEWS:
        svg = args.src / f"{view}.svg"
        scale = args.scale * (2.5 if view == "lateral" else 1.0)
        for with_labels, bucket in ((False, plain), (True, labelled)):
            if with_labels and not args.labels:
                continue
            image = render(svg, scale, with_labels)
            name = f"{view}{'-labels' if with_labels else ''}.png"
            image.save(str(args.out / name))
            bucket.append(image)
            print(f"wrote {args.out / name}")
    sheet(plain).save(str(args.out / "sheet.png"))
    print(f"wrote {args.out / 'sheet.png'}")
    if labelled:
        sheet(labelled).save(str(args.out / "sheet-labels.png"))
        print(f"wrote {args.out / 'sheet-labels.png'}")
    for i, spec in enumerate(args.crop):
        view, _, box = spec.partition(":")
        x, y, w, h = (float(v) for v in box.split(","))
        image = render(args.src / f"{view}.svg", args.scale, args.labels, QRectF(x, y, w, h))
        name = f"crop{i}-{view}.png"
        image.save(str(args.out / name))
        print(f"wrote {args.out / name}")
    del app
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
