"""Any patient's name on paper: right-to-left order, Arabic joining, and a font for every letter.

Every user string a document prints passes through here, in one of two ways:

- :func:`markup` for reportlab Paragraphs: escaped, in visual order, with runs of characters the
  main font lacks wrapped in ``<font name="DroidSansFallback">``;
- :func:`draw_string` for canvas text (the header and footer print the patient's name on every
  page): the same runs drawn one after the other, each in its font.

Decision (issue 8): python-bidi and arabic-reshaper, not reportlab's own shaping.
reportlab 5.1 can shape with HarfBuzz (``uharfbuzz``, ``TTFont(..., shapable=True)`` and a
style's ``shaping``), but it puts right-to-left text in visual order only through ``rlbidi``,
which is not on PyPI; shaping alone would still print Arabic and Hebrew backwards, and shaped
fragments (``ShapedStr``, glyph ids) do not mix well with a font change inside a word.
python-bidi 0.6 (LGPL-3.0, a maintained wrapper of the Rust ``unicode-bidi`` crate, wheels for
Windows, macOS and Linux) runs the Unicode Bidirectional Algorithm; arabic-reshaper 3.1 (MIT,
pure Python, maintained) turns Arabic letters into their joined forms as Unicode Arabic
Presentation Forms, which DejaVu Sans has. The result is an ordinary left-to-right string of
characters that every reportlab call already draws, whose glyphs can be checked against the
fonts' character maps before anything is drawn. PDF readers that order right-to-left text
(pypdf, poppler) extract it in typed order as those presentation forms; NFKC gives the typed
letters back.

Hebrew points need nothing more: DejaVu Sans draws a point over the glyph drawn after it,
which is where reversal leaves it.

Known limits: Arabic vowel marks (harakat) are left out, as presentation forms cannot place
them (names are written without them in practice); a right-to-left run is put in visual order
before a Paragraph wraps it, so a long right-to-left text wrapped over several lines reads its
lines in the wrong order (names and short notes fit on one line).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal
from xml.sax.saxutils import escape

from arabic_reshaper import ArabicReshaper
from bidi import get_display
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from clinic_app.domain.errors import ClinicError
from clinic_app.domain.fonts import SHIPPED_FONTS, font_path

#: reportlab's names for the shipped fonts (``REGULAR`` is also the family of the bold face).
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACK = "DroidSansFallback"
_PDF_NAMES = {
    "DejaVuSans.ttf": REGULAR,
    "DejaVuSans-Bold.ttf": BOLD,
    "DroidSansFallback.ttf": FALLBACK,
}

#: Strong right-to-left bidi classes: text with one of these is reordered and shaped.
_RTL_CLASSES = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
#: Invisible characters that steer ordering or joining; dropped once they have done so
#: (the fonts have no glyph for most of them, and the drawn text is already in order).
_CONTROLS = frozenset(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)

# DejaVu Sans has no glyph for the one-character "Allah" ligature (U+FDF2): spell it out.
_RESHAPER = ArabicReshaper(configuration={"arabic ligature allah": False, "delete_harakat": True})

Align = Literal["left", "right", "centre"]


class MissingGlyphError(ClinicError):
    """A user string has a character no shipped font can print (it would show as a box)."""


@dataclass(frozen=True)
class Run:
    """Consecutive characters drawn in one font.

    Attributes:
        text: the characters, in visual (left-to-right drawing) order.
        font: a fallback font's reportlab name, or None for the main font of the paragraph or
            canvas (DejaVu Sans, regular or bold).
    """

    text: str
    font: str | None = None


@cache
def register_fonts() -> None:
    """Register the shipped fonts once per process; each PDF embeds the subset it uses.

    Bold and italic of the fallback map to itself (it has one face), so ``<b>`` around a
    Chinese name prints it in the regular weight rather than failing.
    """
    for font in SHIPPED_FONTS:
        pdfmetrics.registerFont(TTFont(_PDF_NAMES[font.file], str(font_path(font))))
    for italic in (0, 1):
        addMapping(REGULAR, 0, italic, REGULAR)
        addMapping(REGULAR, 1, italic, BOLD)
        for bold in (0, 1):
            addMapping(FALLBACK, bold, italic, FALLBACK)


@cache
def _coverage() -> tuple[frozenset[int], frozenset[int]]:
    """(characters both DejaVu faces have, characters the fallback has)."""
    register_fonts()

    def cmap(name: str) -> frozenset[int]:
        return frozenset(pdfmetrics.getFont(name).face.charToGlyph)

    return cmap(REGULAR) & cmap(BOLD), cmap(FALLBACK)


def visual(text: str) -> str:
    """``text`` as drawn from left to right on a left-to-right page.

    NFC (an accent typed as a separate mark joins its letter), Arabic letters in their joined
    forms, right-to-left runs reversed by the Unicode Bidirectional Algorithm with a
    left-to-right base direction (line by line), and ordering controls removed.
    """
    text = unicodedata.normalize("NFC", text)
    if any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text):
        text = "\n".join(
            get_display(_RESHAPER.reshape(line), base_dir="L") for line in text.split("\n")
        )
    return "".join(c for c in text if c not in _CONTROLS)


def _drawable(char: str) -> bool:
    """Whether ``char`` needs a glyph (spaces and control characters draw none)."""
    return char.isprintable() and not char.isspace()


def runs(text: str) -> list[Run]:
    """``text`` in visual order, cut where the font changes.

    A character goes to the main font when both DejaVu faces have it, else to the fallback
    when that has it; spaces stay in the run they follow. A character no font has stays in the
    main font (:func:`missing` reports it).
    """
    main, fallback = _coverage()
    result: list[Run] = []
    font: str | None = None
    start = 0
    shown = visual(text)
    for i, char in enumerate(shown):
        if not _drawable(char) or ord(char) in main:
            wanted = font if char.isspace() else None
        else:
            wanted = FALLBACK if ord(char) in fallback else None
        if wanted != font:
            if i > start:
                result.append(Run(shown[start:i], font))
            font, start = wanted, i
    if len(shown) > start:
        result.append(Run(shown[start:], font))
    return result


def missing(text: str) -> list[str]:
    """The characters of ``text`` (as drawn) that no shipped font has, in order, once each."""
    main, fallback = _coverage()
    found: list[str] = []
    for char in visual(text):
        code = ord(char)
        if _drawable(char) and code not in main and code not in fallback and char not in found:
            found.append(char)
    return found


def check_glyphs(texts: Iterable[str]) -> None:
    """Fail loudly when a character is in none of the shipped fonts.

    Raises:
        MissingGlyphError: naming the character and the text it came from.
    """
    for text in texts:
        for char in missing(text):
            raise MissingGlyphError(
                f"no font the app ships (DejaVu Sans, Droid Sans Fallback) can print {char!r} "
                f"(U+{ord(char):04X}) in {text!r}"
            )


def markup(text: str) -> str:
    """A user or resource string as reportlab Paragraph markup: escaped, ordered, fonts set."""
    return "".join(
        escape(run.text)
        if run.font is None
        else f'<font name="{run.font}">{escape(run.text)}</font>'
        for run in runs(text)
    )


def draw_string(
    canvas: Canvas, x: float, y: float, text: str, align: Align = "left", **kwargs: Any
) -> None:
    """Draw ``text`` at ``(x, y)`` in the canvas's current font, fallback runs in theirs.

    ``align`` says whether ``x`` is the left end, the right end or the centre of the text. The
    canvas's font is the same afterwards. ``kwargs`` go to reportlab's ``drawString``.
    """
    font, size, leading = canvas._fontname, canvas._fontsize, canvas._leading
    parts = [(run.font or font, run.text) for run in runs(text)]
    widths = [pdfmetrics.stringWidth(chunk, name, size) for name, chunk in parts]
    if align == "right":
        x -= sum(widths)
    elif align == "centre":
        x -= sum(widths) / 2
    for (name, chunk), width in zip(parts, widths, strict=True):
        if name != font:
            canvas.setFont(name, size, leading)
        Canvas.drawString(canvas, x, y, chunk, **kwargs)
        if name != font:
            canvas.setFont(font, size, leading)
        x += width


class UnicodeCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """A Canvas whose ``drawString`` family prints any script (see :func:`draw_string`).

    reportlab's Table draws plain-string cells with these methods too, so they print right as
    well.
    """

    def drawString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:
        draw_string(self, x, y, text, "left", **_draw_options(args, kwargs))

    def drawRightString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:
        draw_string(self, x, y, text, "right", **_draw_options(args, kwargs))

    def drawCentredString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:
        draw_string(self, x, y, text, "centre", **_draw_options(args, kwargs))

    def drawCenteredString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:
        self.drawCentredString(x, y, text, *args, **kwargs)


def _draw_options(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """reportlab's positional ``mode, charSpace`` after the text, as keywords."""
    options = dict(zip(("mode", "charSpace"), args, strict=False))
    options.update(kwargs)
    return options
