"""The shipped font list matches the files in resources/fonts and their licences."""

from __future__ import annotations

from clinic_app.domain.fonts import (
    DEJAVU,
    DROID_FALLBACK,
    FONT_CHAIN,
    SHIPPED_FONTS,
    font_dir,
    font_path,
)


def test_every_shipped_font_is_a_truetype_file_in_resources() -> None:
    for font in SHIPPED_FONTS:
        path = font_path(font)
        assert path.parent == font_dir()
        # TrueType outlines (0x00010000), which reportlab can embed; CFF files start "OTTO".
        assert path.read_bytes()[:4] == b"\x00\x01\x00\x00", font.file


def test_each_font_file_has_its_licence_beside_it() -> None:
    files = {p.name for p in font_dir().iterdir()}
    assert {"LICENSE-DejaVu.txt", "LICENSE-DroidSansFallback.txt"} <= files
    assert "Apache License" in (font_dir() / "LICENSE-DroidSansFallback.txt").read_text()
    assert {f.file for f in SHIPPED_FONTS} <= files


def test_the_chain_is_the_main_font_then_the_fallback() -> None:
    assert FONT_CHAIN == (DEJAVU, DROID_FALLBACK)
    assert {f.family for f in SHIPPED_FONTS} == set(FONT_CHAIN)
    assert [f.bold for f in SHIPPED_FONTS if f.family == DEJAVU] == [False, True]
