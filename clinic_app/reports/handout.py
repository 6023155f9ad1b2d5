"""The patient's aftercare handout as PDF (issue 5 §1; content from tpi-reference.md §7).

:func:`render_handout` takes a :class:`~clinic_app.domain.handout.HandoutData` and returns PDF
bytes. Which blocks print is decided in the domain (:func:`select_blocks`); every word comes
from ``resources/handouts/<language>.toml``; every user string is escaped before it reaches
Paragraph markup.
"""

from __future__ import annotations

import io
import logging
import unicodedata
import zlib
from dataclasses import dataclass
from typing import Any

from PIL import Image
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    ImageAndFlowables,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from clinic_app.domain.catalog import Catalog, default_catalog
from clinic_app.domain.enums import Technique
from clinic_app.domain.handout import (
    Block,
    HandoutData,
    HandoutTexts,
    default_texts,
    lay_sites,
    select_blocks,
)
from clinic_app.reports.base import (
    BOLD,
    REGULAR,
    body_frame,
    check_glyphs,
    esc,
    numbered_canvas,
    register_fonts,
)
from clinic_app.reports.figure import body_figure_image, figure_panels

EMERGENCY_RED = colors.HexColor("#b3121f")
EMERGENCY_FILL = colors.HexColor("#fdecea")
RULE_GREY = colors.HexColor("#9a9a9a")
#: Longer site lists print at full width with the figure below them, not beside.
SIDE_BY_SIDE_SITES = 8

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Sizes:
    body: float
    heading: float
    title: float
    header: float


NORMAL = _Sizes(body=11.5, heading=15, title=20, header=9.5)
LARGE = _Sizes(body=17, heading=22, title=27, header=12)


