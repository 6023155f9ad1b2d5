"""Reading the reference-data files (TOML) with errors that name the file, entry and line.

Every data file of the app — muscle catalog, formulary, favourites, referred-pain areas, rule
tables — is read through :func:`read_toml` and reports problems as a subclass of
:class:`DataFileError`, so a broken file stops start-up with one clear sentence.
"""

from __future__ import annotations

import re
import tomllib
from importlib.resources.abc import Traversable
from typing import Final

from clinic_app.domain.errors import ClinicError

_TOML_LINE: Final = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


class DataFileError(ClinicError):
    """A data file is missing, not TOML, or has an entry that breaks a rule.

    Attributes:
        path: the file.
        entry: the entry at fault (a code, or "muscle #3" when it has none), or None.
        problem: what is wrong, in words.
        line: the line in the file, when the TOML parser reported one.
    """

    def __init__(
        self, path: Traversable, entry: str | None, problem: str, *, line: int | None = None
    ) -> None:
        self.path = path
        self.entry = entry
        self.problem = problem
        self.line = line
        where = path.name
        if entry is not None:
            where += f", entry {entry!r}"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"{where}: {problem}")


def read_toml(path: Traversable, error: type[DataFileError]) -> dict[str, object]:
    """The parsed document; any failure is raised as ``error`` naming the file (and line)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(path, None, "file not found") from None
    except OSError as exc:
        raise error(path, None, f"cannot read the file ({exc.strerror})") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise error(path, None, "the file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_LINE.search(message)
        line = int(found.group(1)) if found else None
        raise error(path, None, f"invalid TOML: {_TOML_LINE.sub('', message)}", line=line) from None
