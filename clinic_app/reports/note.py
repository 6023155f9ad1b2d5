"""The procedure note as PDF (issue 5 §2, issue 8 §2 and §8; content from tpi-reference.md §6).

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

from clinic_app.domain.clock import clinic_day, format_clinic_time
from clinic_app.domain.labels import NOT_RECORDED
from clinic_app.reports.base import (
    BOLD,
    REGULAR,
    body_frame,
    check_glyphs,
    esc,
    numbered_canvas,
    register_fonts,
)
from clinic_app.reports.tables import break_long_words, fit_widths

RULE_GREY = colors.HexColor("#9a9a9a")
HEADER_FILL = colors.HexColor("#e8e8e8")
DRAFT_RED = colors.HexColor("#c0392b")
#: Printed instead of the seal when the stored content no longer matches it.
ALTERED = "ALTERED — this note's content does not match its seal"
#: The smallest type on the note (issue 8 §8): nothing is printed smaller.
MIN_FONT_SIZE = 9.0


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
    """One charted site, worded for the tables.

    Attributes:
        taut_band, jump_sign, referred_pain: the trigger point findings ("Yes", "No",
            "Not recorded"); ``twitch`` is the local twitch response.
    """

    number: int
    muscle: str
    side: str
    technique: str
    needle: str
    twitch: str
    aspiration: str
    doses: tuple[NoteDose, ...] = ()
    taut_band: str = NOT_RECORDED
    jump_sign: str = NOT_RECORDED
    referred_pain: str = NOT_RECORDED


@dataclass(frozen=True)
class NoteCode:
    """A CPT or HCPCS line with its units."""

    code: str
    units: int
    description: str


@dataclass(frozen=True)
class NoteFinding:
    """One check as signed: its severity, the sentence, and the primary source of the rule."""

    severity: str
    message: str
    source: str = ""


@dataclass(frozen=True)
class NoteTotal:
    """One drug's total for the visit against its limit for this patient."""

    drug: str
    given: str
    limit: str
    share: str


@dataclass(frozen=True)
class NoteAddendum:
    author: str
    written_at: datetime
    text: str


@dataclass(frozen=True)
class NotePrint:
    """One printing of the aftercare handout (from the print log)."""

    language: str
    printed_at: datetime
    printed_by: str
    copies: int = 1


@dataclass(frozen=True)
class NoteSeal:
    """The SHA-256 of the signed content, and whether the stored content still matches it."""

    digest: str
    intact: bool

    @property
    def short(self) -> str:
        """The first 16 hex digits, for the page footer."""
        return self.digest[:16] + "…"


@dataclass(frozen=True)
class NoteData:
    """Everything the procedure note prints, as plain values.

    Attributes:
        performed_at: when the procedure was done (aware; printed in ``timezone``).
        timezone: the clinic's IANA zone name; "" = this computer's zone.
        weight: the weight as of the visit, with the day it was measured.
        checks: the findings, most severe first, each with its source.
        overrides: (finding message, the provider's typed reason) for each override.
        signed_by: "Ana Ruiz, MD"; None for an unsigned (draft) note.
        muscle_count: distinct muscle-and-side pairs treated.
        seal: the signed content's seal; None for a draft or a note signed before seals.
        handout_prints: the aftercare handout's print log (added after signing, live).
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
    checks: tuple[NoteFinding, ...] = ()
    overrides: tuple[tuple[str, str], ...] = ()
    cpt: tuple[NoteCode, ...] = ()
    hcpcs: tuple[NoteCode, ...] = ()
    coder_review: bool = False
    signed_by: str | None = None
    signed_at: datetime | None = None
    addenda: tuple[NoteAddendum, ...] = ()
    timezone: str = ""
    clinic_address: str = ""
    clinic_phone: str = ""
    provider_npi: str = ""
    signer_npi: str = ""
    conservative_treatment: str = ""
    prior_relief: str = NOT_RECORDED
    pain_after_reason: str = ""
    totals: tuple[NoteTotal, ...] = ()
    handout_prints: tuple[NotePrint, ...] = ()
    seal: NoteSeal | None = None

    @property
    def signed(self) -> bool:
        return self.signed_by is not None

    @property
    def altered(self) -> bool:
        """Signed content that no longer matches its seal."""
        return self.seal is not None and not self.seal.intact

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
    "Aftercare handout",
    "Addenda",
)
#: (heading, preferred share of the width) of the site table; widths grow to fit words.
SITE_COLUMNS = (
    ("#", 0.04),
    ("Muscle", 0.2),
    ("Side", 0.07),
    ("Technique", 0.1),
    ("Needle", 0.11),
    ("Taut band", 0.08),
    ("Jump sign", 0.08),
    ("Referred pain reproduced", 0.1),
    ("Local twitch", 0.1),
    ("Aspiration", 0.12),
)
DOSE_COLUMNS = (
    ("Site", 0.06),
    ("Drug", 0.2),
    ("Concentration", 0.16),
    ("Volume", 0.1),
    ("Dose", 0.1),
    ("Lot / expiry", 0.38),
)
TOTAL_COLUMNS = (
    ("Drug", 0.3),
    ("Total given", 0.2),
    ("Limit for this patient", 0.3),
    ("Share of limit", 0.2),
)
CELL_PADDING = 2.0


def plural(count: int, noun: str) -> str:
    """ "1 site", "2 sites"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def when(moment: datetime, zone: str = "") -> str:
    """A time as the chart prints it, in the clinic's zone: "2025-03-04 14:30 CST"."""
    return format_clinic_time(moment, zone)


