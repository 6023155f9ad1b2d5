"""The aftercare handout's story parts: the visit's details, the 911 box, the sites beside or
above the body figure, and the advice blocks.

:class:`HandoutLayout` builds them for :class:`clinic_app.reports.handout.HandoutRenderer`,
which owns the page (styles, header, footer, frames) and the document's order. Page 1 holds
the visit, the 911 box and the sites with the body figure (beside the list, or right under it,
sized to the room left); the advice follows, in two columns on the later pages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from PIL import Image
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    NextPageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from clinic_app.domain.catalog import Catalog
from clinic_app.domain.enums import Technique
from clinic_app.domain.handout import HandoutData
from clinic_app.domain.handout_compose import Line, LineStyle, Section, lay_sites
from clinic_app.domain.handout_texts import HandoutTexts
from clinic_app.reports.base import BOLD, RULE_GREY, BaseRenderer, esc
from clinic_app.reports.figure import (
    MARKER_RADIUS,
    PANEL_HEIGHT,
    body_figure_image,
    figure_aspect,
    figure_panels,
)
from clinic_app.reports.handout_flowables import Badge, CaptionedFigure, Choice, height_of

EMERGENCY_RED = colors.HexColor("#b3121f")
EMERGENCY_FILL = colors.HexColor("#fdecea")
#: Longer site lists print at full width with the figure below them, not beside.
SIDE_BY_SIDE_SITES = 8
SIDE_BY_SIDE_SITES_LARGE = 4
#: A figure wider than this (width over height) prints under its list, not beside it.
BESIDE_ASPECT = 1.3
#: The body figure's height on paper, captions included (normal and large print).
FIGURE_HEIGHT = 4.5 * inch
FIGURE_HEIGHT_LARGE = 6.0 * inch


@dataclass(frozen=True)
class Sizes:
    """The handout's type sizes, in points, for normal or large print."""

    body: float
    heading: float
    title: float
    header: float
    mark: float  # radius of the figure's numbered marks on paper, in points
    leading: float = 1.2  # line spacing, times the body size
    heading_space: float = 0.5  # space above a heading, times its size


NORMAL = Sizes(body=11, heading=13.5, title=18, header=9.5, mark=7.5)
LARGE = Sizes(body=16, heading=18, title=22, header=13, mark=10.5, leading=1.13, heading_space=0.35)


