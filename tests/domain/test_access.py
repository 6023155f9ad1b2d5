"""The permission matrix: the shipped file's grants, deny by default, and the loader's checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from clinic_app.domain.access import (
    Permissions,
    PermissionsError,
    default_permissions,
    load_permissions,
    may,
    role_label,
)
from clinic_app.domain.enums import Role

P, N, F, A = Role.PROVIDER, Role.NURSE, Role.FRONT_DESK, Role.ADMIN

ACTIONS = '[actions]\n"patient.read" = "open a patient\'s record"\n"clinic.update" = "edit it"\n'
SIGNED_OUT = '[signed_out]\nallow = ["clinic.update"]\n[command_line]\nallow = ["patient.read"]\n'


def roles_table(allow: str = '["patient.read"]', skip: Role | None = None) -> str:
    return "".join(
        f'[roles.{role.value}]\nrationale = "Because."\nallow = {allow}\n'
        for role in Role
        if role is not skip
    )


GOOD = ACTIONS + SIGNED_OUT + roles_table()


@pytest.fixture
def load(tmp_path: Path) -> Callable[[str], Permissions]:
    def write_and_load(text: str) -> Permissions:
        path = tmp_path / "permissions.toml"
        path.write_text(text, encoding="utf-8")
        return load_permissions(path)

    return write_and_load


@pytest.fixture(scope="module")
def shipped() -> Permissions:
    return default_permissions()


def test_the_shipped_matrix_is_loaded_once_and_names_every_role(shipped: Permissions) -> None:
    assert shipped is default_permissions()
    assert set(shipped.roles) == set(Role)
    assert all(grant.rationale and grant.allowed for grant in shipped.roles.values())
    everything = set().union(*(g.allowed for g in shipped.roles.values()))
    assert everything | shipped.signed_out | shipped.command_line <= set(shipped.actions)


@pytest.mark.parametrize(
    ("roles", "action", "allowed"),
    [
        # provider: chart, sign, addenda
        ({P}, "encounter.save", True),
        ({P}, "encounter.sign", True),
        ({P}, "encounter.addendum", True),
        ({P}, "clinic.update", False),
        ({P}, "user.create", False),
        # nurse: prepares drafts, records vitals and screening, never signs
        ({N}, "encounter.create", True),
        ({N}, "encounter.save", True),
        ({N}, "patient.clinical", True),
        ({N}, "encounter.sign", False),
        ({N}, "encounter.addendum", False),
        # front desk: the day's list, demographics, handouts and notes; no clinical entry
        ({F}, "front_desk.procedures", True),
        ({F}, "patient.create", True),
        ({F}, "patient.update", True),
        ({F}, "handout.print", True),
        ({F}, "encounter.note", True),
        ({F}, "patient.clinical", False),
        ({F}, "encounter.create", False),
        ({F}, "encounter.save", False),
        ({F}, "encounter.read", False),
        # admin: users, clinic profile, formulary and lots
        ({A}, "clinic.update", True),
        ({A}, "user.create", True),
        ({A}, "medication.add_lot", True),
        ({A}, "patient.read", False),
        ({A}, "encounter.save", False),
        # backups: the administrator's; the automatic daily copy is the app's, on any desk
        ({A}, "backup.create", True),
        ({A}, "backup.restore", True),
        ({P}, "backup.create", False),
        ({F}, "backup.restore", False),
        ({F}, "backup.automatic", True),
        ({N}, "backup.automatic", True),
        # several roles: what any of them allows
        ({A, P}, "clinic.update", True),
        ({A, P}, "encounter.sign", True),
        ({F, N}, "patient.clinical", True),
        # deny by default: no role, or an action nobody declared
        (set(), "patient.read", False),
        ({P, N, F, A}, "patient.delete", False),
    ],
)
def test_each_role_may_do_its_work_and_nothing_else(
    shipped: Permissions, roles: set[Role], action: str, allowed: bool
) -> None:
    assert shipped.allows(roles, action) is allowed


def test_with_no_one_signed_in_only_setup_and_sign_in_pass(shipped: Permissions) -> None:
    # backup.automatic: the app's own daily copy goes on behind the lock screen (issue 11 §1).
    assert shipped.signed_out == {
        "clinic.read", "clinic.setup", "user.sign_in", "user.read", "demo.seed",
        "backup.automatic", "encounter.discard_abandoned",
    }  # fmt: skip
    assert shipped.allows(None, "clinic.setup")
    assert not shipped.allows(None, "patient.read")
    assert not shipped.allows(None, "encounter.note")
    # The headless commands that read patient data sign a user in (issue 10 §4b): with no one
    # signed in, only the audit check (which shows no patient data) runs.
    assert shipped.command_line == {"audit.verify"}
    assert shipped.allows(None, "audit.verify", command_line=True)
    assert not shipped.allows(None, "encounter.note", command_line=True)
    assert not shipped.allows(None, "clinic.setup", command_line=True)
    assert not shipped.allows(None, "patient.update", command_line=True)


def test_refusals_name_the_action_in_words(shipped: Permissions) -> None:
    assert shipped.words("encounter.sign") == "sign a procedure note"
    assert shipped.words("no.such") == "no.such"
    assert shipped.refusal({F, N}, "encounter.sign") == (
        "Your role (nurse, front desk) does not allow you to sign a procedure note. "
        "Nothing was read or changed."
    )
    assert shipped.refusal(None, "patient.read") == (
        "Sign in first: you need to be signed in to open a patient's record."
    )
    assert "no role" in shipped.refusal(set(), "patient.read")
    assert "open a patient's record" in shipped.refusal(set(), "patient.read")
    assert role_label(Role.FRONT_DESK) == "front desk"


def test_a_good_file_loads(load: Callable[[str], Permissions]) -> None:
    permissions = load(GOOD)
    assert permissions.actions == {
        "patient.read": "open a patient's record",
        "clinic.update": "edit it",
    }
    assert permissions.signed_out == {"clinic.update"}
    assert permissions.command_line == {"patient.read"}
    assert permissions.roles[Role.NURSE].rationale == "Because."
    assert permissions.allows({Role.NURSE}, "patient.read")
    assert not permissions.allows({Role.NURSE}, "clinic.update")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[actions]\n"patient" = "x"\n' + SIGNED_OUT + roles_table(), "must be an action name"),
        ('[actions]\n"Patient.Read" = "x"\n' + SIGNED_OUT + roles_table(), "'Patient.Read'"),
        ('[actions]\n"patient.read" = ""\n' + SIGNED_OUT + roles_table(), "must not be empty"),
        ('[actions]\n"patient.read" = 3\n' + SIGNED_OUT + roles_table(), "must be a string"),
        (SIGNED_OUT + roles_table(), "actions is missing"),
        (ACTIONS + roles_table(), "signed_out is missing"),
        (ACTIONS + "[signed_out]\nallow = []\n" + roles_table(), "command_line is missing"),
        (ACTIONS + SIGNED_OUT, "roles is missing"),
        (GOOD + "[extra]\n", "unknown top-level key 'extra'"),
        (GOOD.replace('allow = ["clinic.update"]', 'allow = ["patient.delete"]'), "patient.delete"),
        (GOOD.replace('allow = ["clinic.update"]', 'deny = ["x"]'), "allow is missing"),
        (GOOD.replace('allow = ["patient.read"]\n[roles', "allow = []\nmore = 1\n[roles"), "more"),
        (ACTIONS + SIGNED_OUT + roles_table(skip=Role.NURSE), "roles.nurse is missing"),
        (GOOD + '[roles.doctor]\nrationale = "x"\nallow = []\n', "'doctor', not one of"),
        (
            ACTIONS + SIGNED_OUT + roles_table('["patient.write"]'),
            "unknown action(s) 'patient.write'",
        ),
        (ACTIONS + SIGNED_OUT + roles_table('"patient.read"'), "must be an array"),
        (
            GOOD.replace('rationale = "Because."', 'rationale = ""', 1),
            "rationale must not be empty",
        ),
        ("not toml [", "invalid TOML"),
    ],
)
def test_a_broken_file_is_refused_with_its_place(
    load: Callable[[str], Permissions], text: str, message: str
) -> None:
    with pytest.raises(PermissionsError, match=r"permissions\.toml") as caught:
        load(text)
    assert message in str(caught.value)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PermissionsError, match="file not found"):
        load_permissions(tmp_path / "nowhere.toml")


def test_may_answers_from_the_shipped_matrix() -> None:
    assert may({Role.PROVIDER}, "encounter.sign")
    assert not may({Role.NURSE}, "encounter.sign")
    assert not may({Role.FRONT_DESK}, "patient.clinical")
    assert may({Role.FRONT_DESK, Role.NURSE}, "patient.clinical")
    assert not may(None, "patient.search")
    assert may(None, "user.sign_in")
