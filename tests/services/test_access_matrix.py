"""Every public service method against every role: deny by default, checked before any read.

The list of methods is not typed here but read from the services the app builds
(:class:`AppServices`) and the demo seeder: a new public method without an entry in
:data:`METHODS` fails :func:`test_every_public_method_has_an_entry`. For each role (and for no
one signed in, and for the headless document commands) every method is called with dummy
arguments: a call the matrix denies must raise :class:`PermissionDenied` naming its action,
send no statement to the patient tables and write exactly one "permission.denied" audit row;
a call it allows must get past the check (it may then fail on its dummy arguments).
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.access import default_permissions
from clinic_app.domain.enums import Role
from clinic_app.domain.errors import PermissionDenied
from clinic_app.models import AuditEvent
from clinic_app.services.base import DENIED, Service
from clinic_app.services.demo import DemoSeeder
from tests.conftest import Services
from tests.factories import add_user, register_patient, set_up_clinic, sign_in_as

#: (service attribute, method) -> the action its first line asks about.
METHODS: dict[tuple[str, str], str] = {
    ("clinic", "needs_setup"): "clinic.read",
    ("clinic", "is_empty"): "clinic.read",
    ("clinic", "initialize"): "clinic.setup",
    ("clinic", "profile"): "clinic.read",
    ("clinic", "update_profile"): "clinic.update",
    ("clinic", "users"): "user.list",
    ("clinic", "authenticate"): "user.sign_in",
    ("clinic", "current_user"): "user.read",
    ("clinic", "medications"): "medication.list",
    ("clinic", "add_lot"): "medication.add_lot",
    ("clinic", "usable_lots"): "medication.list",
    ("clinic", "rule_settings"): "clinic.read",
    ("clinic", "set_rule_override"): "clinic.rule_override",
    ("clinic", "set_rule_reasons"): "clinic.rule_override",
    ("patients", "create"): "patient.create",
    ("patients", "update"): "patient.update",
    ("patients", "void"): "patient.void",
    ("patients", "get"): "patient.read",
    ("patients", "check"): "patient.read",
    ("patients", "count"): "patient.count",
    ("patients", "search"): "patient.search",
    ("encounters", "create"): "encounter.create",
    ("encounters", "get"): "encounter.read",
    ("encounters", "save_draft"): "encounter.save",
    ("encounters", "repeat_last_visit"): "encounter.repeat",
    ("encounters", "discard_if_empty"): "encounter.discard",
    ("encounters", "discard_abandoned_drafts"): "encounter.discard_abandoned",
    ("encounters", "add_addendum"): "encounter.addendum",
    ("encounters", "history"): "encounter.history",
    ("encounters", "has_earlier_visit"): "encounter.history",
    ("progress", "progress"): "progress.read",
    ("progress", "report_data"): "progress.report",
    ("progress", "render_report"): "progress.report",
    ("encounters", "count"): "encounter.count",
    ("checks", "assess_draft"): "encounter.assess",
    ("checks", "assess_saved"): "encounter.assess",
    ("checks", "sign"): "encounter.sign",
    ("notes", "note_data"): "encounter.note",
    ("notes", "render_note"): "encounter.note",
    ("fhir", "export_encounter"): "fhir.export",
    ("fhir", "export_patient"): "fhir.export",
    ("fhir", "export_since"): "fhir.export",
    ("documents", "handout_data"): "handout.read",
    ("documents", "render_handout"): "handout.read",
    ("documents", "handout_info"): "handout.read",
    ("documents", "record_print"): "handout.print",
    ("documents", "procedures_on"): "front_desk.procedures",
    ("documents", "print_log"): "handout.read",
    ("demo", "seed"): "demo.seed",
    ("clinic", "change_own_password"): "user.change_own_password",
    ("audit", "verify"): "audit.verify",
    ("clinic", "record_lock"): "user.lock",
    ("clinic", "unlock"): "user.unlock",
    ("clinic", "sign_out"): "user.sign_out",
    ("users", "accounts"): "user.accounts",
    ("users", "create_user"): "user.create",
    ("users", "update_user"): "user.update",
    ("users", "reset_password"): "user.reset_password",
    ("users", "deactivate"): "user.deactivate",
    ("users", "reactivate"): "user.reactivate",
    ("audit", "report"): "audit.report",
    ("audit", "export_csv"): "audit.report",
    ("audit", "people"): "audit.report",
    ("audit", "actions"): "audit.report",
    ("audit", "find_patients"): "audit.report",
    ("audit", "access_report_data"): "audit.report",
    ("audit", "access_report"): "audit.report",
    ("emergency", "break_glass"): "emergency.access",
    ("backups", "back_up"): "backup.create",
    ("backups", "automatic_backup"): "backup.automatic",
    ("backups", "inspect"): "backup.restore",
    ("backups", "configure"): "backup.create",
    ("backups", "restore"): "backup.restore",
    ("audit", "export_key"): "audit.key_export",
    ("audit", "import_key"): "audit.key_import",
    ("preferences", "charting_defaults"): "user.charting_defaults",
    ("preferences", "set_charting_defaults"): "user.charting_defaults",
    ("lots", "stock"): "lot.read",
    ("lots", "lots_for_dose"): "lot.read",
    ("lots", "receive"): "lot.receive",
    ("lots", "update"): "lot.edit",
    ("lots", "set_recalled"): "lot.edit",
    ("lots", "adjust"): "lot.edit",
    ("lots", "recall_search"): "lot.recall",
    ("lots", "recall_csv"): "lot.recall",
    ("patient_import", "preview"): "patient.import",
    ("patient_import", "commit"): "patient.import",
    ("measures", "record"): "measure.record",
    ("measures", "history"): "measure.read",
    ("measures", "for_encounter"): "measure.read",
    ("measures", "scores_for_patient"): "measure.read",
    ("pain_drawings", "get"): "pain_drawing.read",
    ("pain_drawings", "save"): "pain_drawing.save",
    ("pain_drawings", "suggestions"): "pain_drawing.read",
}
#: Actions asked about inside a method, after its first check (a front-desk edit that would
#: change a clinical field).
INNER_ACTIONS = {"patient.clinical"}
#: Who calls: the four roles, no one signed in, the headless document commands.
CALLERS = [*(role.value for role in Role), "signed_out", "command_line"]
#: Statements that touch patient data.
PATIENT_TABLES = re.compile(
    r"\b(patient|encounter|injection_site|site_dose|encounter_addendum|handout_print|pain_drawing)\b",
    re.IGNORECASE,
)
MISSING_ID = 999_999


def service_classes() -> dict[str, type[Service]]:
    """The services the app builds, by attribute, and the demo seeder."""
    found = {
        f.name: f.type
        for f in dataclasses.fields(Services)
        if isinstance(f.type, type) and issubclass(f.type, Service)
    }
    if not found:  # annotations are strings (postponed evaluation): resolve them
        hints = inspect.get_annotations(Services, eval_str=True)
        found = {
            name: kind
            for name, kind in hints.items()
            if isinstance(kind, type) and issubclass(kind, Service)
        }
    return {**found, "demo": DemoSeeder}


def public_methods() -> set[tuple[str, str]]:
    return {
        (attribute, name)
        for attribute, cls in service_classes().items()
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_the_services_are_found() -> None:
    assert set(service_classes()) == {
        "clinic", "patients", "encounters", "checks", "notes", "documents", "audit", "users",
        "emergency",
        "backups",
        "preferences",
        "demo",
        "lots",
        "fhir",
        "patient_import",
        "measures",
        "progress",
        "pain_drawings",
    }  # fmt: skip


def test_every_public_method_has_an_entry() -> None:
    found = public_methods()
    assert found - set(METHODS) == set(), "public methods without an entry in METHODS"
    assert set(METHODS) - found == set(), "entries in METHODS for methods that do not exist"


def test_the_matrix_declares_exactly_the_actions_the_services_ask_about() -> None:
    assert set(default_permissions().actions) == set(METHODS.values()) | INNER_ACTIONS


@pytest.mark.parametrize(("attribute", "name"), sorted(METHODS))
def test_each_method_asks_first(attribute: str, name: str) -> None:
    """The first statement (after the docstring) is ``self._permit("<its action>")``.

    A chart read may also name its patient or encounter (``self._permit("patient.read",
    patient_id)``), so that an emergency access grant for that patient can allow it: only
    the method's own parameters may follow the action.
    """
    function = getattr(service_classes()[attribute], name)
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    first = body[0]
    assert isinstance(first, ast.Expr)
    assert isinstance(first.value, ast.Call)
    call = first.value
    assert ast.unparse(call.func) == "self._permit"
    assert [ast.unparse(a) for a in call.args[:1]] == [repr(METHODS[attribute, name])]
    parameters = set(inspect.signature(function).parameters) - {"self"}
    named = [*call.args[1:], *(k.value for k in call.keywords)]
    assert all(isinstance(a, ast.Name) and a.id in parameters for a in named)


# ---------------------------------------------------------------- calling every method


def dummy_arguments(function: Callable[..., Any]) -> tuple[list[Any], dict[str, Any]]:
    """A value for each required parameter of a bound method: an id nothing has, an empty
    text, else None; positional ones in a list, keyword-only ones (``expected_version``)
    in a dict."""
    values: list[Any] = []
    keywords: dict[str, Any] = {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.default is not inspect.Parameter.empty:
            continue
        annotation = str(parameter.annotation)
        if annotation == "int":
            value: Any = MISSING_ID
        elif annotation == "str":
            value = ""
        else:
            value = None
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            keywords[parameter.name] = value
        else:
            values.append(value)
    return values, keywords


def engine_of(db: sessionmaker[Session]) -> Engine | Connection:
    bind = db.kw["bind"]
    assert isinstance(bind, Engine | Connection)
    return bind


@contextmanager
def statements(db: sessionmaker[Session]) -> Iterator[list[str]]:
    """Every SQL statement sent while the block runs."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    target = engine_of(db)
    event.listen(target, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(target, "before_cursor_execute", record)


def denials(db: sessionmaker[Session]) -> list[str]:
    """The actions refused so far, oldest first."""
    with db() as session:
        return list(
            session.scalars(
                select(AuditEvent.entity_type)
                .where(AuditEvent.action == DENIED)
                .order_by(AuditEvent.id)
            )
        )


def audit_rows(db: sessionmaker[Session]) -> int:
    with db() as session:
        return int(session.scalar(select(func.count(AuditEvent.id))) or 0)


@pytest.fixture
def caller(
    request: pytest.FixtureRequest, services: Services, db: sessionmaker[Session]
) -> tuple[str, Services]:
    """A clinic with a patient and a draft encounter, and the caller of this test signed in."""
    who = str(request.param)
    admin = set_up_clinic(services)
    patient = register_patient(services)
    services.encounters.create(patient.id, admin.id)
    if who in {role.value for role in Role}:
        user = add_user(services, f"u.{who}", "Some One", Role(who))
        sign_in_as(services, user)
        assert services.actor.roles == {Role(who)}
    else:
        services.actor.sign_out()
        services.actor.command_line = who == "command_line"
    return who, services


@pytest.mark.parametrize("caller", CALLERS, indirect=True)
def test_every_method_refuses_before_reading_or_passes_the_check(
    caller: tuple[str, Services], db: sessionmaker[Session]
) -> None:
    who, services = caller
    permissions = default_permissions()
    roles = None if who in {"signed_out", "command_line"} else {Role(who)}
    targets: dict[str, Service] = {
        attribute: getattr(services, attribute)
        for attribute in service_classes()
        if attribute != "demo"
    }
    targets["demo"] = DemoSeeder(db, services.actor)
    problems: list[str] = []
    denied = allowed = 0
    for (attribute, name), action in sorted(METHODS.items()):
        method = getattr(targets[attribute], name)
        arguments, keywords = dummy_arguments(method)
        inspect.signature(method).bind(*arguments, **keywords)  # they fit: the call reaches it
        may = permissions.allows(roles, action, command_line=who == "command_line")
        before = audit_rows(db)
        actor = services.actor.user_id, services.actor.roles
        refused: PermissionDenied | None = None
        with statements(db) as sent:
            try:
                method(*arguments, **keywords)
            except PermissionDenied as exc:
                refused = exc
            except Exception:  # past the check, the dummy arguments may fail
                pass
        # clinic.sign_out succeeds with no arguments: the next methods ask for the same caller.
        services.actor.user_id, services.actor.roles = actor
        where = f"{who}: {attribute}.{name}"
        if may:
            allowed += 1
            if refused is not None:
                problems.append(f"{where} was refused ({refused.action}) but the matrix allows it")
            continue
        denied += 1
        patient_reads = [s for s in sent if PATIENT_TABLES.search(s)]
        if refused is None:
            problems.append(f"{where} was not refused")
        elif refused.action != action:
            problems.append(f"{where} refused {refused.action}, expected {action}")
        elif permissions.words(action) not in str(refused):
            problems.append(f"{where}: the message does not name the action: {refused}")
        if patient_reads:
            problems.append(f"{where} touched patient tables: {patient_reads}")
        if audit_rows(db) != before + 1 or denials(db)[-1:] != [action]:
            problems.append(f"{where} did not write exactly one denial audit row")
    assert problems == []
    # The headless commands and the roles each have both kinds; no one signed in is refused
    # almost everything.
    assert denied > 0
    assert allowed > 0
