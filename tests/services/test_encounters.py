"""Encounter, site and dose use cases, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain import clock
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import DoseUnit, EncounterStatus, Side, Technique
from clinic_app.domain.errors import ConflictError, NotFoundError, ValidationError
from clinic_app.models import Encounter, InjectionSite, SiteDose
from clinic_app.services.dto import (
    DoseInput,
    EncounterInput,
    EncounterView,
    SiteDraft,
    SiteInput,
)
from tests.conftest import Services
from tests.factories import medication_ids, register_patient, set_up_clinic


@dataclass
class Chart:
    s: Services
    patient_id: int
    provider_id: int
    meds: dict[str, int]


@pytest.fixture
def chart(services: Services) -> Chart:
    admin = set_up_clinic(services)
    p = register_patient(services)
    return Chart(services, p.id, admin.id, medication_ids(services))


def site(
    muscle: str = "trapezius_upper", side: Side | None = Side.RIGHT, **kw: object
) -> SiteInput:
    values: dict[str, object] = {"view": View.POSTERIOR, "point_x": 0.6, "point_y": 0.2}
    values.update(kw)
    return SiteInput(muscle_code=muscle, side=side, **values)  # type: ignore[arg-type]


def test_formulary_is_seeded_at_setup(chart: Chart) -> None:
    assert {
        "lidocaine_0_5",
        "lidocaine_1",
        "lidocaine_2",
        "bupivacaine_0_25",
        "bupivacaine_0_5",
        "triamcinolone_40",
        "methylprednisolone_acetate_40",
        "dexamethasone_4",
        "saline_0_9",
    } <= set(chart.meds)
    assert len(chart.meds) == 10


def save(
    chart: Chart,
    encounter_id: int,
    *sites: SiteInput | SiteDraft,
    form: EncounterInput | None = None,
    version: int | None = None,
) -> EncounterView:
    """Save the editor's whole content, as the GUI does (by default from the current version)."""
    if version is None:
        version = chart.s.encounters.get(encounter_id).version
    drafts = [s if isinstance(s, SiteDraft) else SiteDraft(s) for s in sites]
    return chart.s.encounters.save_draft(encounter_id, version, form or EncounterInput(), drafts)


def test_encounter_with_sites_and_exact_doses(chart: Chart) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    assert enc.status is EncounterStatus.DRAFT
    lido = next(m for m in chart.s.clinic.medications() if m.name.startswith("Lidocaine 1"))
    saved = save(
        chart,
        enc.id,
        SiteDraft(site(), (DoseInput(lido.id, "0.5"),)),
        site("gluteus_medius", Side.LEFT, technique=Technique.DRY_NEEDLING),
    )
    s1, s2 = saved.sites
    assert (s1.order_number, s2.order_number) == (1, 2)
    assert s1.doses[0].dose == Decimal("5")
    assert s1.doses[0].dose_unit is DoseUnit.MG
    assert s1.doses[0].volume_ml == Decimal("0.5")
    back = chart.s.encounters.get(enc.id)
    assert [x.muscle_code for x in back.sites] == ["trapezius_upper", "gluteus_medius"]
    assert back.sites[0].doses == s1.doses
    assert back.sites[1].technique is Technique.DRY_NEEDLING
    assert back.version == saved.version > enc.version


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (site(muscle="bicepz"), "muscle_code"),
        (site(side=None), "side"),
        (site(point_x=1.5), "point"),
        (site(needle_gauge=5), "needle_gauge"),
        (site("masseter", view=View.POSTERIOR), "view"),
    ],
)
def test_bad_sites_save_nothing(
    chart: Chart, db: sessionmaker[Session], bad: SiteInput, field: str
) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    with pytest.raises(ValidationError) as err:
        save(chart, enc.id, site("rhomboids"), bad)
    assert err.value.field == field
    with db() as s:
        assert s.scalar(select(func.count(InjectionSite.id))) == 0


@pytest.mark.parametrize(
    ("volume", "message"), [("-1", "more than 0"), ("500", "plausible"), ("abc", "number")]
)
def test_bad_dose_keeps_the_site_unsaved(
    chart: Chart, db: sessionmaker[Session], volume: str, message: str
) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    with pytest.raises(ValidationError, match=message):
        save(chart, enc.id, SiteDraft(site(), (DoseInput(chart.meds["lidocaine_1"], volume),)))
    with db() as s:
        assert s.scalar(select(func.count(InjectionSite.id))) == 0
        assert s.scalar(select(func.count(SiteDose.id))) == 0


