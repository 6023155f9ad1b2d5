"""The aftercare handout PDF: blocks, languages, escaping, Unicode, long content, validity."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from clinic_app.domain.catalog import View, default_catalog
from clinic_app.domain.enums import Language, Side, Technique
from clinic_app.domain.handout import Block
from clinic_app.domain.handout_compose import ALWAYS, compose, select_blocks
from clinic_app.domain.handout_texts import default_texts
from clinic_app.reports.base import MissingGlyphError
from clinic_app.reports.figure import body_figure_png, figure_panels
from clinic_app.reports.handout import render_handout
from tests.conftest import system_tool
from tests.reports.factories import (
    LIDOCAINE,
    base,
    low_back_dry_needling,
    neck_steroid_diabetic,
    site,
)

LANGUAGES = list(Language)


def pdf_text(pdf: bytes) -> str:
    """All pages' text with runs of whitespace folded to one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def block_heading(language: Language, block: Block) -> str:
    return default_texts(language).text(f"block.{block.value}.heading")


def block_sentence(language: Language, block: Block) -> str:
    """The longest fixed run of the block's first line, to prove its body printed too."""
    first = default_texts(language).lines(f"block.{block.value}.lines")[0]
    return max((run.strip() for run in re.split(r"\{[^}]*\}", first)), key=len)


EXPECTED = {
    "neck_steroid_diabetic": (
        neck_steroid_diabetic,
        {Block.EMERGENCY, Block.STEROID, Block.DIABETES_NOTE, Block.NECK_ARM},
    ),
    "low_back_dry_needling": (low_back_dry_needling, {Block.NO_DRIVING, Block.DRY_NEEDLING}),
}
CONDITIONAL = [b for b in Block if b not in ALWAYS]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", list(EXPECTED))
def test_each_block_prints_exactly_when_it_applies(case: str, language: Language) -> None:
    make, conditional = EXPECTED[case]
    data = make(language)
    assert set(select_blocks(data, default_catalog())) - ALWAYS == conditional
    text = pdf_text(render_handout(data))
    printed = {section.block: section for section in compose(data, default_catalog())}
    for block in Block:
        expected = block not in CONDITIONAL or block in conditional
        assert (block in printed) is expected, block
        texts = default_texts(language)
        headings = [texts.text(f"block.{block.value}.heading")]
        if block is Block.NO_DRIVING:
            headings.append(texts.text("block.no_driving.needling_heading"))
        assert any(h in text for h in headings) is expected, block
        if expected:  # every line of the block printed, in the handout's words
            for line in printed[block].lines:
                assert " ".join(line.text.split()) in text, line.text
        else:
            assert block_sentence(language, block) not in text, block


@pytest.mark.parametrize("language", LANGUAGES)
def test_medicines_or_no_medicine(language: Language) -> None:
    texts = default_texts(language)
    steroid = pdf_text(render_handout(neck_steroid_diabetic(language)))
    assert "triamcinolone" in steroid
    assert texts.text("drug_class.corticosteroid") in steroid
    assert texts.text("label.no_medicine") not in steroid
    needling = pdf_text(render_handout(low_back_dry_needling(language)))
    assert texts.text("label.no_medicine") in needling
    assert texts.text("label.medicines") not in needling
    assert "lidocaine" not in needling


@pytest.mark.parametrize("language", LANGUAGES)
def test_clinic_settings_and_header_on_every_page(language: Language) -> None:
    data = replace(neck_steroid_diabetic(language), activity_hours=72)
    texts = default_texts(language)
    pdf = render_handout(data)
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join((page.extract_text() or "").split())
        assert "Maria Lopez" in text
        assert texts.date(data.birth_date) in text
        assert data.clinic_name in text
        assert texts.format("label.page", page=number, pages=pages) in text
    text = pdf_text(pdf)
    assert "72" in text
    assert "100.4 °F" in text
    assert "38.0 °C" in text
    assert texts.date(data.follow_up_date) in text  # type: ignore[arg-type]
    assert data.after_hours_phone in text


def english_strings() -> list[str]:
    out: list[str] = []
    for value in default_texts(Language.ENGLISH).values.values():
        out += [value] if isinstance(value, str) else list(value)
    return out


@pytest.mark.parametrize("case", list(EXPECTED))
def test_no_english_leaks_into_spanish(case: str) -> None:
    make, _ = EXPECTED[case]
    data = make(Language.SPANISH)
    text = pdf_text(render_handout(data)).lower()
    checked = 0
    for english in english_strings():
        # Placeholders split a template into fixed runs; check each run of 3+ words.
        for run in re.split(r"\{[^}]*\}", english):
            run = " ".join(run.split()).strip(" .,:;()")
            if len(run.split()) >= 3:
                checked += 1
                assert run.lower() not in text, run
    assert checked > 40


