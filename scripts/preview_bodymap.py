"""Render the body-map SVGs to PNG for looking at them (offscreen Qt, no window).

Usage::

    QT_QPA_PLATFORM=offscreen python scripts/preview_bodymap.py --out /tmp/bodymap-preview
    ... --labels            # also write *-labels.png: region outlines + codes at their centres
    ... --scale 3 --crop posterior:200,90,200,220   # a zoomed crop (viewBox units)

    ... --referred          # referred-pain areas: off-body report + overlay sheets
    ... --referred --muscles scalenes,soleus   # overlay sheets for these muscles

Writes ``<view>.png`` for each view, ``sheet.png`` (the three side by side) and, with
``--labels``, ``<view>-labels.png`` and ``sheet-labels.png``. Regions are drawn as the SVG styles
them (superficial filled, deep dashed); the label pass outlines superficial regions in red and deep
ones in blue and writes ``code-R``/``code-L`` (patient's side) at the point deepest inside each
region.

``--referred`` checks ``referred_areas.toml`` against the drawings as the app loads them
(``clinic_app.domain.bodymap`` / ``referred``): it lists every ellipse whose centre is off the body
(outside the silhouette paths of its figure, flattened with ``clinic_app.domain.svgpath``) and the
ellipses with the least of their area on the body, and exits 1 when a centre is off the body. It
writes ``referred-areas.png`` (every placed area outlined and named on the three figures, right
side solid, the mirrored left side dashed) and ``referred-<muscle>.png`` per muscle (the overlay as
the app shades it when a right-side muscle is hovered, on each figure of the muscle's views plus
any other figure that shows one of its areas).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

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
    QRadialGradient,
)
from PySide6.QtSvg import QSvgRenderer

if TYPE_CHECKING:
    from clinic_app.domain.referred import Ellipse

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


# ---------------------------------------------------------------------- referred-pain areas

DEFAULT_MUSCLES = (
    "sternocleidomastoid", "trapezius_upper", "scalenes", "levator_scapulae", "infraspinatus",
    "forearm_extensors", "gluteus_minimus", "soleus", "masseter", "pectoralis_major",
)  # fmt: skip
FIGURES = (("anterior", "anterior"), ("posterior", "posterior"), ("lateral", "lateral_right"))


def _app_modules():  # imported lazily: the plain preview needs no app code
    sys.path.insert(0, str(ROOT))
    from clinic_app.domain import bodymap, catalog, referred, svgpath

    return bodymap, catalog, referred, svgpath


def ellipse_samples(e: Ellipse, n: int = 12) -> list[tuple[float, float]]:
    """Points spread over an Ellipse (a grid in its own frame)."""
    ca, sa = math.cos(math.radians(e.angle)), math.sin(math.radians(e.angle))
    out = []
    for i in range(n):
        for j in range(n):
            u, w = (2 * i + 1) / n - 1, (2 * j + 1) / n - 1
            if u * u + w * w <= 1:
                x, y = u * e.rx, w * e.ry
                out.append((e.cx + x * ca - y * sa, e.cy + x * sa + y * ca))
    return out


def referred_report(src: Path, areas_path: Path | None) -> int:
    """Print the ellipses off the body; the number whose centre is off the body."""
    bodymap, _catalog, referred, svgpath = _app_modules()
    figures = bodymap.load_bodymap(src)
    areas = referred.load_referred_areas(areas_path)
    off, shares = [], []
    for placement in areas.placements:
        figure = figures[bodymap.FigureView.for_site(placement.view, bodymap.Side.RIGHT)]
        polys = [p for s in figure.silhouette for p in svgpath.flatten(s.commands)]

        def on_body(x: float, y: float, polys: list = polys) -> bool:
            return any(svgpath.point_in_polygon(x, y, p) for p in polys)

        for k, e in enumerate(placement.shapes):
            name = f"{placement.tag} ({placement.view.value} #{k + 1})"
            if not on_body(e.cx, e.cy):
                off.append(f"{name}: centre ({e.cx:g}, {e.cy:g})")
            pts = ellipse_samples(e)
            shares.append((sum(on_body(x, y) for x, y in pts) / len(pts), name))
    count = len(shares)
    print(f"referred areas: {count} ellipses; centre off the body: {len(off)}")
    for line in off:
        print(f"  OFF  {line}")
    shares.sort()
    print("  least on the body: " + ", ".join(f"{n} {s:.0%}" for s, n in shares[:8]))
    return len(off)


def _draw_gradient(painter: QPainter, e: Ellipse) -> None:
    """One area as the app's overlay shades it (clinic_app/ui/bodymap/items.py)."""
    painter.save()
    painter.translate(e.cx, e.cy)
    painter.rotate(e.angle)
    gradient = QRadialGradient(QPointF(0, 0), e.rx)
    gradient.setColorAt(0.0, QColor(255, 140, 0, 150))
    gradient.setColorAt(0.6, QColor(255, 170, 0, 90))
    gradient.setColorAt(1.0, QColor(255, 200, 0, 0))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.scale(1.0, e.ry / e.rx)
    painter.drawEllipse(QPointF(0, 0), e.rx, e.rx)
    painter.restore()