def test_moving_changing_and_removing_sites_renumbers_them(chart: Chart) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    first = save(
        chart, enc.id, *(site(m) for m in ("trapezius_upper", "levator_scapulae", "rhomboids"))
    )
    moved = save(
        chart,
        enc.id,
        site("trapezius_middle", Side.LEFT, point_x=0.4, point_y=0.25),
        *(s.to_draft() for s in first.sites[1:]),
    )
    assert (moved.sites[0].muscle_code, moved.sites[0].side, moved.sites[0].point_x) == (
        "trapezius_middle",
        Side.LEFT,
        0.4,
    )
    changed = save(
        chart,
        enc.id,
        moved.sites[0].to_draft(),
        site("levator_scapulae", needle_gauge=25, needle_length_in="1.5"),
        moved.sites[2].to_draft(),
    )
    assert (changed.sites[1].needle_gauge, changed.sites[1].needle_length_in) == (
        25,
        Decimal("1.5"),
    )
    save(chart, enc.id, *(s.to_draft() for s in changed.sites[1:]))
    after = chart.s.encounters.get(enc.id)
    assert [(x.order_number, x.muscle_code) for x in after.sites] == [
        (1, "levator_scapulae"),
        (2, "rhomboids"),
    ]
    assert after.sites[0].needle_gauge == 25


def test_saving_replaces_the_doses(chart: Chart) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    lido = chart.meds["lidocaine_1"]
    save(chart, enc.id, SiteDraft(site(), (DoseInput(lido, "1"),)))
    tri = next(
        m
        for m in chart.s.clinic.medications()
        if m.drug_class == "corticosteroid" and m.concentration == Decimal("40")
    )
    lot = chart.s.clinic.add_lot(tri.id, "K123", clock.today() + timedelta(days=90))
    again = save(
        chart, enc.id, SiteDraft(site(), (DoseInput(lido, "1"), DoseInput(tri.id, "0.25", lot.id)))
    ).sites[0]
    assert [d.dose for d in again.doses] == [Decimal("10"), Decimal("10")]
    assert again.doses[1].lot_id == lot.id
    with pytest.raises(ValidationError, match="not a lot of"):
        save(chart, enc.id, SiteDraft(site(), (DoseInput(lido, "1", lot.id),)))
    assert chart.s.encounters.get(enc.id).sites[0].doses == again.doses


def test_form_round_trip_and_optimistic_lock(chart: Chart) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    form = EncounterInput(
        indication="neck pain",
        icd10_codes=("m79.18", "M54.2", "M79.18"),
        pain_before=7,
        pain_after=2,
        consent_obtained=True,
        screening={"anticoagulant": {"answer": False, "note": ""}},
    )
    saved = save(chart, enc.id, form=form, version=enc.version)
    assert saved.form.icd10_codes == ("M79.18", "M54.2")
    assert saved.form.pain_after == 2
    assert saved.form.screening == form.screening
    assert saved.version > enc.version
    with pytest.raises(ConflictError, match="another workstation"):
        save(chart, enc.id, form=replace(form, pain_after=3), version=enc.version)
    assert chart.s.encounters.get(enc.id).form.pain_after == 2


def test_needle_intact_and_disposition_round_trip(chart: Chart) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    assert enc.form.needle_intact is None
    assert enc.form.disposition == ""
    form = EncounterInput(needle_intact=True, disposition=" Home with a companion;\nstable ")
    saved = save(chart, enc.id, form=form)
    assert chart.s.encounters.get(enc.id).form.needle_intact is True
    assert chart.s.encounters.get(enc.id).form.disposition == "Home with a companion;\nstable"
    saved = save(
        chart,
        enc.id,
        form=replace(form, needle_intact=False, disposition=""),
        version=saved.version,
    )
    assert saved.form.needle_intact is False
    assert saved.form.disposition == ""
    with pytest.raises(ValidationError, match="Disposition"):
        save(chart, enc.id, form=EncounterInput(disposition="x" * 2001))


@pytest.mark.parametrize("pain", [-1, 11])
def test_pain_out_of_range(chart: Chart, pain: int) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    with pytest.raises(ValidationError, match="0–10"):
        save(chart, enc.id, form=EncounterInput(pain_before=pain))


