"""Issue 11 §2: every public method that changes a record takes the version it was read at.

For each one, a colleague's save comes in between; the call made from the older copy is
refused (or, for discarding an empty draft, keeps the draft) and the colleague's change
stands. No method may skip the check: the version has no default.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pytest

from clinic_app.domain.enums import EncounterStatus, Role
from clinic_app.domain.errors import (
    ConflictError,
    NotFoundError,
    StaleVersionError,
    ValidationError,
)
from clinic_app.services.dto import (
    ClinicProfileData,
    EncounterInput,
    EncounterView,
    PatientView,
    UserChanges,
    UserView,
)
from clinic_app.services.encounters import EncounterService
from tests.complete_documentation import complete_form
from tests.conftest import Services
from tests.factories import add_user, register_patient, set_up_clinic, sign_in_as
from tests.services.test_access_matrix import public_methods, service_classes

TODAY = date(2026, 11, 23)

#: The parameter that carries the version a record was read at.
VERSION = "expected_version"


@dataclass(frozen=True)
class Versioned:
    """Changes an existing record: takes :data:`VERSION` (required, no default).

    Attributes:
        keyword_only: passed by name only (the editor's two methods take it second, by
            position, as they always have).
    """

    keyword_only: bool = True


@dataclass(frozen=True)
class Exempt:
    """Needs no version, and why (one line)."""

    reason: str


READ = Exempt("read-only (an access audit row at most)")
NEW_ROW = Exempt("creates a new row: there is no earlier copy to be stale")
AUDIT_ONLY = Exempt("appends an audit row only")
#: Wrong-password count and wait, under a row lock; they do not move the account's version
#: (accounts._record_sign_in), so the administrator's copy stays current.
SIGN_IN = Exempt("sign-in bookkeeping only (wrong-password count and wait)")

#: Every public method of every service the app builds (the list test_access_matrix.py
#: walks): changes an existing record -> :class:`Versioned`, else :class:`Exempt` with why.
#: A new public method without an entry fails :func:`test_every_public_method_is_classified`.
CLASSIFIED: dict[tuple[str, str], Versioned | Exempt] = {
    ("clinic", "needs_setup"): READ,
    ("clinic", "is_empty"): READ,
    ("clinic", "initialize"): Exempt("first-run setup: creates the profile and first admin"),
    ("clinic", "profile"): READ,
    ("clinic", "update_profile"): Versioned(),
    ("clinic", "users"): READ,
    ("clinic", "authenticate"): SIGN_IN,
    ("clinic", "current_user"): READ,
    ("clinic", "medications"): READ,
    ("clinic", "add_lot"): NEW_ROW,
    ("clinic", "usable_lots"): READ,
    ("clinic", "rule_settings"): READ,
    ("clinic", "set_rule_override"): Versioned(),
    ("clinic", "set_rule_reasons"): Versioned(),
    ("clinic", "change_own_password"): Exempt(
        "the user's own password, proved by the current one (a reset meanwhile makes it "
        "wrong); it moves the account's version"
    ),
    ("clinic", "record_lock"): AUDIT_ONLY,
    ("clinic", "unlock"): SIGN_IN,
    ("clinic", "sign_out"): AUDIT_ONLY,
    ("patients", "create"): NEW_ROW,
    ("patients", "update"): Versioned(),
    ("patients", "void"): Versioned(),
    ("patients", "get"): READ,
    ("patients", "check"): Exempt("checks the form's values; reads and writes nothing"),
    ("patients", "count"): READ,
    ("patients", "search"): READ,
    ("encounters", "create"): NEW_ROW,
    ("encounters", "get"): READ,
    ("encounters", "save_draft"): Versioned(keyword_only=False),
    ("encounters", "repeat_last_visit"): Exempt("creates a new draft from a signed visit"),
    ("encounters", "discard_if_empty"): Versioned(),
    ("encounters", "discard_abandoned_drafts"): Exempt(
        "start-up clean-up of drafts with nothing charted, untouched for hours, re-checked "
        "inside its transaction"
    ),
    ("encounters", "add_addendum"): Exempt("appends an addendum to a signed, frozen note"),
    ("encounters", "history"): READ,
    ("encounters", "has_earlier_visit"): READ,
    ("progress", "progress"): READ,
    ("progress", "report_data"): READ,
    ("progress", "render_report"): READ,
    ("encounters", "count"): READ,
    ("checks", "assess_draft"): READ,
    ("checks", "assess_saved"): READ,
    ("checks", "sign"): Versioned(keyword_only=False),
    ("notes", "note_data"): READ,
    ("notes", "render_note"): READ,
    ("fhir", "export_encounter"): READ,
    ("fhir", "export_patient"): READ,
    ("fhir", "export_since"): READ,
    ("documents", "handout_data"): READ,
    ("documents", "render_handout"): READ,
    ("documents", "handout_info"): READ,
    ("documents", "record_print"): Exempt("appends a print-log row for a signed visit"),
    ("documents", "procedures_on"): READ,
    ("documents", "print_log"): READ,
    ("demo", "seed"): Exempt("fills an empty database with new rows (refused on a real one)"),
    ("audit", "verify"): READ,
    ("audit", "export_key"): Exempt("reads the workstation's key file (audited)"),
    ("audit", "import_key"): Exempt("the workstation's key file, not a database record"),
    ("audit", "report"): READ,
    ("audit", "export_csv"): READ,
    ("audit", "people"): READ,
    ("audit", "actions"): READ,
    ("audit", "find_patients"): READ,
    ("audit", "access_report_data"): READ,
    ("audit", "access_report"): READ,
    ("users", "accounts"): READ,
    ("users", "create_user"): NEW_ROW,
    ("users", "update_user"): Versioned(),
    ("users", "reset_password"): Versioned(),
    ("users", "deactivate"): Versioned(),
    ("users", "reactivate"): Versioned(),
    ("emergency", "break_glass"): Exempt("creates a new, time-limited access grant"),
    ("backups", "back_up"): Exempt("writes a backup file; changes no record"),
    ("backups", "automatic_backup"): Exempt("writes a backup file; changes no record"),
    ("backups", "inspect"): Exempt("reads a backup file"),
    ("backups", "configure"): Exempt("this workstation's settings file, not a database record"),
    ("backups", "restore"): Exempt(
        "replaces the whole database from a verified backup, keeping a safety copy"
    ),
    ("preferences", "charting_defaults"): READ,
    ("preferences", "set_charting_defaults"): Exempt(
        "the user's own preference row; only they write it (last write wins)"
    ),
    ("lots", "stock"): READ,
    ("lots", "lots_for_dose"): READ,
    ("lots", "receive"): NEW_ROW,
    ("lots", "update"): Versioned(),
    ("lots", "set_recalled"): Versioned(),
    ("lots", "adjust"): Exempt("adds an adjustment row; the lot itself does not change"),
    ("lots", "recall_search"): READ,
    ("lots", "recall_csv"): READ,
    ("patient_import", "preview"): READ,
    ("patient_import", "commit"): Exempt(
        "registers new patients; duplicates are skipped, never merged"
    ),
    ("measures", "record"): NEW_ROW,
    ("measures", "history"): READ,
    ("measures", "for_encounter"): READ,
    ("measures", "scores_for_patient"): READ,
    ("pain_drawings", "get"): READ,
    ("pain_drawings", "save"): Versioned(),
    ("pain_drawings", "suggestions"): READ,
}


def test_every_public_method_is_classified() -> None:
    found = public_methods()
    assert found - set(CLASSIFIED) == set(), "public methods that are not classified"
    assert set(CLASSIFIED) - found == set(), "entries for methods that do not exist"


@pytest.mark.parametrize(("attribute", "name"), sorted(CLASSIFIED))
def test_a_change_takes_the_version_it_was_read_at(attribute: str, name: str) -> None:
    """A versioned method has a required ``expected_version`` (no default that skips the
    check); an exempt one has no such parameter, and says why in one line."""
    function = getattr(service_classes()[attribute], name)
    parameters = inspect.signature(function).parameters
    entry = CLASSIFIED[attribute, name]
    if isinstance(entry, Exempt):
        assert VERSION not in parameters
        assert "version" not in parameters
        assert 0 < len(entry.reason) <= 120
        assert "\n" not in entry.reason
        return
    found = parameters[VERSION]
    assert found.default is inspect.Parameter.empty  # no default that skips the check
    expected_kind = (
        inspect.Parameter.KEYWORD_ONLY
        if entry.keyword_only
        else inspect.Parameter.POSITIONAL_OR_KEYWORD
    )
    assert found.kind is expected_kind


@dataclass
class Desk:
    s: Services
    admin: UserView
    patient: PatientView
    encounter: EncounterView


@pytest.fixture
def desk(services: Services) -> Desk:
    admin = set_up_clinic(services)
    patient = register_patient(services, allergies="penicillin", today=TODAY)
    encounter = services.encounters.create(patient.id, admin.id)
    return Desk(services, admin, patient, encounter)


def test_a_stale_patient_edit_keeps_the_other_desks_allergy(desk: Desk) -> None:
    """The issue's case: the default ``expected_version=None`` erased "penicillin"."""
    s, mine = desk.s, desk.patient
    theirs = s.patients.update(
        mine.id,
        replace(mine.to_input(), allergies="penicillin, latex"),
        today=TODAY,
        expected_version=mine.version,
    )
    with pytest.raises(ConflictError, match="another workstation"):
        s.patients.update(
            mine.id,
            replace(mine.to_input(), phone="555-0100"),
            today=TODAY,
            expected_version=mine.version,
        )
    assert s.patients.get(mine.id) == theirs


