"""Per-provider charting defaults (issue 12 §4): stored per user, apart from the account."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clinic_app.domain.enums import Role
from clinic_app.domain.errors import PermissionDenied, ValidationError
from clinic_app.services.dto import ChartingDefaults
from tests.conftest import Services
from tests.factories import add_user, set_up_clinic, sign_in_as


@pytest.fixture
def services(services: Services) -> Services:
    set_up_clinic(services)
    return services


def test_a_provider_keeps_their_own_defaults(services: Services) -> None:
    assert services.preferences.charting_defaults() == ChartingDefaults()
    version = services.clinic.current_user().version
    mine = ChartingDefaults("lidocaine_1_1ml_triamcinolone_10mg", 27, Decimal("1.5"))
    assert services.preferences.set_charting_defaults(mine) == mine
    assert services.preferences.charting_defaults() == mine
    # The account an administrator edits did not move.
    assert services.clinic.current_user().version == version
    other = add_user(services, "other", "Other Provider", Role.PROVIDER)
    sign_in_as(services, other)
    assert services.preferences.charting_defaults() == ChartingDefaults()


@pytest.mark.parametrize(
    ("defaults", "field"),
    [
        (ChartingDefaults(favourite="no_such_mix"), "favourite"),
        (ChartingDefaults(needle_gauge=99), "needle_gauge"),
        (ChartingDefaults(needle_length_in=Decimal("-1")), "needle_length_in"),
    ],
)
def test_nonsense_is_refused(services: Services, defaults: ChartingDefaults, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.preferences.set_charting_defaults(defaults)
    assert caught.value.field == field


def test_the_front_desk_has_no_charting_defaults(services: Services) -> None:
    desk = add_user(services, "desk", "Front Desk", Role.FRONT_DESK)
    sign_in_as(services, desk)
    with pytest.raises(PermissionDenied):
        services.preferences.set_charting_defaults(ChartingDefaults(needle_gauge=27))
