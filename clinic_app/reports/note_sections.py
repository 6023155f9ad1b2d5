"""What the procedure note says: its sections, in print order, from a :class:`NoteData`.

:class:`NoteSections` builds the story (``_get_story``) of the renderer; how the page looks
(styles, header, footer, the DRAFT mark) is :class:`clinic_app.reports.note.NoteRenderer`.
Override a section method in a subclass to vary one section.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from datetime import datetime

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from clinic_app.domain.clock import clinic_day, format_clinic_time
from clinic_app.domain.labels import NOT_RECORDED
from clinic_app.reports.base import BaseRenderer
from clinic_app.reports.note_data import NoteData
from clinic_app.reports.pain_figure import pain_drawing_story
from clinic_app.reports.tables import grid_table, label_value_table

#: Printed instead of the seal when the stored content no longer matches it.
ALTERED = "ALTERED — this note's content does not match its seal"

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
#: The outcome questionnaires' table (printed only when the visit has any).
MEASURES_HEADING = "Outcome measures"
MEASURE_COLUMNS = (
    ("Questionnaire", 0.38),
    ("Taken on", 0.14),
    ("Score", 0.1),
    ("Percent", 0.1),
    ("Band", 0.28),
)
TOTAL_COLUMNS = (
    ("Drug", 0.3),
    ("Total given", 0.2),
    ("Limit for this patient", 0.3),
    ("Share of limit", 0.2),
)


def plural(count: int, noun: str) -> str:
    """ "1 site", "2 sites"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def when(moment: datetime, zone: str = "") -> str:
    """A time as the chart prints it, in the clinic's zone: "2025-03-04 14:30 CST"."""
    return format_clinic_time(moment, zone)


class NoteSections(BaseRenderer[NoteData]):
    """The note's story. The type sizes and table columns are the renderer's attributes."""

    body_size: float
    cell_size: float
    site_columns: Sequence[tuple[str, float]] = SITE_COLUMNS
    dose_columns: Sequence[tuple[str, float]] = DOSE_COLUMNS

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
            self._measures,
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
        pain = self.data.pain_drawing
        if not self.data.sites:
            drawn = pain_drawing_story(pain, self._content_width(), self._para) if pain else []
            return [heading, self._para("No sites charted."), *drawn]
        story: list[Flowable] = [KeepTogether([heading, self._site_table()])]
        if any(s.doses for s in self.data.sites):
            story += [Spacer(1, 6), self._dose_table()]
        if self.data.totals:
            story += [Spacer(1, 6), self._totals_table()]
        if pain is not None:
            story += pain_drawing_story(pain, self._content_width(), self._para)
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
        texts = [[self._clean(v) for v in row] for row in rows]
        return grid_table(columns, texts, self._content_width(), self.cell_size, self._para)

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

    def _measures(self) -> list[Flowable]:
        """The visit's outcome questionnaires (NDI, ODI): none, no section."""
        if not self.data.measures:
            return []
        rows = [(m.name, m.taken_on, m.score, m.percent, m.band) for m in self.data.measures]
        heading = self._para(MEASURES_HEADING, "Heading")
        return [KeepTogether([heading, self._grid(MEASURE_COLUMNS, rows)])]

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
        values = [(label, self._paragraphs(v)) for label, v in rows]
        table = label_value_table(values, self._content_width(), self.body_size, self._para)
        return [KeepTogether([self._para(title, "Heading"), table])]

    @staticmethod
    def _score(score: int | None, day: str) -> str:
        return f"{score}/10 (NRS 0–10, {day})" if score is not None else NOT_RECORDED

    def _paragraphs(self, text: str) -> Iterator[str]:
        """Multi-line user text as paragraphs; blank text prints as one empty line."""
        parts = [p for p in unicodedata.normalize("NFC", text).splitlines() if p.strip()]
        yield from parts or [""]

    def _patient_line(self) -> str:
        d = self.data
        return (
            f"{self._clean(d.patient_name)} · DOB {d.birth_date.isoformat()} · "
            f"MRN {self._clean(d.mrn)}"
        )

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
            *(x for m in d.measures for x in (m.name, m.band)),
        ]
        for s in d.sites:
            texts += [s.muscle, s.needle]
            texts += [x for dose in s.doses for x in (dose.drug, dose.concentration, dose.lot)]
        return texts


__all__ = [
    "ALTERED",
    "DOSE_COLUMNS",
    "MEASURES_HEADING",
    "MEASURE_COLUMNS",
    "SECTIONS",
    "SITE_COLUMNS",
    "TOTAL_COLUMNS",
    "NoteSections",
    "plural",
    "when",
]