def test_signed_encounter_is_read_only(chart: Chart, db: sessionmaker[Session]) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    saved = save(chart, enc.id, site())
    with db.begin() as s:
        row = s.get(Encounter, enc.id)
        assert row is not None
        row.status = EncounterStatus.SIGNED
    with pytest.raises(ConflictError, match="signed"):
        save(chart, enc.id, site(), site(), version=saved.version)
    with pytest.raises(ConflictError, match="signed"):
        save(chart, enc.id, version=saved.version)
    assert len(chart.s.encounters.get(enc.id).sites) == 1


def test_history_newest_first(chart: Chart) -> None:
    old = chart.s.encounters.create(
        chart.patient_id, chart.provider_id, datetime(2026, 1, 5, 15, tzinfo=UTC)
    )
    save(chart, old.id, site(), site(side=Side.LEFT))
    new = chart.s.encounters.create(
        chart.patient_id, chart.provider_id, datetime(2026, 2, 5, 15, tzinfo=UTC)
    )
    history = chart.s.encounters.history(chart.patient_id)
    assert [h.id for h in history] == [new.id, old.id]
    assert history[1].site_count == 2
    assert history[1].muscles == ("Trapezius (upper) L+R",)
    assert history[1].performed_at == datetime(2026, 1, 5, 15, tzinfo=UTC)
    assert history[0].provider_name == "Ana Ruiz"


def test_has_earlier_visit_looks_only_before_this_visit(chart: Chart) -> None:
    later = chart.s.encounters.create(
        chart.patient_id, chart.provider_id, datetime(2026, 2, 5, 15, tzinfo=UTC)
    )
    assert chart.s.encounters.has_earlier_visit(later.id) is False  # its own row does not count
    earlier = chart.s.encounters.create(
        chart.patient_id, chart.provider_id, datetime(2026, 1, 5, 15, tzinfo=UTC)
    )
    assert chart.s.encounters.has_earlier_visit(later.id) is True
    assert chart.s.encounters.has_earlier_visit(earlier.id) is False  # a later one does not
    with pytest.raises(NotFoundError):
        chart.s.encounters.has_earlier_visit(999_999)


def test_encounter_needs_active_patient_and_provider(chart: Chart) -> None:
    with pytest.raises(NotFoundError):
        chart.s.encounters.create(999_999, chart.provider_id)
    with pytest.raises(ValidationError, match="provider"):
        chart.s.encounters.create(chart.patient_id, 999_999)


def test_save_draft_replaces_everything_in_one_go(chart: Chart) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    save(chart, enc.id, site("rhomboids"))
    current = chart.s.encounters.get(enc.id)
    lido = chart.meds["lidocaine_1"]
    drafts = [
        SiteDraft(site("levator_scapulae", Side.LEFT), (DoseInput(lido, "1"),)),
        SiteDraft(site("trapezius_upper", Side.RIGHT, needle_gauge=27)),
    ]
    saved = chart.s.encounters.save_draft(
        enc.id, current.version, EncounterInput(pain_before=6), drafts
    )
    assert [(x.order_number, x.muscle_code, x.side) for x in saved.sites] == [
        (1, "levator_scapulae", Side.LEFT),
        (2, "trapezius_upper", Side.RIGHT),
    ]
    assert saved.sites[0].doses[0].dose == Decimal("10")
    assert saved.form.pain_before == 6
    # A stale copy is refused and nothing changes.
    with pytest.raises(ConflictError):
        chart.s.encounters.save_draft(enc.id, current.version, EncounterInput(), [])
    assert len(chart.s.encounters.get(enc.id).sites) == 2


def test_save_draft_with_a_bad_site_saves_nothing(chart: Chart) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    with pytest.raises(ValidationError, match="Unknown muscle"):
        chart.s.encounters.save_draft(
            enc.id,
            enc.version,
            EncounterInput(pain_before=3),
            [SiteDraft(site()), SiteDraft(site("nope"))],
        )
    again = chart.s.encounters.get(enc.id)
    assert again.sites == ()
    assert again.form.pain_before is None


