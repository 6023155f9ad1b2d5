"""Tables of user text, with columns that never break a word in the middle.

reportlab splits a word that is wider than its cell wherever the edge falls, with no hyphen
("Sternocleidomast" / "oid"): a coder reading the note cannot tell it from two words.
:func:`fit_widths` gives every column at least the width of its longest word, taking the
room from columns that have some to spare; only a word that cannot fit even then is broken,
and :func:`break_long_words` does that with a visible hyphen. :func:`grid_table` and
:func:`label_value_table` build the two kinds of table the procedure note prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from clinic_app.reports.base import BOLD, REGULAR, RULE_GREY

#: Makes a paragraph of (text, style name); the renderer's ``_para``.
ParagraphMaker = Callable[[str, str], Paragraph]
HEADER_FILL = colors.HexColor("#e8e8e8")
CELL_PADDING = 2.0

#: Slack added to a measured word so rounding never pushes it onto a second line.
_EPSILON = 1.0


def longest_word(text: str, font: str, size: float) -> float:
    """The width of the widest whitespace-separated word of ``text``."""
    return max((stringWidth(word, font, size) for word in text.split()), default=0.0)


def fit_widths(
    columns: Sequence[Sequence[tuple[str, str]]],
    shares: Sequence[float],
    total: float,
    size: float,
    padding: float,
) -> list[float]:
    """Column widths summing to ``total`` that keep every word of every cell whole.

    Args:
        columns: per column, its cells as (text, font name).
        shares: the preferred proportion of each column (need not sum to 1).
        total: the table's width.
        size: the cells' font size.
        padding: left plus right cell padding.

    When even the longest words together are wider than ``total``, the columns with the
    widest words get less than those words need and :func:`break_long_words` must cut them.
    """
    need = [
        max((longest_word(text, font, size) for text, font in cells), default=0.0)
        + padding
        + _EPSILON
        for cells in columns
    ]
    scale = sum(shares)
    want = [total * share / scale for share in shares]
    widths = [max(n, w) for n, w in zip(need, want, strict=True)]
    excess = sum(widths) - total
    if excess <= 0:
        return widths
    slack = [w - n for w, n in zip(widths, need, strict=True)]
    room = sum(slack)
    if room < excess:
        # Even bare words overflow: columns whose words fit keep exactly that room, the
        # columns wanting more than their share give up the difference (never below it).
        over = [max(n - w, 0.0) for n, w in zip(need, want, strict=True)]
        short = sum(need) - total
        return [n - short * o / sum(over) for n, o in zip(need, over, strict=True)]
    return [w - excess * s / room for w, s in zip(widths, slack, strict=True)]


def break_long_words(text: str, width: float, font: str, size: float) -> str:
    """``text`` with each word wider than ``width`` cut into pieces ending in a hyphen."""
    words = []
    for word in text.split(" "):
        while stringWidth(word, font, size) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and stringWidth(word[:cut] + "-", font, size) > width:
                cut -= 1
            words.append(word[:cut] + "-")
            word = word[cut:]
        words.append(word)
    return " ".join(words)


def grid_table(
    columns: Sequence[tuple[str, float]],
    rows: Sequence[Sequence[str]],
    width: float,
    size: float,
    para: ParagraphMaker,
) -> Table:
    """A table of short values with a shaded header; no word is split mid-word.

    Args:
        columns: (heading, preferred share of ``width``) of each column.
        rows: the cells' texts, already cleaned, in the styles "Cell" (and "CellBold" for the
            headings) at ``size``.
    """
    headers = [name for name, _ in columns]
    cells = [
        [(headers[i], BOLD), *((row[i], REGULAR) for row in rows)] for i in range(len(columns))
    ]
    widths = fit_widths(cells, [share for _, share in columns], width, size, 2 * CELL_PADDING)
    inner = [w - 2 * CELL_PADDING for w in widths]
    data: list[list[Any]] = [
        [para(break_long_words(h, inner[i], BOLD, size), "CellBold") for i, h in enumerate(headers)]
    ]
    data += [
        [para(break_long_words(v, inner[i], REGULAR, size), "Cell") for i, v in enumerate(row)]
        for row in rows
    ]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE_GREY),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def label_value_table(
    rows: Sequence[tuple[str, Iterable[str]]], width: float, size: float, para: ParagraphMaker
) -> Table:
    """Two columns: a bold label (style "Label") and its value's paragraphs ("Value").

    The value column takes three quarters of ``width``; a value word wider than that is cut
    with a hyphen.
    """
    value_width = width * 0.75
    table = Table(
        [
            [
                para(label, "Label"),
                [para(break_long_words(p, value_width, REGULAR, size), "Value") for p in value],
            ]
            for label, value in rows
        ],
        colWidths=[width - value_width, value_width],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


__all__ = [
    "CELL_PADDING",
    "HEADER_FILL",
    "ParagraphMaker",
    "break_long_words",
    "fit_widths",
    "grid_table",
    "label_value_table",
    "longest_word",
]
