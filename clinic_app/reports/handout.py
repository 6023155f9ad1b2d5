"""The patient's aftercare handout as PDF (issue 5 §1; content from tpi-reference.md §7).

:func:`render_handout` takes a :class:`~clinic_app.domain.handout.HandoutData` and returns PDF
bytes. Which blocks print, and which of their lines, is decided in the domain
(:func:`~clinic_app.domain.handout_compose.compose`); every word comes from
``resources/handouts/<language>.toml``; every user string is escaped before it reaches
Paragraph markup. :class:`HandoutRenderer` is a :class:`~clinic_app.reports.base.BaseRenderer`
(STYLE.md #9): this module owns the page (styles, header with the logo and the "preliminary"
band, footer, one frame then two columns) and lays out again, tighter, when the last page is
left nearly empty; :mod:`clinic_app.reports.handout_layout` builds the story's parts.
"""

from __future__ import annotations

import io
import logging

from PIL import Image
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

from clinic_app.domain.catalog import Catalog, default_catalog
from clinic_app.domain.handout import Block, HandoutData
from clinic_app.domain.handout_compose import compose
from clinic_app.domain.handout_texts import HandoutTexts, default_texts
from clinic_app.reports.base import BOLD, REGULAR, esc
from clinic_app.reports.handout_layout import (
    EMERGENCY_RED,
    LARGE,
    NORMAL,
    HandoutLayout,
)

#: A last page filled less than this (0..1) is laid out again, tighter.
NEARLY_EMPTY = 0.3

log = logging.getLogger(__name__)


