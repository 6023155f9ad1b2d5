"""The procedure note renderer, from hand-built NoteData (no database)."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from clinic_app.reports.base import MissingGlyphError
from clinic_app.reports.note import MIN_FONT_SIZE, NoteRenderer, render_note
from clinic_app.reports.note_data import (
    NoteAddendum,
    NoteCode,
    NoteData,
    NoteDose,
    NoteFinding,
    NotePrint,
    NoteSeal,
    NoteSite,
    NoteTotal,
)
from clinic_app.reports.note_sections import ALTERED, SECTIONS
from tests.conftest import system_tool

LIDO = NoteDose("Lidocaine", "1% (10 mg/mL)", "0.5 mL", "5 mg", "LD-2291, exp 2026-05-31")
TRI = NoteDose("Triamcinolone", "40 mg/mL", "0.25 mL", "10 mg", "TA-77, exp 2026-01-31")


def site(number: int, muscle: str = "Trapezius (upper)", doses: tuple[NoteDose, ...] = (LIDO,)):  # type: ignore[no-untyped-def]
    return NoteSite(
        number, muscle, "Right", "Injection", "25 G × 1.5 in", "Local", "Negative", doses
    )


def note(**changes: object) -> NoteData:
    data = NoteData(
        clinic_name="Riverside Pain Clinic",
        patient_name="Lopez, Maria",
        mrn="MRN-0042",
        birth_date=date(1961, 7, 14),
        sex="Female",
        weight="72 kg (measured 2025-02-01)",
        performed_at=datetime(2025, 3, 4, 14, 30, tzinfo=UTC),
        provider="Ana Ruiz, MD",
        indication="Myofascial pain, right upper trapezius",
        icd10=("M79.18",),
        consent="Obtained; risks, benefits and alternatives discussed",
        time_out="Performed",
        allergies="Penicillin (rash)",
        anticoagulant="No anticoagulant (asked today)",
        skin_prep="Chlorhexidine",
        sites=(site(1, doses=(LIDO, TRI)), site(2, "Rhomboids")),
        muscle_count=2,
        pain_before=8,
        pain_after=2,
        tolerance="Well",
        complications="None recorded",
        needle_intact="Not recorded",
        disposition="Not recorded",
        follow_up_plan="Review in 3 weeks.",
        checks=(
            NoteFinding(
                "warning",
                "The patient takes an anticoagulant.",
                "Procedures Consult and Medscape: anticoagulation is a relative contraindication",
            ),
        ),
        overrides=(("The patient takes an anticoagulant.", "INR 2.1 checked today"),),
        cpt=(NoteCode("20552", 1, "Injection(s); single or multiple trigger point(s), 1 or 2"),),
        hcpcs=(NoteCode("J3301", 1, "Triamcinolone acetonide, per 10 mg (10 mg given)"),),
        timezone="UTC",
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def pages_text(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_draft_has_every_section_and_a_draft_mark() -> None:
    text = flat(" ".join(pages_text(render_note(note()))))
    for label in SECTIONS:
        assert label in text, label
    for value in ("0.5 mL", "5 mg", "LD-2291, exp 2026-05-31", "Trapezius (upper)", "Rhomboids"):
        assert value in text, value
    assert "DRAFT" in text
    assert "75%" in text  # (8 - 2) / 8
    assert "20552 × 1" in text
    assert "J3301 × 1" in text
    assert (
        "Warning (overridden) The patient takes an anticoagulant. Reason: INR 2.1 checked today"
        in text
    )
    assert "2 sites in 2 muscles" in text


def test_a_signed_note_has_no_draft_mark_and_shows_signer_and_addenda() -> None:
    data = note(
        signed_by="Ana Ruiz, MD",
        signed_at=datetime(2025, 3, 4, 15, 5, tzinfo=UTC),
        addenda=(
            NoteAddendum("Ana Ruiz, MD", datetime(2025, 3, 6, 9, 0, tzinfo=UTC), "Called: fine."),
        ),
    )
    text = flat(" ".join(pages_text(render_note(data))))
    assert "DRAFT" not in text
    assert "Signed by Ana Ruiz, MD" in text
    assert "2025-03-04 15:05" in text
    assert "Called: fine." in text
    assert "2025-03-06 09:00" in text


def test_unicode_names_print_and_markup_is_escaped() -> None:
    data = note(
        clinic_name="J&C <b>Clinic</b>",
        patient_name="Nguyễn, Łukasz Zoë O'Brien-Müller",
        indication='<img src="http://example.invalid/x.png"/> & <font color=red>pain</font>',
        follow_up_plan="José & <i>Zoë</i>",
    )
    text = flat(" ".join(pages_text(render_note(data))))
    assert "Nguyễn, Łukasz Zoë O'Brien-Müller" in text
    assert '<img src="http://example.invalid/x.png"/> & <font color=red>pain</font>' in text
    assert "José & <i>Zoë</i>" in text
    assert "J&C <b>Clinic</b>" in text


def test_a_character_the_font_lacks_fails_loudly() -> None:
    with pytest.raises(MissingGlyphError, match="U\\+"):
        render_note(note(patient_name="Test 𓀀"))


def forty_sites() -> NoteData:
    sites = tuple(
        site(
            n, ("Trapezius (upper)", "Rhomboids", "Gluteus medius")[n % 3], (LIDO, TRI)[: n % 2 + 1]
        )
        for n in range(1, 41)
    )
    return note(sites=sites, muscle_count=3, complications="Brief vasovagal episode. " * 60)


def test_forty_sites_flow_over_pages_with_the_patient_on_every_page() -> None:
    texts = pages_text(render_note(forty_sites()))
    assert len(texts) >= 2
    joined = flat(" ".join(texts))
    for n in range(1, 41):
        assert re.search(rf"\b{n} (Trapezius|Rhomboids|Gluteus)", joined), n
    for number, page in enumerate(texts, 1):
        flat_page = flat(page)
        assert "Lopez, Maria · DOB 1961-07-14 · MRN MRN-0042" in flat_page
        assert f"Page {number} of {len(texts)}" in flat_page
        assert "DRAFT" in flat_page


@pytest.mark.parametrize("signed", [False, True])
def test_pdftoppm_renders_every_page_and_qpdf_check_passes(signed: bool, tmp_path: Path) -> None:
    data = forty_sites()
    if signed:
        data = replace(data, signed_by="Ana Ruiz, MD", signed_at=datetime(2025, 3, 4, tzinfo=UTC))
    pdf = render_note(data)
    path = tmp_path / "note.pdf"
    path.write_bytes(pdf)
    qpdf = system_tool("qpdf", "qpdf")
    pdftoppm = system_tool("pdftoppm", "poppler-utils")
    check = subprocess.run(
        [qpdf, "--check", str(path)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    rendered = subprocess.run(
        [pdftoppm, "-png", "-r", "50", str(path), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert rendered.returncode == 0, rendered.stderr
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) == len(PdfReader(io.BytesIO(pdf)).pages)
    assert all(p.stat().st_size > 1000 for p in pngs)


DIGEST = "1a2b3c4d5e6f7a8b" + "0" * 48


def signed(**changes: object) -> NoteData:
    return note(**{**_signed_fields(), **changes})


def test_a_sealed_note_prints_the_short_seal_on_every_page_and_the_full_one_signed() -> None:
    pdf = render_note(replace(forty_sites(), **_signed_fields()))
    texts = [flat(t) for t in pages_text(pdf)]
    assert len(texts) >= 2
    for page in texts:
        assert "Signed content seal SHA-256 1a2b3c4d5e6f7a8b…" in page
        assert "ALTERED" not in page
    joined = " ".join(texts)
    assert f"Content seal SHA-256 {DIGEST}" in joined
    assert "Seal check Matches the signed content" in joined
    assert PdfReader(io.BytesIO(pdf)).metadata.subject.endswith(DIGEST)  # type: ignore[union-attr]


def _signed_fields() -> dict[str, object]:
    return {
        "signed_by": "Ana Ruiz, MD",
        "signed_at": datetime(2025, 3, 4, 15, 5, tzinfo=UTC),
        "seal": NoteSeal(DIGEST, intact=True),
    }


def test_an_altered_note_says_so_on_every_page_instead_of_the_seal() -> None:
    data = replace(forty_sites(), **_signed_fields())
    data = replace(data, seal=NoteSeal(DIGEST, intact=False))
    texts = [flat(t) for t in pages_text(render_note(data))]
    for number, page in enumerate(texts, 1):
        assert ALTERED in page, number
        assert "Procedure note · ALTERED" in page
        assert "Signed content seal SHA-256 1a2b" not in page
    assert f"Seal check {ALTERED}" in " ".join(texts)


def test_a_note_signed_before_seals_says_it_has_none() -> None:
    text = flat(" ".join(pages_text(render_note(signed(seal=None)))))
    assert "Content seal None: signed before the app kept content seals." in text
    assert "ALTERED" not in text


def test_findings_totals_provider_npi_clinic_address_and_what_came_after_signing() -> None:
    data = signed(
        sites=(
            replace(site(1), taut_band="Yes", jump_sign="No", referred_pain="Yes"),
            site(2, "Rhomboids"),
        ),
        clinic_address="12 River Road\nSpringfield, IL 62701",
        clinic_phone="(555) 010-2000",
        provider_npi="1234567893",
        signer_npi="1234567893",
        conservative_treatment="Home stretching 6 weeks; physical therapy 8 sessions; naproxen.",
        prior_relief="60% relief, lasting 7 weeks, as reported at this visit",
        totals=(NoteTotal("Lidocaine", "10 mg", "300 mg", "3%"),),
        timezone="America/Chicago",
        handout_prints=(
            NotePrint("Spanish", datetime(2025, 3, 4, 15, 20, tzinfo=UTC), "Front Desk", 2),
        ),
        addenda=(NoteAddendum("Ana Ruiz, MD", datetime(2025, 3, 6, 15, 0, tzinfo=UTC), "Called."),),
    )
    text = flat(" ".join(pages_text(render_note(data))))
    for header in ("Taut band", "Jump sign", "Referred pain reproduced", "Local twitch"):
        assert header in text, header
    assert "1 Trapezius (upper) Right Injection 25 G × 1.5 in Yes No Yes Local Negative" in text
    assert "2 Rhomboids Right Injection 25 G × 1.5 in Not recorded Not recorded" in text
    assert "Lidocaine 10 mg 300 mg 3%" in text
    assert "Provider Ana Ruiz, MD · NPI 1234567893" in text
    assert "Signed by Ana Ruiz, MD · NPI 1234567893" in text
    assert "12 River Road Springfield, IL 62701 (555) 010-2000" in text
    assert "Conservative treatment tried Home stretching 6 weeks" in text
    assert "60% relief, lasting 7 weeks" in text
    # Clinic-local times with the zone: 14:30 UTC is 08:30 in Chicago in March (CST).
    assert "Date / time 2025-03-04 08:30 CST" in text
    assert "Signed at 2025-03-04 09:05 CST" in text
    assert "Given Spanish, 2025-03-04 09:20 CST, by Front Desk (2 copies)" in text
    assert "2025-03-06 09:00 CST" in text
    # The live parts print below the signed content.
    assert text.index("Content seal") < text.index("Added after signing") < text.index("Given")
    assert text.index("Given Spanish") < text.index("Called.")
    assert "Source: Procedures Consult and Medscape" in text


def test_no_text_is_smaller_than_nine_points() -> None:
    sizes: list[float] = []

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        if text.strip():
            # The effective size: the Tf size scaled by the text matrix's vertical factor.
            sizes.append(size * abs(tm[3]) if tm[3] else size)

    for data in (forty_sites(), replace(forty_sites(), **_signed_fields())):
        for page in PdfReader(io.BytesIO(render_note(data))).pages:
            page.extract_text(visitor_text=visit)
    assert sizes
    assert min(sizes) >= MIN_FONT_SIZE


LONG_MUSCLES = (
    "Sternocleidomastoid",
    "Serratus posterior superior",
    "Extensor carpi radialis brevis",
    "Quadratus lumborum",
)


class NarrowMuscleColumn(NoteRenderer):
    site_columns = tuple(
        (name, 0.04 if name == "Muscle" else share) for name, share in NoteRenderer.site_columns
    )


def test_no_word_is_broken_in_a_narrow_table_column() -> None:
    data = note(sites=tuple(site(n, m) for n, m in enumerate(LONG_MUSCLES, 1)))
    pdf = NarrowMuscleColumn(data).render()
    lines = [line.strip() for t in pages_text(pdf) for line in t.splitlines()]
    text = flat(" ".join(lines))
    for muscle in LONG_MUSCLES:
        for word in muscle.split():
            assert re.search(rf"\b{word}\b", text), word
    # Every line of the table starts at a word boundary: no fragment of a muscle word
    # (e.g. "mastoid") opens a line.
    for muscle in LONG_MUSCLES:
        for word in muscle.split():
            for cut in range(2, len(word) - 1):
                assert not any(line.startswith(word[cut:] + " ") for line in lines), word


def test_a_word_wider_than_any_column_is_broken_with_a_hyphen() -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosisisverylongindeedreally" * 2
    text = " ".join(pages_text(NarrowMuscleColumn(note(sites=(site(1, word),))).render()))
    pieces = re.findall(r"(\S+)-\s", text)
    assert pieces, "the long word should be cut with visible hyphens"
    joined = "".join(re.findall(r"[A-Za-z]+", " ".join(p for p in pieces)))
    assert joined
    assert word.startswith(joined[: len(word) // 2])
