"""The text pipeline: visual order, Arabic joining, a font for every run, canvas drawing."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from clinic_app.reports.base import esc
from clinic_app.reports.text import (
    BOLD,
    FALLBACK,
    REGULAR,
    MissingGlyphError,
    Run,
    UnicodeCanvas,
    check_glyphs,
    markup,
    missing,
    register_fonts,
    runs,
    visual,
)

#: محمد as drawn: final dal, medial meem, medial hah, initial meem (left to right).
MUHAMMAD_DRAWN = "\ufeaa\ufee4\ufea4\ufee3"


def test_a_mixed_name_splits_into_runs_in_visual_order() -> None:
    assert runs("Nguyễn 秀英 محمد") == [
        Run("Nguyễn "),
        Run("秀英 ", FALLBACK),
        Run(MUHAMMAD_DRAWN),
    ]


def test_right_to_left_runs_are_reversed_inside_left_to_right_text() -> None:
    assert visual("Dr. שרה כהן, MD") == "Dr. ןהכ הרש, MD"
    assert visual("محمد الحسن") == "\ufee6\ufeb4\ufea4\ufedf\ufe8d " + MUHAMMAD_DRAWN
    # A number after an Arabic word belongs to it (bidi rule W2): it is drawn on its left.
    assert visual("Room 12 — كمال 3") == "Room 12 — 3 \ufedd\ufe8e\ufee4\ufedb"


def test_hebrew_points_are_drawn_just_before_their_letter() -> None:
    """DejaVu Sans draws a Hebrew point over the glyph drawn after it (zero advance, outline
    right of its origin), so in visual order a point comes before its letter, as reversal
    leaves it (checked on a rendered page: each point under or over its own letter)."""
    assert visual("שָׂרָה") == "ה\u05b8ר\u05c2\u05b8ש"


def test_lam_alef_joins_and_allah_is_spelt_out() -> None:
    assert visual("لا") == "\ufefb"
    shown = visual("عبد الله")
    assert "\ufdf2" not in shown  # DejaVu Sans has no glyph for the one-character ligature
    assert not missing("عبد الله")


def test_text_without_right_to_left_letters_is_only_normalised() -> None:
    assert visual("Nguye\u0302\u0303n (O'Brien) <b>") == "Nguyễn (O'Brien) <b>"
    assert visual("a\u200fb\u200d") == "ab"  # ordering marks and joiners are not drawn


def test_lines_are_ordered_one_by_one() -> None:
    assert visual("שרה\nכהן") == "הרש\nןהכ"


def test_markup_escapes_and_wraps_fallback_runs() -> None:
    assert markup('<b>王</b> & "Zoë"') == (
        f'&lt;b&gt;<font name="{FALLBACK}">王</font>&lt;/b&gt; &amp; "Zoë"'
    )
    assert esc("김서연 Kim") == f'<font name="{FALLBACK}">김서연 </font>Kim'
    assert esc("Smith & Sons") == "Smith &amp; Sons"


def test_a_character_no_font_has_is_reported_once() -> None:
    assert missing("𓀀 a 𓀀 王 ש") == ["𓀀"]
    with pytest.raises(MissingGlyphError, match="U\\+13000"):
        check_glyphs(["Maria", "Test 𓀀"])
    check_glyphs(["王秀英", "김서연", "さくら", "Đặng", "Γιώργος", "Ольга", "ليلى", "שירה"])


def drawn(draw: str, text: str, x: float = 300) -> tuple[list[tuple[str, float]], UnicodeCanvas]:
    """Draw ``text`` with the canvas method ``draw``; (text, x) of each piece pypdf reads."""
    register_fonts()
    out = io.BytesIO()
    canvas = UnicodeCanvas(out)
    canvas.setFont(REGULAR, 10)
    getattr(canvas, draw)(x, 700, text)
    font_after = canvas._fontname
    canvas.showPage()
    canvas.save()
    pieces: list[tuple[str, float]] = []
    PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text(
        visitor_text=lambda t, cm, tm, *_: (
            pieces.append((t.rstrip("\n"), tm[4])) if t.strip() else None
        )
    )
    assert font_after == REGULAR  # the canvas's font is back after a fallback run
    return pieces, canvas


def test_canvas_text_is_drawn_run_by_run_in_its_fonts() -> None:
    pieces, _ = drawn("drawString", "Lee 王秀英 Jr")
    width = pdfmetrics.stringWidth("Lee ", REGULAR, 10)
    cjk = pdfmetrics.stringWidth("王秀英 ", FALLBACK, 10)
    assert [t for t, _ in pieces] == ["Lee ", "王秀英 ", "Jr"]
    assert [round(x, 2) for _, x in pieces] == [
        300,
        round(300 + width, 2),
        round(300 + width + cjk, 2),
    ]


@pytest.mark.parametrize(("draw", "shift"), [("drawRightString", 1.0), ("drawCentredString", 0.5)])
def test_right_and_centred_canvas_text_measure_every_run(draw: str, shift: float) -> None:
    pieces, _ = drawn(draw, "王 Li")
    total = pdfmetrics.stringWidth("王 ", FALLBACK, 10) + pdfmetrics.stringWidth("Li", REGULAR, 10)
    assert round(pieces[0][1], 2) == round(300 - total * shift, 2)


def test_bold_text_with_a_chinese_name_prints() -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    register_fonts()
    out = io.BytesIO()
    style = ParagraphStyle("b", fontName=BOLD, fontSize=10)
    SimpleDocTemplate(out).build([Paragraph(f"<b>Name:</b> {esc('王秀英')}", style)])
    assert "Name: 王秀英" in (PdfReader(out).pages[0].extract_text() or "")