class _CaptionedFigure(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """The body-figure PNG with one caption under each view, of a fixed size.

    Sized once, so :class:`ImageAndFlowables` can flow the site list beside it.
    """

    def __init__(
        self,
        figure: bytes | Image.Image,
        captions: list[tuple[float, Paragraph]],
        max_width: float,
        max_height: float,
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
        caption_height = max(
            (p.wrap(max_width * share, max_height)[1] for share, p in captions), default=0.0
        )
        scale = min((max_height - caption_height - 4) / ih, max_width / iw)
        self.image_width, self.image_height = iw * scale, ih * scale
        self.caption_height = caption_height
        self.width, self.height = self.image_width, self.image_height + caption_height + 4

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def _restrictSize(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def _unRestrictSize(self) -> None:
        return None

    def draw(self) -> None:
        if self.pil is not None:
            self._draw_rgb(self.pil, 0, self.caption_height + 4)
        else:
            self.canv.drawImage(
                self.image, 0, self.caption_height + 4, self.image_width, self.image_height
            )
        x = 0.0
        for share, paragraph in self.captions:
            column = self.image_width * share
            _, h = paragraph.wrap(column, self.caption_height)
            paragraph.drawOn(self.canv, x, self.caption_height - h)
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


class HandoutRenderer:
    """Builds one handout. Subclass and override a ``_get_*`` / ``_on_page`` step to vary it."""

    pagesize = LETTER
    margin = 0.6 * inch

    def __init__(
        self, data: HandoutData, *, figure_png: bytes | None = None, catalog: Catalog | None = None
    ) -> None:
        self.data = data
        self.catalog = catalog or default_catalog()
        self.texts: HandoutTexts = default_texts(data.language)
        self.sizes = LARGE if data.large_print else NORMAL
        self.figure: bytes | Image.Image | None = (
            figure_png if figure_png is not None else body_figure_image(data)
        )
        self.styles = self._get_stylesheet()

    # ------------------------------------------------------------ template steps

    def _get_stylesheet(self) -> StyleSheet1:
        s = self.sizes
        sheet = StyleSheet1()
        body = ParagraphStyle(
            "Body",
            fontName=REGULAR,
            fontSize=s.body,
            leading=s.body * 1.3,
            spaceAfter=s.body * 0.25,
        )
        sheet.add(body)
        sheet.add(ParagraphStyle("Cell", parent=body, spaceAfter=0))
        sheet.add(ParagraphStyle("CellBold", parent=body, fontName=BOLD, spaceAfter=0))
        sheet.add(
            ParagraphStyle(
                "Caption", parent=body, fontSize=s.body * 0.85, leading=s.body * 1.1, alignment=1
            )
        )
        sheet.add(
            ParagraphStyle(
                "Title",
                parent=body,
                fontName=BOLD,
                fontSize=s.title,
                leading=s.title * 1.2,
                spaceAfter=s.body * 0.4,
            )
        )
        sheet.add(
            ParagraphStyle(
                "Heading",
                parent=body,
                fontName=BOLD,
                fontSize=s.heading,
                leading=s.heading * 1.2,
                spaceBefore=s.heading * 0.6,
                spaceAfter=s.heading * 0.25,
            )
        )
        sheet.add(
            ParagraphStyle(
                "EmergencyHeading", parent=sheet["Heading"], textColor=EMERGENCY_RED, spaceBefore=0
            )
        )
        sheet.add(ParagraphStyle("Urgent", parent=body, fontName=BOLD))
        sheet.add(
            ParagraphStyle(
                "Bullet",
                parent=body,
                leftIndent=s.body * 1.6,
                bulletIndent=s.body * 0.4,
                bulletFontName=BOLD,
            )
        )
        return sheet

    def _header_height(self) -> float:
        return self.sizes.header * 3.2

    def _get_frames(self) -> list[Frame]:
        top = self._header_height() + 6
        bottom = self.sizes.header * 2.5
        return [body_frame(self.pagesize, self.margin, top, bottom)]

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Header on every page: clinic, phone, and the patient's name and birth date."""
        d, t, size = self.data, self.texts, self.sizes.header
        width, height = self.pagesize
        left, right, top = self.margin, width - self.margin, height - self.margin
        canvas.saveState()
        logo = self._logo()
        if logo is not None:  # the clinic's logo at the left of the header, text beside it
            box = self._header_height() - 4
            w, h = logo.getSize()
            scale = min(box / h, box * 3 / w)
            canvas.drawImage(logo, left, top - box, w * scale, h * scale, mask="auto")
            left += w * scale + 8
        canvas.setFont(BOLD, size * 1.15)
        canvas.drawString(left, top - size, self._clean(d.clinic_name))
        canvas.setFont(REGULAR, size)
        canvas.drawRightString(
            right, top - size, f"{t.text('label.clinic_phone')}: {self._clean(d.clinic_phone)}"
        )
        patient = (
            f"{t.text('label.patient')}: {self._clean(d.patient_name)}   "
            f"{t.text('label.date_of_birth')}: {t.date(d.birth_date)}"
        )
        canvas.drawString(left, top - size * 2.4, patient)
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.8)
        canvas.line(left, top - self._header_height(), right, top - self._header_height())
        canvas.restoreState()

    def _logo(self) -> ImageReader | None:
        """The clinic's logo, read once; an unreadable image is left out, never fatal."""
        if not hasattr(self, "_logo_reader"):
            self._logo_reader: ImageReader | None = None
            if self.data.logo_png:
                try:
                    self._logo_reader = ImageReader(io.BytesIO(self.data.logo_png))
                    self._logo_reader.getSize()
                except Exception:
                    log.warning("the clinic logo could not be read; printing without it")
                    self._logo_reader = None
        return self._logo_reader

    def _draw_page_count(self, canvas: Canvas, page: int, pages: int) -> None:
        size = self.sizes.header
        width, _ = self.pagesize
        canvas.saveState()
        canvas.setFont(REGULAR, size)
        canvas.drawRightString(
            width - self.margin,
            self.margin,
            self.texts.format("label.page", page=page, pages=pages),
        )
        canvas.drawString(self.margin, self.margin, self._clean(self.data.patient_name))
        canvas.restoreState()

    def _get_story(self) -> list[Flowable]:
        blocks = select_blocks(self.data, self.catalog)
        story: list[Flowable] = [
            Paragraph(esc(self.texts.text("document.title")), self.styles["Title"]),
            Paragraph(esc(self.texts.text("document.intro")), self.styles["Body"]),
            self._details_table(),
        ]
        if Block.EMERGENCY in blocks:
            story += [Spacer(1, self.sizes.body * 0.6), self._emergency_box()]
        story += self._what_we_did()
        for block in blocks:
            if block is not Block.EMERGENCY:
                story += self._block(block)
        return story

    # ------------------------------------------------------------ story parts

    def _clean(self, text: str) -> str:
        """User text as printed: NFC (so "é" typed as e + accent is one glyph), one line."""
        return " ".join(unicodedata.normalize("NFC", text).split())

    def _para(self, text: str, style: str = "Body") -> Paragraph:
        return Paragraph(esc(text), self.styles[style])

    def _details_table(self) -> Table:
        d, t = self.data, self.texts
        rows = [
            (t.text("label.visit_date"), t.date(d.visit_date)),
            (t.text("label.provider"), self._clean(d.provider_name)),
            (t.text("label.clinic_phone"), self._clean(d.clinic_phone)),
        ]
        if d.after_hours_phone.strip():  # no empty row when the clinic has no such number
            rows.append((t.text("label.after_hours_phone"), self._clean(d.after_hours_phone)))
        table = Table(
            [[self._para(k, "CellBold"), self._para(v, "Cell")] for k, v in rows],
            colWidths=[self._content_width() * 0.34, self._content_width() * 0.66],
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return table

    def _content_width(self) -> float:
        return float(self.pagesize[0] - 2 * self.margin)

    def _emergency_box(self) -> Table:
        key = f"block.{Block.EMERGENCY.value}"
        cell: list[Flowable] = [self._para(self.texts.text(f"{key}.heading"), "EmergencyHeading")]
        cell += [
            self._para(line, "Urgent" if i == 0 else "Body")
            for i, line in enumerate(self.texts.lines(f"{key}.lines"))
        ]
        box = Table([[cell]], colWidths=[self._content_width()])
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 3, EMERGENCY_RED),
                    ("BACKGROUND", (0, 0), (-1, -1), EMERGENCY_FILL),
                    ("LEFTPADDING", (0, 0), (-1, -1), 12),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                    ("TOPPADDING", (0, 0), (-1, -1), 10),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        return box

    def _what_we_did(self) -> list[Flowable]:
        t, d = self.texts, self.data
        heading = [
            KeepTogether(
                [
                    self._para(t.text("label.sites_heading"), "Heading"),
                    self._para(t.text("label.sites_intro")),
                ]
            )
        ]
        w = self._content_width()
        if d.large_print or len(d.sites) > SIDE_BY_SIDE_SITES or len(figure_panels(d)) > 2:
            # Large print or a long list: the list at full width, then a big figure below it.
            figure = self._figure(w, 4.6 * inch)
            stacked: list[Flowable] = [*heading, self._site_table(w), *self._medicines()]
            if figure is not None:
                stacked.append(KeepTogether([Spacer(1, self.sizes.body), figure]))
            return stacked
        figure = self._figure(w * 0.46, 3.5 * inch)
        if figure is None:
            return [*heading, self._site_table(w), *self._medicines()]
        # Start on a new page rather than leave the heading alone at the bottom.
        heading.insert(0, CondPageBreak(figure.height + 4 * self.sizes.heading))
        beside = w - figure.width - 20  # the image padding, left 12 + right 3, and slack
        content = [self._site_table(beside), *self._medicines()]
        # The list flows beside the figure and continues below it (and on the next page).
        return [
            *heading,
            ImageAndFlowables(figure, content, imageLeftPadding=12, imageSide="right"),
        ]

    def _site_table(self, width: float) -> Table:
        t, d = self.texts, self.data
        places = lay_sites(d, self.catalog, d.language)
        rows: list[list[Any]] = [
            [
                self._para(t.text(f"label.{k}"), "CellBold")
                for k in ("site_number", "site_place", "site_technique")
            ]
        ]
        for site, place in zip(d.sites, places, strict=True):
            rows.append(
                [
                    self._para(str(site.number), "Cell"),
                    self._para(place, "Cell"),
                    self._para(t.text(f"label.{site.technique.value}"), "Cell"),
                ]
            )
        label_width = stringWidth(t.text("label.site_number"), BOLD, self.sizes.body) + 8
        first = max(label_width, stringWidth("40", BOLD, self.sizes.body) + 8)
        rest = width - first
        table = Table(rows, colWidths=[first, rest * 0.7, rest * 0.3], repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE_GREY),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return table

    def _drug_name(self, generic: str) -> str:
        """The medicine in the handout's language (the formulary's generic name otherwise)."""
        translated = self.texts.values.get(f"drug_name.{generic}")
        return translated if isinstance(translated, str) else self._clean(generic)

    def _medicines(self) -> list[Flowable]:
        t = self.texts
        medicines = self.data.medicines()
        space = Spacer(1, self.sizes.body * 0.5)
        if not medicines:
            needled = all(s.technique is Technique.DRY_NEEDLING for s in self.data.sites)
            key = "label.no_medicine" if needled else "label.none_used"
            return [space, self._para(t.text(key), "CellBold")]
        names = ", ".join(
            t.format(
                "label.medicine_line",
                name=self._drug_name(m.generic),
                kind=t.text(f"drug_class.{m.drug_class.value}"),
            )
            for m in medicines
        )
        label = esc(t.text("label.medicines"))
        return [space, Paragraph(f"<b>{label}:</b> {esc(names)}", self.styles["Body"])]

    def _figure(self, width: float, height: float) -> _CaptionedFigure | None:
        """The body figure scaled into ``width`` × ``height``, each view captioned."""
        if self.figure is None:
            return None
        panels = figure_panels(self.data)
        captions = [
            (share, self._para(self.texts.text(f"label.view_{view.value}"), "Caption"))
            for view, share in panels
        ]
        return _CaptionedFigure(self.figure, captions, width, height)

    def _block(self, block: Block) -> list[Flowable]:
        t, d = self.texts, self.data
        key = f"block.{block.value}"
        values = {
            "hours": d.activity_hours,
            "fever_c": f"{d.fever_threshold_c:.1f}",
            "fever_f": f"{d.fever_threshold_f:.1f}",
            "clinic_phone": self._clean(d.clinic_phone),
            # No after-hours number on file: the clinic's own number is the one to call.
            "after_hours_phone": self._clean(d.after_hours_phone) or self._clean(d.clinic_phone),
        }
        parts: list[Flowable] = [self._para(t.text(f"{key}.heading"), "Heading")]
        if block is Block.FOLLOW_UP:
            if d.follow_up_date is not None:
                line = t.format(f"{key}.date_line", date=t.date(d.follow_up_date))
                parts.append(self._para(line, "Urgent"))
            elif not d.follow_up_text.strip():
                parts.append(self._para(t.text(f"{key}.no_date")))
            for paragraph in d.follow_up_text.split("\n\n"):
                if paragraph.strip():
                    parts.append(self._para(self._clean(paragraph)))
        parts += [self._para(line.format(**values)) for line in t.lines(f"{key}.lines")]
        if f"{key}.bullets" in t.values:
            parts += [
                Paragraph(esc(item.format(**values)), self.styles["Bullet"], bulletText="•")
                for item in t.lines(f"{key}.bullets")
            ]
        if f"{key}.urgent" in t.values:
            parts.append(self._para(t.text(f"{key}.urgent"), "Urgent"))
        if block is Block.FOLLOW_UP:
            # Keep the heading with its first lines; a long follow-up note flows on.
            return [KeepTogether(parts[:3]), *parts[3:]]
        return [KeepTogether(parts)]

    # ------------------------------------------------------------ output

    def user_strings(self) -> list[str]:
        d = self.data
        return [
            d.patient_name,
            d.clinic_name,
            d.clinic_phone,
            d.after_hours_phone,
            d.provider_name,
            d.follow_up_text,
            *(m.generic for m in d.medicines()),
        ]

    def render(self) -> bytes:
        register_fonts()
        check_glyphs(self._clean(s) for s in self.user_strings())
        out = io.BytesIO()
        doc = BaseDocTemplate(
            out,
            pagesize=self.pagesize,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin,
            bottomMargin=self.margin,
            title=self.texts.text("document.title"),
            author=self._clean(self.data.clinic_name),
            lang=self.data.language.value,
        )
        doc.addPageTemplates([PageTemplate("page", self._get_frames(), onPage=self._on_page)])
        doc.build(self._get_story(), canvasmaker=numbered_canvas(self._draw_page_count))
        return out.getvalue()


def render_handout(data: HandoutData, *, figure_png: bytes | None = None) -> bytes:
    """The handout for ``data`` as PDF bytes.

    Args:
        figure_png: a ready body figure (e.g. cached); drawn from ``data`` when None.

    Raises:
        MissingGlyphError: a user string has a character the embedded font lacks.
    """
    return HandoutRenderer(data, figure_png=figure_png).render()


__all__ = ["HandoutRenderer", "render_handout"]
