"""The shipped fonts on screen: every patient's name shows with no missing glyph.

A Windows or macOS computer may lack Chinese, Japanese or Korean fonts and a Linux one Arabic
or Hebrew; the app registers the fonts it ships (the same files the PDFs embed, see
:mod:`clinic_app.domain.fonts`) and puts them behind the application font as fallbacks. The
system's own UI font stays first, so the app still looks native.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFontDatabase, QGuiApplication

from clinic_app.domain.fonts import FONT_CHAIN, SHIPPED_FONTS, font_path

log = logging.getLogger(__name__)


def install_fonts(app: QGuiApplication) -> list[str]:
    """Register the shipped fonts and add them to ``app``'s font as fallback families.

    Safe to call more than once (the families are added once).

    Returns:
        The application font's families, in lookup order.
    """
    for shipped in SHIPPED_FONTS:
        if QFontDatabase.addApplicationFont(str(font_path(shipped))) < 0:
            # Never fatal: the names then show in whatever the system has.
            log.warning("the font file %s could not be loaded", shipped.file)
    font = app.font()
    families = list(font.families()) or [font.family()]
    families += [f for f in FONT_CHAIN if f not in families]
    font.setFamilies(families)
    app.setFont(font)
    return families