class NoteRenderer:
    """Builds one procedure note. Subclass and override a template step to vary it."""

    pagesize = LETTER
    margin = 0.55 * inch
    body_size = 9.5
    header_size = MIN_FONT_SIZE
    cell_size = MIN_FONT_SIZE
    site_columns = SITE_COLUMNS
    dose_columns = DOSE_COLUMNS

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
        cell = self.cell_size
        sheet.add(
            ParagraphStyle("Cell", parent=body, fontSize=cell, leading=cell * 1.2, spaceAfter=0)
        )
        sheet.add(ParagraphStyle("CellBold", parent=sheet["Cell"], fontName=BOLD))
        sheet.add(ParagraphStyle("Label", parent=body, fontName=BOLD, spaceAfter=0))
        sheet.add(ParagraphStyle("Value", parent=body, spaceAfter=0))
        sheet.add(ParagraphStyle("Title", parent=body, fontName=BOLD, fontSize=16, leading=20))
        sheet.add(
            ParagraphStyle(
                "Alert",
                parent=body,
                fontName=BOLD,
                fontSize=11.5,
                leading=14,
                textColor=DRAFT_RED,
                borderColor=DRAFT_RED,
                borderWidth=1.2,
                borderPadding=5,
                spaceBefore=4,
                spaceAfter=10,
            )
        )
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

    def _status(self) -> str:
        d = self.data
        if d.altered:
            return "ALTERED"
        return "Signed" if d.signed else "DRAFT — not signed"

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Header on every page: clinic, document, the patient's name, birth date and MRN."""
        d, size = self.data, self.header_size
        width, height = self.pagesize
        left, right, top = self.margin, width - self.margin, height - self.margin
        canvas.saveState()
        canvas.setFont(BOLD, size * 1.15)
        canvas.drawString(left, top - size, self._clean(d.clinic_name))
        canvas.setFont(REGULAR, size)
        if d.altered:
            canvas.setFillColor(DRAFT_RED)
        canvas.drawRightString(right, top - size, f"Procedure note · {self._status()}")
        canvas.setFillColor(colors.black)
        canvas.drawString(left, top - size * 2.4, self._patient_line())
        canvas.drawRightString(right, top - size * 2.4, f"Date: {when(d.performed_at, d.timezone)}")
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.8)
        canvas.line(left, top - self._header_height(), right, top - self._header_height())
        canvas.restoreState()

    def _draw_page_count(self, canvas: Canvas, page: int, pages: int) -> None:
        """Footer (with the seal), and the DRAFT or ALTERED mark drawn over the content."""
        width, height = self.pagesize
        d = self.data
        canvas.saveState()
        canvas.setFont(REGULAR, self.header_size)
        canvas.drawRightString(width - self.margin, self.margin, f"Page {page} of {pages}")
        canvas.drawString(self.margin, self.margin, self._patient_line())
        seal_line = self.margin - self.header_size * 1.3
        if d.altered:
            canvas.setFillColor(DRAFT_RED)
            canvas.setFont(BOLD, self.header_size)
            canvas.drawString(self.margin, seal_line, ALTERED)
        elif d.seal is not None:
            canvas.drawString(self.margin, seal_line, f"Signed content seal SHA-256 {d.seal.short}")
        mark = "ALTERED" if d.altered else None if d.signed else "DRAFT"
        if mark is not None:
            canvas.setFillColor(DRAFT_RED)
            canvas.setFillAlpha(0.16)
            canvas.setFont(BOLD, 140 if mark == "DRAFT" else 100)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(50)
            canvas.drawCentredString(0, -50, mark)
        canvas.restoreState()

    def _get_story(self) -> list[Flowable]:
        story: list[Flowable] = [self._para("Trigger point procedure note", "Title")]
        if self.data.altered:
            story.append(self._para(ALTERED + ". Do not rely on it; ask the clinic.", "Alert"))
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
            self._after_signing,
            self._handout,
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
                ("Weight (as of the visit)", d.weight),
            ],
        )

    def _procedure(self) -> list[Flowable]:
        d = self.data
        provider = f"{d.provider} · NPI {d.provider_npi}" if d.provider_npi else d.provider
        place = "\n".join(x for x in (d.clinic_name, d.clinic_address, d.clinic_phone) if x)
        return self._section(
            "Procedure",
            [
                ("Date / time", when(d.performed_at, d.timezone)),
                ("Provider", provider),
                ("Place of service", place or NOT_RECORDED),
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
                ("Conservative treatment tried", d.conservative_treatment or NOT_RECORDED),
                ("Relief from the last session", d.prior_relief),
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
        story: list[Flowable] = [KeepTogether([heading, self._site_table()])]
        if any(s.doses for s in self.data.sites):
            story += [Spacer(1, 6), self._dose_table()]
        if self.data.totals:
            story += [Spacer(1, 6), self._totals_table()]
        return story

    def _site_table(self) -> Table:
        rows = [
            (
                str(s.number),
                s.muscle,
                s.side,
                s.technique,
                s.needle,
                s.taut_band,
                s.jump_sign,
                s.referred_pain,
                s.twitch,
                s.aspiration,
            )
            for s in self.data.sites
        ]
        return self._grid(self.site_columns, rows)

    def _dose_table(self) -> Table:
        rows = [
            (str(s.number), dose.drug, dose.concentration, dose.volume, dose.dose, dose.lot)
            for s in self.data.sites
            for dose in s.doses
        ]
        return self._grid(self.dose_columns, rows)

    def _totals_table(self) -> Flowable:
        rows = [(t.drug, t.given, t.limit, t.share) for t in self.data.totals]
        note = self._para(
            "Limits are the drug label's maximum for the weight above, capped at the label's "
            "absolute maximum (the cap alone when no current weight was on file).",
        )
        title = self._para("Drug totals for this visit against their limits", "Label")
        return KeepTogether([title, self._grid(TOTAL_COLUMNS, rows), Spacer(1, 2), note])

    def _grid(self, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]]) -> Table:
        """A table of short values with a shaded header; no word is split mid-word."""
        size = self.cell_size
        headers = [name for name, _ in columns]
        texts = [[self._clean(v) for v in row] for row in rows]
        cells = [
            [(headers[i], BOLD), *((row[i], REGULAR) for row in texts)] for i in range(len(columns))
        ]
        widths = fit_widths(
            cells, [share for _, share in columns], self._content_width(), size, 2 * CELL_PADDING
        )
        inner = [w - 2 * CELL_PADDING for w in widths]
        data: list[list[Any]] = [
            [
                self._para(break_long_words(h, inner[i], BOLD, size), "CellBold")
                for i, h in enumerate(headers)
            ]
        ]
        data += [
            [
                self._para(break_long_words(v, inner[i], REGULAR, size), "Cell")
                for i, v in enumerate(row)
            ]
            for row in texts
        ]
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE_GREY),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return table

    def _outcome(self) -> list[Flowable]:
        d = self.data
        relief = d.relief_percent
        day = clinic_day(d.performed_at, d.timezone).isoformat()
        after = self._score(d.pain_after, day)
        if d.pain_after is None and d.pain_after_reason:
            after = f"Not scored: {d.pain_after_reason}"
        return self._section(
            "Outcome",
            [
                ("Pain before", self._score(d.pain_before, day)),
                ("Pain after", after),
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
        rows = []
        for f in d.checks:
            source = f"\nSource: {f.source}" if f.source else ""
            if f.message in reasons:
                label = f"{f.severity.capitalize()} (overridden)"
                rows.append((label, f"{f.message}\nReason: {reasons[f.message]}{source}"))
            else:
                rows.append((f.severity.capitalize(), f.message + source))
        listed = {f.message for f in d.checks}
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
        if d.signed_by is None or d.signed_at is None:
            return self._section("Signature", [("Status", "DRAFT — not signed")])
        signer = f"{d.signed_by} · NPI {d.signer_npi}" if d.signer_npi else d.signed_by
        rows = [("Signed by", signer), ("Signed at", when(d.signed_at, d.timezone))]
        if d.seal is None:
            rows.append(("Content seal", "None: signed before the app kept content seals."))
        else:
            rows.append(("Content seal", f"SHA-256 {d.seal.digest}"))
            rows.append(
                (
                    "Seal check",
                    "Matches the signed content (checked when this copy was printed)."
                    if d.seal.intact
                    else ALTERED + ".",
                )
            )
        return self._section("Signature", rows)

    def _after_signing(self) -> list[Flowable]:
        if not self.data.signed:
            return []
        return [
            Spacer(1, 6),
            self._para(
                "Added after signing (not part of the signed content): the aftercare "
                "handout's print log and any addenda.",
                "Label",
            ),
        ]

    def _handout(self) -> list[Flowable]:
        d = self.data
        rows = [
            (
                "Given" if i == 0 else "Reprinted",
                f"{p.language}, {when(p.printed_at, d.timezone)}"
                + (f", by {p.printed_by}" if p.printed_by else "")
                + (f" ({p.copies} copies)" if p.copies > 1 else ""),
            )
            for i, p in enumerate(d.handout_prints)
        ]
        return self._section("Aftercare handout", rows or [("Given", "Not printed yet.")])

    def _addenda(self) -> list[Flowable]:
        heading = self._para("Addenda", "Heading")
        if not self.data.addenda:
            return [heading, self._para("None.")]
        story: list[Flowable] = [heading]
        for a in self.data.addenda:
            story.append(
                self._para(f"{a.author}, {when(a.written_at, self.data.timezone)}", "Label")
            )
            story += [self._para(p) for p in self._paragraphs(a.text)]
            story.append(Spacer(1, 4))
        return story

    # ------------------------------------------------------------ helpers

    def _section(self, title: str, rows: Sequence[tuple[str, str]]) -> list[Flowable]:
        """A heading and a two-column label / value table (kept with its first rows)."""
        width = self._content_width()
        value_width = width * 0.75
        table = Table(
            [
                [
                    self._para(label, "Label"),
                    [
                        self._para(
                            break_long_words(p, value_width, REGULAR, self.body_size), "Value"
                        )
                        for p in self._paragraphs(v)
                    ],
                ]
                for label, v in rows
            ],
            colWidths=[width - value_width, value_width],
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
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
            d.clinic_address,
            d.clinic_phone,
            d.patient_name,
            d.mrn,
            d.weight,
            d.provider,
            d.indication,
            d.allergies,
            d.complications,
            d.follow_up_plan,
            d.conservative_treatment,
            d.pain_after_reason,
            d.signed_by or "",
            *d.icd10,
            *(m for pair in d.overrides for m in pair),
            *(x for f in d.checks for x in (f.message, f.source)),
            *(c.description for c in (*d.cpt, *d.hcpcs)),
            *(x for a in d.addenda for x in (a.author, a.text)),
            *(p.printed_by for p in d.handout_prints),
        ]
        for s in d.sites:
            texts += [s.muscle, s.needle]
            texts += [x for dose in s.doses for x in (dose.drug, dose.concentration, dose.lot)]
        return texts

    def render(self) -> bytes:
        register_fonts()
        check_glyphs(self._clean(s) for s in self.user_strings())
        out = io.BytesIO()
        seal = self.data.seal
        doc = BaseDocTemplate(
            out,
            pagesize=self.pagesize,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin,
            bottomMargin=self.margin,
            title="Procedure note",
            author=self._clean(self.data.clinic_name),
            subject=f"Signed content seal SHA-256 {seal.digest}" if seal else "",
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
    "ALTERED",
    "MIN_FONT_SIZE",
    "SECTIONS",
    "NoteAddendum",
    "NoteCode",
    "NoteData",
    "NoteDose",
    "NoteFinding",
    "NotePrint",
    "NoteRenderer",
    "NoteSeal",
    "NoteSite",
    "NoteTotal",
    "render_note",
]
