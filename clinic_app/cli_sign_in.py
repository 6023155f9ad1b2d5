"""Who runs a headless command that reads patient data (``clinic-app note``/``handout``).

Such a command signs a user in first, exactly as the sign-in screen does
(:meth:`ClinicService.authenticate`: the same waits after wrong passwords, an audit row for
every attempt), and then runs with that user's roles: a front-desk account may print
handouts and notes, an administrator-only account may not. The password is asked on the
terminal (never echoed) or read from the first line of standard input with
``--password-stdin`` (for scripts, as ``docker login`` does); it is never an argument, which
other users could read in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from clinic_app.domain.errors import ClinicError, ValidationError

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

#: The environment variable naming the user when ``--user`` is not given.
USER_VARIABLE = "CLINIC_APP_USER"
MUST_CHANGE_TEXT = (
    "your password is temporary (a new account, or reset by an administrator): sign in to "
    "the app and choose your own first."
)


@dataclass(frozen=True, slots=True)
class Credentials:
    """A username and the password typed for it (kept out of ``repr``)."""

    user: str
    password: str = field(repr=False)


def sign_in_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--user`` and ``--password-stdin`` to a subcommand that reads patient data."""
    parser.add_argument(
        "--user",
        metavar="NAME",
        help=f"who runs the command (default: ${USER_VARIABLE}); the password is asked",
    )
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for scripts)",
    )


def read_credentials(user: str | None, *, password_stdin: bool) -> Credentials:
    """The username (``--user`` or :data:`USER_VARIABLE`) and its password.

    Raises:
        ClinicError: no username, or no way to ask for the password (no terminal and no
            ``--password-stdin``), or an empty password.
    """
    name = (user or os.environ.get(USER_VARIABLE, "")).strip()
    if not name:
        raise ClinicError(
            f"this command reads patient data: name who runs it with --user NAME "
            f"(or ${USER_VARIABLE})."
        )
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"Password for {name}: ")
    else:
        raise ClinicError("no terminal to ask for the password: pipe it in with --password-stdin.")
    if not password:
        raise ClinicError("no password was given.")
    return Credentials(name, password)


@contextmanager
def signed_in_database(url: str, who: Credentials) -> Iterator[AppServices]:
    """Services on an existing database with ``who`` signed in (their roles apply).

    Raises:
        ClinicError: the database cannot be used; the sign-in was refused (the same vague
            message as the sign-in screen); the password must be changed in the app first.
    """
    from clinic_app.app import existing_database

    with existing_database(url) as services:
        # A person signs in: what they may do is their roles', not the headless commands'.
        services.actor.command_line = False
        try:
            user = services.clinic.authenticate(who.user, who.password)
        except ValidationError as exc:
            raise ClinicError(f"sign-in refused: {exc.message}") from None
        if user.must_change_password:
            services.actor.sign_out()
            raise ClinicError(MUST_CHANGE_TEXT)
        try:
            yield services
        finally:
            services.actor.sign_out()