def _outline(painter: QPainter, e: Ellipse, colour: QColor, dashed: bool) -> None:
    painter.save()
    painter.translate(e.cx, e.cy)
    painter.rotate(e.angle)
    pen = QPen(colour, 0.8)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(QPointF(0, 0), e.rx, e.ry)
    painter.restore()


def _text(painter: QPainter, x: float, y: float, text: str, size: float, colour: QColor) -> None:
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(1, round(size)))
    glyphs = QPainterPath()
    glyphs.addText(0, 0, font, text)
    box = glyphs.boundingRect()
    glyphs.translate(x - box.center().x(), y - box.center().y())
    painter.setPen(QPen(QColor(255, 255, 255, 230), size * 0.3))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(glyphs)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.fillPath(glyphs, colour)


def referred_sheets(
    src: Path, areas_path: Path | None, out: Path, scale: float, muscles: list[str]
) -> None:
    _bodymap, catalog_mod, referred, _svgpath = _app_modules()
    areas = referred.load_referred_areas(areas_path)
    catalog = catalog_mod.load_catalog()

    def base(view: str) -> tuple[QImage, QPainter, float]:
        s = scale * (2.5 if view == "lateral" else 1.0)
        image = render(src / f"{view}.svg", s, False)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(s, s)
        return image, painter, s

    # every placed area, outlined and named
    images = []
    for view, _figure in FIGURES:
        image, painter, _s = base(view)
        width = 400 if view == "lateral" else 500
        for placement in areas.placements:
            if placement.view.value != view:
                continue
            colour = QColor("#1060c0") if placement.midline else QColor("#d05000")
            for e in placement.shapes:
                _outline(painter, e, colour, False)
                if view != "lateral" and not placement.midline:
                    _outline(painter, e.mirrored(width), QColor(208, 80, 0, 110), True)
            c = placement.shapes[0]
            _text(
                painter,
                c.cx,
                c.cy,
                placement.tag,
                3.2 if view != "lateral" else 4.2,
                colour.darker(150),
            )
        painter.end()
        images.append(image)
    sheet(images).save(str(out / "referred-areas.png"))
    print(f"wrote {out / 'referred-areas.png'}")

    # the overlay per muscle, right side, as the app shades it
    for code in muscles:
        tags = list(catalog.get(code).referred_pain_areas)
        images = []
        for view, figure in FIGURES:
            shapes = areas.shapes_for(tags, figure, "right")
            if not shapes:
                continue
            image, painter, _s = base(view)
            for e in shapes:
                _draw_gradient(painter, e)
            painter.end()
            images.append(image)
        if images:
            titled(sheet(images), f"{code} (right side): {', '.join(tags)}", scale).save(
                str(out / f"referred-{code}.png")
            )
            print(f"wrote {out / f'referred-{code}.png'}  ({', '.join(tags)})")


def titled(image: QImage, title: str, scale: float) -> QImage:
    """The image under a white band with a line of text."""
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(10, round(14 * scale)))
    band = round(font.pixelSize() * 1.8)
    out = QImage(image.width(), image.height() + band, QImage.Format.Format_ARGB32)
    out.fill(QColor("white"))
    painter = QPainter(out)
    painter.drawImage(0, band, image)
    painter.setFont(font)
    painter.setPen(QColor("#202020"))
    painter.drawText(QPointF(font.pixelSize() * 0.5, font.pixelSize() * 1.3), title)
    painter.end()
    return out


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
    parser.add_argument(
        "--referred",
        action="store_true",
        help="check referred_areas.toml against the drawings and write overlay sheets",
    )
    parser.add_argument(
        "--muscles",
        default=",".join(DEFAULT_MUSCLES),
        help="comma-separated muscle codes for the --referred overlay sheets",
    )
    parser.add_argument(
        "--areas", type=Path, default=None, help="referred_areas.toml to use (default: shipped)"
    )
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    if args.referred:
        off = referred_report(args.src, args.areas)
        muscles = [m for m in args.muscles.split(",") if m]
        referred_sheets(args.src, args.areas, args.out, args.scale, muscles)
        del app
        return 1 if off else 0
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
