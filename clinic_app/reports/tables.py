"""Table columns that never break a word in the middle.

reportlab splits a word that is wider than its cell wherever the edge falls, with no hyphen
("Sternocleidomast" / "oid"): a coder reading the note cannot tell it from two words.
:func:`fit_widths` gives every column at least the width of its longest word, taking the
room from columns that have some to spare; only a word that cannot fit even then is broken,
and :func:`break_long_words` does that with a visible hyphen.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth

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


__all__ = ["break_long_words", "fit_widths", "longest_word"]
