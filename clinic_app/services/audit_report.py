"""The audit report's queries: filtered, sorted, paged rows with names resolved.

Audit rows hold ids only; the names are joined in here, for the administrator's screen and
the patient's access report, and never written back anywhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from clinic_app.domain import validation as v
from clinic_app.domain.access import role_label
from clinic_app.domain.audit_words import CHART_READS, EMERGENCY, action_words
from clinic_app.domain.clock import format_clinic_time
from clinic_app.domain.enums import Role
from clinic_app.domain.errors import ValidationError
from clinic_app.models import AuditEvent, EmergencyAccess, Patient, User, UserRole
from clinic_app.services.documents import local_day_bounds
from clinic_app.services.dto import AUDIT_SORTS, AuditEntry, AuditQuery

#: The most rows one page may hold.
MAX_PAGE = 5000
CSV_HEADER = (
    "entry", "when (clinic time)", "when (UTC)", "user", "roles", "action", "what",
    "patient MRN", "patient", "entity", "entity id", "workstation", "emergency", "reason",
)  # fmt: skip


def _grant() -> Any:
    return aliased(EmergencyAccess)


def emergency_flag() -> ColumnElement[bool]:
    """An emergency access row, or a chart read made while its user held a grant for it."""
    grant = _grant()
    under_grant = exists().where(
        grant.user_id == AuditEvent.user_id,
        grant.patient_id == AuditEvent.patient_id,
        grant.granted_at <= AuditEvent.at,
        grant.expires_at > AuditEvent.at,
    )
    return or_(
        AuditEvent.action == EMERGENCY,
        and_(AuditEvent.action.in_(sorted(CHART_READS)), under_grant),
    )


def check_query(query: AuditQuery) -> None:
    """Refuse a query the screen should never send (a clear message, not a crash)."""
    if query.sort not in AUDIT_SORTS:
        raise ValidationError("sort", f"Sort by one of {', '.join(AUDIT_SORTS)}.")
    if query.start and query.end and query.start > query.end:
        raise ValidationError("end", "The last day is before the first day.")
    if query.limit is not None and not 1 <= query.limit <= MAX_PAGE:
        raise ValidationError("limit", f"A page holds 1 to {MAX_PAGE} rows.")
    if query.offset < 0:
        raise ValidationError("offset", "The page cannot start before the first row.")


def _filters(query: AuditQuery, zone: str) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query.start is not None:
        where.append(AuditEvent.at >= local_day_bounds(query.start, zone)[0])
    if query.end is not None:
        where.append(AuditEvent.at < local_day_bounds(query.end, zone)[1])
    if query.user_id is not None:
        where.append(AuditEvent.user_id == query.user_id)
    if query.patient_id is not None:
        where.append(AuditEvent.patient_id == query.patient_id)
    if query.action:
        where.append(AuditEvent.action == query.action)
    return where


def _order(query: AuditQuery) -> list[Any]:
    column: Any = {
        "at": AuditEvent.at,
        "user": User.display_name,
        "action": AuditEvent.action,
        "patient": Patient.family_key,
        "workstation": AuditEvent.workstation,
    }[query.sort]
    tie = AuditEvent.id
    if query.descending:
        return [column.desc().nulls_last(), tie.desc()]
    return [column.asc().nulls_last(), tie.asc()]


def _select(query: AuditQuery, zone: str) -> Select[AuditEvent, str, str, str, str, str, bool]:
    reason = aliased(EmergencyAccess)
    statement = (
        select(
            AuditEvent,
            User.display_name,
            Patient.given_name,
            Patient.family_name,
            Patient.mrn,
            reason.reason,
            emergency_flag(),
        )
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(Patient, Patient.id == AuditEvent.patient_id)
        .outerjoin(reason, and_(AuditEvent.action == EMERGENCY, reason.id == AuditEvent.entity_id))
        .where(*_filters(query, zone))
        .order_by(*_order(query))
        .offset(query.offset)
    )
    return statement if query.limit is None else statement.limit(query.limit)


def count(session: Session, query: AuditQuery, zone: str) -> int:
    """How many rows match the filters (all pages)."""
    statement = select(func.count(AuditEvent.id)).where(*_filters(query, zone))
    return int(session.scalar(statement) or 0)


def role_words(session: Session) -> dict[int, str]:
    """Every user's roles in words ("provider, admin"), in the order of :class:`Role`."""
    held: dict[int, set[Role]] = {}
    for user_id, role in session.execute(select(UserRole.user_id, UserRole.role)):
        held.setdefault(user_id, set()).add(role)
    return {
        user_id: ", ".join(role_label(r) for r in Role if r in roles)
        for user_id, roles in held.items()
    }


def entries(session: Session, query: AuditQuery, zone: str) -> list[AuditEntry]:
    """The rows of one page (all rows when ``query.limit`` is None)."""
    roles = role_words(session)
    result = []
    for event, user, given, family, mrn, reason, flagged in session.execute(_select(query, zone)):
        result.append(
            AuditEntry(
                id=event.id,
                seq=event.seq,
                at=event.at,
                local=format_clinic_time(event.at, zone),
                user_id=event.user_id,
                user_name=user or "",
                user_roles=roles.get(event.user_id, "") if event.user_id else "",
                action=event.action,
                what=action_words(event.action, event.entity_type),
                patient_id=event.patient_id,
                patient_name=f"{family}, {given}" if family is not None else "",
                patient_mrn=mrn or "",
                entity_type=event.entity_type,
                entity_id=event.entity_id,
                workstation=event.workstation or "",
                emergency=bool(flagged),
                reason=reason or "",
            )
        )
    return result


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def to_csv(rows: Sequence[AuditEntry]) -> str:
    """The rows as CSV text (a header line first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for e in rows:
        writer.writerow(
            [
                _cell(x)
                for x in (
                    e.seq or "", e.local, e.at.isoformat(), e.user_name, e.user_roles,
                    e.action, e.what, e.patient_mrn, e.patient_name, e.entity_type,
                    "" if e.entity_id is None else e.entity_id, e.workstation,
                    "yes" if e.emergency else "", e.reason,
                )
            ]
        )  # fmt: skip
    return out.getvalue()


def find_patients(session: Session, text: str, limit: int = 50) -> list[tuple[int, str]]:
    """Patients (voided too) whose MRN or a name word starts with ``text``: (id, label)."""
    raw = " ".join(text.split())
    if not raw:
        return []
    key = v.search_key(raw.replace(",", " "))
    like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    tokens = [t for t in like.split() if t]
    name = and_(
        *[
            or_(
                Patient.family_key.like(f"{t}%", escape="\\"),
                Patient.given_key.like(f"{t}%", escape="\\"),
            )
            for t in tokens
        ]
    )
    mrn = func.lower(Patient.mrn).like(f"{raw.lower().replace('%', '')}%")
    statement = (
        select(Patient.id, Patient.family_name, Patient.given_name, Patient.mrn)
        .where(or_(mrn, name) if tokens else mrn)
        .order_by(Patient.family_key, Patient.given_key, Patient.id)
        .limit(limit)
    )
    return [
        (pid, f"{family}, {given} (MRN {mrn_})")
        for pid, family, given, mrn_ in session.execute(statement)
    ]