def test_repeat_last_visit_copies_sites_and_flags_what_changed(chart: Chart) -> None:
    tri = chart.meds["triamcinolone_40"]
    old_lot = chart.s.clinic.add_lot(tri, "OLD", date(2026, 1, 31))
    first = chart.s.encounters.create(
        chart.patient_id, chart.provider_id, datetime(2026, 1, 5, 15, tzinfo=UTC)
    )
    save(
        chart,
        first.id,
        SiteDraft(site(), (DoseInput(chart.meds["lidocaine_1"], "1"),)),
        SiteDraft(site("levator_scapulae", Side.LEFT), (DoseInput(tri, "0.25", old_lot.id),)),
        form=EncounterInput(
            indication="neck pain", icd10_codes=("M54.2",), pain_before=8, consent_obtained=True
        ),
    )
    repeated = chart.s.encounters.repeat_last_visit(
        chart.patient_id, chart.provider_id, today=date(2026, 2, 20)
    )
    new = repeated.encounter
    assert new.id != first.id
    assert new.status is EncounterStatus.DRAFT
    assert repeated.previous_id == first.id
    assert [(x.muscle_code, x.side) for x in new.sites] == [
        ("trapezius_upper", Side.RIGHT),
        ("levator_scapulae", Side.LEFT),
    ]
    assert new.sites[0].doses[0].volume_ml == Decimal("1")
    assert new.sites[1].doses[0].lot_id is None  # expired lot cleared
    assert repeated.changed_sites == (2,)
    assert any("OLD expired" in c for c in repeated.changes)
    assert new.form.indication == "neck pain"
    assert new.form.icd10_codes == ("M54.2",)
    assert new.form.pain_before is None  # today's scores are today's
    assert not new.form.consent_obtained


def test_repeat_without_history_is_a_clear_error(chart: Chart) -> None:
    with pytest.raises(NotFoundError, match="no earlier visit"):
        chart.s.encounters.repeat_last_visit(chart.patient_id, chart.provider_id)


def test_repeat_skips_an_empty_draft_and_prefers_the_signed_visit(
    chart: Chart, db: sessionmaker[Session]
) -> None:
    signed = chart.s.encounters.create(
        chart.patient_id, chart.provider_id, datetime(2026, 1, 5, 15, tzinfo=UTC)
    )
    save(chart, signed.id, site("rhomboids"))
    with db.begin() as s:
        row = s.get(Encounter, signed.id)
        assert row is not None
        row.status = EncounterStatus.SIGNED
    chart.s.encounters.create(chart.patient_id, chart.provider_id)  # today's empty draft
    repeated = chart.s.encounters.repeat_last_visit(chart.patient_id, chart.provider_id)
    assert repeated.previous_id == signed.id
    assert [x.muscle_code for x in repeated.encounter.sites] == ["rhomboids"]


def test_an_untouched_draft_can_be_discarded_but_nothing_charted_is(chart: Chart) -> None:
    empty = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    assert chart.s.encounters.discard_if_empty(empty.id, expected_version=empty.version)
    with pytest.raises(NotFoundError):
        chart.s.encounters.get(empty.id)
    typed = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    save(chart, typed.id, form=EncounterInput(indication="x"))
    latest = chart.s.encounters.get(typed.id).version
    assert not chart.s.encounters.discard_if_empty(typed.id, expected_version=latest)
    charted = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    save(chart, charted.id, site())
    latest = chart.s.encounters.get(charted.id).version
    assert not chart.s.encounters.discard_if_empty(charted.id, expected_version=latest)


def test_doses_on_dry_needling_and_float_volumes_are_refused(chart: Chart) -> None:
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    lido = chart.meds["lidocaine_1"]
    with pytest.raises(ValidationError, match="dry-needling"):
        save(
            chart,
            enc.id,
            SiteDraft(site(technique=Technique.DRY_NEEDLING), (DoseInput(lido, "1"),)),
        )
    with pytest.raises(ValidationError, match="exact decimal"):
        save(chart, enc.id, SiteDraft(site(), (DoseInput(lido, 1.5),)))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="not an ICD-10"):
        save(chart, enc.id, form=EncounterInput(icd10_codes=("hello!!",)))
    assert chart.s.encounters.get(enc.id).version == enc.version


def test_a_new_encounter_is_dated_by_the_app_clock(chart: Chart, set_now) -> None:
    from datetime import UTC, datetime

    set_now(datetime(2031, 6, 1, 15, 0, tzinfo=UTC))
    enc = chart.s.encounters.create(chart.patient_id, chart.provider_id)
    assert chart.s.encounters.get(enc.id).performed_at == datetime(2031, 6, 1, 15, 0, tzinfo=UTC)
