"""Handout pages: page counts, headings kept with their text, preliminary, language, figure."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import pytest
from pypdf import PdfReader

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Language, Side, Technique
from clinic_app.domain.handout import HandoutData, HandoutSite
from clinic_app.domain.handout_texts import default_texts
from clinic_app.reports.figure import body_figure_image, figure_aspect, figure_panels
from clinic_app.reports.handout import render_handout
from clinic_app.reports.handout_layout import LARGE, NORMAL
from tests.reports.factories import (
    LIDOCAINE,
    base,
    low_back_dry_needling,
    neck_steroid_diabetic,
    site,
)

LANGUAGES = list(Language)
#: A typical visit, in the order a provider adds sites: neck and upper back, then further.
TYPICAL = [
    ("trapezius_upper", Side.RIGHT),
    ("trapezius_upper", Side.LEFT),
    ("levator_scapulae", Side.RIGHT),
    ("rhomboids", Side.RIGHT),
    ("levator_scapulae", Side.LEFT),
    ("trapezius_middle", Side.LEFT),
    ("infraspinatus", Side.RIGHT),
    ("quadratus_lumborum", Side.RIGHT),
]


def typical(language: Language, count: int, *, large: bool = False) -> HandoutData:
    sites = tuple(
        site(i + 1, code, side, medicines=(LIDOCAINE,))
        for i, (code, side) in enumerate(TYPICAL[:count])
    )
    return base(language, sites=sites, large_print=large)


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in reader(pdf).pages]


Fragment = tuple[float, float, float, bool, str]  # x, y, font size, bold, text


def fragments(page: Any) -> list[Fragment]:
    out: list[Fragment] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            bold = "Bold" in str((font or {}).get("/BaseFont", ""))
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            out.append((x, y, round(size, 1), bold, text.strip()))

    page.extract_text(visitor_text=visit)
    return out


# ---------------------------------------------------------------- page counts


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("count", range(1, 9))
def test_a_typical_visit_fits_two_pages_and_three_in_large_print(
    language: Language, count: int
) -> None:
    normal = render_handout(typical(language, count))
    large = render_handout(typical(language, count, large=True))
    assert len(reader(normal).pages) <= 2
    assert len(reader(large).pages) <= 3
    for pdf in (normal, large):
        texts = page_texts(pdf)
        assert f"{count} " in " ".join(texts)
        if len(texts) > 1:  # no nearly empty last page: it carries real advice
            header = len(texts[0].split(".")[0])
            assert len(texts[-1]) > header + 150, texts[-1]


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "make", [neck_steroid_diabetic, low_back_dry_needling, lambda lang: typical(lang, 8)]
)
def test_no_heading_is_the_last_line_of_a_page_or_column(
    make: Any, language: Language, large: bool
) -> None:
    data = replace(make(language), large_print=large)
    sizes = LARGE if large else NORMAL
    pdf = render_handout(data)
    checked = 0
    for page in reader(pdf).pages:
        frags = fragments(page)
        headings = [f for f in frags if f[3] and f[2] == sizes.heading]
        for x, y, _, _, text in headings:
            # A heading's last line (a long one wraps) has its text below it, same column.
            if any(h[0] == pytest.approx(x, abs=2) and 0 < y - h[1] < sizes.heading * 1.5
                   for h in headings):  # fmt: skip
                continue
            below = [
                f
                for f in frags
                if f[2] != sizes.heading
                and abs(f[0] - x) < sizes.body * 2.5  # the column's text (or its bullets)
                and y - sizes.heading * 3 < f[1] < y
            ]
            assert below, f"heading {text!r} ends its page or column"
            checked += 1
    assert checked >= 8


# ---------------------------------------------------------------- what prints


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unsigned_visit_says_preliminary_on_every_page(language: Language) -> None:
    texts = default_texts(language)
    draft = render_handout(replace(neck_steroid_diabetic(language), signed=False))
    pages = page_texts(draft)
    assert len(pages) >= 2
    for text in pages:
        assert texts.text("label.preliminary_banner") in text
    assert " ".join(texts.text("label.preliminary_note").split()) in " ".join(pages)
    signed = " ".join(page_texts(render_handout(neck_steroid_diabetic(language))))
    assert texts.text("label.preliminary") not in signed


def test_the_handout_note_prints_only_in_its_language() -> None:
    notes = ((Language.ENGLISH, "Walk every day."), (Language.SPANISH, "Camine cada día."))
    english = " ".join(page_texts(render_handout(base(Language.ENGLISH, handout_notes=notes))))
    spanish = " ".join(page_texts(render_handout(base(Language.SPANISH, handout_notes=notes))))
    assert "Walk every day." in english
    assert "Camine cada día." not in english
    assert "Camine cada día." in spanish
    assert "Walk every day." not in spanish


def test_spanish_handouts_name_muscles_in_spanish_without_nested_brackets() -> None:
    text = " ".join(page_texts(render_handout(typical(Language.SPANISH, 8))))
    for name in ("Trapecio superior", "Romboides", "Elevador de la escápula", "Cuadrado lumbar"):
        assert f"Músculo: {name}" in text
    for english in ("Trapezius", "Rhomboids", "Levator", "Quadratus"):
        assert english not in text
    assert "((" not in text
    assert "))" not in text


def test_dry_needling_prints_no_numbness_and_warns_instead() -> None:
    texts = default_texts(Language.ENGLISH)
    text = " ".join(page_texts(render_handout(low_back_dry_needling())))
    assert "numb for a few hours" not in text
    assert "Numbing medicine in the low back" not in text
    assert " ".join(texts.text("block.dry_needling.warning").split()) in text
    assert texts.text("block.no_driving.needling_heading") in text


def test_the_steroid_dose_address_and_lung_place_print() -> None:
    text = " ".join(page_texts(render_handout(neck_steroid_diabetic())))
    assert "triamcinolone 20 mg" in text
    assert "12 River Road, Springfield, IL 62701" in text
    assert "at the base of your neck, near your lung" in text
    assert "collapsed lung" in text
    assert "300 mg/dL (16.7 mmol/L)" in text
    assert "close to your chest" not in text


@pytest.mark.parametrize("large", [False, True])
def test_captions_print_whole(large: bool) -> None:
    texts = default_texts(Language.ENGLISH)
    text = " ".join(page_texts(render_handout(replace(neck_steroid_diabetic(), large_print=large))))
    for key in ("label.view_posterior", "label.view_anterior"):
        assert texts.text(key) in text


def test_large_print_enlarges_text_header_and_marks() -> None:
    assert LARGE.body >= 16 > NORMAL.body
    assert LARGE.header > NORMAL.header
    assert LARGE.mark > NORMAL.mark
    normal = fragments(reader(render_handout(neck_steroid_diabetic())).pages[0])
    large = fragments(
        reader(render_handout(replace(neck_steroid_diabetic(), large_print=True))).pages[0]
    )
    clinic = "Riverside Pain Clinic"
    size = {f[4]: f[2] for f in normal}[clinic], {f[4]: f[2] for f in large}[clinic]
    assert size[1] > size[0]  # the header grows too


# ---------------------------------------------------------------- figure


def test_the_figure_shows_the_treated_part_of_the_body() -> None:
    neck = typical(Language.ENGLISH, 3)
    whole = replace(neck, sites=(*neck.sites, site(4, "soleus", Side.RIGHT)))
    assert figure_aspect(neck) > figure_aspect(whole) * 1.5  # upper body only: wider
    assert [v for v, _ in figure_panels(neck)] == ["posterior"]
    image = body_figure_image(neck)
    assert image is not None
    assert image.width / image.height == pytest.approx(figure_aspect(neck), rel=0.02)


def test_crowded_marks_are_all_drawn() -> None:
    first = site(1, "trapezius_upper", Side.RIGHT)
    crowd = tuple(
        HandoutSite(
            i + 1,
            "trapezius_upper",
            Side.RIGHT,
            Technique.INJECTION,
            View.POSTERIOR,
            first.x + 0.002 * i,
            first.y,
            (LIDOCAINE,),
        )
        for i in range(12)
    )
    data = base(Language.ENGLISH, sites=crowd)
    for large in (False, True):
        assert body_figure_image(replace(data, large_print=large)) is not None
    text = " ".join(page_texts(render_handout(data)))
    assert "12 " in text or text.endswith("12")


def test_marks_at_the_edges_stay_in_the_figure() -> None:
    corners = tuple(
        HandoutSite(i + 1, "deltoid", Side.RIGHT, Technique.DRY_NEEDLING, View.POSTERIOR, x, y)
        for i, (x, y) in enumerate([(0.0, 0.0), (1.0, 1.0), (0.01, 0.99), (0.5, 0.97)])
    )
    data = base(Language.ENGLISH, sites=corners)
    image = body_figure_image(data)
    assert image is not None
    assert figure_aspect(data) == pytest.approx(0.5, abs=0.05)  # the whole figure
    feet = base(Language.ENGLISH, sites=(replace(corners[3], x=0.45),))
    assert figure_aspect(feet) > 0.6  # the lower half only
    assert render_handout(data)[:5] == b"%PDF-"
