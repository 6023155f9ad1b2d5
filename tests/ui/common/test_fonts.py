"""The GUI shows every demo name with no missing glyph, from the fonts the app ships.

The machine running the tests has DejaVu but no CJK font (CI installs fonts-dejavu-core
only), so Chinese, Japanese and Korean names show only because the app registers its own.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QRawFont, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from clinic_app.domain.fonts import DROID_FALLBACK, FONT_CHAIN
from clinic_app.services.demo_names import POOLS
from clinic_app.ui.common.fonts import install_fonts


def demo_names() -> list[str]:
    return [
        name for women, men, families, _ in POOLS.values() for name in (*women, *men, *families)
    ]


def glyph_runs(text: str, font: QFont) -> list[tuple[str, list[int]]]:
    """(font family, glyph indexes) of each run Qt lays ``text`` out in."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    layout.endLayout()
    assert line.isValid()
    return [(r.rawFont().familyName(), list(r.glyphIndexes())) for r in line.glyphRuns()]


def test_the_shipped_fonts_become_the_application_fallbacks(qapp: QApplication) -> None:
    families = install_fonts(qapp)
    assert families[-2:] == list(FONT_CHAIN)
    assert qapp.font().families() == families
    assert install_fonts(qapp) == families  # a second call adds nothing
    assert DROID_FALLBACK in QFontDatabase.families()


def test_the_font_chain_has_every_character_of_every_demo_name(qapp: QApplication) -> None:
    install_fonts(qapp)
    raws = [QRawFont.fromFont(QFont(family)) for family in FONT_CHAIN]
    assert [raw.familyName() for raw in raws] == list(FONT_CHAIN)
    for name in demo_names():
        for char in name.replace(" ", ""):
            assert any(raw.supportsCharacter(ord(char)) for raw in raws), (name, char)


def test_every_demo_name_lays_out_without_a_missing_glyph(qapp: QApplication) -> None:
    install_fonts(qapp)
    for name in demo_names():
        runs = glyph_runs(name, qapp.font())
        assert runs, name
        for family, glyphs in runs:
            assert 0 not in glyphs, (name, family)  # glyph 0 is the "missing" box


def test_a_label_shows_a_chinese_name_in_the_shipped_fallback(
    qapp: QApplication, qtbot: QtBot
) -> None:
    install_fonts(qapp)
    label = QLabel("王秀英")
    qtbot.addWidget(label)
    assert [family for family, _ in glyph_runs(label.text(), label.font())] == [DROID_FALLBACK]
