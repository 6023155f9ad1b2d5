"""A synthetic demo clinic for ``clinic-app seed-demo``: never for a real database.

The generator is deterministic for a given seed, refuses any database that already holds
a clinic, a user or a patient, and marks the clinic profile ``is_demo`` so the GUI shows a
banner. Everything is written in one transaction: a failure leaves the database empty.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.bodymap import FigureView, default_bodymap
from clinic_app.domain.catalog import View, default_catalog
from clinic_app.domain.enums import (
    Aspiration,
    EncounterStatus,
    Language,
    Role,
    Sex,
    Side,
    SkinPrep,
    Technique,
    Tolerance,
    TwitchResponse,
)
from clinic_app.domain.errors import ConflictError
from clinic_app.domain.validation import search_key
from clinic_app.models import (
    ClinicProfile,
    Encounter,
    InjectionSite,
    Medication,
    MedicationLot,
    Patient,
    SiteDose,
    User,
)
from clinic_app.services.base import Actor, Service
from clinic_app.services.clinic import ClinicService, dose_unit_for, hash_password, seed_formulary
from clinic_app.services.demo_names import FRONT_DESK, POOLS, PROVIDERS, WEIGHTS

#: Printed by the CLI so that ``make demo`` can sign in. Demo databases only.
DEMO_PASSWORD = "demo-password"

# Typical presentations: the muscles a provider injects together in a series.
_PATTERNS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "neck and shoulder pain",
        (
            "trapezius_upper",
            "levator_scapulae",
            "trapezius_middle",
            "rhomboids",
            "splenius_capitis",
        ),
        ("M79.12", "M54.2"),
    ),
    (
        "low back pain",
        ("quadratus_lumborum", "lumbar_paraspinals", "gluteus_medius", "gluteus_maximus"),
        ("M54.50", "M62.830"),
    ),
    (
        "buttock pain radiating to the thigh",
        ("piriformis", "gluteus_medius", "hamstrings"),
        ("M79.18",),
    ),
    (
        "tension-type headache",
        ("suboccipitals", "trapezius_upper", "sternocleidomastoid", "temporalis"),
        ("G44.209",),
    ),
    ("jaw and temple pain", ("masseter", "temporalis"), ("M79.18",)),
    (
        "shoulder blade pain",
        ("infraspinatus", "rhomboids", "thoracic_paraspinals", "trapezius_lower", "supraspinatus"),
        ("M79.12",),
    ),
)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    providers: int
    patients: int
    encounters: int
    sites: int


class DemoSeeder(Service):
    """Fills an empty database with a synthetic clinic."""

    def seed(
        self,
        *,
        patients: int = 220,
        seed: int = 20261123,
        today: date | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> DemoSummary:
        if not ClinicService(self._sessions).is_empty():
            raise ConflictError(
                "This database already holds data; demo patients are only "
                "ever written to an empty database."
            )
        rng = random.Random(seed)
        day = today or date.today()
        with self._tx() as session:
            users = self._users(session)
            meds, lots = self._formulary(session, day)
            people = self._patients(session, rng, patients, day)
            if progress:
                progress(f"{len(people)} patients")
            encounters, sites = self._encounters(session, rng, people, users, meds, lots, day)
            self._audit(session, "demo.seed", "clinic_profile", None)
            return DemoSummary(len(users), len(people), encounters, sites)

    def _users(self, session: Session) -> list[User]:
        session.add(
            ClinicProfile(
                name="Riverside Pain & Motion (demo)",
                address="100 Example Street\nSpringfield",
                phone="555-0100",
                after_hours_phone="555-0199",
                is_demo=True,
            )
        )
        hashed = hash_password(DEMO_PASSWORD)  # one hash: argon2 is slow on purpose
        providers = [
            User(
                username=u,
                display_name=n,
                credentials=c,
                password_hash=hashed,
                role=Role.ADMIN if i == 0 else Role.PROVIDER,
                is_provider=True,
            )
            for i, (u, n, c) in enumerate(PROVIDERS)
        ]
        desk = User(
            username=FRONT_DESK[0],
            display_name=FRONT_DESK[1],
            password_hash=hashed,
            role=Role.FRONT_DESK,
        )
        session.add_all([*providers, desk])
        session.flush()
        self._actor.user_id = providers[0].id
        return providers

    @staticmethod
    def _formulary(
        session: Session, day: date
    ) -> tuple[dict[str, Medication], dict[str, MedicationLot]]:
        seed_formulary(session)
        session.flush()
        meds = {m.code: m for m in session.scalars(select(Medication))}
        lots = {}
        for i, code in enumerate(("lidocaine_1", "bupivacaine_0_25", "triamcinolone_40")):
            lot = MedicationLot(
                medication=meds[code],
                lot_number=f"DEMO-{1000 + i}",
                expires_on=day + timedelta(days=200 + 60 * i),
            )
            session.add(lot)
            lots[code] = lot
        session.add(
            MedicationLot(
                medication=meds["lidocaine_1"],
                lot_number="DEMO-0999",
                expires_on=day - timedelta(days=30),
            )
        )  # an expired lot
        session.flush()
        return meds, lots

    @staticmethod
    def _patients(session: Session, rng: random.Random, count: int, day: date) -> list[Patient]:
        names = list(WEIGHTS)
        weights = [WEIGHTS[n] for n in names]
        people = []
        for i in range(count):
            women, men, family_pool, language = POOLS[rng.choices(names, weights)[0]]
            sex = rng.choice((Sex.FEMALE, Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.OTHER))
            given_pool = {Sex.FEMALE: women, Sex.MALE: men}.get(sex, women + men)
            given, family = rng.choice(given_pool), rng.choice(family_pool)
            born = day - timedelta(days=rng.randint(19 * 365, 88 * 365))
            weight = Decimal(rng.randint(480, 1250)) / 10 if rng.random() > 0.08 else None
            people.append(
                Patient(
                    mrn=f"D{100001 + i}",
                    given_name=given,
                    family_name=family,
                    given_key=search_key(given),
                    family_key=search_key(family),
                    date_of_birth=born,
                    sex=sex,
                    weight_kg=weight,
                    weight_measured_on=day - timedelta(days=rng.randint(0, 400))
                    if weight
                    else None,
                    preferred_language=language if rng.random() > 0.1 else Language.ENGLISH,
                    phone=f"555-{rng.randint(1000, 9999)}",
                    allergies=rng.choice(("", "", "", "penicillin", "sulfa", "latex", "codeine")),
                    anticoagulant=rng.random() < 0.12,
                    diabetes=rng.random() < 0.15,
                    pregnant_or_breastfeeding=sex == Sex.FEMALE and rng.random() < 0.02,
                )
            )
        session.add_all(people)
        session.flush()
        return people

    def _encounters(
        self,
        session: Session,
        rng: random.Random,
        people: list[Patient],
        providers: list[User],
        meds: dict[str, Medication],
        lots: dict[str, MedicationLot],
        day: date,
    ) -> tuple[int, int]:
        catalog = default_catalog()
        encounters = sites = 0
        start = day - timedelta(days=730)
        now = datetime.now(UTC)
        for patient in people:
            indication, muscles, codes = rng.choice(_PATTERNS)
            provider = rng.choice(providers)
            visit = start + timedelta(days=rng.randint(0, 600))
            while visit <= day:
                # Clinic hours on this workstation's clock, stored in UTC; never in the future.
                performed = datetime(
                    visit.year,
                    visit.month,
                    visit.day,
                    rng.randint(8, 16),
                    rng.choice((0, 15, 30, 45)),
                ).astimezone(UTC)
                performed = min(performed, now - timedelta(minutes=rng.randint(5, 90)))
                is_today = visit == day
                pain = rng.randint(5, 9)
                enc = Encounter(
                    patient_id=patient.id,
                    provider_id=provider.id,
                    performed_at=performed,
                    indication=indication,
                    icd10_codes=list(codes),
                    consent_obtained=True,
                    time_out_done=True,
                    skin_prep=rng.choice(list(SkinPrep)),
                    pain_before=pain,
                    pain_after=max(0, pain - rng.randint(2, 6)),
                    tolerance=rng.choice((Tolerance.WELL,) * 8 + (Tolerance.FAIR,)),
                    complications="none",
                    follow_up_plan="Repeat in 3 to 4 weeks if helpful.",
                    status=EncounterStatus.DRAFT,
                )
                # Charted as a draft, signed once its sites are stored: the database refuses
                # sites added to a signed visit (migration 0005).
                signed = not (is_today and rng.random() < 0.5)
                dry = rng.random() < 0.15
                chosen = rng.sample(muscles, k=rng.randint(1, min(4, len(muscles))))
                for muscle in chosen:
                    for side in rng.sample((Side.LEFT, Side.RIGHT), k=rng.randint(1, 2)):
                        enc.sites.append(
                            self._site(
                                rng,
                                catalog.get(muscle).code,
                                side,
                                len(enc.sites) + 1,
                                dry,
                                meds,
                                lots,
                            )
                        )
                sites += len(enc.sites)
                session.add(enc)
                if signed:
                    session.flush()
                    enc.status = EncounterStatus.SIGNED
                    enc.signed_by_id = provider.id
                    enc.signed_at = min(performed + timedelta(minutes=20), now)
                encounters += 1
                visit += timedelta(days=rng.choice((14, 21, 28, 28, 35, 42, 56, 90)))
            if rng.random() < 0.1:  # a few patients are in the chair today
                session.add(
                    Encounter(
                        patient_id=patient.id,
                        provider_id=provider.id,
                        performed_at=datetime.now(UTC),
                        indication=indication,
                    )
                )
                encounters += 1
        session.flush()
        return encounters, sites

    @staticmethod
    def _site(
        rng: random.Random,
        muscle: str,
        side: Side,
        number: int,
        dry: bool,
        meds: dict[str, Medication],
        lots: dict[str, MedicationLot],
    ) -> InjectionSite:
        view, x, y = _demo_point(rng, muscle, side)
        site = InjectionSite(
            order_number=number,
            muscle_code=muscle,
            side=side,
            view=view,
            point_x=x,
            point_y=y,
            technique=Technique.DRY_NEEDLING if dry else Technique.INJECTION,
            needle_gauge=30 if dry else rng.choice((25, 25, 27)),
            needle_length_in=Decimal("1.5"),
            twitch_response=rng.choice(list(TwitchResponse)),
            aspiration=Aspiration.NOT_DONE if dry else Aspiration.NEGATIVE,
        )
        if not dry:
            anesthetic = meds["lidocaine_1"] if rng.random() < 0.8 else meds["bupivacaine_0_25"]
            volume = rng.choice((Decimal("0.5"), Decimal("1"), Decimal("1"), Decimal("1.5")))
            site.doses.append(_dose(anesthetic, volume, lots.get(anesthetic.code)))
            if rng.random() < 0.25:
                site.doses.append(
                    _dose(meds["triamcinolone_40"], Decimal("0.25"), lots["triamcinolone_40"])
                )
        return site


def _demo_point(rng: random.Random, muscle: str, side: Side) -> tuple[View, float, float]:
    """A point on the muscle's region near its standard point, in normalised coordinates.

    The first view the catalog lists is used; the jitter stays inside the region, so the
    demo's markers sit on the muscle they name, as a provider's clicks would.
    """
    view = default_catalog().get(muscle).views[0]
    figure = default_bodymap()[FigureView.for_site(view, side)]
    region = figure.region(muscle, side)
    assert region is not None, (muscle, side)
    cx, cy = figure.standard_point(region)
    x, y = cx, cy
    for _ in range(10):
        jx, jy = cx + rng.uniform(-6, 6), cy + rng.uniform(-6, 6)
        if region.contains(jx, jy):
            x, y = jx, jy
            break
    nx, ny = figure.normalise(x, y)
    return view, round(nx, 4), round(ny, 4)


def _dose(med: Medication, volume: Decimal, lot: MedicationLot | None) -> SiteDose:
    return SiteDose(
        medication_id=med.id,
        lot_id=lot.id if lot else None,
        volume_ml=volume,
        dose=med.concentration * volume,
        dose_unit=dose_unit_for(med.concentration_unit),
    )


def seed_demo(sessions: sessionmaker[Session], **kwargs: object) -> DemoSummary:
    """Fill an empty database with the demo clinic (see :class:`DemoSeeder`)."""
    return DemoSeeder(sessions, Actor()).seed(**kwargs)  # type: ignore[arg-type]
