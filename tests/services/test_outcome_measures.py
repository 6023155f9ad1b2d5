"""Outcome questionnaires (NDI, ODI): recorded by the front desk or the nurse, scored with
their published rules, frozen with a signed visit and printed on its note (issue 14 §1), on
SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.enums import Role, Side
from clinic_app.domain.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from clinic_app.models import AuditEvent, MeasureResponse
from clinic_app.services.base import SIGNED_FROZEN_TEXT
from clinic_app.services.dto import (
    DoseInput,
    MeasureEntry,
    MeasureScore,
    PatientView,
    SiteDraft,
)
from clinic_app.services.outcome_measures import SIGNED_VISIT
from tests.conftest import Services
from tests.factories import PASSWORD, add_user, register_patient, set_up_clinic, sign_in_as
from tests.services.test_signed_note import FORM, REASON, _site

DAY = date(2025, 3, 4)
VISIT = datetime(2025, 3, 4, 15, 30, tzinfo=UTC)
NDI_18 = (2, 2, 2, 2, 2, 2, 2, 2, 1, 1)  # 18/50 = 36%: moderate
ODI_16 = (2, 2, 2, 2, 2, 2, 2, None, 2, 0)  # 16/45 = 35.6%: moderate


@pytest.fixture
def clinic(services: Services, set_now) -> tuple[Services, PatientView, int]:  # type: ignore[no-untyped-def]
    """A clinic on 2025-03-04 with a patient and a draft visit of that day."""
    set_now(datetime(2025, 3, 4, 18, 0, tzinfo=UTC))
    admin = set_up_clinic(services)
    patient = register_patient(services, today=DAY)
    encounter = services.encounters.create(patient.id, admin.id, performed_at=VISIT)
    return services, patient, encounter.id


def as_role(services: Services, role: Role) -> None:
    """A new user of ``role`` (made by the administrator), signed in."""
    services.clinic.authenticate("admin", PASSWORD)
    user = add_user(services, f"u.{role.value}", f"{role.value} person", role)
    sign_in_as(services, user)


def audit_actions(db: sessionmaker[Session]) -> list[tuple[str, int | None]]:
    with db() as session:
        return [
            (a, p)
            for a, p in session.execute(
                select(AuditEvent.action, AuditEvent.patient_id).order_by(AuditEvent.id)
            )
        ]


def test_the_nurse_records_an_ndi_for_the_patient_scored_and_audited(
    clinic: tuple[Services, PatientView, int], db: sessionmaker[Session]
) -> None:
    services, patient, _encounter = clinic
    as_role(services, Role.NURSE)
    view = services.measures.record(MeasureEntry("ndi", NDI_18, DAY, patient_id=patient.id))
    assert (view.patient_id, view.encounter_id, view.taken_on) == (patient.id, None, DAY)
    assert (view.label, view.name, view.version) == ("NDI", "Neck Disability Index", "1991")
    assert (view.total, view.max_total, view.answered) == (18, 50, 10)
    assert view.percent == 36.0
    assert view.band == "Moderate disability"
    assert view.answers == NDI_18
    assert view.entered_by == "nurse person"
    assert audit_actions(db)[-1] == ("measure.record", patient.id)
    assert services.measures.history(patient.id) == [view]


def test_the_front_desk_records_for_todays_visit_and_the_latest_of_each_measure_counts(
    clinic: tuple[Services, PatientView, int],
) -> None:
    services, patient, encounter_id = clinic
    as_role(services, Role.FRONT_DESK)
    first = services.measures.record(MeasureEntry("ndi", (0,) * 10, DAY, encounter_id=encounter_id))
    assert first.patient_id == patient.id  # taken from the visit
    odi = services.measures.record(MeasureEntry("odi", ODI_16, DAY, encounter_id=encounter_id))
    assert (odi.total, odi.max_total, odi.answered) == (16, 45, 9)
    assert odi.percent == pytest.approx(35.556, abs=0.001)
    again = services.measures.record(
        MeasureEntry("ndi", NDI_18, DAY, patient_id=patient.id, encounter_id=encounter_id)
    )
    # The front desk enters them; reading them back is the clinical roles'.
    with pytest.raises(PermissionDenied):
        services.measures.for_encounter(encounter_id)
    as_role(services, Role.PROVIDER)
    assert services.measures.for_encounter(encounter_id) == [again, odi]
    assert [r.id for r in services.measures.history(patient.id)] == [again.id, odi.id, first.id]
    assert services.measures.scores_for_patient(patient.id) == [
        MeasureScore(DAY, "ndi", "NDI", 0, 0.0, "No disability"),
        MeasureScore(DAY, "odi", "ODI", 16, odi.percent, "Moderate disability"),
        MeasureScore(DAY, "ndi", "NDI", 18, 36.0, "Moderate disability"),
    ]


def test_scores_come_oldest_first_across_days(clinic: tuple[Services, PatientView, int]) -> None:
    services, patient, _encounter = clinic
    as_role(services, Role.NURSE)
    for day, answers in ((date(2025, 3, 1), NDI_18), (date(2025, 2, 1), (5,) * 10)):
        services.measures.record(MeasureEntry("ndi", answers, day, patient_id=patient.id))
    scores = services.measures.scores_for_patient(patient.id)
    assert [(s.taken_on, s.total, s.band) for s in scores] == [
        (date(2025, 2, 1), 50, "Complete disability"),
        (date(2025, 3, 1), 18, "Moderate disability"),
    ]


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        (MeasureEntry("promis", (0,) * 10, DAY), "measure", "Unknown outcome measure 'promis'"),
        (MeasureEntry("ndi", (0,) * 9, DAY), "answers", "has 10 sections; 9 answers"),
        (MeasureEntry("ndi", (0,) * 9 + (6,), DAY), "recreation", "from 0 to 5, not 6"),
        (MeasureEntry("ndi", (0,) * 8 + (None, None), DAY), "answers", "at most 1 may be"),
        (MeasureEntry("odi", (0,) * 7 + (None,) * 3, DAY), "answers", "at most 2 may be"),
        (MeasureEntry("ndi", (0,) * 10, date(2025, 3, 5)), "taken_on", "after today (2025-03-04)"),
        (MeasureEntry("ndi", (0,) * 10, None), "taken_on", "day the questionnaire was taken"),  # type: ignore[arg-type]
    ],
)
def test_a_bad_questionnaire_is_refused_with_a_clear_sentence_and_nothing_stored(
    clinic: tuple[Services, PatientView, int],
    db: sessionmaker[Session],
    entry: MeasureEntry,
    field: str,
    message: str,
) -> None:
    services, patient, _encounter = clinic
    as_role(services, Role.NURSE)
    entry = MeasureEntry(entry.measure, entry.answers, entry.taken_on, patient_id=patient.id)
    with pytest.raises(ValidationError, match=re.escape(message)) as caught:
        services.measures.record(entry)
    assert caught.value.field == field
    with db() as session:
        assert session.scalar(select(func.count(MeasureResponse.id))) == 0


def test_whose_it_is_must_be_known_and_match(clinic: tuple[Services, PatientView, int]) -> None:
    services, patient, encounter_id = clinic
    other = register_patient(services, "M2", "Bo", "Kim", today=DAY)
    as_role(services, Role.NURSE)
    with pytest.raises(ValidationError, match="Choose the patient"):
        services.measures.record(MeasureEntry("ndi", (0,) * 10, DAY))
    with pytest.raises(ValidationError, match="No questionnaire"):
        services.measures.record(None)  # type: ignore[arg-type]
    with pytest.raises(ConflictError, match="belongs to another patient"):
        services.measures.record(
            MeasureEntry("ndi", (0,) * 10, DAY, patient_id=other.id, encounter_id=encounter_id)
        )
    with pytest.raises(NotFoundError):
        services.measures.record(MeasureEntry("ndi", (0,) * 10, DAY, patient_id=999_999))
    with pytest.raises(NotFoundError):
        services.measures.history(999_999)
    with pytest.raises(NotFoundError):
        services.measures.for_encounter(999_999)
    with pytest.raises(ValidationError):
        services.measures.scores_for_patient(0)
    assert services.measures.history(patient.id) == []


def test_admin_and_signed_out_may_not_record(clinic: tuple[Services, PatientView, int]) -> None:
    services, patient, _encounter = clinic
    as_role(services, Role.ADMIN)
    entry = MeasureEntry("ndi", (0,) * 10, DAY, patient_id=patient.id)
    with pytest.raises(PermissionDenied, match="record a patient's outcome questionnaire"):
        services.measures.record(entry)
    services.actor.sign_out()
    with pytest.raises(PermissionDenied):
        services.measures.scores_for_patient(patient.id)


def sign(services: Services, encounter_id: int) -> None:
    """Chart one site and sign (as the clinic's first user, an administrator-provider)."""
    meds = {m.code: m.id for m in services.clinic.medications()}
    sites = [
        SiteDraft(
            _site("trapezius_upper", Side.RIGHT, taut_band=True),
            (DoseInput(meds["lidocaine_1"], "1", None, "No lot on the vial"),),
        )
    ]
    enc = services.encounters.get(encounter_id)
    saved = services.encounters.save_draft(encounter_id, enc.version, FORM, sites)
    needed = services.checks.assess_saved(encounter_id).reasons_needed
    services.checks.sign(encounter_id, saved.version, FORM, sites, {f.rule: REASON for f in needed})


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in pages))


