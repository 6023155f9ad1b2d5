"""A synthetic demo clinic for ``clinic-app seed-demo``: never for a real database.

The generator is deterministic for a given seed (apart from "now"), refuses any database that
already holds a clinic, a user or a patient, and marks the clinic profile ``is_demo`` so the GUI
shows a banner.

Visits are charted and signed the way the encounter editor does it: ``create``,
``save_draft`` (the autosave), ``assess_draft`` (the sign dialog's checks) and ``sign`` with a
typed reason for each warning that asks for one. So every signed demo note passed the same
checks as a note signed in the app; a visit the checks would block is a bug in the demo, which
stops with the checks' message instead of writing around them. The signing service's clock is
set to a few minutes after each visit, so signatures carry a plausible time.

Every service call runs inside one database transaction for the whole clinic (see
:func:`one_transaction`): a failure leaves the database empty, and SQLite does not sync the
disk after each of some 12,000 calls.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain import clock
from clinic_app.domain.clock import clinic_day
from clinic_app.domain.enums import Language, Role, Sex
from clinic_app.domain.errors import ConflictError, ValidationError
from clinic_app.domain.formulary import default_formulary
from clinic_app.domain.pain_drawing_rank import default_pattern_index
from clinic_app.models import ClinicProfile, Medication, User
from clinic_app.models.base import utcnow
from clinic_app.services.accounts import check_npi, hash_password, user_view
from clinic_app.services.base import Actor, Service
from clinic_app.services.checks import ChecksService
from clinic_app.services.clinic import ClinicService
from clinic_app.services.demo_charting import (
    Charted,
    Memory,
    PatientFacts,
    chart_visit,
    override_reason,
)
from clinic_app.services.demo_names import DEMO_PASSWORD, FRONT_DESK, POOLS, PROVIDERS, WEIGHTS
from clinic_app.services.demo_outcomes import answers, drawing_for, wants_questionnaire
from clinic_app.services.demo_stock import Stock, StockLot, fill_shelf, lot_deliveries
from clinic_app.services.demo_story import STOCKED, Slot, Story, make_story, schedule
from clinic_app.services.dto import MeasureEntry, PatientInput, PatientView, UserView
from clinic_app.services.encounters import EncounterService
from clinic_app.services.formulary import seed_formulary
from clinic_app.services.outcome_measures import OutcomeMeasureService
from clinic_app.services.pain_drawing import PainDrawingService
from clinic_app.services.patients import PatientService

DEMO_TIMEZONE = "America/Chicago"
#: How far back the demo's visits go.
HISTORY_DAYS = 730
#: A weight older than this is measured again at the visit (the clinic's limit is 180 days).
REWEIGH_AFTER_DAYS = 150
#: Typed when a warning has no demo wording (see DemoSummary.unworded).
FALLBACK_REASON = "Reviewed with the patient before treatment; the benefit outweighs this concern."


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What was written.

    Attributes:
        signed: visits signed through the signing service (the rest are today's drafts).
        overridden: signed visits that needed at least one typed reason.
        overrides: (rule id, number of signed visits that overrode it), most frequent first.
        unworded: overrides typed with the generic fallback (a rule the demo has no words for).
        questionnaires: NDI / ODI questionnaires recorded with visits.
        pain_drawings: visits with a pain drawing (the first of each series).
    """

    providers: int
    patients: int
    encounters: int
    sites: int
    signed: int = 0
    overridden: int = 0
    overrides: tuple[tuple[str, int], ...] = ()
    unworded: int = 0
    questionnaires: int = 0
    pain_drawings: int = 0


class _VisitClock:
    """The demo's clock: when the action being written happened (a registration, a visit,
    its signing, a delivery), so its audit row carries that historical time."""

    def __init__(self) -> None:
        self.at = utcnow()

    def __call__(self) -> datetime:
        return self.at


def pick_name(rng: random.Random) -> tuple[str, str, Sex, Language]:
    """(given name, family name, sex, usual language) from every tradition demo_names lists.

    A tradition missing from WEIGHTS is still drawn (weight 2), so a pool added there shows
    up in the demo without a change here.
    """
    names = list(POOLS)
    women, men, families, language = POOLS[
        rng.choices(names, [WEIGHTS.get(n, 2) for n in names])[0]
    ]
    sex = rng.choice((Sex.FEMALE, Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.OTHER))
    given = {Sex.FEMALE: women, Sex.MALE: men}.get(sex, women + men)
    return rng.choice(given), rng.choice(families), sex, language


