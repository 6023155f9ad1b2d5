"""Errors every layer may raise and the GUI turns into plain messages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_T = TypeVar("_T")


class ClinicError(Exception):
    """Base of all errors meant to be shown to a user as they are."""


class ValidationError(ClinicError):
    """Input that breaks a rule; ``field`` names the input, the message says what is wrong.

    Attributes:
        field: the form field or attribute at fault (``"mrn"``, ``"weight_kg"``...).
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class InvalidFieldsError(ValidationError):
    """Several fields at fault at once, in the order of the form's fields (issue 12 §8).

    A form shows every problem in one go instead of one per submit. ``field`` and
    ``message`` are the first problem's (so code that handles one ValidationError still
    works); the text lists them all.

    Attributes:
        errors: one ValidationError per problem, in field order.
    """

    errors: tuple[ValidationError, ...]

    def __init__(self, errors: Iterable[ValidationError]) -> None:
        flat: list[ValidationError] = []
        for error in errors:
            flat.extend(error.errors if isinstance(error, InvalidFieldsError) else [error])
        if not flat:
            raise ValueError("InvalidFieldsError needs at least one error")
        super().__init__(flat[0].field, flat[0].message)
        self.args = (" ".join(e.message for e in flat),)
        self.errors = tuple(flat)


class FieldChecks:
    """Runs a form's checks in field order and keeps every ValidationError, not the first.

    ``run(check, *args)`` returns the check's result, or None when it refused the value (the
    error is kept); :meth:`done` then raises them together (one error as itself, several as
    :class:`InvalidFieldsError`).
    """

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def run(self, check: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T | None:
        try:
            return check(*args, **kwargs)
        except InvalidFieldsError as exc:
            self.errors.extend(exc.errors)
        except ValidationError as exc:
            self.errors.append(exc)
        return None

    def add(self, field: str, message: str) -> None:
        self.errors.append(ValidationError(field, message))

    def failed(self, field: str) -> bool:
        """True when ``field`` already has a problem."""
        return any(e.field == field for e in self.errors)

    def done(self) -> None:
        """Raise what was kept: nothing, the one error, or all of them."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise InvalidFieldsError(self.errors)


class NotFoundError(ClinicError):
    """The record asked for does not exist (or was voided)."""


class ConflictError(ClinicError):
    """Saving would overwrite or duplicate something: a taken MRN, a stale edit.

    Attributes:
        field: the input at fault when there is one (``"mrn"`` for a taken MRN), else None.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class StaleVersionError(ConflictError):
    """A change made from a copy read before someone else's change (issue 11 §2): the record
    is not the version the screen loaded. Nothing was changed; a screen shows the record as
    it is now."""


class StorageError(ClinicError):
    """The database could not be used: locked, full, unreachable, or newer than this app."""


class PermissionDenied(ClinicError):  # noqa: N818 (the name the services and tests use)
    """The signed-in user's roles do not allow the action (nothing was read or changed).

    Attributes:
        action: the action refused (``"encounter.sign"``).
    """

    def __init__(self, action: str, message: str) -> None:
        super().__init__(message)
        self.action = action


class DatabaseOpenError(StorageError):
    """The database cannot be opened: what is wrong, and what the person can do about it.

    Raised by :mod:`clinic_app.storage.opening` (the one place that classifies open failures);
    the command line prints it as one line, the GUI shows it in one dialog.

    Attributes:
        problem: a short key (``"not_a_database"``, ``"read_only"``, ``"newer_version"``...).
        what: what is wrong, naming the file or server (never a password).
        advice: what to do (restore a backup, check permissions, update the app...).
    """

    def __init__(self, problem: str, what: str, advice: str) -> None:
        super().__init__(f"{what} {advice}")
        self.problem = problem
        self.what = what
        self.advice = advice