UNICODE_NAMES = ("Łukasz", "Nguyễn", "Müller", "O'Brien", "José", "Zoë")


def test_unicode_names_print_and_markup_is_escaped() -> None:
    data = replace(
        low_back_dry_needling(),
        patient_given="Łukasz Müller",
        patient_family="Nguyễn O'Brien",
        clinic_name="<b>Zoë & José</b> Clinic",
        provider_name='Dr. <img src="http://example.invalid/x.png"/> Ruiz',
        handout_notes=((Language.ENGLISH, "Bring <your> notes & <i>all</i> scans."),),
        clinic_address="<Suite 5> & Co",
    )
    text = pdf_text(render_handout(data))
    for name in UNICODE_NAMES:
        assert name in text
    assert "<b>Zoë & José</b> Clinic" in text
    # (the long name wraps in its table cell: compare without the spaces)
    assert '<imgsrc="http://example.invalid/x.png"/>' in text.replace(" ", "")
    assert "Bring <your> notes & <i>all</i> scans." in text
    assert "<Suite 5> & Co" in text


def test_decomposed_accents_are_normalised() -> None:
    data = replace(low_back_dry_needling(), patient_given="Jose\u0301")
    assert "José" in pdf_text(render_handout(data))


def test_a_character_the_font_lacks_fails_loudly() -> None:
    data = replace(low_back_dry_needling(), patient_family="𓀀")  # no shipped font has it
    with pytest.raises(MissingGlyphError, match="U\\+13000"):
        render_handout(data)


def many_sites() -> tuple:  # type: ignore[type-arg]
    codes = [
        ("trapezius_upper", View.POSTERIOR),
        ("rhomboids", View.POSTERIOR),
        ("infraspinatus", View.POSTERIOR),
        ("quadratus_lumborum", View.POSTERIOR),
        ("gluteus_medius", View.POSTERIOR),
        ("hamstrings", View.POSTERIOR),
        ("gastrocnemius", View.POSTERIOR),
        ("pectoralis_major", View.ANTERIOR),
        ("deltoid", View.ANTERIOR),
        ("tibialis_anterior", View.ANTERIOR),
        ("vastus_lateralis", View.ANTERIOR),
        ("sternocleidomastoid", View.ANTERIOR),
        ("temporalis", View.LATERAL),
        ("masseter", View.LATERAL),
        ("levator_scapulae", View.POSTERIOR),
        ("latissimus_dorsi", View.POSTERIOR),
        ("lumbar_paraspinals", View.POSTERIOR),
        ("thoracic_paraspinals", View.POSTERIOR),
        ("soleus", View.POSTERIOR),
        ("supraspinatus", View.POSTERIOR),
    ]
    out = []
    for i, (code, view) in enumerate(codes * 2):
        side = Side.RIGHT if i < len(codes) else Side.LEFT
        technique = Technique.DRY_NEEDLING if i % 3 == 0 else Technique.INJECTION
        meds = () if technique is Technique.DRY_NEEDLING else (LIDOCAINE,)
        out.append(site(i + 1, code, side, technique, view, meds))
    return tuple(out)


@pytest.mark.parametrize("large_print", [False, True])
@pytest.mark.parametrize("language", LANGUAGES)
def test_forty_sites_and_a_long_note_flow_over_pages(language: Language, large_print: bool) -> None:
    note = " ".join(["Keep a pain diary each day and bring it to the next visit."] * 85)
    note += "\n\n" + "Ünïcödé ĳ end-of-note."
    assert len(note) > 5000
    data = replace(
        base(language),
        sites=many_sites(),
        handout_notes=((language, note),),
        large_print=large_print,
    )
    assert len(figure_panels(data)) == 4  # back, front and both head-and-neck views
    pdf = render_handout(data)
    text = pdf_text(pdf)
    assert page_count(pdf) >= 3
    for number in (1, 20, 40):
        assert f"{number} " in text
    assert "end-of-note." in text
    assert text.count("Keep a pain diary each day") == 85


def test_figure_only_for_views_with_sites() -> None:
    assert [v for v, _ in figure_panels(low_back_dry_needling())] == ["posterior"]
    assert body_figure_png(base()) is None
    pdf = render_handout(base())  # no sites at all: no figure, still a handout
    assert default_texts(Language.ENGLISH).text("label.no_medicine") in pdf_text(pdf)


def test_a_given_figure_is_used() -> None:
    png = body_figure_png(low_back_dry_needling())
    assert png is not None
    assert png.startswith(b"\x89PNG")
    assert render_handout(low_back_dry_needling(), figure_png=png)[:5] == b"%PDF-"


