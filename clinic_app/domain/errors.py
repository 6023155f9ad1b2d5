"""Errors every layer may raise and the GUI turns into plain messages."""

from __future__ import annotations


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
