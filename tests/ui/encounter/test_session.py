"""EncounterSession on real SQLite services: autosave, saves, conflicts, reload, sign.

No widget is built here: the session reads what to save through the ``snapshot`` callable
these tests hand it, and every outcome is asserted on its signals.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal

import pytest

from clinic_app.domain import clock
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import EncounterStatus, Side
from clinic_app.domain.errors import ValidationError
from clinic_app.services.container import AppServices
from clinic_app.services.dto import DoseInput, EncounterInput, SiteDraft, SiteInput
from clinic_app.ui.encounter.session import CHANGED, REMOVED, EncounterSession, Snapshot
from tests.complete_documentation import complete_form


@dataclass
class Content:
    """What a stand-in editor shows; the session reads it through ``snapshot``."""

    form: EncounterInput
    sites: list[SiteDraft] = field(default_factory=list)

    def snapshot(self) -> Snapshot:
        return self.form, list(self.sites)


def a_site(muscle: str = "trapezius_upper", side: Side = Side.RIGHT) -> SiteDraft:
    return SiteDraft(SiteInput(muscle, side, View.POSTERIOR, point_x=0.6, point_y=0.25), ())


@pytest.fixture
def patient(make_patient):
    return make_patient(family_name="Okafor")


@pytest.fixture
def content() -> Content:
    return Content(EncounterInput(indication="Myofascial pain", icd10_codes=("M79.18",)))


@pytest.fixture
def session(qtbot, services: AppServices, admin, patient, content) -> Iterator[EncounterSession]:
    created = services.encounters.create(patient.id, admin.id)
    session = EncounterSession(services, services.encounters.get(created.id), content.snapshot)
    session.autosave_timer.setInterval(10)
    yield session
    session.jobs.shutdown()


def test_a_change_is_autosaved_from_the_snapshot(qtbot, services, session, content):
    version = session.version
    content.sites.append(a_site())
    states: list[str] = []
    session.save_state_changed.connect(states.append)
    with qtbot.waitSignal(session.saved) as saved:
        session.content_changed()
    assert session.dirty is False
    assert states[0] == "Unsaved changes…"
    assert states[-1].startswith("Saved ")
    assert saved.args == [session.encounter_id]
    stored = services.encounters.get(session.encounter_id)
    assert stored.version == session.version != version
    assert stored.form.indication == "Myofascial pain"
    assert [s.muscle_code for s in stored.sites] == ["trapezius_upper"]
    assert not session.autosave_timer.isActive()
    assert not session.max_wait_timer.isActive()


def test_nothing_to_save_says_so_without_saving(qtbot, session):
    with (
        qtbot.assertNotEmitted(session.saved),
        qtbot.waitSignal(session.status_reported) as told,
    ):
        assert session.save_now()
    assert told.args == ["Nothing to save: every change is saved."]


def test_a_save_refused_as_stale_enters_the_conflict_and_stays_there(
    qtbot, services, session, content
):
    theirs = services.encounters.get(session.encounter_id)
    services.encounters.save_draft(theirs.id, theirs.version, theirs.form, [a_site()])
    session.content_changed()
    with (
        qtbot.waitSignal(session.conflicted) as conflicted,
        qtbot.waitSignal(session.save_failed) as failed,
    ):
        assert session.save_now()  # queued: the refusal comes back by signal
    assert conflicted.args == [""]
    assert "changed on another workstation" in failed.args[0]
    assert session.conflict_state == CHANGED
    assert session.in_conflict
    assert session.dirty
    # Later changes do not pretend to retry, and Ctrl+S says the conflict again.
    with qtbot.waitSignal(session.save_state_changed) as state:
        session.content_changed()
    assert state.args == ["Not saved — changed elsewhere"]
    assert not session.autosave_timer.isActive()
    with qtbot.assertNotEmitted(session.saved), qtbot.waitSignal(session.conflicted):
        assert not session.save_now()


def test_save_as_a_new_draft_switches_the_session(qtbot, services, session, content, patient):
    old_id = session.encounter_id
    theirs = services.encounters.get(old_id)
    services.encounters.save_draft(theirs.id, theirs.version, theirs.form, [a_site()])
    content.sites.append(a_site("levator_scapulae"))
    session.content_changed()
    with qtbot.waitSignal(session.conflicted):
        session.save_now()
    assert session.conflict_state == CHANGED
    with qtbot.waitSignal(session.switched) as switched, qtbot.waitSignal(session.saved) as saved:
        view = session.save_as_new_draft()
    assert switched.args == [old_id, view.id]
    assert saved.args == [view.id]
    assert session.encounter_id == view.id != old_id
    assert not session.in_conflict
    assert not session.dirty
    stored = services.encounters.get(view.id)
    assert (stored.patient_id, stored.status) == (patient.id, EncounterStatus.DRAFT)
    assert [s.muscle_code for s in stored.sites] == ["levator_scapulae"]
    assert [s.muscle_code for s in services.encounters.get(old_id).sites] == ["trapezius_upper"]


def test_a_draft_removed_elsewhere_is_a_removed_conflict(qtbot, services, session, content):
    services.encounters.discard_if_empty(  # closed untouched elsewhere
        session.encounter_id, expected_version=session.view.version
    )
    session.content_changed()
    with qtbot.waitSignal(session.save_failed):
        session.save_now()
    assert session.conflict_state == REMOVED


def test_reload_theirs_takes_the_stored_version(qtbot, services, session, content):
    theirs = services.encounters.get(session.encounter_id)
    services.encounters.save_draft(
        theirs.id, theirs.version, replace(theirs.form, follow_up_plan="Theirs"), []
    )
    session.content_changed()
    with qtbot.waitSignal(session.conflicted):
        session.save_now()
    with qtbot.waitSignal(session.reloaded) as reloaded:
        session.reload_theirs()
    assert reloaded.args[0].form.follow_up_plan == "Theirs"
    assert session.version == reloaded.args[0].version
    assert not session.in_conflict
    assert not session.dirty


def test_sign_saves_then_signs(qtbot, services, session, content):
    meds = {m.code: m.id for m in services.clinic.medications()}
    lot = services.clinic.add_lot(meds["lidocaine_1"], "L-1", clock.today() + timedelta(days=30))
    content.form = complete_form(
        replace(content.form, screening={"allergies_reviewed": {"answer": True, "note": ""}})
    )
    content.sites = [
        SiteDraft(
            SiteInput("gluteus_medius", Side.LEFT, View.POSTERIOR, point_x=0.4, point_y=0.5),
            (DoseInput(meds["lidocaine_1"], Decimal(1), lot.id),),
        )
    ]
    session.content_changed()
    with qtbot.waitSignal(session.saved), qtbot.waitSignal(session.signed) as signed:
        view = session.sign({})
    assert signed.args == [view]
    assert not session.is_draft
    stored = services.encounters.get(session.encounter_id)
    assert stored.status is EncounterStatus.SIGNED
    assert [s.muscle_code for s in stored.sites] == ["gluteus_medius"]


def test_a_sign_refused_by_the_checks_keeps_the_save(qtbot, services, session, content):
    content.sites.append(a_site())
    session.content_changed()
    with (
        qtbot.waitSignal(session.saved),
        qtbot.assertNotEmitted(session.signed),
        pytest.raises(ValidationError),
    ):
        session.sign({})  # incomplete documentation blocks
    assert session.is_draft
    assert not session.dirty
    assert len(services.encounters.get(session.encounter_id).sites) == 1


def test_an_untouched_draft_is_discarded_a_kept_one_is_not(qtbot, services, session, content):
    session.discard_if_untouched()
    assert list(services.encounters.history(session.patient_id)) == []
    kept = services.encounters.create(session.patient_id, session.provider_id)
    other = EncounterSession(services, services.encounters.get(kept.id), content.snapshot)
    other.content_changed()
    with qtbot.waitSignal(other.saved):
        other.save_now()
    other.close()
    assert [v.id for v in services.encounters.history(other.patient_id)] == [kept.id]
    assert other.jobs.closed
