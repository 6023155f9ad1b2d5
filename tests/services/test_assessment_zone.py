"""The checks date a visit by the clinic's calendar, not by this computer's zone (issue 13):
a workstation set to Tokyo must not move a Chicago visit at 22:30 to the next day."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Side
from clinic_app.services import assessment
from clinic_app.services.dto import ClinicProfileData, EncounterInput, SiteDraft, SiteInput
from tests.conftest import Services
from tests.factories import register_patient, set_up_clinic


@pytest.fixture
def tokyo_computer() -> Iterator[None]:
    """This computer's clock in UTC+9 (no tz data files needed)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "JST-9"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_visits_are_dated_by_the_clinic_day(
    tokyo_computer: None,
    services: Services,
    set_now: Callable[[datetime], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_now(datetime(2026, 3, 4, 3, 0, tzinfo=UTC))  # Chicago 3 March 21:00, Tokyo 4 March
    admin = set_up_clinic(services, ClinicProfileData("Zone clinic", timezone="America/Chicago"))
    patient = register_patient(services, weight_kg="70", allergies="")
    site = SiteDraft(SiteInput("trapezius_upper", Side.LEFT, View.POSTERIOR, 0.5, 0.3))
    earlier = services.encounters.create(patient.id, admin.id)
    services.encounters.save_draft(earlier.id, earlier.version, EncounterInput(), [site])
    set_now(datetime(2026, 3, 5, 4, 30, tzinfo=UTC))  # Chicago 4 March 22:30, Tokyo 5 March
    today = services.encounters.create(patient.id, admin.id)
    # This computer's zone would give the next day:
    assert datetime(2026, 3, 5, 4, 30, tzinfo=UTC).astimezone().date() == date(2026, 3, 5)
    seen: list[tuple[Any, ...]] = []
    real = assessment.assess

    def spy(fact: Any, patient_fact: Any, history: Any, *rest: Any, **kw: Any) -> Any:
        seen.append((fact, history))
        return real(fact, patient_fact, history, *rest, **kw)

    monkeypatch.setattr(assessment, "assess", spy)
    services.checks.assess_draft(today.id, EncounterInput(), [site])
    ((fact, history),) = seen
    assert fact.performed_on == date(2026, 3, 4)
    assert [prior.performed_on for prior in history] == [date(2026, 3, 3)]
