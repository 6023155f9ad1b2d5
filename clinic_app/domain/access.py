"""Who may do what: the permission matrix, deny by default.

The matrix is data (``resources/access/permissions.toml``, whose header gives its sources):
every action a service asks about, with what it does in words, the actions allowed before
anyone signs in, and per role the actions it allows. A person may hold several roles and may
do what any of them allows; anything not listed is refused. The services ask
:meth:`Permissions.allows` at the top of every public method (``Service._permit``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Final

from clinic_app.domain.datafile import DataFileError, Entry, read_document
from clinic_app.domain.enums import Role
from clinic_app.domain.resource_files import resource

#: An action's name: ``area.verb`` in lowercase snake_case.
ACTION: Final = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


class PermissionsError(DataFileError):
    """The permission matrix file is missing or breaks a rule."""


@dataclass(frozen=True, slots=True)
class RoleGrant:
    """One role's row of the matrix.

    Attributes:
        role: the role.
        rationale: why the role may do these things, in a sentence.
        allowed: the actions it allows.
    """

    role: Role
    rationale: str
    allowed: frozenset[str]


@dataclass(frozen=True, slots=True)
class Permissions:
    """The permission matrix.

    Attributes:
        actions: every known action with what it does in words ("sign a procedure note").
        signed_out: the actions allowed while no one is signed in.
        command_line: the actions the headless document commands may do (they sign no one in).
        roles: each role's grant.
    """

    actions: Mapping[str, str]
    signed_out: frozenset[str]
    command_line: frozenset[str]
    roles: Mapping[Role, RoleGrant]

    def allows(
        self, roles: Collection[Role] | None, action: str, *, command_line: bool = False
    ) -> bool:
        """Whether someone holding ``roles`` may do ``action``.

        ``roles`` is ``None`` when no one is signed in: then the ``signed_out`` actions pass,
        or with ``command_line`` those of the headless commands. An unknown action is refused
        for everyone (deny by default).
        """
        if roles is None:
            return action in (self.command_line if command_line else self.signed_out)
        return any(action in self.roles[role].allowed for role in roles)

    def words(self, action: str) -> str:
        """What ``action`` does, in words (the name itself for an unknown action)."""
        return self.actions.get(action, action)

    def refusal(self, roles: Collection[Role] | None, action: str) -> str:
        """The sentence a refused user reads."""
        if roles is None:
            return f"Sign in first: you need to be signed in to {self.words(action)}."
        if not roles:
            return (
                "Your account holds no role (it may have been deactivated), so you cannot "
                f"{self.words(action)}."
            )
        held = ", ".join(role_label(role) for role in Role if role in roles)
        return (
            f"Your role ({held}) does not allow you to {self.words(action)}. "
            "Nothing was read or changed."
        )


def role_label(role: Role) -> str:
    """A role in words ("front desk")."""
    return role.value.replace("_", " ")


def _allow_list(entry: Entry, actions: Mapping[str, str]) -> frozenset[str]:
    allowed = entry.texts("allow")
    unknown = [action for action in allowed if action not in actions]
    if unknown:
        raise entry.error(f"names unknown action(s) {', '.join(map(repr, unknown))}", "allow")
    return frozenset(allowed)


def _actions(document: Entry) -> dict[str, str]:
    table = document.table("actions")
    result: dict[str, str] = {}
    for name in table.raw:
        if not ACTION.fullmatch(name):
            raise table.error(f"{name!r} must be an action name such as 'patient.read'")
        result[name] = table.text(name)
    return result


def load_permissions(path: Traversable | None = None) -> Permissions:
    """Read and check a permission matrix (the shipped one by default).

    Raises:
        PermissionsError: the file is missing or not TOML, an action is misnamed or has no
            words, a role of :class:`Role` has no table (or an unknown one has), or a role
            allows an action that ``[actions]`` does not declare.
    """
    path = resource("access", "permissions.toml") if path is None else path
    document = read_document(
        path, PermissionsError, {"actions", "signed_out", "command_line", "roles"}
    )
    actions = _actions(document)
    signed_out, command_line = document.table("signed_out"), document.table("command_line")
    signed_out.fields({"allow"})
    command_line.fields({"allow"})
    tables = document.table("roles")
    roles = {role.value for role in Role}
    unknown = sorted(set(tables.raw) - roles)
    if unknown:
        allowed = ", ".join(sorted(roles))
        raise tables.error(f"has {', '.join(map(repr, unknown))}, not one of {allowed}")
    grants: dict[Role, RoleGrant] = {}
    for role in Role:
        entry = tables.table(role.value)
        entry.fields({"allow", "rationale"})
        grants[role] = RoleGrant(role, entry.text("rationale"), _allow_list(entry, actions))
    return Permissions(
        MappingProxyType(actions),
        _allow_list(signed_out, actions),
        _allow_list(command_line, actions),
        MappingProxyType(grants),
    )


@functools.cache
def default_permissions() -> Permissions:
    """The shipped permission matrix, loaded once per process."""
    return load_permissions()


def may(roles: Collection[Role] | None, action: str) -> bool:
    """Whether someone holding ``roles`` (``None``: no one signed in) may do ``action``
    under the shipped matrix: what the screens ask before they offer a command, so they
    show each role only what the services would allow."""
    return default_permissions().allows(roles, action)
