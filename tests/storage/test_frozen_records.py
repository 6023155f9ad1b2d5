"""The database refuses to change a signed visit (migration 0005), on SQLite and PostgreSQL.

Raw SQL is used on purpose: the triggers must hold against any client, not just the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain import clock
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import EncounterStatus, Side
from clinic_app.domain.errors import ConflictError
from clinic_app.models import Addendum, Encounter
from clinic_app.services.base import FROZEN_MARKER, SIGNED_FROZEN_TEXT
from clinic_app.services.dto import (
    DoseInput,
    EncounterInput,
    SiteDraft,
    SiteInput,
)
from tests.conftest import Services
from tests.factories import register_patient, set_up_clinic


@dataclass
class Visit:
    encounter_id: int
    site_id: int
    dose_id: int
    provider_id: int
    medication_id: int


def make_visit(services: Services, db: sessionmaker[Session], *, sign: bool = True) -> Visit:
    admin = set_up_clinic(services)
    patient = register_patient(services)
    med = next(m for m in services.clinic.medications() if m.code == "lidocaine_1")
    draft = services.encounters.create(patient.id, admin.id)
    saved = services.encounters.save_draft(
        draft.id,
        draft.version,
        EncounterInput(indication="Myofascial pain"),
        [
            SiteDraft(
                SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, 0.6, 0.2),
                (DoseInput(med.id, Decimal("0.5")),),
            )
        ],
    )
    if sign:
        sign_in_orm(db, draft.id, admin.id)
    site = saved.sites[0]
    return Visit(draft.id, site.id, site.doses[0].id, admin.id, med.id)


def sign_in_orm(db: sessionmaker[Session], encounter_id: int, signer_id: int) -> None:
    """The draft → signed UPDATE, as the signing service issues it (allowed by the triggers)."""
    with db.begin() as session:
        e = session.get(Encounter, encounter_id)
        assert e is not None
        e.status = EncounterStatus.SIGNED
        e.signed_by_id = signer_id
        e.signed_at = clock.now()
        e.signed_snapshot = {"sites": 1}
        e.signed_digest = "0" * 64


def refused(db: sessionmaker[Session], sql: str, **params: object) -> str:
    """Run ``sql`` in its own transaction; return the database's refusal message."""
    with pytest.raises(DBAPIError) as caught, db.begin() as session:
        session.execute(text(sql), params)
    message = str(caught.value.orig)
    assert FROZEN_MARKER in message
    return message


@pytest.fixture
def visit(services: Services, db: sessionmaker[Session]) -> Visit:
    return make_visit(services, db)


def scalar(db: sessionmaker[Session], sql: str, **params: object) -> object:
    with db() as session:
        return session.execute(text(sql), params).scalar()


def test_the_draft_to_signed_update_works(visit: Visit, db: sessionmaker[Session]) -> None:
    assert scalar(db, "SELECT status FROM encounter WHERE id = :i", i=visit.encounter_id) == (
        "signed"
    )


def test_a_signed_encounter_cannot_be_updated_or_deleted(
    visit: Visit, db: sessionmaker[Session]
) -> None:
    refused(db, "UPDATE encounter SET indication = 'edited' WHERE id = :i", i=visit.encounter_id)
    refused(db, "UPDATE encounter SET status = 'draft' WHERE id = :i", i=visit.encounter_id)
    refused(db, "DELETE FROM encounter WHERE id = :i", i=visit.encounter_id)
    assert scalar(db, "SELECT indication FROM encounter WHERE id = :i", i=visit.encounter_id) == (
        "Myofascial pain"
    )


def test_a_signed_encounters_sites_cannot_change(visit: Visit, db: sessionmaker[Session]) -> None:
    refused(db, "UPDATE injection_site SET point_x = 0.1 WHERE id = :i", i=visit.site_id)
    refused(db, "DELETE FROM injection_site WHERE id = :i", i=visit.site_id)
    refused(
        db,
        "INSERT INTO injection_site (encounter_id, order_number, muscle_code, side, view, "
        "point_x, point_y, technique, twitch_response, aspiration) VALUES (:e, 2, "
        "'trapezius_upper', 'left', 'posterior', 0.4, 0.2, 'injection', 'not_assessed', "
        "'not_done')",
        e=visit.encounter_id,
    )
    assert scalar(db, "SELECT count(*) FROM injection_site") == 1
    assert scalar(db, "SELECT point_x FROM injection_site") == pytest.approx(0.6)


