"""The pain drawing service on SQLite and PostgreSQL: save, versions, signing, suggestions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Role, Side
from clinic_app.domain.errors import (
    ConflictError,
    PermissionDenied,
    StaleVersionError,
    ValidationError,
)
from clinic_app.domain.pain_drawing import PainDrawing
from clinic_app.domain.pain_drawing_rank import default_pattern_index
from clinic_app.models import AuditEvent
from clinic_app.services.base import FROZEN_MARKER
from clinic_app.services.dto import DoseInput, EncounterView, SiteDraft, SiteInput
from clinic_app.services.snapshot import seal_matches
from tests.conftest import Services
from tests.factories import add_user, medication_ids, register_patient, set_up_clinic, sign_in_as
from tests.services.test_access_roles import SCREENED

INFRASPINATUS = default_pattern_index().pattern("infraspinatus", Side.LEFT)


@dataclass
class Visit:
    s: Services
    encounter: EncounterView
    charted: list[SiteDraft]


@pytest.fixture
def visit(services: Services) -> Visit:
    admin = set_up_clinic(services)
    patient = register_patient(services)
    lidocaine = medication_ids(services)["lidocaine_1"]
    charted = [
        SiteDraft(
            SiteInput("infraspinatus", Side.LEFT, View.POSTERIOR, 0.4, 0.25),
            (DoseInput(lidocaine, "1"),),
        )
    ]
    draft = services.encounters.create(patient.id, admin.id)
    saved = services.encounters.save_draft(draft.id, draft.version, SCREENED, charted)
    return Visit(services, saved, charted)


def test_a_new_visit_has_an_empty_drawing_at_version_0(visit: Visit) -> None:
    view = visit.s.pain_drawings.get(visit.encounter.id)
    assert view.drawing.is_empty
    assert view.version == 0
    assert visit.s.pain_drawings.suggestions(visit.encounter.id) == []


def test_save_and_read_back_with_suggestions(visit: Visit, db: sessionmaker[Session]) -> None:
    saved = visit.s.pain_drawings.save(visit.encounter.id, INFRASPINATUS, expected_version=0)
    assert saved.drawing == INFRASPINATUS
    assert saved.version == 1
    again = visit.s.pain_drawings.get(visit.encounter.id)
    assert again == saved
    top = visit.s.pain_drawings.suggestions(visit.encounter.id, limit=3)
    assert (top[0].muscle_code, top[0].side) == ("infraspinatus", Side.LEFT)
    assert len(top) <= 3
    erased = visit.s.pain_drawings.save(visit.encounter.id, PainDrawing(), expected_version=1)
    assert erased.drawing.is_empty
    assert erased.version == 2
    with db() as session:
        actions = session.query(AuditEvent.action).filter(AuditEvent.action == "pain_drawing.save")
        assert actions.count() == 2


def test_a_stale_save_is_refused_and_theirs_stands(visit: Visit) -> None:
    theirs = PainDrawing(frozenset({7}))
    visit.s.pain_drawings.save(visit.encounter.id, theirs, expected_version=0)
    with pytest.raises(StaleVersionError):
        visit.s.pain_drawings.save(visit.encounter.id, INFRASPINATUS, expected_version=0)
    assert visit.s.pain_drawings.get(visit.encounter.id).drawing == theirs


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s, e: s.pain_drawings.save(e, "cells", expected_version=0), "drawing"),
        (
            lambda s, e: s.pain_drawings.save(e, PainDrawing(), expected_version=-1),
            "expected_version",
        ),
        (lambda s, e: s.pain_drawings.suggestions(e, limit=0), "limit"),
    ],
)
def test_bad_values_are_refused(visit: Visit, call: object, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        call(visit.s, visit.encounter.id)  # type: ignore[operator]
    assert caught.value.field == field


def test_signing_seals_the_drawing_and_freezes_it(visit: Visit, db: sessionmaker[Session]) -> None:
    s, e = visit.s, visit.encounter
    s.pain_drawings.save(e.id, INFRASPINATUS, expected_version=0)
    s.checks.sign(e.id, e.version, SCREENED, visit.charted, {})
    with pytest.raises(ConflictError, match="signed"):
        s.pain_drawings.save(e.id, PainDrawing(), expected_version=1)
    assert s.pain_drawings.get(e.id).drawing == INFRASPINATUS
    note = s.notes.note_data(e.id)
    assert note.seal is not None
    assert note.seal.intact
    assert note.pain_drawing is not None
    assert PainDrawing.decode(note.pain_drawing.cells) == INFRASPINATUS
    # the database refuses too, whatever the client
    for sql in (
        "UPDATE pain_drawing SET cells = '' WHERE encounter_id = :id",
        "DELETE FROM pain_drawing WHERE encounter_id = :id",
    ):
        with pytest.raises(DBAPIError) as caught, db.begin() as session:
            session.execute(text(sql), {"id": e.id})
        assert FROZEN_MARKER in str(caught.value.orig)


def test_the_signed_snapshot_holds_the_drawing(visit: Visit, db: sessionmaker[Session]) -> None:
    from clinic_app.models import Encounter

    s, e = visit.s, visit.encounter
    s.pain_drawings.save(e.id, INFRASPINATUS, expected_version=0)
    s.checks.sign(e.id, e.version, SCREENED, visit.charted, {})
    with db() as session:
        row = session.get(Encounter, e.id)
        assert row is not None
        snapshot = row.signed_snapshot
        assert snapshot is not None
        assert PainDrawing.decode(snapshot["pain_drawing"]) == INFRASPINATUS
        assert seal_matches(snapshot, row.signed_digest)


def test_inserting_a_drawing_for_a_signed_visit_is_refused_by_the_database(
    visit: Visit, db: sessionmaker[Session]
) -> None:
    s, e = visit.s, visit.encounter
    s.checks.sign(e.id, e.version, SCREENED, visit.charted, {})
    with pytest.raises(DBAPIError) as caught, db.begin() as session:
        session.execute(
            text(
                "INSERT INTO pain_drawing (encounter_id, cells, version, updated_at) "
                "VALUES (:id, '', 1, CURRENT_TIMESTAMP)"
            ),
            {"id": e.id},
        )
    assert FROZEN_MARKER in str(caught.value.orig)


def test_repeat_last_visit_does_not_copy_the_drawing(visit: Visit) -> None:
    s, e = visit.s, visit.encounter
    s.pain_drawings.save(e.id, INFRASPINATUS, expected_version=0)
    s.checks.sign(e.id, e.version, SCREENED, visit.charted, {})
    repeated = s.encounters.repeat_last_visit(e.patient_id, e.provider_id)
    fresh = s.pain_drawings.get(repeated.encounter.id)
    assert fresh.drawing.is_empty
    assert fresh.version == 0


def test_a_draft_with_only_a_drawing_is_not_discarded(services: Services) -> None:
    admin = set_up_clinic(services)
    patient = register_patient(services)
    draft = services.encounters.create(patient.id, admin.id)
    services.pain_drawings.save(draft.id, INFRASPINATUS, expected_version=0)
    assert not services.encounters.discard_if_empty(draft.id, expected_version=draft.version)
    services.pain_drawings.save(draft.id, PainDrawing(), expected_version=1)
    assert services.encounters.discard_if_empty(draft.id, expected_version=draft.version)


def test_front_desk_may_not_shade_or_read(visit: Visit) -> None:
    desk = add_user(visit.s, "desk", "Dee Desk", Role.FRONT_DESK)
    sign_in_as(visit.s, desk)
    with pytest.raises(PermissionDenied):
        visit.s.pain_drawings.save(visit.encounter.id, INFRASPINATUS, expected_version=0)
    with pytest.raises(PermissionDenied):
        visit.s.pain_drawings.get(visit.encounter.id)
