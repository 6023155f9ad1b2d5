"""Issue 11 §3: engines hide statement parameters, and a database error carries no patient data.

A database error is provoked while a patient with a distinctive name and allergy is saved:
the error the user sees, its whole traceback and every log line must be free of both.
"""

from __future__ import annotations

import logging
import traceback
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.errors import ClinicError
from clinic_app.services.dto import PatientInput
from tests.conftest import Services
from tests.factories import set_up_clinic

NAME, ALLERGY = "Zebulonia", "quixoticillin"

_REFUSE = {
    # SQLite: a trigger; its message names no value.
    "sqlite": [
        "CREATE TRIGGER refuse_test BEFORE INSERT ON patient "
        "WHEN NEW.given_name = 'Zebulonia' BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
    ],
    # PostgreSQL: a CHECK constraint, whose error DETAIL quotes the whole failing row.
    "postgresql": [
        "ALTER TABLE patient ADD CONSTRAINT refuse_test CHECK (given_name <> 'Zebulonia')"
    ],
}


def _refuse_the_patient(db: sessionmaker[Session], backend: str) -> None:
    with db.begin() as session:
        for sql in _REFUSE[backend]:
            session.execute(text(sql))


def test_a_database_error_while_saving_a_patient_names_no_patient_data(
    services: Services,
    db: sessionmaker[Session],
    backend: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    set_up_clinic(services)
    _refuse_the_patient(db, backend)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ClinicError) as err:
        services.patients.create(
            PatientInput("Z-1", NAME, "Lee", date(1970, 1, 1), allergies=ALLERGY)
        )
    shown = "".join(traceback.format_exception(err.value))
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records) + caplog.text
    for secret in (NAME, ALLERGY):
        assert secret not in str(err.value)
        assert secret not in shown
        assert secret not in logged
    assert "nothing was saved" in str(err.value).lower()


def test_statement_parameters_are_hidden_in_driver_errors(
    db: sessionmaker[Session], backend: str
) -> None:
    _refuse_the_patient(db, backend)
    with pytest.raises(DBAPIError) as err, db.begin() as session:
        session.execute(
            text(
                "INSERT INTO patient (mrn, mrn_key, given_name, family_name, given_key, "
                "family_key, date_of_birth, sex, preferred_language, phone, allergies, "
                "anticoagulant, diabetes, pregnant_or_breastfeeding, notes, payer, created_at, "
                "updated_at, void_reason, version) VALUES ('Z-2', 'z-2', :name, 'Lee', 'x', "
                "'lee', '1970-01-01', 'female', 'en', '', :allergy, false, false, false, '', "
                "'none', '2026-01-01 00:00:00', '2026-01-01 00:00:00', '', 1)"
            ),
            {"name": NAME, "allergy": ALLERGY},
        )
    # The statement and its placeholders are shown, the values bound to them never.
    assert "SQL parameters hidden" in str(err.value)
    assert f"'{ALLERGY}'" not in str(err.value).split("[SQL:")[1]