def test_a_stale_void_is_refused(desk: Desk) -> None:
    s, mine = desk.s, desk.patient
    s.patients.update(
        mine.id, replace(mine.to_input(), phone="555-0101"), expected_version=mine.version
    )
    with pytest.raises(ConflictError, match="another workstation"):
        s.patients.void(mine.id, "Registered twice", expected_version=mine.version)
    assert not s.patients.get(mine.id).voided


def test_stale_clinic_settings_are_refused(desk: Desk) -> None:
    mine = desk.s.clinic.profile()
    assert mine is not None
    fields = {f.name: getattr(mine, f.name) for f in dataclasses.fields(ClinicProfileData)}
    theirs = desk.s.clinic.update_profile(
        ClinicProfileData(**{**fields, "phone": "555-0101"}), expected_version=mine.version
    )
    with pytest.raises(ConflictError, match="another workstation"):
        desk.s.clinic.update_profile(
            ClinicProfileData(**{**fields, "name": "Renamed"}), expected_version=mine.version
        )
    assert desk.s.clinic.profile() == theirs


def _colleague_saves(desk: Desk) -> EncounterView:
    return desk.s.encounters.save_draft(
        desk.encounter.id, desk.encounter.version, EncounterInput(indication="neck pain"), []
    )


STALE_CALLS: dict[str, Callable[[Desk], object]] = {
    "save_draft": lambda d: d.s.encounters.save_draft(
        d.encounter.id, d.encounter.version, EncounterInput(indication="mine"), []
    ),
    "sign": lambda d: d.s.checks.sign(d.encounter.id, d.encounter.version, complete_form(), [], {}),
}


