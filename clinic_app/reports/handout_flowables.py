"""The handout's own flowables: the captioned figure, a site's badge, a layout chosen at page time.

Split from :mod:`clinic_app.reports.handout`, which composes them into the document.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from PIL import Image
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.platypus import Flowable, KeepTogether, NextPageTemplate, Paragraph, Table

from clinic_app.domain.enums import Technique
from clinic_app.reports.base import BOLD

MARK_RED = colors.HexColor("#c41e3a")  # as the figure's injection marks
MARK_BLUE = colors.HexColor("#145aaa")  # as the figure's dry-needling rings


class CaptionedFigure(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """The body-figure PNG with one caption under each view, of a fixed size.

    Sized once, so :class:`ImageAndFlowables` can flow the site list beside it.
    """

    def __init__(
        self,
        figure: bytes | Image.Image,
        captions: list[tuple[float, Paragraph]],
        max_width: float,
        max_height: float,
        min_height: float | None = None,
    ) -> None:
        super().__init__()
        # A figure drawn for this handout comes as a PIL image, which skips a PNG encode and
        # decode; given PNG bytes are read and embedded by reportlab as before.
        self.pil: Image.Image | None = None
        self.image: Any = None  # a reportlab ImageReader
        if isinstance(figure, Image.Image):
            self.pil = figure if figure.mode == "RGB" else figure.convert("RGB")
            iw, ih = self.pil.size
        else:
            self.image = ImageReader(io.BytesIO(figure))
            iw, ih = self.image.getSize()
        self.captions = captions
        self.caption_min = 2.6 * inch  # a caption this wide wraps to two lines at most
        self.pixels = (iw, ih)
        self.max_width, self.max_height = max_width, max_height
        self.min_height = max_height if min_height is None else min(min_height, max_height)
        self._size_to(max_height)

    def _caption_width(self, image_width: float) -> float:
        """Captions may be wider than a narrow image (centred under it), never overlapping."""
        least = min(self.max_width, self.caption_min * len(self.captions))
        return float(max(image_width, least))

    def _size_to(self, height: float) -> None:
        iw, ih = self.pixels
        scale = min(self.max_width / iw, (height - 4) / ih)
        for _ in range(3):  # captions wrap to the image's width, which depends on them
            width = self._caption_width(iw * scale)
            caption_height = max(
                (p.wrap(width * share - 6, height)[1] for share, p in self.captions),
                default=0.0,
            )
            scale = min(self.max_width / iw, (height - caption_height - 4) / ih)
        self.image_width, self.image_height = iw * scale, ih * scale
        self.caption_total = self._caption_width(self.image_width)
        self.caption_height = max(
            (p.wrap(self.caption_total * share - 6, height)[1] for share, p in self.captions),
            default=0.0,
        )
        self.width = self.caption_total
        self.height = self.image_height + self.caption_height + 4

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # Shrink (down to min_height) rather than leave the page the list ends on.
        self._size_to(max(self.min_height, min(self.max_height, availHeight)))
        return self.width, self.height

    def _restrictSize(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def _unRestrictSize(self) -> None:
        return None

    def draw(self) -> None:
        left = (self.width - self.image_width) / 2
        if self.pil is not None:
            self._draw_rgb(self.pil, left, self.caption_height + 4)
        else:
            self.canv.drawImage(
                self.image, left, self.caption_height + 4, self.image_width, self.image_height
            )
        x = 0.0
        for share, paragraph in self.captions:
            column = self.caption_total * share
            _, h = paragraph.wrap(column - 6, self.caption_height)
            paragraph.drawOn(self.canv, x + 3, self.caption_height - h)
            x += column

    def _draw_rgb(self, image: Image.Image, x: float, y: float) -> None:
        """Embed an RGB image as one Flate image XObject, as ``Canvas.drawImage`` does.

        The same lossless stream as drawImage writes, compressed at zlib level 1 instead of 6
        (a tenth larger, a third of the time) and without drawImage's MD5 of the pixels, which
        only serves to share an image drawn more than once.
        """
        canv = self.canv
        name = f"BodyFigure{id(self):x}"
        reg_name = canv._doc.getXObjectName(name)
        if canv._doc.idToObject.get(reg_name) is None:
            xobj = pdfdoc.PDFImageXObject(name)
            xobj.width, xobj.height = image.size
            xobj.bitsPerComponent = 8
            xobj.colorSpace = "DeviceRGB"
            xobj.streamContent = zlib.compress(image.tobytes(), 1)
            xobj._filters = ("FlateDecode",)
            xobj.mask = None
            canv._setXObjects(xobj)
            canv._doc.Reference(xobj, reg_name)
            canv._doc.addForm(name, xobj)
        canv._currentPageHasImages = 1
        canv.saveState()
        canv.translate(x, y)
        canv.scale(self.image_width, self.image_height)
        canv._code.append(f"/{reg_name} Do")
        canv.restoreState()
        canv._formsinuse.append(name)  # lists the image in the page's resources


class Badge(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A site's number drawn like its mark on the figure (red disc, or ringed for needling)."""

    def __init__(self, number: int, technique: Technique, size: float) -> None:
        super().__init__()
        self.number, self.technique, self.size = number, technique, size
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.size, self.size

    def draw(self) -> None:
        c, r = self.canv, self.size / 2
        c.saveState()
        if self.technique is Technique.INJECTION:
            c.setFillColor(MARK_RED)
            c.setStrokeColor(colors.white)
            c.circle(r, r, r, stroke=0, fill=1)
            c.setFillColor(colors.white)
        else:
            c.setFillColor(colors.white)
            c.setStrokeColor(MARK_BLUE)
            c.setLineWidth(self.size * 0.1)
            c.circle(r, r, r * 0.93, stroke=1, fill=1)
            c.setFillColor(colors.black)
        label = str(self.number)
        font_size = self.size * (0.55 if len(label) < 3 else 0.42)
        c.setFont(BOLD, font_size)
        c.drawCentredString(r, r - font_size * 0.36, label)
        c.restoreState()