def test_large_print_body_is_at_least_16_pt() -> None:
    from clinic_app.reports.handout_layout import LARGE, NORMAL

    assert 11 <= NORMAL.body <= 12
    assert LARGE.body >= 16


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", list(EXPECTED))
def test_pdftoppm_renders_every_page_and_qpdf_check_passes(
    case: str, language: Language, tmp_path: Path
) -> None:
    pdftoppm = system_tool("pdftoppm", "poppler-utils")
    qpdf = system_tool("qpdf", "qpdf")
    make, _ = EXPECTED[case]
    pdf = render_handout(replace(make(language), large_print=language is Language.SPANISH))
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf)
    check = subprocess.run(
        [qpdf, "--check", str(path)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    run = subprocess.run(
        [pdftoppm, "-png", "-r", "50", str(path), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert not run.stderr.strip(), run.stderr
    assert len(list(tmp_path.glob("page-*.png"))) == page_count(pdf)


# ---------------------------------------------------------------- reading level


def syllables(word: str) -> int:
    """A simple English syllable estimate: vowel groups, minus a silent final e."""
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def flesch_kincaid_grade(sentences: list[str]) -> float:
    words = [w for s in sentences for w in re.findall(r"[A-Za-z']+", s)]
    return (
        0.39 * len(words) / len(sentences)
        + 11.8 * sum(syllables(w) for w in words) / len(words)
        - 15.59
    )


def test_syllable_counter() -> None:
    assert [syllables(w) for w in ("take", "ice", "bruised", "medicine", "the", "easy")] == [
        1,
        1,
        2,
        3,
        1,
        2,
    ]
    assert flesch_kincaid_grade(["The cat sat on the mat."]) < 0


def test_english_body_text_is_at_or_below_grade_8() -> None:
    texts = default_texts(Language.ENGLISH)
    sentences: list[str] = []
    for key, value in texts.values.items():
        if key.startswith(("block.", "document.", "label.sites_intro")):
            for item in (value,) if isinstance(value, str) else value:
                filled = item.format(
                    hours=48,
                    fever_f="100.4",
                    fever_c="38.0",
                    date="May 1",
                    clinic_phone="555",
                    after_hours_phone="555",
                    places="in your upper back",
                    soak_hours=24,
                    pain_reliever="acetaminophen (Tylenol)",
                    steroids="triamcinolone 20 mg",
                    glucose_mg=300,
                    glucose_mmol="16.7",
                    weeks=3,
                    first=7,
                    today=3,
                )
                sentences += [s for s in re.split(r"(?<=[.!?])\s+", filled) if s.strip()]
    grade = flesch_kincaid_grade(sentences)
    print(f"Flesch-Kincaid grade of the English handout text: {grade:.1f}")
    assert grade <= 8, grade


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_injection_without_medicine_is_not_called_dry_needling(language: Language) -> None:
    texts = default_texts(language)
    data = base(language, sites=(site(1, "gluteus_medius"),), after_hours_phone="  ")
    text = pdf_text(render_handout(data))
    assert texts.text("label.none_used") in text
    assert texts.text("label.no_medicine") not in text
    assert "call ." not in text  # no empty number anywhere: the clinic's own is given
    assert "(555) 010-2000" in text


def test_medicine_names_are_in_the_handouts_language() -> None:
    from clinic_app.domain.formulary import DrugClass
    from clinic_app.domain.handout import Medicine

    # Generic names as the formulary (and so the document service) gives them.
    meds = (
        Medicine("lidocaine", DrugClass.LOCAL_ANESTHETIC),
        Medicine("triamcinolone acetonide", DrugClass.CORTICOSTEROID),
    )

    def data(language: Language) -> object:
        return base(language, sites=(site(1, "trapezius_upper", medicines=meds),))

    spanish = pdf_text(render_handout(data(Language.SPANISH)))  # type: ignore[arg-type]
    assert "lidocaína" in spanish
    assert "triamcinolona" in spanish
    assert "lidocaine" not in spanish
    english = pdf_text(render_handout(data(Language.ENGLISH)))  # type: ignore[arg-type]
    assert "lidocaine" in english
    assert "acetonide" not in english  # patients read the short name


def test_the_clinic_logo_is_printed_on_every_page_and_a_broken_one_is_left_out() -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 90, 170)).save(buffer, "PNG")
    data = replace(neck_steroid_diabetic(Language.ENGLISH), logo_png=buffer.getvalue())
    with_logo = PdfReader(io.BytesIO(render_handout(data)))
    without = PdfReader(io.BytesIO(render_handout(neck_steroid_diabetic(Language.ENGLISH))))
    for page_with, page_without in zip(with_logo.pages, without.pages, strict=True):
        assert len(page_with.images) == len(page_without.images) + 1
    broken = replace(data, logo_png=b"not a picture")
    assert pdf_text(render_handout(broken)) == pdf_text(
        render_handout(neck_steroid_diabetic(Language.ENGLISH))
    )