@pytest.mark.parametrize("name", sorted(STALE_CALLS))
def test_a_stale_encounter_change_is_refused(desk: Desk, name: str) -> None:
    theirs = _colleague_saves(desk)
    with pytest.raises(ConflictError, match="another workstation"):
        STALE_CALLS[name](desk)
    stored = desk.s.encounters.get(desk.encounter.id)
    assert (stored.version, stored.status) == (theirs.version, EncounterStatus.DRAFT)
    assert stored.form.indication == "neck pain"


def test_a_stale_discard_keeps_the_draft(desk: Desk) -> None:
    # The colleague saved and then cleared the form: empty again, but not the copy I hold.
    theirs = _colleague_saves(desk)
    emptied = desk.s.encounters.save_draft(desk.encounter.id, theirs.version, EncounterInput(), [])
    assert not desk.s.encounters.discard_if_empty(
        desk.encounter.id, expected_version=desk.encounter.version
    )
    assert desk.s.encounters.get(desk.encounter.id).version == emptied.version
    assert desk.s.encounters.discard_if_empty(desk.encounter.id, expected_version=emptied.version)
    with pytest.raises(NotFoundError):
        desk.s.encounters.get(desk.encounter.id)


def test_an_addendum_needs_no_version_because_the_signed_note_cannot_change() -> None:
    """Addenda are appended to a signed note, which the database freezes: no copy goes stale."""
    assert "version" not in str(inspect.signature(EncounterService.add_addendum))


# ---------------------------------------------------------------- the clinic's checks


def test_a_stale_rule_change_is_refused(desk: Desk) -> None:
    clinic = desk.s.clinic
    mine = clinic.rule_settings()
    profile = clinic.profile()
    assert profile is not None
    assert mine.version == profile.version
    fields = {f.name: getattr(profile, f.name) for f in dataclasses.fields(ClinicProfileData)}
    clinic.update_profile(
        ClinicProfileData(**{**fields, "phone": "555-0101"}), expected_version=profile.version
    )
    with pytest.raises(StaleVersionError, match="changed on another workstation"):
        clinic.set_rule_override(
            "documentation.consent", "Consent on paper", expected_version=mine.version
        )
    again = clinic.rule_settings()
    assert not any(r.lowered for r in again.rules)
    lowered = clinic.set_rule_override(
        "documentation.consent", "Consent on paper", expected_version=again.version
    )
    assert lowered.version == again.version + 1
    with pytest.raises(StaleVersionError):  # a restore from the older copy
        clinic.set_rule_override("documentation.consent", None, expected_version=again.version)
    assert [r.rule_id for r in clinic.rule_settings().rules if r.lowered] == [
        "documentation.consent"
    ]


