"""Guards against Qt binding releases known to corrupt the interpreter."""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF


def test_void_qt_calls_keep_the_reference_count_of_none() -> None:
    # PySide6 6.12.0 on Python 3.11 released a reference to None on every call returning
    # nothing; after a few thousand calls CPython aborted with "none_dealloc". The app
    # makes such calls on every paint, so a binding with this bug must never be installed.
    point = QPointF(1, 2)
    before = sys.getrefcount(None)
    for _ in range(2000):
        point.setX(3)
    assert sys.getrefcount(None) >= before - 50
