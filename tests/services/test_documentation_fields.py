"""The documentation fields of issue 8 are stored, read back and checked (both backends)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clinic_app.domain.enums import Role, Side, Technique
from clinic_app.domain.errors import ValidationError
from clinic_app.services.dto import (
    ClinicProfileData,
    DoseInput,
    EncounterInput,
    NewUser,
    SiteDraft,
)
from tests.services.test_encounters import Chart, chart, site

__all__ = ["chart"]  # the fixture, shared with the encounter tests


def _form(**kw: object) -> EncounterInput:
    return EncounterInput(**kw)  # type: ignore[arg-type]


def test_new_form_fields_round_trip(chart: Chart) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    form = _form(
        pain_before=7,
        pain_after_reason="Patient left before rescoring",
        prior_relief_percent=60,
        prior_relief_weeks=5,
        conservative_treatment="Physical therapy 8 weeks, NSAIDs",
        follow_up_weeks=4,
        follow_up_date=date(2027, 1, 4),
        handout_note={"es": "Camine 10 minutos al día."},
    )
    drafts = [
        SiteDraft(
            site(taut_band=True, jump_sign=False, referred_pain_reproduced=None),
            (DoseInput(chart.meds["lidocaine_1"], Decimal("2.0"), None, "Lot label torn"),),
        )
    ]
    saved = chart.s.encounters.save_draft(enc.id, enc.version, form, drafts)
    back = chart.s.encounters.get(saved.id)
    assert back.form.prior_relief_percent == 60
    assert back.form.prior_relief_weeks == 5
    assert back.form.pain_after_reason == "Patient left before rescoring"
    assert back.form.conservative_treatment.startswith("Physical therapy")
    assert back.form.follow_up_weeks == 4
    assert back.form.follow_up_date == date(2027, 1, 4)
    assert back.form.handout_note == {"es": "Camine 10 minutos al día."}
    (s,) = back.sites
    assert (s.taut_band, s.jump_sign, s.referred_pain_reproduced) == (True, False, None)
    assert s.doses[0].lot_missing_reason == "Lot label torn"
    # The editor's copy carries every field, so an autosave loses nothing.
    again = chart.s.encounters.save_draft(
        back.id, back.version, back.form, [x.to_draft() for x in back.sites]
    )
    assert again.sites[0].doses[0].lot_missing_reason == "Lot label torn"
    assert again.sites[0].taut_band is True
    assert again.sites[0].doses[0].volume_ml == Decimal("2.0")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("prior_relief_percent", 101),
        ("prior_relief_percent", -1),
        ("prior_relief_weeks", 2.5),
        ("follow_up_weeks", 53),
        ("follow_up_weeks", True),
        ("handout_note", {"xx": "text"}),
        ("handout_note", "plain text"),
    ],
)
def test_bad_documentation_values_are_refused_with_the_field(
    chart: Chart, field: str, value: object
) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    with pytest.raises(ValidationError) as err:
        chart.s.encounters.save_draft(enc.id, enc.version, _form(**{field: value}), [])
    assert err.value.field == field


def test_a_finding_that_is_not_yes_no_or_unknown_is_refused(chart: Chart) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    bad = SiteDraft(site(taut_band="yes"))
    with pytest.raises(ValidationError):
        chart.s.encounters.save_draft(enc.id, enc.version, EncounterInput(), [bad])


def test_lot_reason_is_dropped_when_a_lot_is_recorded(chart: Chart) -> None:
    med = chart.meds["lidocaine_1"]
    lot = chart.s.clinic.add_lot(med, "L123", date(2099, 1, 1))
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    saved = chart.s.encounters.save_draft(
        enc.id,
        enc.version,
        EncounterInput(),
        [SiteDraft(site(side=Side.LEFT), (DoseInput(med, "1.0", lot.id, "not needed"),))],
    )
    assert saved.sites[0].doses[0].lot_missing_reason == ""
    assert saved.sites[0].technique is Technique.INJECTION


def test_clinic_time_zone_and_provider_npi(chart: Chart) -> None:
    profile = chart.s.clinic.update_profile(
        ClinicProfileData(name="Test Pain Clinic", timezone="America/Chicago"),
        expected_version=chart.s.clinic.profile().version,
    )
    assert profile.timezone == "America/Chicago"
    with pytest.raises(ValidationError) as err:
        chart.s.clinic.update_profile(
            ClinicProfileData(name="X", timezone="Mars/Base"), expected_version=profile.version
        )
    assert err.value.field == "timezone"
    user = chart.s.users.create_user(
        NewUser(
            "drlee",
            "Dr Lee",
            "another long passphrase",
            frozenset({Role.PROVIDER}),
            "DO",
            npi="1234567893",
        )
    )
    assert user.npi == "1234567893"
    with pytest.raises(ValidationError) as err:
        chart.s.users.create_user(
            NewUser(
                "drkim",
                "Dr Kim",
                "another long passphrase",
                frozenset({Role.PROVIDER}),
                npi="1234567890",
            )
        )
    assert "check digit" in str(err.value)