def test_a_signed_encounters_doses_cannot_change(visit: Visit, db: sessionmaker[Session]) -> None:
    refused(db, "UPDATE site_dose SET volume_ml = '5' WHERE id = :i", i=visit.dose_id)
    refused(db, "DELETE FROM site_dose WHERE id = :i", i=visit.dose_id)
    refused(
        db,
        "INSERT INTO site_dose (site_id, medication_id, volume_ml, dose, dose_unit, "
        "lot_missing_reason) VALUES (:s, :m, '1', '10', 'mg', '')",
        s=visit.site_id,
        m=visit.medication_id,
    )
    assert scalar(db, "SELECT count(*) FROM site_dose") == 1


def test_a_site_cannot_be_moved_into_a_signed_encounter(
    services: Services, db: sessionmaker[Session], visit: Visit
) -> None:
    patient = register_patient(services, "M2", "Bo", "Lee", date(1981, 1, 1))
    other = services.encounters.create(patient.id, visit.provider_id)
    services.encounters.save_draft(
        other.id,
        other.version,
        EncounterInput(),
        [SiteDraft(SiteInput("trapezius_upper", Side.LEFT, View.POSTERIOR, 0.4, 0.2))],
    )
    refused(
        db,
        "UPDATE injection_site SET encounter_id = :signed WHERE encounter_id = :draft",
        signed=visit.encounter_id,
        draft=other.id,
    )


def test_drafts_stay_editable(services: Services, db: sessionmaker[Session]) -> None:
    visit = make_visit(services, db, sign=False)
    with db.begin() as session:
        session.execute(
            text("UPDATE site_dose SET volume_ml = '1' WHERE id = :i"), {"i": visit.dose_id}
        )
        session.execute(text("DELETE FROM site_dose WHERE id = :i"), {"i": visit.dose_id})
        session.execute(text("DELETE FROM injection_site WHERE id = :i"), {"i": visit.site_id})
        session.execute(
            text("UPDATE encounter SET indication = 'x' WHERE id = :i"), {"i": visit.encounter_id}
        )
        session.execute(text("DELETE FROM encounter WHERE id = :i"), {"i": visit.encounter_id})
    assert scalar(db, "SELECT count(*) FROM encounter") == 0


def test_addenda_are_added_never_edited_or_removed(visit: Visit, db: sessionmaker[Session]) -> None:
    with db.begin() as session:
        session.add(
            Addendum(
                encounter_id=visit.encounter_id, author_id=visit.provider_id, text="Late entry"
            )
        )
    refused(db, "UPDATE encounter_addendum SET text = 'changed'")
    refused(db, "DELETE FROM encounter_addendum")
    assert scalar(db, "SELECT text FROM encounter_addendum") == "Late entry"


def test_the_services_say_why_in_words(
    services: Services, db: sessionmaker[Session], visit: Visit
) -> None:
    """A service write that slips past the status check is refused by the database, in words."""
    encounters = services.encounters
    with pytest.raises(ConflictError) as caught, encounters._tx() as session:
        session.execute(
            text("UPDATE encounter SET indication = 'x' WHERE id = :i"), {"i": visit.encounter_id}
        )
    assert str(caught.value) == SIGNED_FROZEN_TEXT
    assert "addenda" in str(caught.value)


def test_the_migration_downgrades_and_upgrades_cleanly(tmp_path) -> None:
    from alembic import command

    from clinic_app.storage import migrate
    from clinic_app.storage.engine import make_engine
    from clinic_app.storage.location import sqlite_url

    engine = make_engine(sqlite_url(tmp_path / "m.sqlite3"))
    migrate.upgrade(engine)

    def triggers() -> set[str]:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            # Only this migration's: later ones (the audit trail's, 0007) add their own.
            return {name for (name,) in rows if name.startswith("frozen_")}

    assert len(triggers()) == 10
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    assert triggers() == set()
    migrate.upgrade(engine)
    assert len(triggers()) == 10
    engine.dispose()


@pytest.mark.postgres
def test_postgresql_has_the_triggers(pg_engine) -> None:
    with pg_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE 'frozen_%'"
            )
        )
        tables = {table for (table,) in rows}
    assert tables == {"encounter", "injection_site", "site_dose", "encounter_addendum"}