def test_the_signed_note_prints_the_visits_measures_and_a_signed_visit_takes_no_more(
    clinic: tuple[Services, PatientView, int], db: sessionmaker[Session]
) -> None:
    services, patient, encounter_id = clinic
    admin = services.actor.user_id
    services.measures.record(MeasureEntry("ndi", (0,) * 10, DAY, encounter_id=encounter_id))
    services.measures.record(MeasureEntry("ndi", NDI_18, DAY, encounter_id=encounter_id))
    services.measures.record(MeasureEntry("odi", ODI_16, DAY, encounter_id=encounter_id))
    # Not on the note: taken without a visit.
    services.measures.record(MeasureEntry("odi", (5,) * 10, DAY, patient_id=patient.id))
    draft = services.notes.note_data(encounter_id)
    assert [(m.name, m.score, m.percent, m.band) for m in draft.measures] == [
        ("Neck Disability Index (NDI 1991)", "18/50", "36%", "Moderate disability"),
        ("Oswestry Disability Index (ODI 2.1a)", "16/45", "35.6%", "Moderate disability"),
    ]
    assert admin is not None
    sign(services, encounter_id)
    note = services.notes.note_data(encounter_id)
    assert note.signed
    assert note.seal is not None
    assert note.seal.intact
    assert note.measures == draft.measures
    printed = pdf_text(services.notes.render_note(encounter_id))
    assert "Outcome measures" in printed
    assert "Neck Disability Index (NDI 1991)" in printed
    assert "18/50 36% Moderate disability" in printed
    assert "Oswestry Disability Index (ODI 2.1a)" in printed
    assert "35.6%" in printed

    # The service refuses a new response for the signed visit...
    with pytest.raises(ConflictError, match=re.escape(SIGNED_VISIT)):
        services.measures.record(MeasureEntry("ndi", (1,) * 10, DAY, encounter_id=encounter_id))
    # ...and the database refuses any change to its responses, whoever asks.
    encounters = services.encounters
    for sql in (
        "UPDATE measure_response SET total = 0 WHERE encounter_id = :e",
        "DELETE FROM measure_response WHERE encounter_id = :e",
        "INSERT INTO measure_response (patient_id, encounter_id, taken_on, measure, "
        "measure_version, answers, answered, total, percent, band, entered_at) VALUES "
        "(:p, :e, '2025-03-04', 'ndi', '1991', '[]', 10, 0, 0, 'x', '2025-03-04 00:00:00')",
    ):
        with pytest.raises(ConflictError) as caught, encounters._tx() as session:
            session.execute(text(sql), {"e": encounter_id, "p": patient.id})
        assert str(caught.value) == SIGNED_FROZEN_TEXT
    assert services.notes.note_data(encounter_id).measures == draft.measures


def test_a_response_without_a_visit_stays_changeable_by_the_database(
    clinic: tuple[Services, PatientView, int], db: sessionmaker[Session]
) -> None:
    """The triggers guard signed visits only (a response of no visit is the service's)."""
    services, patient, _encounter = clinic
    view = services.measures.record(MeasureEntry("ndi", NDI_18, DAY, patient_id=patient.id))
    with db.begin() as session:
        session.execute(
            text("UPDATE measure_response SET band = 'b' WHERE id = :i"), {"i": view.id}
        )
    assert services.measures.history(patient.id)[0].band == "b"