def fake_npi(rng: random.Random) -> str:
    """A made-up NPI whose check digit is valid (checked by the app's own rule)."""
    body = "1" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    for digit in "0123456789":
        try:
            return check_npi(body + digit)
        except ValidationError:
            continue
    raise AssertionError("one of ten check digits is valid")  # pragma: no cover


@contextmanager
def one_transaction(sessions: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    """Sessions that share one database transaction, committed when the block ends.

    Each service call still opens and "commits" its own session, but the commit only flushes
    into the shared transaction; any error rolls all of it back. A factory already bound to a
    connection (a test's outer transaction) is used as it is.
    """
    bind = sessions.kw.get("bind")
    if not isinstance(bind, Engine):
        yield sessions
        return
    with bind.connect() as connection, connection.begin():
        yield sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only"
        )


#: Patients with a chart open "now" in the demo (one per treatment room).
MAX_IN_CHAIR = 3


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
        """Write ``patients`` patients with about two years of visits ending ``today``."""
        self._permit("demo.seed")
        if not ClinicService(self._sessions).is_empty():
            raise ConflictError(
                "This database already holds data; demo patients are only "
                "ever written to an empty database."
            )
        # One transaction for the whole clinic (measured ~20% faster than a commit per call
        # on SQLite, and a failure leaves the database empty); each call is still the service
        # method the editor uses.
        # No anchor while seeding: the shared transaction may still roll back, and an anchor
        # moved by the services' inner "commits" would then name rows that never existed.
        seal = replace(self._seal, anchor=None)
        with one_transaction(self._sessions) as sessions:
            return DemoSeeder(sessions, self._actor, seal=seal)._seed(
                patients, seed, today, progress
            )

    def _seed(
        self,
        patients: int,
        seed: int,
        today: date | None,
        progress: Callable[[str], None] | None,
    ) -> DemoSummary:
        rng = random.Random(seed)
        self._now = clock.now()
        self._day = today or clinic_day(self._now, DEMO_TIMEZONE)
        self._zone = ZoneInfo(DEMO_TIMEZONE)
        with self._tx() as session:
            providers = self._users(session, rng)
            seed_formulary(session)
        self._visit_clock = _VisitClock()
        self._stock = self._lots(rng)
        then, seal = self._visit_clock, self._seal
        self._patients = PatientService(self._sessions, self._actor, clock=then, seal=seal)
        self._encounters = EncounterService(self._sessions, self._actor, clock=then, seal=seal)
        self._checks = ChecksService(self._sessions, self._actor, clock=then, seal=seal)
        self._measures = OutcomeMeasureService(self._sessions, self._actor, clock=then, seal=seal)
        self._drawings = PainDrawingService(self._sessions, self._actor, clock=then, seal=seal)
        # Questionnaires and pain drawings draw from their own generator: the patients,
        # visits and lots stay what they are without them.
        self._outcome_rng = random.Random(seed + 1)
        self._patterns = default_pattern_index()
        self._counts: Counter[str] = Counter()
        self._overrides: Counter[str] = Counter()
        for number in range(1, patients + 1):
            self._patient(rng, number, providers)
            if progress and (number % max(1, patients // 10) == 0 or number == patients):
                progress(
                    f"{number}/{patients} patients, {self._counts['signed']} visits signed "
                    f"({self._counts['overridden']} with a typed reason)"
                )
        self._visit_clock.at = self._now
        with self._tx() as session:
            fill_shelf(session, rng, self._stock, self._day, self._actor.user_id)
            self._audit(session, "demo.seed", "clinic_profile", None)
        c = self._counts
        return DemoSummary(
            providers=len(providers),
            patients=patients,
            encounters=c["encounters"],
            sites=c["sites"],
            signed=c["signed"],
            overridden=c["overridden"],
            overrides=tuple(self._overrides.most_common()),
            unworded=c["unworded"],
            questionnaires=c["questionnaires"],
            pain_drawings=c["pain_drawings"],
        )

    # ------------------------------------------------------------------ the clinic
    def _users(self, session: Session, rng: random.Random) -> list[UserView]:
        session.add(
            ClinicProfile(
                name="Riverside Pain & Motion (demo)",
                address="100 Example Street\nSpringfield, IL 62701",
                phone="555-0100",
                after_hours_phone="555-0199",
                timezone=DEMO_TIMEZONE,
                is_demo=True,
            )
        )
        hashed = hash_password(DEMO_PASSWORD)  # one hash: argon2 is slow on purpose
        providers = [
            User(
                username=u,
                display_name=n,
                credentials=c,
                npi=fake_npi(rng),
                password_hash=hashed,
                # The first provider also keeps the clinic (users, lots): admin too.
                roles=frozenset({Role.ADMIN, Role.PROVIDER} if i == 0 else {Role.PROVIDER}),
            )
            for i, (u, n, c) in enumerate(PROVIDERS)
        ]
        desk = User(
            username=FRONT_DESK[0],
            display_name=FRONT_DESK[1],
            password_hash=hashed,
            roles=frozenset({Role.FRONT_DESK}),
        )
        session.add_all([*providers, desk])
        session.flush()
        views = [user_view(p) for p in providers]
        self._actor.sign_in(views[0].id, views[0].roles)
        return views

    def _lots(self, rng: random.Random) -> Stock:
        """Deliveries of every stocked product over the demo's two years, through the service."""
        clinic = ClinicService(
            self._sessions, self._actor, clock=self._visit_clock, seal=self._seal
        )
        with self._tx() as session:
            ids = {m.code: m.id for m in session.scalars(select(Medication))}
        first = self._day - timedelta(days=HISTORY_DAYS)
        lots: dict[str, list[StockLot]] = {}
        for code in STOCKED:
            lots[code] = []
            for number, received, expires in lot_deliveries(rng, code, first, self._day):
                self._visit_clock.at = self._local(received, time(8, 0))
                view = clinic.add_lot(ids[code], number, expires)
                lots[code].append(StockLot(view.id, number, received, expires))
        entries = {e.code: e for e in default_formulary()}
        return Stock(entries, ids, lots)

    # ------------------------------------------------------------------ one patient
    def _patient(self, rng: random.Random, number: int, providers: list[UserView]) -> None:
        given, family, sex, language = pick_name(rng)
        born = self._day - timedelta(days=rng.randint(19 * 365, 88 * 365))
        medicare = (self._day - born).days >= 65 * 365 and rng.random() < 0.85
        story = make_story(rng, medicare=medicare, anticoagulant=rng.random() < 0.12)
        start = self._day - timedelta(days=HISTORY_DAYS - rng.randint(0, 600))
        slots = schedule(rng, start, self._day, medicare=medicare)
        weight = Decimal(rng.randint(480, 1250)) / 10 if rng.random() > 0.05 else None
        first_day = slots[0].day if slots else self._day
        # Registered at the front desk on the morning of the first visit.
        self._visit_clock.at = self._local(first_day, time(7, 45))
        patient = self._patients.create(
            PatientInput(
                mrn=f"D{100000 + number}",
                given_name=given,
                family_name=family,
                date_of_birth=born,
                sex=sex,
                weight_kg=weight,
                weight_measured_on=first_day - timedelta(days=rng.randint(0, 20))
                if weight
                else None,
                preferred_language=language if rng.random() > 0.1 else Language.ENGLISH,
                phone=f"555-{rng.randint(1000, 9999)}",
                allergies=rng.choice(("", "", "", "penicillin", "sulfa", "latex", "codeine")),
                anticoagulant=bool(story.anticoagulant),
                diabetes=rng.random() < 0.15,
                pregnant_or_breastfeeding=sex == Sex.FEMALE
                and (self._day - born).days < 45 * 365
                and rng.random() < 0.03,
                payer="medicare" if medicare else "none",
            ),
            today=self._day,
        )
        provider = rng.choice(providers)
        memory = Memory()
        for slot in slots:
            performed = self._clinic_time(rng, slot.day)
            if performed > self._now - timedelta(minutes=15):
                continue  # later today: not seen yet
            self._visit_clock.at = performed
            patient = self._reweigh(rng, patient, slot.day)
            self._visit(rng, patient, provider, story, slot, performed, memory)
        in_chair = self._counts.get("in_chair", 0)
        if (
            in_chair < MAX_IN_CHAIR
            and rng.random() < 0.1
            and (not slots or slots[-1].day < self._day)
        ):
            # In the chair today: an empty draft, opened in the last half hour (or during
            # "today"'s hours); a clinic has a few rooms, not a waiting room of open charts.
            now_today = self._day == clinic_day(self._now, DEMO_TIMEZONE)
            at = (
                self._now - timedelta(minutes=5 + 10 * in_chair)
                if now_today
                else self._clinic_time(rng, self._day)
            )
            self._visit_clock.at = at
            self._encounters.create(patient.id, provider.id, performed_at=at)
            self._counts["encounters"] += 1
            self._counts["in_chair"] = in_chair + 1

    def _local(self, day: date, at: time) -> datetime:
        """``at`` on ``day`` in the clinic's zone, in UTC, never later than now."""
        return min(datetime.combine(day, at, tzinfo=self._zone).astimezone(UTC), self._now)

    def _clinic_time(self, rng: random.Random, day: date) -> datetime:
        """A clinic-hours appointment on ``day`` (8:00 to 16:45 in the clinic's zone), in UTC."""
        local = time(rng.randint(8, 16), rng.choice((0, 15, 30, 45)))
        return datetime.combine(day, local, tzinfo=self._zone).astimezone(UTC)

    def _reweigh(self, rng: random.Random, patient: PatientView, day: date) -> PatientView:
        """Weigh the patient at this visit when the weight on file is old."""
        kg, measured = patient.weight_kg, patient.weight_measured_on
        if kg is None or measured is None or (day - measured).days <= REWEIGH_AFTER_DAYS:
            return patient
        new = (kg * Decimal(str(1 + rng.uniform(-0.03, 0.03)))).quantize(Decimal("0.1"))
        data = replace(patient.to_input(), weight_kg=new, weight_measured_on=day)
        return self._patients.update(
            patient.id, data, today=self._day, expected_version=patient.version
        )

    def _visit(
        self,
        rng: random.Random,
        patient: PatientView,
        provider: UserView,
        story: Story,
        slot: Slot,
        performed: datetime,
        memory: Memory,
    ) -> None:
        """Chart one visit as the editor does and, unless it is left for later today, sign it."""
        facts = PatientFacts(
            patient.weight_kg, patient.diabetes, patient.pregnant_or_breastfeeding,
            patient.preferred_language,
        )  # fmt: skip
        charted = chart_visit(rng, story, facts, slot, memory, self._stock)
        # The provider charts and signs their own visit.
        self._actor.sign_in(provider.id, provider.roles)
        view = self._encounters.create(patient.id, provider.id, performed_at=performed)
        view = self._encounters.save_draft(view.id, view.version, charted.form, charted.sites)
        self._outcomes(story, slot, view.id, charted)
        self._counts["encounters"] += 1
        self._counts["sites"] += len(charted.sites)
        if slot.day == self._day and rng.random() < 0.5:
            return  # charted this morning, not signed yet
        checks = self._checks.assess_draft(view.id, charted.form, charted.sites)
        if checks.blocks:
            listed = "; ".join(f"{f.rule}: {f.message}" for f in checks.blocks)
            raise AssertionError(f"demo visit on {slot.day} would be refused: {listed}")
        reasons: dict[str, str] = {}
        for finding in checks.reasons_needed:
            if finding.rule in reasons:
                continue
            reason = override_reason(rng, finding.rule, story, charted)
            if reason is None:
                reason = FALLBACK_REASON
                self._counts["unworded"] += 1
            reasons[finding.rule] = reason
            self._overrides[finding.rule] += 1
        self._visit_clock.at = min(performed + timedelta(minutes=rng.randint(10, 40)), self._now)
        self._checks.sign(view.id, view.version, charted.form, charted.sites, reasons)
        self._counts["signed"] += 1
        self._counts["overridden"] += bool(reasons)

    def _outcomes(self, story: Story, slot: Slot, encounter_id: int, charted: Charted) -> None:
        """What the patient fills in at this visit: a questionnaire (the first of a series and
        about a third of the others), and at the first of a series a pain drawing."""
        rng = self._outcome_rng
        measure = wants_questionnaire(
            rng, story.pattern.region, first_of_series=slot.first_of_series
        )
        if measure is not None:
            self._measures.record(
                MeasureEntry(
                    measure,
                    answers(rng, charted.form.pain_before),
                    slot.day,
                    encounter_id=encounter_id,
                )
            )
            self._counts["questionnaires"] += 1
        if slot.first_of_series:
            drawing = drawing_for(charted.sites, self._patterns)
            if not drawing.is_empty:
                self._drawings.save(encounter_id, drawing, expected_version=0)
                self._counts["pain_drawings"] += 1


def seed_demo(sessions: sessionmaker[Session], **kwargs: object) -> DemoSummary:
    """Fill an empty database with the demo clinic (see :class:`DemoSeeder`)."""
    return DemoSeeder(sessions, Actor()).seed(**kwargs)  # type: ignore[arg-type]