def height_of(flowable: Flowable, width: float) -> float:
    """The height ``flowable`` takes at ``width``, with the space around it."""
    _, height = flowable.wrap(width, 1e6)
    return float(height + flowable.getSpaceBefore() + flowable.getSpaceAfter())


class Choice(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A placeholder for the first of several layouts that fits the room left on the page.

    Each option gives flowables whose first one is the part that must fit (a row of the
    list and the figure, say). Wrapping always reports too tall, so the frame asks
    :meth:`split`, which replaces this placeholder with the first option that fits, or
    with ``fallback`` (which the frame then places, splits or moves as usual). It is only
    used before the advice, on pages of the single-frame template.

    Attributes:
        least_empty: choose, among the options that fit, the one whose first flowable is a
            row with the least empty space beside the figure (see :func:`_empty_beside`).
    """

    def __init__(
        self,
        options: Sequence[Callable[[], list[Flowable]]],
        fallback: Callable[[], list[Flowable]],
        *,
        least_empty: bool = False,
        least_room: float = 0.0,
    ) -> None:
        super().__init__()
        self.options, self.fallback, self.least_empty = options, fallback, least_empty
        self.least_room = least_room

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, availHeight + 1
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        best: tuple[float, list[Flowable]] | None = None
        for option in self.options:
            flowables = option()
            first = flowables[0]
            _, needed = first.wrapOn(self.canv, availWidth, availHeight)
            if isinstance(first, KeepTogether):  # its wrap always asks for a split
                needed = first._H
            if needed > availHeight:
                continue
            if not self.least_empty:
                best = (0.0, flowables)
                break
            empty = empty_beside(first, availWidth)
            if best is None or empty < best[0]:
                best = (empty, flowables)
        if best is None and availHeight < self.least_room:
            return []  # the bottom of a page: try the options again on the next one
        chosen = self.fallback() if best is None else best[1]
        # An action first makes the document place the flowables one by one, as usual (it
        # insists that a split's first flowable fits as is). Pages before the advice use the
        # single-frame template anyway.
        return [NextPageTemplate("page"), *chosen]

    def draw(self) -> None:  # pragma: no cover - always split, never drawn
        raise AssertionError("Choice is always split")


def empty_beside(row: Table, width: float) -> float:
    """The height left empty under the text beside the figure of a :meth:`_row` table."""
    left, figure = row.beside  # set by HandoutRenderer._row
    text = sum(height_of(f, float(row._colWidths[0])) for f in left)
    return max(0.0, float(figure.height) - text)
