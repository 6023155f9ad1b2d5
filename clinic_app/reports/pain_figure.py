"""The procedure note's pain drawing: each shaded figure with the visit's numbered sites.

Every figure that carries shading is drawn plain (:func:`clinic_app.reports.figure.plain_panel`,
the handout's cached drawing), the drawing's cells laid over it in translucent red and each
site charted on that figure marked with its number from the site table, side by side at the
same height. Pure Pillow: a :class:`~clinic_app.reports.note_data.NotePainDrawing` in, an
image out.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFont
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle
from reportlab.platypus import Image as RLImage

from clinic_app.domain.bodymap import BodyMap, FigureView, default_bodymap
from clinic_app.domain.fonts import BOLD_FONT, font_path
from clinic_app.domain.pain_drawing import PainDrawing, PainDrawingError, cell_rect
from clinic_app.reports.figure import plain_panel, side_by_side
from clinic_app.reports.figure_windows import PANEL_HEIGHT
from clinic_app.reports.note_data import NotePainDrawing

#: The shading, as on screen (``clinic_app.ui.bodymap.drawing.PAIN_FILL``).
PAIN_RGBA = (190, 0, 60, 120)
_MARK_FILL = (40, 40, 40)
_MARK_RADIUS = 11
LABELS = {
    FigureView.POSTERIOR: "back",
    FigureView.ANTERIOR: "front",
    FigureView.LATERAL_RIGHT: "head and neck, right side",
    FigureView.LATERAL_LEFT: "head and neck, left side",
}
_ORDER = (
    FigureView.POSTERIOR,
    FigureView.ANTERIOR,
    FigureView.LATERAL_RIGHT,
    FigureView.LATERAL_LEFT,
)


def drawing_of(data: NotePainDrawing) -> PainDrawing:
    """The drawing of the note's data (empty when its text cannot be read)."""
    try:
        return PainDrawing.decode(data.cells)
    except PainDrawingError:
        return PainDrawing()


def pain_views(data: NotePainDrawing) -> tuple[FigureView, ...]:
    """The figures the note prints, in drawing order: those that carry shading."""
    shaded = set(drawing_of(data).views())
    return tuple(view for view in _ORDER if view in shaded)


def _panel(
    view: FigureView, data: NotePainDrawing, drawing: PainDrawing, bodymap: BodyMap
) -> Image.Image:
    figure = bodymap[view]
    base = plain_panel(figure).convert("RGBA")
    scale = PANEL_HEIGHT / figure.height
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for cell in drawing.in_view(view):
        _view, x, y, w, h = cell_rect(cell)
        draw.rectangle(
            (x * scale, y * scale, (x + w) * scale - 1, (y + h) * scale - 1), fill=PAIN_RGBA
        )
    panel = Image.alpha_composite(base, layer)
    marks = ImageDraw.Draw(panel)
    font = ImageFont.truetype(str(font_path(BOLD_FONT)), 13)
    for mark in data.marks:
        if mark.view != view.value:
            continue
        cx, cy = mark.x * figure.width * scale, mark.y * figure.height * scale
        r = _MARK_RADIUS
        marks.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_MARK_FILL, outline="white", width=2)
        marks.text((cx, cy), str(mark.number), fill="white", font=font, anchor="mm")
    return panel.convert("RGB")


def pain_figure_image(data: NotePainDrawing, bodymap: BodyMap | None = None) -> Image.Image | None:
    """The shaded figures side by side, or None when nothing is shaded."""
    bodymap = bodymap or default_bodymap()
    drawing = drawing_of(data)
    return side_by_side([_panel(view, data, drawing, bodymap) for view in pain_views(data)])


def pain_figure_png(data: NotePainDrawing, bodymap: BodyMap | None = None) -> bytes | None:
    """:func:`pain_figure_image` as PNG bytes (None when nothing is shaded)."""
    image = pain_figure_image(data, bodymap)
    if image is None:
        return None
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(200, 200))
    return out.getvalue()


def pain_drawing_story(
    data: NotePainDrawing, width: float, para: Callable[[str, str], Flowable]
) -> list[Flowable]:
    """The note's pain drawing block: the figures, with a legend beside them."""
    png = pain_figure_png(data)
    if png is None:
        return []
    image = Image.open(io.BytesIO(png))
    height = min(200.0, width * 0.55 * image.height / image.width)
    picture = RLImage(io.BytesIO(png), width=height * image.width / image.height, height=height)
    views = ", ".join(LABELS[view] for view in pain_views(data))
    legend = [
        para("Pain drawing", "Label"),
        para(f"Shaded in red: where the patient marked pain ({views}).", "Body"),
        para("Numbered dots: the sites of the table above.", "Body"),
    ]
    table = Table(
        [[picture, legend]], colWidths=[picture.drawWidth + 8, width - picture.drawWidth - 8]
    )
    table.setStyle(
        TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ])
    )  # fmt: skip
    return [Spacer(1, 6), KeepTogether([table])]


__all__ = [
    "PAIN_RGBA",
    "drawing_of",
    "pain_drawing_story",
    "pain_figure_image",
    "pain_figure_png",
    "pain_views",
]
