"""Patient search queries: token ranges on an index, never a scan of the patient table.

Each patient has one ``patient_search_token`` row per folded name word and one for the MRN
key; a typed word is a range on ``(kind, token, patient_id)`` (issue 13).
"""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, select, tuple_, union
from sqlalchemy.orm import Session

from clinic_app.domain import validation as v
from clinic_app.models import Patient, PatientSearchToken
from clinic_app.services.dto import PatientView

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


#: The columns of a :class:`PatientView`, in the order of its fields (``voided`` is read from
#: ``voided_at``): the list reads these rows, not ORM objects (making 200 tracked objects was
#: most of a search's time).
VIEW_COLUMNS = tuple(
    getattr(Patient, "voided_at" if field.name == "voided" else field.name)
    for field in fields(PatientView)
)
_VOIDED = [field.name for field in fields(PatientView)].index("voided")


def row_view(row: Row[Any]) -> PatientView:
    """The view of a row of :data:`VIEW_COLUMNS`."""
    values: list[Any] = list(row)
    values[_VOIDED] = values[_VOIDED] is not None
    return PatientView(*values)


def parse_date_query(text: str) -> date | None:
    """A date typed in the search box: 1980-03-14 or 3/14/1980 (US order)."""
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        m = _US_DATE.match(text)
        if m:
            return date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
    except ValueError:
        return None
    return None


def token_range(kind: str, prefix: str) -> Select[int]:
    """The patients with a search token of ``kind`` starting with ``prefix``: the index range
    ``[prefix, prefix with its last character incremented)``, byte-wise on every backend."""
    query = select(PatientSearchToken.patient_id).where(PatientSearchToken.kind == kind)
    if not prefix:
        return query.where(PatientSearchToken.token >= "")
    upper = prefix[:-1] + chr(min(ord(prefix[-1]) + 1, 0x10FFFF))
    return query.where(PatientSearchToken.token >= prefix, PatientSearchToken.token < upper)


def prefixes(raw: str) -> list[tuple[str, str]]:
    """The token ranges a search text asks for: the MRN key, then each folded name word."""
    words = [t[:100] for t in v.search_key(raw.replace(",", " ")).split() if t]
    return [("m", v.mrn_key(raw)), *(("n", word) for word in words)]


def first_matches(session: Session, raw: str, limit: int, *, include_voided: bool) -> list[int]:
    """The ids of the first ``limit`` patients matching any prefix of ``raw`` (the MRN or a
    name word), in the order of the matching word, then id: each range is read in index
    order and stops as soon as it holds ``limit`` patients, so the cost does not grow with
    the clinic. A patient with two matching words (or voided ones) takes another batch."""
    found: dict[int, tuple[str, int]] = {}
    for kind, prefix in prefixes(raw):
        seen: set[int] = set()
        after: tuple[str, int] | None = None
        while len(seen) < limit:
            query = token_range(kind, prefix).add_columns(PatientSearchToken.token)
            if not include_voided:
                query = query.join(Patient, Patient.id == PatientSearchToken.patient_id).where(
                    Patient.voided_at.is_(None)
                )
            if after is not None:
                query = query.where(
                    tuple_(PatientSearchToken.token, PatientSearchToken.patient_id) > after
                )
            order = (PatientSearchToken.token, PatientSearchToken.patient_id)
            batch = session.execute(query.order_by(*order).limit(limit)).all()
            for patient_id, token in batch:
                seen.add(patient_id)
                key = (token, patient_id)
                found[patient_id] = min(found.get(patient_id, key), key)
            if len(batch) < limit:
                break
            after = (batch[-1][1], batch[-1][0])
    return sorted(found, key=found.__getitem__)[:limit]


def match(raw: str) -> ColumnElement[bool]:
    """The condition on ``patient`` for a search text: a date of birth, or every typed word
    starting a name word, or the whole text starting the MRN."""
    born = parse_date_query(raw)
    if born is not None:
        return Patient.date_of_birth == born
    # Each typed word must start a word of the given or family name; or the whole text
    # starts the MRN. Both are token ranges on an index (no scan of the patient table).
    # One IN over a UNION, not an OR of two INs: PostgreSQL cannot estimate an OR of
    # subqueries and walked every patient in name order to test each (120 ms at 100k).
    (_, mrn_key), *words = prefixes(raw)
    hits = token_range("m", mrn_key)
    if words:
        (_, first), *others = words
        name = token_range("n", first)
        for _, word in others:
            name = name.where(PatientSearchToken.patient_id.in_(token_range("n", word)))
        return Patient.id.in_(union(hits, name))
    return Patient.id.in_(hits)
