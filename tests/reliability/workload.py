"""What the reliability tests write, and how they check that nothing confirmed was lost.

A writer (a child process, :mod:`tests.reliability.child`, or the test itself) charts visits
through the real services exactly as the GUI does: register a patient, open an encounter,
save the editor's draft a few times with more sites each time, sign. After each call returns
(the transaction is committed) it reports one JSON line: that is a *confirmed* save. The
parent collects the lines in a :class:`Ledger` and, after killing or stopping things, checks
the stored records against it with :func:`losses`.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.catalog import View, default_catalog
from clinic_app.domain.enums import EncounterStatus, Side
from clinic_app.domain.errors import NotFoundError, StorageError
from clinic_app.models import Patient
from clinic_app.services import rows
from clinic_app.services.container import AppServices
from clinic_app.services.dto import DoseInput, EncounterView, PatientInput, SiteDraft, SiteInput
from clinic_app.services.encounter_views import encounter_view
from tests.complete_documentation import complete_form
from tests.factories import PASSWORD, medication_ids, set_up_clinic

#: The administrator (also a provider) that first-run setup creates in these tests.
USERNAME = "admin"
#: Muscles charted, in order (each exists on both sides and in the posterior view).
MUSCLES = ("trapezius_upper", "levator_scapulae", "infraspinatus", "gluteus_medius")
#: The form every visit carries: complete, so that signing is allowed.
FORM = complete_form()
#: What a writer may hear instead of a confirmation; anything else is a failure.
BUSY_TEXT = "The database is busy"
FULL_TEXT = (
    "The disk holding the database is full. Nothing was saved; free some space and try again."
)
UNREACHABLE_TEXT = (
    "The database cannot be reached. Nothing was saved; check the network or the server and "
    "try again."
)


@dataclass(frozen=True, slots=True)
class ClinicFacts:
    """What a writer needs to chart in a clinic set up by :func:`prepare_clinic`."""

    provider_id: int
    medication_id: int
    lot_id: int

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ClinicFacts:
        return cls(**json.loads(text))


def prepare_clinic(services: AppServices) -> ClinicFacts:
    """First-run setup on an empty, migrated database, and a lidocaine lot to chart with."""
    admin = set_up_clinic(services)
    lidocaine = medication_ids(services)["lidocaine_1"]
    lot = services.clinic.add_lot(lidocaine, "REL-1", date.today() + timedelta(days=3650))
    return ClinicFacts(admin.id, lidocaine, lot.id)


def sign_in(services: AppServices) -> None:
    services.clinic.authenticate(USERNAME, PASSWORD)


def sites(facts: ClinicFacts, count: int, rng: random.Random) -> list[SiteDraft]:
    """``count`` sites with a dose each, placed at random (the editor's content)."""
    drafts = []
    for i in range(count):
        site = SiteInput(
            MUSCLES[i % len(MUSCLES)],
            Side.RIGHT if i % 2 == 0 else Side.LEFT,
            View.POSTERIOR,
            round(rng.uniform(0.1, 0.9), 4),
            round(rng.uniform(0.1, 0.9), 4),
        )
        volume = Decimal(rng.choice(("0.2", "0.3", "0.5")))
        drafts.append(SiteDraft(site, (DoseInput(facts.medication_id, volume, facts.lot_id),)))
    return drafts


def fingerprint(view: EncounterView) -> str:
    """A digest of what the editor saved (form and sites), equal for equal content however it
    was read back (Decimal scale and float noise do not count)."""
    parts: list[object] = [
        view.form.indication,
        view.form.icd10_codes,
        view.form.pain_before,
        view.form.pain_after,
        view.form.disposition,
    ]
    for s in view.sites:
        parts.append(
            (
                s.order_number,
                s.muscle_code,
                s.side.value,
                round(s.point_x, 4),
                round(s.point_y, 4),
                tuple(
                    (d.medication_id, d.lot_id, str(Decimal(d.volume_ml).normalize()))
                    for d in s.doses
                ),
            )
        )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


Emit = Callable[[dict[str, object]], None]


class Charting:
    """Charts visits one write at a time; each confirmed write is reported through ``emit``.

    A :class:`StorageError` (busy, full, unreachable) is reported as ``refused`` and the write
    is not counted; the record it would have changed is left as last confirmed. Any other error
    propagates: it is a failure of the test.
    """

    def __init__(
        self, services: AppServices, facts: ClinicFacts, tag: str, seed: int, emit: Emit
    ) -> None:
        self.s = services
        self.facts = facts
        self.tag = tag
        self.rng = random.Random(seed)
        self.emit = emit
        self.writes = 0
        self.refusals = 0
        self._mrns = 0
        self._patient: int | None = None
        self._encounter: EncounterView | None = None
        self._saves_left = 0
        self._doing = ""

    def step(self) -> None:
        """One write: the next in register → open → save x1..5 → sign, then again."""
        try:
            self._step()
        except StorageError as exc:
            self.refusals += 1
            self.emit({"event": "refused", "what": self._doing, "message": str(exc)})
        self.writes += 1

    def _step(self) -> None:
        if self._patient is None:
            self._doing = "patient"
            self._mrns += 1
            mrn = f"{self.tag}-{self._mrns}"
            p = self.s.patients.create(
                PatientInput(mrn, "Rel", f"Writer {self.tag}", date(1970, 1, 1))
            )
            self._patient = p.id
            self.emit({"event": "patient", "id": p.id, "mrn": p.mrn})
            return
        e = self._encounter
        if e is None:
            self._doing = "encounter"
            e = self.s.encounters.create(self._patient, self.facts.provider_id)
            self._encounter = e
            self._saves_left = self.rng.randint(1, 5)
            self.emit(
                {"event": "encounter", "id": e.id, "version": e.version, "fp": fingerprint(e)}
            )
            return
        content = sites(self.facts, len(e.sites) + 1, self.rng)
        if self._saves_left > 0:
            self._doing = "save"
            saved = self.s.encounters.save_draft(e.id, e.version, FORM, content)
            self._encounter = saved
            self._saves_left -= 1
            self.emit(
                {
                    "event": "save",
                    "id": saved.id,
                    "version": saved.version,
                    "fp": fingerprint(saved),
                }
            )
            return
        # Signing is two transactions (save, then sign): if the second is refused the first
        # may have committed, so this writer's version would be stale; it moves on to a new
        # patient and the check accepts a stored version newer than the last confirmed.
        self._doing = "sign"
        self._patient = None
        self._encounter = None
        reasons = {
            f.rule: "Reliability test"
            for f in self.s.checks.assess_draft(e.id, FORM, content).reasons_needed
        }
        signed = self.s.checks.sign(e.id, e.version, FORM, content, reasons)
        self.emit(
            {
                "event": "sign",
                "id": signed.id,
                "version": signed.version,
                "fp": fingerprint(signed),
            }
        )


@dataclass
class Ledger:
    """What the writers confirmed: each patient's MRN, each encounter's last confirmed state.

    Attributes:
        confirmed: every confirmed write (patients, encounters opened, saves, signatures).
        refused: the messages of refused writes, in order.
        refused_signs: how many of them were signatures (the save before a refused signature
            may have committed: its encounter is then stored at a newer version).
    """

    patients: dict[int, str] = field(default_factory=dict)
    encounters: dict[int, dict[str, object]] = field(default_factory=dict)
    confirmed: int = 0
    refused: list[str] = field(default_factory=list)
    refused_signs: int = 0

    def add(self, record: dict[str, object]) -> None:
        event = record["event"]
        if event == "patient":
            self.patients[int(record["id"])] = str(record["mrn"])  # type: ignore[call-overload]
        elif event in {"encounter", "save", "sign"}:
            self.encounters[int(record["id"])] = record  # type: ignore[call-overload]
        elif event == "refused":
            self.refused.append(str(record["message"]))
            self.refused_signs += record.get("what") == "sign"
            return
        else:
            return
        self.confirmed += 1

    def add_lines(self, lines: Iterable[str]) -> None:
        """Complete JSON lines from a writer's output (a line cut by a kill is not confirmed)."""
        for line in lines:
            if line.endswith("\n") and line.startswith("{"):
                self.add(json.loads(line))


@dataclass
class Verdict:
    """The comparison of the stored records with a ledger.

    Attributes:
        lost: one sentence per confirmed write that is missing or different.
        newer: encounters stored at a later version than the last one confirmed (a commit
            whose confirmation was cut off by the kill: not a loss).
    """

    lost: list[str]
    newer: int


def losses(sessions: sessionmaker[Session], ledger: Ledger) -> Verdict:
    """Read every record the ledger names, in one read-only transaction, and compare."""
    lost: list[str] = []
    newer = 0
    catalog = default_catalog()
    with sessions() as session:
        for pid, mrn in ledger.patients.items():
            patient = session.get(Patient, pid)
            if patient is None or patient.mrn != mrn:
                lost.append(
                    f"patient {pid} ({mrn}): {'missing' if patient is None else patient.mrn}"
                )
        for eid, last in ledger.encounters.items():
            try:
                view = encounter_view(session, rows.load_encounter(session, eid), catalog)
            except NotFoundError as exc:
                lost.append(f"encounter {eid}: {exc}")
                continue
            version = int(last["version"])  # type: ignore[call-overload]
            if view.version < version:
                lost.append(f"encounter {eid}: version {view.version} < confirmed {version}")
            elif view.version > version:
                newer += 1
            elif fingerprint(view) != last["fp"]:
                lost.append(f"encounter {eid} v{version}: content differs from what was confirmed")
            if last["event"] == "sign" and view.status is not EncounterStatus.SIGNED:
                lost.append(f"encounter {eid}: confirmed signed, stored {view.status}")
        session.rollback()
    return Verdict(lost, newer)


def sqlite_checks(path: Path) -> tuple[str, list[tuple[object, ...]]]:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` on the file (a fresh connection,
    which also recovers the WAL a killed writer left)."""
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    return str(integrity), foreign
