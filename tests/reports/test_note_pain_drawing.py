"""The pain drawing printed on the procedure note, beside the sites."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from clinic_app.domain.bodymap import FigureView, default_bodymap
from clinic_app.domain.enums import Side
from clinic_app.domain.pain_drawing import cell_at
from clinic_app.domain.pain_drawing_rank import default_pattern_index
from clinic_app.reports.figure_windows import PANEL_HEIGHT
from clinic_app.reports.note import render_note
from clinic_app.reports.note_data import NotePainDrawing, NotePainMark
from clinic_app.reports.pain_figure import PAIN_RGBA, pain_figure_image, pain_views
from tests.conftest import system_tool
from tests.reports.test_note import note

PATTERN = default_pattern_index().pattern("infraspinatus", Side.LEFT)
DRAWN = NotePainDrawing(PATTERN.encode(), (NotePainMark(1, "posterior", 0.4, 0.25),))


def test_only_the_shaded_figures_are_drawn() -> None:
    order = (FigureView.POSTERIOR, FigureView.ANTERIOR, FigureView.LATERAL_RIGHT)
    assert pain_views(DRAWN) == tuple(v for v in order if v in PATTERN.views())
    assert pain_views(DRAWN)[0] is FigureView.POSTERIOR
    assert pain_views(NotePainDrawing("")) == ()
    assert pain_views(NotePainDrawing("not json")) == ()
    assert pain_figure_image(NotePainDrawing("")) is None


def test_the_cells_are_shaded_red_and_the_site_is_marked() -> None:
    image = pain_figure_image(DRAWN)
    assert image is not None
    assert image.height == PANEL_HEIGHT
    figure = default_bodymap()[FigureView.POSTERIOR]
    scale = PANEL_HEIGHT / figure.height
    cell = next(iter(PATTERN.in_view(FigureView.POSTERIOR)))
    x, y = cell_at_centre(cell)
    red, green, blue = image.getpixel((round(x * scale), round(y * scale)))  # type: ignore[misc]
    assert red > green + 40
    assert red > blue + 40
    mx, my = 0.4 * figure.width * scale, 0.25 * figure.height * scale
    dark = image.getpixel((round(mx) - 7, round(my)))
    assert max(dark) < 90  # type: ignore[arg-type]
    assert PAIN_RGBA[3] < 255  # translucent: the figure shows through


def cell_at_centre(cell: int) -> tuple[float, float]:
    from clinic_app.domain.pain_drawing import cell_rect

    _view, x, y, w, h = cell_rect(cell)
    assert cell_at(FigureView.POSTERIOR, x + w / 2, y + h / 2) == cell
    return x + w / 2, y + h / 2


def test_the_note_prints_the_drawing_in_the_sites_section(tmp_path: Path) -> None:
    plain = render_note(note())
    drawn = render_note(replace(note(), pain_drawing=DRAWN))
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(drawn)).pages)
    assert "Pain drawing" in text
    assert "where the patient marked pain (back" in text
    assert "Pain drawing" not in " ".join(
        p.extract_text() or "" for p in PdfReader(io.BytesIO(plain)).pages
    )
    images = [name for page in PdfReader(io.BytesIO(drawn)).pages for name in page.images]
    assert images
    assert red_pixels(drawn, tmp_path / "drawn") > red_pixels(plain, tmp_path / "plain") + 20


def red_pixels(pdf: bytes, folder: Path) -> int:
    """How many strongly red pixels the pages show, rendered by pdftoppm at 40 dpi."""
    folder.mkdir()
    path = folder / "note.pdf"
    path.write_bytes(pdf)
    pdftoppm = system_tool("pdftoppm", "poppler-utils")
    subprocess.run([pdftoppm, "-png", "-r", "40", str(path), str(folder / "p")], check=True)
    reds = 0
    for png in folder.glob("p*.png"):
        page = Image.open(png).convert("RGB")
        width, height = page.size
        pixels = (page.getpixel((x, y)) for x in range(width) for y in range(height))
        reds += sum(1 for r, g, b in pixels if r > 180 and g < 150 and b < 150)  # type: ignore[misc]
    return reds


def test_a_note_without_sites_still_prints_the_drawing() -> None:
    drawn = render_note(replace(note(), sites=(), pain_drawing=DRAWN))
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(drawn)).pages)
    assert "No sites charted." in text
    assert "Pain drawing" in text
