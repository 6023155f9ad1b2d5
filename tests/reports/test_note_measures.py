"""The procedure note's "Outcome measures" table (issue 14 §1), read back from the PDF."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from clinic_app.reports.note import NoteRenderer, render_note
from clinic_app.reports.note_data import NoteMeasure
from clinic_app.reports.note_sections import MEASURES_HEADING
from tests.reports.test_note import note

NDI = NoteMeasure(
    "Neck Disability Index (NDI 1991)", "18/50", "36%", "Moderate disability", "2025-03-04"
)
ODI = NoteMeasure(
    "Oswestry Disability Index (ODI 2.1a)", "16/45", "35.6%", "Moderate disability", "2025-03-04"
)


def text_of(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in pages))


def test_the_visits_measures_print_after_the_outcome() -> None:
    text = text_of(render_note(note(measures=(NDI, ODI))))
    assert "Questionnaire Taken on Score Percent Band" in text
    assert "Neck Disability Index (NDI 1991) 2025-03-04 18/50 36% Moderate disability" in text
    assert "Oswestry Disability Index (ODI 2.1a) 2025-03-04 16/45 35.6% Moderate" in text
    assert text.index("Follow-up plan") < text.index(MEASURES_HEADING) < text.index("Checks and")


def test_a_visit_without_measures_prints_no_such_section() -> None:
    assert MEASURES_HEADING not in text_of(render_note(note()))


def test_the_measures_texts_are_checked_for_glyphs() -> None:
    strings = NoteRenderer(note(measures=(NDI,))).user_strings()
    assert NDI.name in strings
    assert NDI.band in strings