class HandoutLayout(BaseRenderer[HandoutData]):
    """The story parts; the renderer sets the attributes below before laying out.

    Attributes:
        texts: every word, in the handout's language.
        sizes: normal or large print.
        tightness: 0, then 1 and 2 when a layout left the last page nearly empty.
    """

    catalog: Catalog
    texts: HandoutTexts
    sizes: Sizes
    figure_png: bytes | None
    tightness: int
    _figures: dict[float, Image.Image | None]

    def _details_table(self) -> Table:
        d, t = self.data, self.texts
        pairs = [
            (t.text("label.visit_date"), t.date(d.visit_date)),
            (t.text("label.provider"), self._clean(d.provider_name)),
            (t.text("label.clinic_phone"), self._clean(d.clinic_phone)),
        ]
        if d.after_hours_phone.strip():  # no empty row when the clinic has no such number
            pairs.append((t.text("label.after_hours_phone"), self._clean(d.after_hours_phone)))
        w = self._content_width()
        # The label columns as wide as the longest label (the address's too).
        labels = [k for k, _ in pairs]
        if d.clinic_address.strip():
            labels.append(t.text("label.clinic_address"))
        label = max(stringWidth(k, BOLD, self.sizes.body) for k in labels) + 8
        if not d.large_print:
            label = min(label, w * 0.25)
        if d.large_print:  # one pair per row: long values wrap less
            rows = [[self._para(k, "CellBold"), self._para(v, "Cell")] for k, v in pairs]
            widths = [label, w - label]
        else:
            rows = []
            for i in range(0, len(pairs), 2):
                row: list[Any] = []
                for k, v in pairs[i : i + 2]:
                    row += [self._para(k, "CellBold"), self._para(v, "Cell")]
                rows.append(row + [""] * (4 - len(row)))
            widths = [label, w / 2 - label, label, w / 2 - label]
        span = []
        if d.clinic_address.strip():
            rows.append(
                [
                    self._para(t.text("label.clinic_address"), "CellBold"),
                    self._para(self._clean(d.clinic_address), "Cell"),
                ]
                + [""] * (len(widths) - 2)
            )
            span = [("SPAN", (1, len(rows) - 1), (-1, len(rows) - 1))]
        table = Table(rows, colWidths=widths, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    *span,
                ]
            )
        )
        return table

    def _emergency_box(self, section: Section) -> Table:
        cell: list[Flowable] = [self._para(section.heading, "EmergencyHeading")]
        cell += self._lines(section.lines)
        box = Table([[cell]], colWidths=[self._content_width()])
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 3, EMERGENCY_RED),
                    ("BACKGROUND", (0, 0), (-1, -1), EMERGENCY_FILL),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 7),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return box

    def _what_we_did(self, advice: list[Section]) -> list[Flowable]:
        """The sites and the figure, then the advice.

        The figure sits beside the list when both fit on the page (the figure as tall as the
        room allows), else right under it; a narrow figure under the list has the first
        advice blocks beside it. The advice follows at once, and the pages after this one
        have two columns: short advice lines fill them far better than one page-wide column.
        """
        t, d = self.texts, self.data
        heading = [
            self._para(t.text("label.sites_heading"), "Heading"),
            self._para(t.text("label.sites_intro")),
        ]
        w = self._content_width()
        if not d.sites:
            return [*heading, *self._medicines(), *self._advice(advice)]
        aspect = figure_aspect(d)
        high = (FIGURE_HEIGHT_LARGE if d.large_print else FIGURE_HEIGHT) * 0.85**self.tightness
        steps = 8
        shrink = 0.25 if d.large_print else 0.45  # large print: never smaller than normal
        heights = [high - high * shrink * i / steps for i in range(steps + 1)]
        # Large print keeps a long list splittable (a row beside the figure cannot split).
        most = SIDE_BY_SIDE_SITES_LARGE if d.large_print else SIDE_BY_SIDE_SITES

        def under() -> list[Flowable]:
            return self._figure_under(heading, advice, aspect, heights)

        if len(d.sites) > most or aspect > BESIDE_ASPECT:
            return under()
        paper = min(high, w * 0.55 / aspect)

        def beside(height: float) -> list[Flowable]:
            figure = self._figure(w * 0.55, height, paper=paper)
            assert figure is not None
            room = w - figure.width - self.sizes.body * 1.2
            row = self._row([self._site_table(room), *self._medicines()], figure)
            return [KeepTogether([*heading, row]), *self._advice(advice)]

        options = [functools.partial(beside, height) for height in heights]
        (frame,) = self._get_frames()
        return [Choice(options, under, least_room=frame._height * 0.3)]

    def _advice(self, advice: list[Section]) -> list[Flowable]:
        out: list[Flowable] = [NextPageTemplate("columns")]
        for section in advice:
            out += self._section(section)
        return out

    def _row(self, left: list[Flowable], figure: CaptionedFigure) -> Table:
        """``left`` and the figure side by side."""
        w = self._content_width()
        table = Table([[left, figure]], colWidths=[w - figure.width, figure.width])
        table.beside = (left, figure)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def _figure_under(
        self, heading: list[Flowable], advice: list[Section], aspect: float, heights: list[float]
    ) -> list[Flowable]:
        """The list at full width and the figure right under it."""
        d, w, high = self.data, self._content_width(), heights[0]
        # The heading keeps with the first two sites; the rest may go to the next page.
        parts: list[Flowable] = [KeepTogether([*heading, self._site_table(w, 0, 2)])]
        # One table per further site: a page break between two falls between tables, with
        # no rule repeated at the top of the next page as a split table would draw.
        parts += [self._site_table(w, i, i + 1) for i in range(2, len(d.sites))]
        space = Spacer(1, self.sizes.body * 0.5)
        if aspect > BESIDE_ASPECT:  # a wide figure: on its own, shrunk to stay on the page
            figure = self._figure(w, high, high * 0.55, paper=min(high, w / aspect) * 0.8)
            assert figure is not None
            figure.hAlign = "CENTER"
            return [*parts, *self._medicines(), space, figure, *self._advice(advice)]

        def beside(height: float) -> list[Flowable]:
            """The figure at ``height`` with as much advice beside it as it is tall."""
            figure = self._figure(w * 0.5, height, paper=height)
            assert figure is not None
            room = w - figure.width - self.sizes.body * 1.2
            left: list[Flowable] = self._medicines()
            used = sum(height_of(f, room) for f in left)
            taken = 0
            for section in advice:  # plain paragraphs: a table cell does not break
                flows = [self._para(section.heading, "Heading"), *self._lines(section.lines)]
                more = sum(height_of(f, room) for f in flows)
                if used + more > figure.height:
                    break
                left += flows
                used += more
                taken += 1
            return [self._row(left, figure), *self._advice(advice[taken:])]

        # Large print fits the most advice beside the figure (fewer pages); normal print
        # takes the tallest figure that fits.
        options = [functools.partial(beside, height) for height in heights]
        least_empty = d.large_print
        return [*parts, space, Choice(options, options[-1], least_empty=least_empty)]

    def _site_table(self, width: float, start: int = 0, stop: int | None = None) -> Table:
        """The sites ``start:stop`` as a table (a rule under each but the visit's last)."""
        d = self.data
        badge = self.sizes.body * 1.6
        rows: list[list[Any]] = []
        for site, text in zip(d.sites, lay_sites(d, self.catalog, d.language), strict=True):
            detail = f"{text.muscle} · {text.technique}"
            rows.append(
                [
                    Badge(site.number, site.technique, badge),
                    [self._para(text.place, "CellBold"), self._para(detail, "CellSmall")],
                ]
            )
        last = len(rows)
        rows = rows[start:stop]
        if not rows:
            return Table([[""]], colWidths=[width])
        ruled = -2 if (stop is None or stop >= last) else -1
        first = badge + self.sizes.body * 0.6
        table = Table(rows, colWidths=[first, width - first], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, ruled), 0.25, RULE_GREY),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def _medicines(self) -> list[Flowable]:
        t = self.texts
        medicines = self.data.medicines()
        space = Spacer(1, self.sizes.body * 0.4)
        if not medicines:
            needled = all(s.technique is Technique.DRY_NEEDLING for s in self.data.sites)
            key = "label.no_medicine" if needled else "label.none_used"
            return [space, self._para(t.text(key), "CellBold")]
        names = ", ".join(
            t.format(
                "label.medicine_line",
                name=t.drug_name(m.generic),
                kind=t.text(f"drug_class.{m.drug_class.value}"),
            )
            for m in medicines
        )
        label = esc(t.text("label.medicines"))
        return [space, Paragraph(f"<b>{label}:</b> {esc(names)}", self.styles["Body"])]

    def _figure(
        self,
        width: float,
        height: float,
        min_height: float | None = None,
        *,
        paper: float | None = None,
    ) -> CaptionedFigure | None:
        """The body figure scaled into ``width`` × ``height``, each view captioned.

        Args:
            paper: about how tall the figure will print, in points: the marks are drawn to
                print at :attr:`Sizes.mark` whatever the figure's size.
        """
        source = self._figure_source(height if paper is None else paper)
        if source is None:
            return None
        panels = figure_panels(self.data)
        captions = [
            (share, self._para(self.texts.text(f"label.view_{view.value}"), "Caption"))
            for view, share in panels
        ]
        return CaptionedFigure(source, captions, width, height, min_height)

    def _figure_source(self, paper: float) -> bytes | Image.Image | None:
        """The given figure PNG, or the figure drawn with marks sized for ``paper`` points."""
        if self.figure_png is not None:
            return self.figure_png
        # Quarter steps: a few drawings at most per handout, marks within 12% of the size.
        exact = self.sizes.mark * PANEL_HEIGHT / max(paper, 1.0) / MARKER_RADIUS
        scale = round(exact * 4) / 4
        if scale not in self._figures:
            self._figures[scale] = body_figure_image(self.data, scale=scale)
        return self._figures[scale]

    def _line(self, line: Line) -> Paragraph:
        if line.style is LineStyle.BULLET:
            return Paragraph(esc(line.text), self.styles["Bullet"], bulletText="•")
        return self._para(line.text, "Strong" if line.style is LineStyle.STRONG else "Body")

    def _lines(self, lines: tuple[Line, ...]) -> list[Paragraph]:
        """The lines as paragraphs; running text lines share one paragraph (less ragged)."""
        out: list[Paragraph] = []
        run: list[str] = []
        for line in (*lines, None):
            if line is not None and line.style is LineStyle.TEXT:
                run.append(line.text)
                continue
            if run:
                out.append(self._para(" ".join(run)))
                run = []
            if line is not None:
                out.append(self._line(line))
        return out

    def _section(self, section: Section) -> list[Flowable]:
        parts: list[Flowable] = [self._para(section.heading, "Heading")]
        parts += self._lines(section.lines)
        if self.data.large_print and len(parts) > 4:  # may break; the heading keeps with its text
            return parts
        if len(parts) > 8:  # a long block (a long note) may break, never after its heading
            return [KeepTogether(parts[:3]), *parts[3:]]
        return [KeepTogether(parts)]


__all__ = [
    "BESIDE_ASPECT",
    "EMERGENCY_FILL",
    "EMERGENCY_RED",
    "LARGE",
    "NORMAL",
    "HandoutLayout",
    "Sizes",
]
