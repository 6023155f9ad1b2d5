"""Issue 11 §2: an empty draft left by a crash between "new encounter" and its first save is
cleaned at the next start; nothing charted is ever deleted.

The crash is real: a child process signs in, opens a new encounter and is killed (SIGKILL)
before the editor's first save. The next start (``app.open_services``) deletes that draft
once it has lain untouched for :data:`ABANDONED_AFTER`, and only that one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app import app
from clinic_app.domain import clock
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Side
from clinic_app.domain.errors import NotFoundError, StorageError
from clinic_app.models import AuditEvent, Encounter
from clinic_app.services.dto import EncounterInput, SiteDraft, SiteInput
from clinic_app.services.encounters import ABANDONED_AFTER, clean_after_crash
from clinic_app.storage.engine import make_engine
from clinic_app.storage.location import sqlite_url
from tests.conftest import Services
from tests.factories import PASSWORD, register_patient, set_up_clinic

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from clinic_app.app import open_services
    services = open_services(sys.argv[1])
    services.clinic.authenticate("admin", sys.argv[2])
    draft = services.encounters.create(int(sys.argv[3]), services.actor.user_id)
    print(draft.id, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # the app dies before the editor's first save
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_an_empty_draft_left_by_a_killed_app_is_cleaned_at_the_next_start(
    tmp_path: Path, set_now: Callable[[datetime], None]
) -> None:
    url = sqlite_url(tmp_path / "clinic.sqlite3")
    services = app.open_services(url)
    admin = set_up_clinic(services)
    patient = register_patient(services)
    charted = services.encounters.create(patient.id, admin.id)
    services.encounters.save_draft(
        charted.id, charted.version, EncounterInput(indication="neck pain"), []
    )
    services.close()

    child = subprocess.run(
        [sys.executable, "-c", CHILD, url, PASSWORD, str(patient.id)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
        cwd=Path(__file__).parents[2],
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    orphan = int(child.stdout.split()[0])

    # Restarted at once: a draft this fresh may be a colleague's just-opened one; kept.
    soon = app.open_services(url)
    soon.clinic.authenticate("admin", PASSWORD)
    assert soon.encounters.get(orphan).id == orphan
    fresh = soon.encounters.create(patient.id, admin.id)
    soon.close()

    # The next morning: the crash's draft is gone, the charted one stays.
    set_now(clock.now() + ABANDONED_AFTER + ABANDONED_AFTER / 2)
    later = app.open_services(url)
    later.clinic.authenticate("admin", PASSWORD)
    with pytest.raises(NotFoundError):
        later.encounters.get(orphan)
    with pytest.raises(NotFoundError):
        later.encounters.get(fresh.id)  # also empty and untouched since
    assert later.encounters.get(charted.id).form.indication == "neck pain"
    later.close()
    engine = make_engine(url)  # the audit trail names each deletion
    with engine.connect() as conn:
        discarded = set(
            conn.scalars(
                select(AuditEvent.entity_id).where(AuditEvent.action == "encounter.discard")
            )
        )
    engine.dispose()
    assert discarded == {orphan, fresh.id}


def test_a_failed_cleanup_never_stops_the_start(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail() -> int:
        raise StorageError("The database is busy.")

    monkeypatch.setattr(services.encounters, "discard_abandoned_drafts", fail)
    assert clean_after_crash(services.encounters) == 0


def test_the_cleanup_keeps_every_draft_holding_anything(
    services: Services, set_now: Callable[[datetime], None]
) -> None:
    admin = set_up_clinic(services)
    patient = register_patient(services)
    empty = services.encounters.create(patient.id, admin.id)
    typed = services.encounters.create(patient.id, admin.id)
    services.encounters.save_draft(typed.id, typed.version, EncounterInput(pain_before=4), [])
    services.actor.sign_out()
    set_now(clock.now() + ABANDONED_AFTER * 2)
    assert services.encounters.discard_abandoned_drafts() == 1
    services.clinic.authenticate("admin", PASSWORD)
    with pytest.raises(NotFoundError):
        services.encounters.get(empty.id)
    assert services.encounters.get(typed.id).form.pain_before == 4


def test_the_cleanup_reads_only_the_drafts_with_nothing_charted(
    services: Services, set_now: Callable[[datetime], None], db: sessionmaker[Session]
) -> None:
    """Issue 13: at every start the sweep runs; old drafts with their sites are neither
    deleted nor even loaded (a clinic's thousands of them took 1.6 s to read)."""
    admin = set_up_clinic(services)
    patient = register_patient(services)
    empty = services.encounters.create(patient.id, admin.id)
    charted = []
    for _ in range(3):
        draft = services.encounters.create(patient.id, admin.id)
        site = SiteInput("trapezius_upper", Side.LEFT, View.POSTERIOR, 0.5, 0.3)
        services.encounters.save_draft(draft.id, draft.version, EncounterInput(), [SiteDraft(site)])
        charted.append(draft.id)
    services.actor.sign_out()
    set_now(clock.now() + ABANDONED_AFTER * 2)
    loaded: list[int] = []

    def on_load(target: object, _context: object) -> None:
        if isinstance(target, Encounter):
            loaded.append(target.id)

    event.listen(Encounter, "load", on_load)
    try:
        assert services.encounters.discard_abandoned_drafts() == 1
    finally:
        event.remove(Encounter, "load", on_load)
    assert loaded == [empty.id]
    services.clinic.authenticate("admin", PASSWORD)
    for encounter_id in charted:
        assert len(services.encounters.get(encounter_id).sites) == 1
