"""Every demo name, in every script, prints in the handout and the procedure note (issue 8 §7).

What pypdf gives back: it turns runs of right-to-left characters (Hebrew, Arabic and their
presentation forms) around as it extracts them, so text drawn in visual order, as it must be,
comes back in the order it was typed. Arabic comes back as the joined presentation forms that
were drawn; NFKC turns those back into the typed letters. A name drawn in typed order (the
old bug) would come back reversed, and unjoined letters would come back as the base letters.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import replace
from functools import cache
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from reportlab.pdfbase import pdfmetrics

from clinic_app.domain.fonts import FONT_CHAIN
from clinic_app.reports.handout import render_handout
from clinic_app.reports.note import render_note
from clinic_app.reports.text import BOLD, FALLBACK, REGULAR, register_fonts
from clinic_app.services.demo_names import POOLS
from tests.reports.factories import low_back_dry_needling
from tests.reports.test_note import note

RTL_POOLS = {"arabic", "hebrew"}
ARABIC_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def name_pairs(pool: str, per_name: int = 3) -> list[tuple[str, str]]:
    """(given, family) names that together use every given and family name of ``pool``.

    Each holds ``per_name`` names of the pool (a long name, as some patients have), so that a
    few documents print them all.
    """
    women, men, families, _ = POOLS[pool]
    given = women + men
    count = -(-max(len(given), len(families)) // per_name)

    def take(names: tuple[str, ...], i: int) -> str:
        return " ".join(names[(i * per_name + j) % len(names)] for j in range(per_name))

    return [(take(given, i), take(families, i)) for i in range(count)]


@cache
def font_cmaps() -> dict[str, frozenset[int]]:
    register_fonts()
    return {
        name: frozenset(pdfmetrics.getFont(name).face.charToGlyph)
        for name in (REGULAR, BOLD, FALLBACK)
    }


def read(pdf: bytes) -> tuple[str, list[tuple[str, str]]]:
    """The PDF's text, and (font name without subset prefix, text) for each piece drawn."""
    runs: list[tuple[str, str]] = []

    def visit(text: str, _cm: object, _tm: object, font: DictionaryObject | None, *_: Any) -> None:
        if font is not None and text.strip():
            runs.append((str(font["/BaseFont"]).split("+", 1)[-1], text))

    pages = PdfReader(io.BytesIO(pdf)).pages
    return "\n".join(page.extract_text(visitor_text=visit) for page in pages), runs


def drawn_runs(pdf: bytes) -> list[tuple[str, str]]:
    return read(pdf)[1]


def text_of(pdf: bytes) -> str:
    return read(pdf)[0]


def assert_every_glyph_in_its_font(runs: list[tuple[str, str]]) -> None:
    cmaps = font_cmaps()
    for font, text in runs:
        lacking = [
            c for c in text if c.isprintable() and not c.isspace() and ord(c) not in cmaps[font]
        ]
        assert not lacking, (font, text, lacking)


def assert_fonts_embedded_subsets(pdf: bytes) -> None:
    """Every font text is drawn in is an embedded TrueType subset ("ABCDEF+Name", FontFile2).

    reportlab lists Helvetica in each page's resources (a canvas starts with it); no text is
    drawn in it, which :func:`drawn_runs` shows.
    """
    reader = PdfReader(io.BytesIO(pdf))
    embedded: set[str] = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            if name == "/Helvetica":
                continue
            descriptor = font["/FontDescriptor"].get_object()
            assert re.fullmatch(r"/[A-Z]{6}\+[A-Za-z-]+", name), name
            assert "/FontFile2" in descriptor, name  # TrueType outlines embedded
            embedded.add(name.split("+", 1)[1])
    assert embedded <= {REGULAR, BOLD, FALLBACK}
    assert {font for font, _ in drawn_runs(pdf)} <= embedded


def assert_reads_back(text: str, name: str, pool: str) -> None:
    if pool == "arabic":
        assert name not in text  # drawn as joined forms, not as the typed letters
        assert name in unicodedata.normalize("NFKC", text)
        assert name[::-1] not in unicodedata.normalize("NFKC", text)
    elif pool == "hebrew":
        assert name in text
        assert name[::-1] not in text
    else:
        assert name in text


@pytest.mark.parametrize("pool", sorted(POOLS))
def test_every_demo_name_prints_in_the_handout(pool: str) -> None:
    for given, family in name_pairs(pool):
        data = replace(low_back_dry_needling(), patient_given=given, patient_family=family)
        pdf = render_handout(data)
        text, runs = read(pdf)
        # The header on each page and the footer print the name.
        assert_reads_back(text, f"{given} {family}", pool)
        assert_every_glyph_in_its_font(runs)
    assert_fonts_embedded_subsets(pdf)


@pytest.mark.parametrize("pool", sorted(POOLS))
def test_every_demo_name_prints_in_the_note(pool: str) -> None:
    for given, family in name_pairs(pool):
        name = f"{family}, {given}"
        pdf = render_note(note(patient_name=name))
        text, runs = read(pdf)
        # The patient section prints the name on its own; header and footer put it in a line.
        assert_reads_back(text, name, pool)
        assert_every_glyph_in_its_font(runs)
    assert_fonts_embedded_subsets(pdf)


def test_cjk_names_use_the_fallback_font_and_latin_the_main_one() -> None:
    pdf = render_note(note(patient_name="王, 秀英", indication="Nguyễn 김서연 佐藤さくら"))
    runs = drawn_runs(pdf)
    assert (FALLBACK, "王, 秀英") in runs or any(f == FALLBACK and "秀英" in t for f, t in runs)
    assert any(f == FALLBACK and "김서연" in t for f, t in runs)
    assert any(f == FALLBACK and "佐藤さくら" in t for f, t in runs)
    assert any(f == REGULAR and "Nguyễn" in t for f, t in runs)
    assert "Nguyễn 김서연 佐藤さくら" in " ".join(text_of(pdf).split())


def test_arabic_is_joined_and_in_visual_order_on_the_page() -> None:
    """The exact forms drawn for محمد: initial meem, medial hah, medial meem, final dal."""
    pdf = render_note(note(patient_name="محمد"))
    text = text_of(pdf)
    assert "\ufee3\ufea4\ufee4\ufeaa" in text  # read back in typed order by pypdf
    assert not ARABIC_FORMS.search(text.replace("\ufee3\ufea4\ufee4\ufeaa", ""))


def test_the_font_chain_is_the_one_the_gui_uses() -> None:
    assert FONT_CHAIN == ("DejaVu Sans", "Droid Sans Fallback")
    register_fonts()
    assert pdfmetrics.getFont(FALLBACK).face.familyName == b"Droid Sans Fallback"
