from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.errors import ConflictError
from clinic_app.services.demo import seed_demo
from clinic_app.services.dto import PatientInput
from tests.conftest import Services


def test_demo_clinic_on_each_backend(db: sessionmaker[Session], services: Services) -> None:
    summary = seed_demo(db, patients=25, seed=3, today=date(2026, 11, 23))
    assert summary.patients == 25
    assert summary.encounters > 25
    profile = services.clinic.profile()
    assert profile is not None
    assert profile.is_demo
    everyone = services.patients.search("")
    assert len(everyone) == 25
    some = everyone[0]
    assert some.id in {p.id for p in services.patients.search(some.family_name.lower())}
    history = services.encounters.history(some.id)
    assert history
    assert all(h.site_count >= 0 for h in history)


def test_demo_cannot_be_seeded_twice(db: sessionmaker[Session], services: Services) -> None:
    seed_demo(db, patients=5, seed=11, today=date(2026, 11, 23))
    first = [(p.mrn, p.family_name) for p in services.patients.search("")]
    assert len(first) == 5
    with pytest.raises(ConflictError, match="already holds data"):
        seed_demo(db, patients=5, seed=11)


def test_demo_refuses_a_database_with_only_a_patient(
    db: sessionmaker[Session], services: Services
) -> None:
    services.patients.create(PatientInput("R1", "Real", "Person", date(1970, 1, 1)))
    with pytest.raises(ConflictError):
        seed_demo(db, patients=5)
    assert services.patients.count() == 1


def test_demo_markers_sit_on_the_muscle_they_name(
    db: sessionmaker[Session], services: Services
) -> None:
    from clinic_app.domain.bodymap import FigureView, Layer, default_bodymap

    seed_demo(db, patients=15, seed=5, today=date(2026, 11, 23))
    bodymap = default_bodymap()
    checked = 0
    for patient in services.patients.search(""):
        for summary in services.encounters.history(patient.id)[:2]:
            for site in services.encounters.get(summary.id).sites:
                figure = bodymap[FigureView.for_site(site.view, site.side)]
                region = figure.region(site.muscle_code, site.side)
                assert region is not None
                hit = figure.hit_test(
                    *figure.denormalise(site.point_x, site.point_y), deep=region.layer is Layer.DEEP
                )
                assert hit is region, (site.muscle_code, site.side)
                checked += 1
    assert checked > 20