def test_a_rule_change_makes_an_older_settings_form_stale(desk: Desk) -> None:
    """The checks live on the profile: a form opened before a check changed is refused."""
    clinic = desk.s.clinic
    form = clinic.profile()
    assert form is not None
    clinic.set_rule_override("documentation.lot", "Lots on paper", expected_version=form.version)
    fields = {f.name: getattr(form, f.name) for f in dataclasses.fields(ClinicProfileData)}
    with pytest.raises(StaleVersionError):
        clinic.update_profile(
            ClinicProfileData(**{**fields, "name": "Renamed"}), expected_version=form.version
        )


# ---------------------------------------------------------------- user accounts


def _theirs(s: Services, listed: UserView) -> UserView:
    """Another administrator's change of the account, after this window listed it."""
    return s.users.update_user(
        listed.id,
        UserChanges("Nora Park-Lee", frozenset({Role.NURSE}), "RN"),
        expected_version=listed.version,
    )


ACCOUNT_CALLS: dict[str, Callable[[Services, UserView], object]] = {
    "update_user": lambda s, u: s.users.update_user(
        u.id, UserChanges("Nora Park", frozenset({Role.FRONT_DESK})), expected_version=u.version
    ),
    "reset_password": lambda s, u: s.users.reset_password(
        u.id, "lantern orchard pebble", expected_version=u.version
    ),
    "deactivate": lambda s, u: s.users.deactivate(u.id, expected_version=u.version),
    "reactivate": lambda s, u: s.users.reactivate(u.id, expected_version=u.version),
}


@pytest.mark.parametrize("name", sorted(ACCOUNT_CALLS))
def test_a_stale_account_change_is_refused(desk: Desk, name: str) -> None:
    s = desk.s
    listed = add_user(s, "nnurse", "Nora Park", Role.NURSE, "RN")
    if name == "reactivate":
        listed = s.users.deactivate(listed.id, expected_version=listed.version)
    theirs = _theirs(s, listed)
    assert theirs.version == listed.version + 1
    with pytest.raises(StaleVersionError, match="Another administrator changed") as refused:
        ACCOUNT_CALLS[name](s, listed)
    assert "Nora Park-Lee" in str(refused.value)
    assert "Nothing was changed" in str(refused.value)
    stored = next(u for u in s.users.accounts() if u.id == listed.id)
    assert stored == theirs
    assert ACCOUNT_CALLS[name](s, stored) is not None  # from the account as it is: accepted


def test_a_change_of_roles_only_moves_the_account_version(desk: Desk) -> None:
    s = desk.s
    listed = add_user(s, "nnurse", "Nora Park", Role.NURSE, "RN")
    changed = s.users.update_user(
        listed.id,
        UserChanges("Nora Park", frozenset({Role.NURSE, Role.FRONT_DESK}), "RN"),
        expected_version=listed.version,
    )
    assert changed.version == listed.version + 1
    with pytest.raises(StaleVersionError):
        s.users.deactivate(listed.id, expected_version=listed.version)


def test_sign_in_attempts_do_not_move_the_version_but_a_new_password_does(desk: Desk) -> None:
    """A person mistyping (or a deactivated one trying) has not changed the account: the
    administrator's copy stays current. Choosing a new password is a change."""
    s = desk.s
    listed = add_user(s, "nnurse", "Nora Park", Role.NURSE, "RN")
    for _ in range(6):  # past the wait threshold too
        with pytest.raises(ValidationError):
            s.clinic.authenticate("nnurse", "not her password at all")
    sign_in_as(s, desk.admin)
    stored = next(u for u in s.users.accounts() if u.id == listed.id)
    assert stored.version == listed.version
    reset = s.users.reset_password(
        listed.id, "lantern orchard pebble", expected_version=stored.version
    )
    assert reset.version == listed.version + 1
    s.clinic.authenticate("nnurse", "lantern orchard pebble")
    s.clinic.change_own_password("lantern orchard pebble", "quiet harbour violin song")
    sign_in_as(s, desk.admin)
    with pytest.raises(StaleVersionError):
        s.users.deactivate(listed.id, expected_version=reset.version)