class HandoutRenderer(HandoutLayout):
    """Builds one handout. Subclass and override a ``_get_*`` / ``_on_page`` step to vary it."""

    def __init__(
        self, data: HandoutData, *, figure_png: bytes | None = None, catalog: Catalog | None = None
    ) -> None:
        self.catalog = catalog or default_catalog()
        self.texts: HandoutTexts = default_texts(data.language)
        self.sizes = LARGE if data.large_print else NORMAL
        self.figure_png = figure_png
        #: 0, then 1 and 2 when a layout left the last page nearly empty: smaller figure.
        self.tightness = 0
        self._figures: dict[float, Image.Image | None] = {}
        super().__init__(data)

    # ------------------------------------------------------------ template steps

    def _get_stylesheet(self) -> StyleSheet1:
        s = self.sizes
        sheet = StyleSheet1()
        body = ParagraphStyle(
            "Body",
            fontName=REGULAR,
            fontSize=s.body,
            leading=s.body * s.leading,
            spaceAfter=s.body * 0.15,
        )
        sheet.add(body)
        sheet.add(ParagraphStyle("Cell", parent=body, spaceAfter=0))
        sheet.add(ParagraphStyle("CellBold", parent=body, fontName=BOLD, spaceAfter=0))
        sheet.add(
            ParagraphStyle(
                "CellSmall",
                parent=body,
                fontSize=s.body * 0.85,
                leading=s.body * 1.05,
                textColor=colors.HexColor("#444444"),
                spaceAfter=0,
            )
        )
        sheet.add(
            ParagraphStyle(
                "Caption", parent=body, fontSize=s.body * 0.85, leading=s.body * 1.05, alignment=1
            )
        )
        sheet.add(
            ParagraphStyle(
                "Title",
                parent=body,
                fontName=BOLD,
                fontSize=s.title,
                leading=s.title * 1.15,
                spaceAfter=s.body * 0.3,
            )
        )
        sheet.add(
            ParagraphStyle(
                "Heading",
                parent=body,
                fontName=BOLD,
                fontSize=s.heading,
                leading=s.heading * 1.2,
                spaceBefore=s.heading * s.heading_space * 0.7**self.tightness,
                spaceAfter=s.heading * 0.15,
                keepWithNext=1,
            )
        )
        sheet.add(
            ParagraphStyle(
                "EmergencyHeading", parent=sheet["Heading"], textColor=EMERGENCY_RED, spaceBefore=0
            )
        )
        sheet.add(ParagraphStyle("Strong", parent=body, fontName=BOLD))
        sheet.add(ParagraphStyle("Preliminary", parent=sheet["Strong"], textColor=EMERGENCY_RED))
        sheet.add(
            ParagraphStyle(
                "Bullet",
                parent=body,
                leftIndent=s.body * 1.3,
                bulletIndent=s.body * 0.3,
                bulletFontName=BOLD,
                spaceAfter=s.body * 0.1,
            )
        )
        return sheet

    def _furniture_size(self) -> float:
        return self.sizes.header

    def _banner_height(self) -> float:
        """The "preliminary" band over the header of an unsigned visit's pages."""
        return 0.0 if self.data.signed else self.sizes.header * 2.0

    def _header_height(self) -> float:
        return self.sizes.header * 3.2 + self._banner_height()

    def _get_column_frames(self) -> list[Frame]:
        """Two columns in the body frame's place, for the advice pages of normal print."""
        (whole,) = self._get_frames()
        gutter = max(self.sizes.body * 1.2, 18)
        width = (whole._width - gutter) / 2
        return [
            Frame(
                whole._x1 + i * (width + gutter),
                whole._y1,
                width,
                whole._height,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
                id=f"column{i + 1}",
            )
            for i in range(2)
        ]

    def _get_page_templates(self) -> list[PageTemplate]:
        return [
            PageTemplate("page", self._get_frames(), onPage=self._on_page),
            PageTemplate("columns", self._get_column_frames(), onPage=self._on_page),
        ]

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Header on every page: clinic, phone, and the patient's name and birth date."""
        d, t, size = self.data, self.texts, self.sizes.header
        width, height = self.pagesize
        left, right, top = self.margin, width - self.margin, height - self.margin
        canvas.saveState()
        banner = self._banner_height()
        if banner:  # an unsigned visit: a red band on every page says so
            canvas.setFillColor(EMERGENCY_RED)
            canvas.rect(left, top - banner + 3, right - left, banner - 3, stroke=0, fill=1)
            canvas.setFillColor(colors.white)
            canvas.setFont(BOLD, size * 1.1)
            canvas.drawCentredString(
                (left + right) / 2,
                top - banner + 3 + size * 0.55,
                t.text("label.preliminary_banner"),
            )
            canvas.setFillColor(colors.black)
            top -= banner
        logo = self._logo()
        if logo is not None:  # the clinic's logo at the left of the header, text beside it
            box = self._header_height() - banner - 4
            w, h = logo.getSize()
            scale = min(box / h, box * 3 / w)
            canvas.drawImage(logo, left, top - box, w * scale, h * scale, mask="auto")
            left += w * scale + 8
        patient = (
            f"{t.text('label.patient')}: {self._clean(d.patient_name)}   "
            f"{t.text('label.date_of_birth')}: {t.date(d.birth_date)}"
        )
        phone = f"{t.text('label.clinic_phone')}: {self._clean(d.clinic_phone)}"
        self._draw_header_lines(
            canvas, left, top, ((self._clean(d.clinic_name), phone), (patient, None))
        )
        self._draw_rule(canvas, top - (self._header_height() - banner))
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

    def _page_label(self, page: int, pages: int) -> str:
        label = self.texts.format("label.page", page=page, pages=pages)
        if not self.data.signed:
            label = f"{self.texts.text('label.preliminary')} · {label}"
        return label

    def _footer_left(self) -> str:
        return self._clean(self.data.patient_name)

    def _get_story(self) -> list[Flowable]:
        sections = compose(self.data, self.catalog)
        story: list[Flowable] = [
            Paragraph(esc(self.texts.text("document.title")), self.styles["Title"]),
        ]
        if not self.data.signed:
            story.append(self._para(self.texts.text("label.preliminary_note"), "Preliminary"))
        story += [
            Paragraph(esc(self.texts.text("document.intro")), self.styles["Body"]),
            self._details_table(),
        ]
        for section in sections:
            if section.block is Block.EMERGENCY:
                story += [Spacer(1, self.sizes.body * 0.5), self._emergency_box(section)]
        advice = [section for section in sections if section.block is not Block.EMERGENCY]
        return [*story, *self._what_we_did(advice)]

    def _document_info(self) -> dict[str, str]:
        return {
            "title": self.texts.text("document.title"),
            "author": self._clean(self.data.clinic_name),
            "lang": self.data.language.value,
        }

    # ------------------------------------------------------------ output

    def user_strings(self) -> list[str]:
        d = self.data
        return [
            d.patient_name,
            d.clinic_name,
            d.clinic_phone,
            d.after_hours_phone,
            d.clinic_address,
            d.provider_name,
            d.note(),
            *(m.generic for m in d.medicines()),
        ]

    def render(self) -> bytes:
        """The PDF; a last page left nearly empty is laid out again, figure smaller."""
        self._check_glyphs()
        pdf, pages = self._build()
        fill = self._last_page_fill()
        while pages > 1 and fill < NEARLY_EMPTY and self.tightness < 2:
            self.tightness += 1
            tighter, fewer = self._build()
            if fewer < pages:
                return tighter
        return pdf

    def _watch(self, doc: BaseDocTemplate) -> None:
        """Record how low each page's frames are filled, for :meth:`_last_page_fill`."""
        self._lowest: dict[int, float] = {}
        self._frame_span: dict[int, tuple[float, float]] = {}

        def after_flowable(flowable: Flowable) -> None:
            frame = getattr(doc, "frame", None)
            if frame is None:  # an action before the first page
                return
            page = doc.page
            self._lowest[page] = min(self._lowest.get(page, frame._y2), frame._y)
            self._frame_span[page] = (frame._y1, frame._y2)

        doc.afterFlowable = after_flowable

    def _last_page_fill(self) -> float:
        """How full (0..1) the last layout's last page's frames are."""
        last = max(self._lowest, default=1)
        bottom, top = self._frame_span.get(last, (0.0, 1.0))
        return (top - self._lowest.get(last, top)) / max(top - bottom, 1.0)


def render_handout(data: HandoutData, *, figure_png: bytes | None = None) -> bytes:
    """The handout for ``data`` as PDF bytes.

    Args:
        figure_png: a ready body figure (e.g. cached); drawn from ``data`` when None.

    Raises:
        MissingGlyphError: a user string has a character the embedded font lacks.
    """
    return HandoutRenderer(data, figure_png=figure_png).render()


__all__ = ["HandoutRenderer", "render_handout"]
