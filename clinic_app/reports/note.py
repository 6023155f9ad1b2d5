"""The procedure note as PDF (issue 5 §2; content from tpi-reference.md §6).

:func:`render_note` takes a :class:`NoteData` (plain values, already worded by the service)
and returns PDF bytes. The renderer follows pretix's ``BaseReportlabInvoiceRenderer``
(STYLE.md #9): override a ``_get_*`` / ``_on_page`` step to vary it. Every user string is
escaped before it reaches Paragraph markup; an unsigned note carries a diagonal DRAFT mark
on every page.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
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

RULE_GREY = colors.HexColor("#9a9a9a")
HEADER_FILL = colors.HexColor("#e8e8e8")
DRAFT_RED = colors.HexColor("#c0392b")
NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class NoteDose:
    """One drug given at one site (a mix is one row per drug)."""

    drug: str
    concentration: str
    volume: str
    dose: str
    lot: str


@dataclass(frozen=True)
class NoteSite:
    """One charted site, worded for the table."""

    number: int
    muscle: str
    side: str
    technique: str
    needle: str
    twitch: str
    aspiration: str
    doses: tuple[NoteDose, ...] = ()


@dataclass(frozen=True)
class NoteCode:
    """A CPT or HCPCS line with its units."""

    code: str
    units: int
    description: str


@dataclass(frozen=True)
class NoteAddendum:
    author: str
    written_at: datetime
    text: str


@dataclass(frozen=True)
class NoteData:
    """Everything the procedure note prints, as plain values.

    Attributes:
        performed_at: the procedure's local date and time.
        checks: (severity, message) of each finding, most severe first.
        overrides: (finding message, the provider's typed reason) for each override.
        signed_by: "Ana Ruiz, MD"; None for an unsigned (draft) note.
        muscle_count: distinct muscle-and-side pairs treated.
    """

    clinic_name: str
    patient_name: str
    mrn: str
    birth_date: date
    sex: str
    weight: str
    performed_at: datetime
    provider: str
    indication: str
    icd10: tuple[str, ...]
    consent: str
    time_out: str
    allergies: str
    anticoagulant: str
    skin_prep: str
    sites: tuple[NoteSite, ...]
    muscle_count: int
    pain_before: int | None
    pain_after: int | None
    tolerance: str
    complications: str
    needle_intact: str
    disposition: str
    follow_up_plan: str
    checks: tuple[tuple[str, str], ...] = ()
    overrides: tuple[tuple[str, str], ...] = ()
    cpt: tuple[NoteCode, ...] = ()
    hcpcs: tuple[NoteCode, ...] = ()
    coder_review: bool = False
    signed_by: str | None = None
    signed_at: datetime | None = None
    addenda: tuple[NoteAddendum, ...] = ()

    @property
    def signed(self) -> bool:
        return self.signed_by is not None

    @property
    def relief_percent(self) -> int | None:
        """Pain relief in whole percent of the score before, when both scores exist."""
        if self.pain_before is None or self.pain_after is None or self.pain_before == 0:
            return None
        return round((self.pain_before - self.pain_after) * 100 / self.pain_before)


#: Section headings, in print order (tests look for each one).
SECTIONS = (
    "Patient",
    "Procedure",
    "Indication",
    "Pre-procedure",
    "Sites",
    "Outcome",
    "Checks and overrides",
    "Coding",
    "Signature",
    "Addenda",
)
SITE_COLUMNS = (
    ("#", 0.035),
    ("Muscle", 0.13),
    ("Side", 0.055),
    ("Technique", 0.095),
    ("Needle", 0.08),
    ("Drug", 0.11),
    ("Conc.", 0.08),
    ("Volume", 0.07),
    ("Dose", 0.065),
    ("Lot / expiry", 0.115),
    ("Twitch", 0.07),
    ("Aspiration", 0.095),
)


def plural(count: int, noun: str) -> str:
    """ "1 site", "2 sites"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def when(moment: datetime) -> str:
    """A date and time as the chart prints it: "2025-03-04 14:30 EST"."""
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()


class NoteRenderer:
    """Builds one procedure note. Subclass and override a template step to vary it."""

    pagesize = LETTER
    margin = 0.55 * inch
    body_size = 9.5
    header_size = 8.5

    def __init__(self, data: NoteData) -> None:
        self.data = data
        self.styles = self._get_stylesheet()

    # ------------------------------------------------------------ template steps

    def _get_stylesheet(self) -> StyleSheet1:
        size = self.body_size
        sheet = StyleSheet1()
        body = ParagraphStyle(
            "Body", fontName=REGULAR, fontSize=size, leading=size * 1.3, spaceAfter=2
        )
        sheet.add(body)
        sheet.add(ParagraphStyle("Cell", parent=body, fontSize=7.5, leading=9, spaceAfter=0))
        sheet.add(ParagraphStyle("CellBold", parent=sheet["Cell"], fontName=BOLD))
        sheet.add(ParagraphStyle("Label", parent=body, fontName=BOLD, spaceAfter=0))
        sheet.add(ParagraphStyle("Value", parent=body, spaceAfter=0))
        sheet.add(ParagraphStyle("Title", parent=body, fontName=BOLD, fontSize=16, leading=20))
        sheet.add(
            ParagraphStyle(
                "Heading",
                parent=body,
                fontName=BOLD,
                fontSize=11.5,
                leading=14,
                spaceBefore=8,
                spaceAfter=3,
            )
        )
        return sheet

    def _header_height(self) -> float:
        return self.header_size * 3.4

    def _get_frames(self) -> list[Frame]:
        top = self._header_height() + 8
        bottom = self.header_size * 2.5
        return [body_frame(self.pagesize, self.margin, top, bottom)]

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Header on every page: clinic, document, the patient's name, birth date and MRN."""
        d, size = self.data, self.header_size
        width, height = self.pagesize
        left, right, top = self.margin, width - self.margin, height - self.margin
        canvas.saveState()
        canvas.setFont(BOLD, size * 1.15)
        canvas.drawString(left, top - size, self._clean(d.clinic_name))
        canvas.setFont(REGULAR, size)
        status = "Signed" if d.signed else "DRAFT — not signed"
        canvas.drawRightString(right, top - size, f"Procedure note · {status}")
        canvas.drawString(left, top - size * 2.4, self._patient_line())
        canvas.drawRightString(right, top - size * 2.4, f"Date: {when(d.performed_at)}")
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.8)
        canvas.line(left, top - self._header_height(), right, top - self._header_height())
        canvas.restoreState()

    def _draw_page_count(self, canvas: Canvas, page: int, pages: int) -> None:
        """Footer and, on an unsigned note, the DRAFT mark drawn over the page's content."""
        width, height = self.pagesize
        canvas.saveState()
        canvas.setFont(REGULAR, self.header_size)
        canvas.drawRightString(width - self.margin, self.margin, f"Page {page} of {pages}")
        canvas.drawString(self.margin, self.margin, self._patient_line())
        if not self.data.signed:
            canvas.setFillColor(DRAFT_RED)
            canvas.setFillAlpha(0.16)
            canvas.setFont(BOLD, 140)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(50)
            canvas.drawCentredString(0, -50, "DRAFT")
        canvas.restoreState()

    def _get_story(self) -> list[Flowable]:
        story: list[Flowable] = [self._para("Trigger point procedure note", "Title")]
        for part in (
            self._patient,
            self._procedure,
            self._indication,
            self._pre_procedure,
            self._sites,
            self._outcome,
            self._checks,
            self._coding,
            self._signature,
            self._addenda,
        ):
            story += part()
        return story

    # ------------------------------------------------------------ sections

    def _patient(self) -> list[Flowable]:
        d = self.data
        return self._section(
            "Patient",
            [
                ("Name", d.patient_name),
                ("MRN", d.mrn),
                ("Date of birth", d.birth_date.isoformat()),
                ("Sex", d.sex),
                ("Weight", d.weight),
            ],
        )

    def _procedure(self) -> list[Flowable]:
        d = self.data
        return self._section(
            "Procedure",
            [
                ("Date / time", when(d.performed_at)),
                ("Provider", d.provider),
                ("Sites", f"{plural(len(d.sites), 'site')} in {plural(d.muscle_count, 'muscle')}"),
            ],
        )

    def _indication(self) -> list[Flowable]:
        d = self.data
        return self._section(
            "Indication",
            [
                ("Indication", d.indication or NOT_RECORDED),
                ("ICD-10", ", ".join(d.icd10) or NOT_RECORDED),
            ],
        )

    def _pre_procedure(self) -> list[Flowable]:
        d = self.data
        return self._section(
            "Pre-procedure",
            [
                ("Consent", d.consent),
                ("Time-out", d.time_out),
                ("Allergies", d.allergies),
                ("Anticoagulant", d.anticoagulant),
                ("Skin prep", d.skin_prep),
            ],
        )

    def _sites(self) -> list[Flowable]:
        heading = self._para("Sites", "Heading")
        if not self.data.sites:
            return [heading, self._para("No sites charted.")]
        return [heading, self._site_table()]

    def _site_table(self) -> Table:
        width = self._content_width()
        rows: list[list[Any]] = [[self._para(name, "CellBold") for name, _ in SITE_COLUMNS]]
        style: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        for site in self.data.sites:
            doses = site.doses or (NoteDose("—", "", "", "", ""),)
            for i, dose in enumerate(doses):
                first = i == 0
                cells = (
                    (str(site.number), site.muscle, site.side, site.technique, site.needle)
                    if first
                    else ("", "", "", "", "")
                )
                tail = (site.twitch, site.aspiration) if first else ("", "")
                values = (
                    *cells,
                    dose.drug,
                    dose.concentration,
                    dose.volume,
                    dose.dose,
                    dose.lot,
                    *tail,
                )
                rows.append([self._para(v, "Cell") for v in values])
            style.append(("LINEBELOW", (0, len(rows) - 1), (-1, len(rows) - 1), 0.25, RULE_GREY))
        table = Table(
            rows,
            colWidths=[width * share for _, share in SITE_COLUMNS],
            repeatRows=1,
            hAlign="LEFT",
        )
        table.setStyle(TableStyle(style))
        return table

    def _outcome(self) -> list[Flowable]:
        d = self.data
        relief = d.relief_percent
        day = d.performed_at.date().isoformat()
        return self._section(
            "Outcome",
            [
                ("Pain before", self._score(d.pain_before, day)),
                ("Pain after", self._score(d.pain_after, day)),
                ("Relief", f"{relief}%" if relief is not None else NOT_RECORDED),
                ("Tolerance", d.tolerance),
                ("Complications", d.complications),
                ("Needle intact", d.needle_intact),
                ("Disposition", d.disposition),
                ("Follow-up plan", d.follow_up_plan or NOT_RECORDED),
            ],
        )

    def _checks(self) -> list[Flowable]:
        d = self.data
        reasons = dict(d.overrides)
        rows = [
            (f"{severity.capitalize()} (overridden)", f"{message}\nReason: {reasons[message]}")
            if message in reasons
            else (severity.capitalize(), message)
            for severity, message in d.checks
        ]
        listed = {message for _, message in d.checks}
        rows += [
            ("Override", f"{message}\nReason: {reason}")
            for message, reason in d.overrides
            if message not in listed
        ]
        return self._section("Checks and overrides", rows or [("Checks", "No findings.")])

    def _coding(self) -> list[Flowable]:
        d = self.data
        rows = [(f"CPT {c.code} × {c.units}", c.description) for c in d.cpt]
        rows += [(f"HCPCS {c.code} × {c.units}", c.description) for c in d.hcpcs]
        rows.append(("ICD-10", ", ".join(d.icd10) or NOT_RECORDED))
        if d.coder_review:
            rows.append(("Coder review", "Needed: injection and dry needling in one session."))
        return self._section("Coding", rows)

    def _signature(self) -> list[Flowable]:
        d = self.data
        if d.signed_by is not None and d.signed_at is not None:
            rows = [("Signed by", d.signed_by), ("Signed at", when(d.signed_at))]
        else:
            rows = [("Status", "DRAFT — not signed")]
        return self._section("Signature", rows)

    def _addenda(self) -> list[Flowable]:
        heading = self._para("Addenda", "Heading")
        if not self.data.addenda:
            return [heading, self._para("None.")]
        story: list[Flowable] = [heading]
        for a in self.data.addenda:
            story.append(self._para(f"{a.author}, {when(a.written_at)}", "Label"))
            story += [self._para(p) for p in self._paragraphs(a.text)]
            story.append(Spacer(1, 4))
        return story

    # ------------------------------------------------------------ helpers

    def _section(self, title: str, rows: Sequence[tuple[str, str]]) -> list[Flowable]:
        """A heading and a two-column label / value table (kept with its first rows)."""
        width = self._content_width()
        table = Table(
            [
                [self._para(label, "Label"), [self._para(p, "Value") for p in self._paragraphs(v)]]
                for label, v in rows
            ],
            colWidths=[width * 0.22, width * 0.78],
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return [KeepTogether([self._para(title, "Heading"), table])]

    @staticmethod
    def _score(score: int | None, day: str) -> str:
        return f"{score}/10 (NRS 0–10, {day})" if score is not None else NOT_RECORDED

    def _paragraphs(self, text: str) -> Iterator[str]:
        """Multi-line user text as paragraphs; blank text prints as one empty line."""
        parts = [p for p in unicodedata.normalize("NFC", text).splitlines() if p.strip()]
        yield from parts or [""]

    def _clean(self, text: str) -> str:
        """User text as printed in the header: NFC, one line."""
        return " ".join(unicodedata.normalize("NFC", text).split())

    def _patient_line(self) -> str:
        d = self.data
        return (
            f"{self._clean(d.patient_name)} · DOB {d.birth_date.isoformat()} · "
            f"MRN {self._clean(d.mrn)}"
        )

    def _para(self, text: str, style: str = "Body") -> Paragraph:
        return Paragraph(esc(text), self.styles[style])

    def _content_width(self) -> float:
        return float(self.pagesize[0] - 2 * self.margin)

    # ------------------------------------------------------------ output

    def user_strings(self) -> list[str]:
        d = self.data
        texts = [
            d.clinic_name,
            d.patient_name,
            d.mrn,
            d.weight,
            d.provider,
            d.indication,
            d.allergies,
            d.complications,
            d.follow_up_plan,
            d.signed_by or "",
            *d.icd10,
            *(m for pair in d.overrides for m in pair),
            *(m for _, m in d.checks),
            *(c.description for c in (*d.cpt, *d.hcpcs)),
            *(x for a in d.addenda for x in (a.author, a.text)),
        ]
        for s in d.sites:
            texts += [s.muscle, s.needle]
            texts += [x for dose in s.doses for x in (dose.drug, dose.concentration, dose.lot)]
        return texts

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
            title="Procedure note",
            author=self._clean(self.data.clinic_name),
            lang="en",
        )
        doc.addPageTemplates([PageTemplate("page", self._get_frames(), onPage=self._on_page)])
        doc.build(self._get_story(), canvasmaker=numbered_canvas(self._draw_page_count))
        return out.getvalue()


def render_note(data: NoteData) -> bytes:
    """The procedure note for ``data`` as PDF bytes.

    Raises:
        MissingGlyphError: a user string has a character the embedded font lacks.
    """
    return NoteRenderer(data).render()


__all__ = [
    "SECTIONS",
    "NoteAddendum",
    "NoteCode",
    "NoteData",
    "NoteDose",
    "NoteRenderer",
    "NoteSite",
    "render_note",
]
