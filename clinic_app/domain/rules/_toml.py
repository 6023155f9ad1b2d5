"""Reading the rule files: the shared data-file reader with the rule files' error type.

A broken file fails at load time with
``"payers.toml, entry 'medicare': max_sessions_in_window must be an integer, not a string"``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from importlib.resources.abc import Traversable
from typing import Final

from clinic_app.domain import datafile
from clinic_app.domain.datafile import SNAKE_CASE, DataFileError, entries
from clinic_app.domain.datafile import Entry as Table

__all__ = ["RULE_ID", "SNAKE_CASE", "RulesDataError", "Table", "entries", "read_document"]

RULE_ID: Final = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


class RulesDataError(DataFileError):
    """A rule file is missing, not TOML, or has an entry that breaks a rule.

    Attributes:
        path: the file.
        entry: the entry's code (``"medicare"``), ``"profile #2"`` when it has none, or None.
        field: the field at fault, or None.
        problem: what is wrong, in words.
        line: the line in the file, when the TOML parser reported one.
    """


def read_document(path: Traversable, keys: Collection[str]) -> Table:
    """Parse the rule file ``path`` and refuse top-level keys outside ``keys``."""
    return datafile.read_document(path, RulesDataError, keys)
