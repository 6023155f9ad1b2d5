"""A table of malformed inputs, each sent to the service a screen or a script would call.

Issue 11 §3 and §5: every one must be refused with a :class:`ValidationError` whose ``field``
names the input and whose message names it in words, never another exception, and nothing
may be stored (every table reads the same before and after). The issue's probe found 8 of 72
such inputs raising unhandled exceptions (enum fields, non-JSON screening, a float weight);
this corpus covers those kinds and more, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Language, Role, Side, Technique
from clinic_app.domain.errors import ValidationError
from clinic_app.domain.fields import MAX_LOGO_BYTES, PNG_SIGNATURE
from clinic_app.models import AuditEvent, Base
from clinic_app.services.dto import (
    ClinicProfileData,
    DoseInput,
    EncounterInput,
    EncounterView,
    LotReceipt,
    PatientInput,
    PatientView,
    RecallQuery,
    SiteDraft,
    SiteInput,
    UserChanges,
)
from tests.conftest import Services
from tests.factories import medication_ids, register_patient, set_up_clinic

TODAY = date(2026, 11, 23)
#: An expiry date a new lot may have (ahead of the real clock's day).
LOT_EXPIRY = date(2030, 6, 1)
NEW = PatientInput("N1", "Lan", "Nguyễn", date(1970, 5, 17), weight_kg="68.2")


@dataclass
class Ctx:
    s: Services
    patient: PatientView
    encounter: EncounterView
    lido: int
    provider_id: int

    def profile(self, **changes: Any) -> ClinicProfileData:
        view = self.s.clinic.profile()
        assert view is not None
        data = {f.name: getattr(view, f.name) for f in dataclasses.fields(ClinicProfileData)}
        return ClinicProfileData(**{**data, **changes})


def _site(**changes: Any) -> SiteInput:
    base: dict[str, Any] = {
        "muscle_code": "trapezius_upper",
        "side": Side.RIGHT,
        "view": View.POSTERIOR,
        "point_x": 0.6,
        "point_y": 0.2,
    }
    return SiteInput(**{**base, **changes})


def _new(**changes: Any) -> Callable[[Ctx], object]:
    return lambda c: c.s.patients.create(replace(NEW, **changes), today=TODAY)


def _edit(**changes: Any) -> Callable[[Ctx], object]:
    return lambda c: c.s.patients.update(
        c.patient.id,
        replace(c.patient.to_input(), **changes),
        today=TODAY,
        expected_version=c.patient.version,
    )


def _form(**changes: Any) -> Callable[[Ctx], object]:
    return lambda c: c.s.encounters.save_draft(
        c.encounter.id, c.encounter.version, EncounterInput(**changes), []
    )


def _sites(make: Callable[[Ctx], Any]) -> Callable[[Ctx], object]:
    return lambda c: c.s.encounters.save_draft(
        c.encounter.id, c.encounter.version, EncounterInput(), make(c)
    )


def _one_site(**changes: Any) -> Callable[[Ctx], object]:
    return _sites(lambda c: [SiteDraft(_site(**changes))])


def _dose(**changes: Any) -> Callable[[Ctx], object]:
    def make(c: Ctx) -> list[SiteDraft]:
        values: dict[str, Any] = {"medication_id": c.lido, "volume_ml": "1", **changes}
        return [SiteDraft(_site(), (DoseInput(**values),))]

    return _sites(make)


def _profile(**changes: Any) -> Callable[[Ctx], object]:
    return lambda c: c.s.clinic.update_profile(
        c.profile(**changes), expected_version=c.s.clinic.profile().version
    )


BIDI = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: makes "gnirts" read "string"
LONG = "x" * 100_000
BIG_NOTE = {"allergy": {"answer": True, "note": "y" * 1900}}
FIVE_MB = {f"q{i}": {"answer": True, "note": "z" * 2000} for i in range(2600)}
NOT_PNG = b"GIF89a" + b"\x00" * 64

#: (case id, the call, the field the error must name, words the message must contain)
CORPUS: list[tuple[str, Callable[[Ctx], object], str, str]] = [
    # ---- patient registration: enums, yes/no, dates, numbers
    ("sex robot", _new(sex="robot"), "sex", "sex"),
    ("sex none", _new(sex=None), "sex", "sex"),
    ("sex number", _new(sex=3), "sex", "sex"),
    ("language klingon", _new(preferred_language="tlh"), "preferred_language", "language"),
    ("language upper case", _new(preferred_language="EN"), "preferred_language", "language"),
    ("weight float", _new(weight_kg=72.5), "weight_kg", "weight"),
    ("weight 0.04 kg", _new(weight_kg="0.04"), "weight_kg", "weight"),
    ("weight three decimals", _new(weight_kg="72.456"), "weight_kg", "weight"),
    ("weight text", _new(weight_kg="heavy"), "weight_kg", "weight"),
    ("weight negative", _new(weight_kg="-5"), "weight_kg", "weight"),
    ("weight NaN", _new(weight_kg="NaN"), "weight_kg", "weight"),
    ("weight exponent", _new(weight_kg="1e3"), "weight_kg", "weight"),
    ("weight bool", _new(weight_kg=True), "weight_kg", "weight"),
    ("weight 401", _new(weight_kg="401"), "weight_kg", "weight"),
    ("weight Decimal infinity", _new(weight_kg=Decimal("Infinity")), "weight_kg", "weight"),
    ("weight date text", _new(weight_measured_on="2020-01-01"), "weight_measured_on", "weight"),
    (
        "weight date future",
        _new(weight_measured_on=TODAY + timedelta(days=1)),
        "weight_measured_on",
        "weight",
    ),
    ("birth date text", _new(date_of_birth="1970-01-01"), "date_of_birth", "date of birth"),
    (
        "birth date-time",
        _new(date_of_birth=datetime(1970, 1, 1, tzinfo=UTC)),
        "date_of_birth",
        "date of birth",
    ),
    ("birth date missing", _new(date_of_birth=None), "date_of_birth", "date of birth"),
    ("birth date future", _new(date_of_birth=date(2030, 1, 1)), "date_of_birth", "date of birth"),
    ("anticoagulant 'no'", _new(anticoagulant="no"), "anticoagulant", "anticoagulant"),
    ("diabetes 1", _new(diabetes=1), "diabetes", "diabetes"),
    ("pregnant None", _new(pregnant_or_breastfeeding=None), "pregnant_or_breastfeeding", "preg"),
    ("payer unknown", _new(payer="blue cross"), "payer", "payer"),
    ("payer number", _new(payer=5), "payer", "payer"),
    # ---- names and free text: controls, joiners, sizes
    ("given name empty", _new(given_name=""), "given_name", "given name"),
    ("given name bidi override", _new(given_name="Ana" + BIDI), "given_name", "given name"),
    ("given name bidi isolate", _new(given_name="\u2066Ana"), "given_name", "given name"),
    ("given name RLM", _new(given_name="Ana\u200f"), "given_name", "given name"),
    ("given name zero-width space", _new(given_name="A\u200bna"), "given_name", "given name"),
    ("given name stray ZWNJ", _new(given_name="Ana\u200c"), "given_name", "given name"),
    ("given name doubled ZWJ", _new(given_name="A\u200d\u200dna"), "given_name", "given name"),
    ("given name 101 chars", _new(given_name="x" * 101), "given_name", "given name"),
    ("given name number", _new(given_name=123), "given_name", "given name"),
    ("family name digits", _new(family_name="1234"), "family_name", "family name"),
    ("family name NUL", _new(family_name="Lee\x00"), "family_name", "family name"),
    ("family name 100k", _new(family_name=LONG), "family_name", "family name"),
    ("mrn empty", _new(mrn=""), "mrn", "mrn"),
    ("mrn space", _new(mrn="12 34"), "mrn", "mrn"),
    ("mrn 33 chars", _new(mrn="A" * 33), "mrn", "mrn"),
    ("mrn None", _new(mrn=None), "mrn", "mrn"),
    ("mrn Cyrillic A", _new(mrn="\u04101"), "mrn", "mrn"),
    ("phone 41 chars", _new(phone="5" * 41), "phone", "phone"),
    ("phone escape", _new(phone="\x1b[31m555"), "phone", "phone"),
    ("allergies 100k", _new(allergies=LONG), "allergies", "allergies"),
    ("allergies bidi", _new(allergies="latex" + BIDI), "allergies", "allergies"),
    ("notes 20001", _new(notes="n" * 20_001), "notes", "notes"),
    ("form not a PatientInput", lambda c: c.s.patients.create({"mrn": "X"}), "patient", "form"),
    # ---- patient edit, void, read, search
    (
        "update without version",
        lambda c: c.s.patients.update(c.patient.id, c.patient.to_input(), expected_version=None),
        "expected_version",
        "version",
    ),
    (
        "update version text",
        lambda c: c.s.patients.update(c.patient.id, c.patient.to_input(), expected_version="1"),
        "expected_version",
        "version",
    ),
    (
        "update id text",
        lambda c: c.s.patients.update("1", c.patient.to_input(), expected_version=1),
        "patient_id",
        "patient",
    ),
    ("update sex robot", _edit(sex="robot"), "sex", "sex"),
    ("update weight float", _edit(weight_kg=80.0), "weight_kg", "weight"),
    (
        "void reason empty",
        lambda c: c.s.patients.void(c.patient.id, " ", expected_version=c.patient.version),
        "void_reason",
        "reason",
    ),
    (
        "void reason 100k",
        lambda c: c.s.patients.void(c.patient.id, LONG, expected_version=c.patient.version),
        "void_reason",
        "reason",
    ),
    (
        "void without version",
        lambda c: c.s.patients.void(c.patient.id, "twice", expected_version=None),
        "expected_version",
        "version",
    ),
    ("get huge id", lambda c: c.s.patients.get(10**20), "patient_id", "patient"),
    ("get id text", lambda c: c.s.patients.get("abc"), "patient_id", "patient"),
    ("search 100k", lambda c: c.s.patients.search(LONG), "search", "longer than"),
    ("search number", lambda c: c.s.patients.search(12345), "search", "search"),
    ("search NUL", lambda c: c.s.patients.search("ana\x00"), "search", "search"),
    ("audit patient search 100k", lambda c: c.s.audit.find_patients(LONG), "search", "longer than"),
    ("audit patient search number", lambda c: c.s.audit.find_patients(12345), "search", "search"),
    ("audit patient search NUL", lambda c: c.s.audit.find_patients("a\x00"), "search", "search"),
    ("search limit 0", lambda c: c.s.patients.search("a", limit=0), "limit", "rows"),
    ("search limit text", lambda c: c.s.patients.search("a", limit="10"), "limit", "rows"),
    ("search limit huge", lambda c: c.s.patients.search("a", limit=10**6), "limit", "rows"),
    # ---- encounters: ids, times, versions
    (
        "encounter patient None",
        lambda c: c.s.encounters.create(None, c.provider_id),
        "patient_id",
        "patient",
    ),
    (
        "encounter provider text",
        lambda c: c.s.encounters.create(c.patient.id, "doc"),
        "provider_id",
        "provider",
    ),
    (
        "encounter naive time",
        lambda c: c.s.encounters.create(c.patient.id, c.provider_id, datetime(2026, 1, 1)),
        "performed_at",
        "time",
    ),
    (
        "encounter time text",
        lambda c: c.s.encounters.create(c.patient.id, c.provider_id, "2026-01-01"),
        "performed_at",
        "time",
    ),
    (
        "save without version",
        lambda c: c.s.encounters.save_draft(c.encounter.id, None, EncounterInput(), []),
        "expected_version",
        "version",
    ),
    (
        "discard without version",
        lambda c: c.s.encounters.discard_if_empty(c.encounter.id, expected_version=None),
        "expected_version",
        "version",
    ),
    ("history negative id", lambda c: c.s.encounters.history(-1), "patient_id", "patient"),
    (
        "earlier visit negative id",
        lambda c: c.s.encounters.has_earlier_visit(-1),
        "encounter_id",
        "encounter",
    ),
    (
        "repeat today text",
        lambda c: c.s.encounters.repeat_last_visit(c.patient.id, c.provider_id, "today"),
        "today",
        "today",
    ),
    # ---- encounter form: enums, yes/no, JSON, numbers, sizes
    ("skin prep iodine", _form(skin_prep="iodine"), "skin_prep", "skin prep"),
    ("tolerance great", _form(tolerance="great"), "tolerance", "tolerance"),
    ("screening not JSON", _form(screening="{not json"), "screening", "screening"),
    ("screening object", _form(screening={"fever": object()}), "screening", "screening"),
    ("screening answer text", _form(screening={"fever": {"answer": "yes"}}), "screening", "scr"),
    ("screening number key", _form(screening={1: True}), "screening", "screening"),
    ("screening extra key", _form(screening={"f": {"answer": True, "x": 1}}), "screening", "scr"),
    ("screening note number", _form(screening={"f": {"note": 5}}), "screening", "screening"),
    ("screening 5 MB", _form(screening=FIVE_MB), "screening", "screening"),
    (
        "screening 101 items",
        _form(screening={f"q{i}": True for i in range(101)}),
        "screening",
        "screening",
    ),
    ("screening list", _form(screening=[True]), "screening", "screening"),
    ("consent 'yes'", _form(consent_obtained="yes"), "consent_obtained", "consent"),
    ("time-out None", _form(time_out_done=None), "time_out_done", "time-out"),
    ("needle intact 'true'", _form(needle_intact="true"), "needle_intact", "needle intact"),
    ("pain 11", _form(pain_before=11), "pain_before", "pain before"),
    ("pain text", _form(pain_before="5"), "pain_before", "pain before"),
    ("pain float", _form(pain_after=5.5), "pain_after", "pain after"),
    ("icd10 one string", _form(icd10_codes="M79.1"), "icd10_codes", "icd-10"),
    ("icd10 malformed", _form(icd10_codes=("XYZ",)), "icd10_codes", "icd-10"),
    ("icd10 number", _form(icd10_codes=(5,)), "icd10_codes", "icd-10"),
    ("indication 2001", _form(indication="i" * 2001), "indication", "indication"),
    ("indication bidi", _form(indication="neck" + BIDI), "indication", "indication"),
    ("handout note French", _form(handout_note={"fr": "Bonjour"}), "handout_note", "handout"),
    ("handout note text", _form(handout_note="hello"), "handout_note", "handout"),
    ("handout note number", _form(handout_note={"en": 5}), "handout_note", "handout"),
    ("follow-up 53 weeks", _form(follow_up_weeks=53), "follow_up_weeks", "follow-up"),
    ("follow-up date text", _form(follow_up_date="2027-01-01"), "follow_up_date", "follow-up"),
    ("relief 101%", _form(prior_relief_percent=101), "prior_relief_percent", "relief"),
    (
        "conservative 4001",
        _form(conservative_treatment="c" * 4001),
        "conservative_treatment",
        "conservative",
    ),
    (
        "form not an EncounterInput",
        lambda c: c.s.encounters.save_draft(c.encounter.id, c.encounter.version, None, []),
        "form",
        "form",
    ),
    # ---- sites
    ("technique laser", _one_site(technique="laser"), "technique", "technique"),
    ("twitch big", _one_site(twitch_response="big"), "twitch_response", "twitch"),
    ("aspiration maybe", _one_site(aspiration="maybe"), "aspiration", "aspiration"),
    ("side up", _one_site(side="up"), "side", "side"),
    ("side missing", _one_site(side=None), "side", "side"),
    ("view top", _one_site(view="top"), "view", "view"),
    ("muscle unknown", _one_site(muscle_code="heart"), "muscle_code", "muscle"),
    ("muscle None", _one_site(muscle_code=None), "muscle_code", "muscle"),
    ("point off figure", _one_site(point_x=1.5), "point", "figure"),
    ("point text", _one_site(point_x="0.5"), "point", "figure"),
    ("point NaN", _one_site(point_y=float("nan")), "point", "figure"),
    ("needle gauge 50", _one_site(needle_gauge=50), "needle_gauge", "gauge"),
    ("needle gauge text", _one_site(needle_gauge="25"), "needle_gauge", "gauge"),
    ("needle length float", _one_site(needle_length_in=1.5), "needle_length_in", "length"),
    ("needle length 10 in", _one_site(needle_length_in="10"), "needle_length_in", "length"),
    ("taut band 'yes'", _one_site(taut_band="yes"), "finding", "finding"),
    ("sites a string", _sites(lambda c: "trapezius"), "sites", "sites"),
    ("sites 201", _sites(lambda c: [SiteDraft(_site())] * 201), "sites", "sites"),
    ("site a dict", _sites(lambda c: [{"muscle_code": "x"}]), "sites", "site"),
    # ---- doses
    ("volume float", _dose(volume_ml=1.5), "volume_ml", "volume"),
    ("volume zero", _dose(volume_ml="0"), "volume_ml", "volume"),
    ("volume three decimals", _dose(volume_ml="1.005"), "volume_ml", "volume"),
    ("volume 25 mL", _dose(volume_ml="25"), "volume_ml", "volume"),
    ("medication id text", _dose(medication_id="lido"), "medication_id", "medication"),
    ("medication unknown", _dose(medication_id=999_999), "medication_id", "medication"),
    ("lot id huge", _dose(lot_id=10**30), "lot_id", "lot"),
    ("lot reason escape", _dose(lot_missing_reason="\x1b[2J"), "lot_missing_reason", "lot"),
    (
        "eleven doses",
        _sites(lambda c: [SiteDraft(_site(), (DoseInput(c.lido, "1"),) * 11)]),
        "doses",
        "medicines",
    ),
    (
        "dose on dry needling",
        _sites(
            lambda c: [
                SiteDraft(_site(technique=Technique.DRY_NEEDLING), (DoseInput(c.lido, "1"),))
            ]
        ),
        "technique",
        "dry-needling",
    ),
    # ---- signing and addenda
    (
        "sign reasons a string",
        lambda c: c.s.checks.sign(c.encounter.id, c.encounter.version, EncounterInput(), [], "x"),
        "reasons",
        "reasons",
    ),
    (
        "sign without version",
        lambda c: c.s.checks.sign(c.encounter.id, None, EncounterInput(), [], {}),
        "expected_version",
        "version",
    ),
    (
        "addendum 4001",
        lambda c: c.s.encounters.add_addendum(c.encounter.id, "a" * 4001),
        "text",
        "addendum",
    ),
    ("addendum number", lambda c: c.s.encounters.add_addendum(c.encounter.id, 5), "text", "add"),
    # ---- documents and emergency access (the id checked where every service loads rows)
    (
        "handout huge id",
        lambda c: c.s.documents.handout_data(10**20),
        "encounter_id",
        "encounter",
    ),
    ("note id text", lambda c: c.s.notes.note_data("12"), "encounter_id", "encounter"),
    (
        "print language fr",
        lambda c: c.s.documents.record_print(c.encounter.id, "fr"),
        "language",
        "language",
    ),
    (
        "print 0 copies",
        lambda c: c.s.documents.record_print(c.encounter.id, Language.ENGLISH, 0),
        "copies",
        "copies",
    ),
    (
        "emergency huge id",
        lambda c: c.s.emergency.break_glass(10**20, "Unconscious patient in the waiting room"),
        "patient_id",
        "patient",
    ),
    # ---- clinic profile, lots, rules
    ("logo 30 MB", _profile(logo_png=PNG_SIGNATURE + b"\x00" * (30 << 20)), "logo_png", "logo"),
    ("logo just too big", _profile(logo_png=b"\x00" * (MAX_LOGO_BYTES + 1)), "logo_png", "logo"),
    ("logo not PNG", _profile(logo_png=NOT_PNG), "logo_png", "logo"),
    ("logo text", _profile(logo_png="logo.png"), "logo_png", "logo"),
    ("clinic language fr", _profile(default_language="fr"), "default_language", "language"),
    ("fever float", _profile(fever_threshold_c=38.0), "fever_threshold_c", "fever"),
    ("fever 45", _profile(fever_threshold_c="45"), "fever_threshold_c", "fever"),
    ("fever 38.55", _profile(fever_threshold_c="38.55"), "fever_threshold_c", "fever"),
    (
        "activity hours text",
        _profile(activity_restriction_hours="48"),
        "activity_restriction_hours",
        "activity",
    ),
    ("clinic follow-up 99", _profile(follow_up_weeks=99), "follow_up_weeks", "follow-up"),
    ("idle lock 0", _profile(idle_lock_minutes=0), "idle_lock_minutes", "lock"),
    ("time zone unknown", _profile(timezone="Mars/Olympus"), "timezone", "time zone"),
    ("time zone number", _profile(timezone=5), "timezone", "time zone"),
    (
        "settings without version",
        lambda c: c.s.clinic.update_profile(c.profile(), expected_version=None),
        "expected_version",
        "version",
    ),
    ("clinic name empty", _profile(name=""), "name", "clinic name"),
    ("clinic name 201", _profile(name="c" * 201), "name", "clinic name"),
    (
        "lot expiry text",
        lambda c: c.s.clinic.add_lot(c.lido, "L1", "2027-01-01"),
        "expires_on",
        "expiry",
    ),
    ("lot number empty", lambda c: c.s.clinic.add_lot(c.lido, " ", TODAY), "lot_number", "lot"),
    (
        "lot medication text",
        lambda c: c.s.clinic.add_lot("lido", "L1", TODAY),
        "medication_id",
        "medication",
    ),
    # ---- lots and stock (issue 12 §5)
    (
        "lot quantity float",
        lambda c: c.s.lots.receive(LotReceipt(c.lido, "L2", LOT_EXPIRY, 2.5)),
        "quantity_ml",
        "quantity",
    ),
    (
        "lot expiry as text",
        lambda c: c.s.lots.receive(LotReceipt(c.lido, "L2", "2027-06-01", "5")),
        "expires_on",
        "expiry",
    ),
    (
        "lot number with a space",
        lambda c: c.s.lots.receive(LotReceipt(c.lido, "L 2", LOT_EXPIRY, "5")),
        "lot_number",
        "lot number",
    ),
    ("lot receipt missing", lambda c: c.s.lots.receive(None), "receipt", "lot"),
    (
        "lot edit without version",
        lambda c: c.s.lots.update(
            1,
            LotReceipt(c.lido, "L2", LOT_EXPIRY, "5"),
            expected_version=None,
        ),
        "expected_version",
        "version",
    ),
    ("lot adjustment float", lambda c: c.s.lots.adjust(1, 2.5, "spilt"), "quantity_ml", "quantity"),
    ("recall lot empty", lambda c: c.s.lots.recall_search(RecallQuery(" ")), "lot_number", "lot"),
    (
        "recall medication text",
        lambda c: c.s.lots.recall_search(RecallQuery("L1", "lido")),
        "medication_id",
        "medication",
    ),
    (
        "recall end before start",
        lambda c: c.s.lots.recall_csv(RecallQuery("L1", None, TODAY, TODAY - timedelta(days=1))),
        "end",
        "end day",
    ),
    (
        "rule id a list",
        lambda c: c.s.clinic.set_rule_override(["x"], "because", expected_version=1),
        "rule_id",
        "rule",
    ),
    (
        "rule override without version",
        lambda c: c.s.clinic.set_rule_override(
            "documentation.consent", "On paper", expected_version=None
        ),
        "expected_version",
        "version",
    ),
    (
        "rule override version text",
        lambda c: c.s.clinic.set_rule_override(
            "documentation.consent", "On paper", expected_version="1"
        ),
        "expected_version",
        "version",
    ),
    (
        "user edit without version",
        lambda c: c.s.users.update_user(
            c.provider_id, UserChanges("Ana Ruiz", frozenset({Role.ADMIN})), expected_version=None
        ),
        "expected_version",
        "version",
    ),
    (
        "user edit id text",
        lambda c: c.s.users.update_user(
            "1", UserChanges("Ana Ruiz", frozenset({Role.ADMIN})), expected_version=1
        ),
        "user_id",
        "user",
    ),
    (
        "password reset without version",
        lambda c: c.s.users.reset_password(
            c.provider_id, "lantern orchard pebble", expected_version=None
        ),
        "expected_version",
        "version",
    ),
    (
        "deactivate version 0",
        lambda c: c.s.users.deactivate(c.provider_id, expected_version=0),
        "expected_version",
        "version",
    ),
    (
        "reactivate version huge",
        lambda c: c.s.users.reactivate(c.provider_id, expected_version=10**20),
        "expected_version",
        "version",
    ),
]


def test_the_corpus_is_large_enough_and_each_case_is_named_once() -> None:
    names = [case[0] for case in CORPUS]
    assert len(names) >= 80
    assert len(set(names)) == len(names)


def _state(db: sessionmaker[Session]) -> dict[str, object]:
    """Every table's rows (the audit trail by count): what "nothing stored" compares."""
    state: dict[str, object] = {}
    with db() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in {"audit_event", "audit_chain_head"}:
                continue
            state[table.name] = sorted(repr(tuple(row)) for row in session.execute(select(table)))
        state["audit_event"] = session.scalar(select(func.count(AuditEvent.id)))
    return state


def test_every_malformed_input_is_refused_clearly_and_nothing_is_stored(
    services: Services, db: sessionmaker[Session]
) -> None:
    admin = set_up_clinic(services)
    patient = register_patient(services, today=TODAY)
    encounter = services.encounters.create(patient.id, admin.id)
    ctx = Ctx(services, patient, encounter, medication_ids(services)["lidocaine_1"], admin.id)
    before = _state(db)
    problems: list[str] = []
    for name, call, field, words in CORPUS:
        try:
            call(ctx)
        except ValidationError as exc:
            if exc.field != field:
                problems.append(f"{name}: field {exc.field!r}, expected {field!r}")
            if words.lower() not in str(exc).lower():
                problems.append(f"{name}: message {str(exc)[:80]!r} lacks {words!r}")
            if len(str(exc)) > 400:
                problems.append(f"{name}: message of {len(str(exc))} characters")
        except Exception as exc:  # the corpus exists to catch exactly these
            problems.append(f"{name}: {type(exc).__name__}: {str(exc)[:120]}")
        else:
            problems.append(f"{name}: accepted")
        if _state(db) != before:
            problems.append(f"{name}: something was stored")
            before = _state(db)
    assert problems == []


def test_joiners_are_letters_of_a_name_and_search_finds_them_without(services: Services) -> None:
    """Persian "میرزا‌علی" keeps its zero-width non-joiner; a search typed without it finds it."""
    set_up_clinic(services)
    given = "می\u200cخواهم"
    hindi = "क्\u200dष"  # a ZWJ shaping a conjunct
    saved = register_patient(services, "P1", given, "رضایی", today=TODAY)
    other = register_patient(services, "P2", hindi, "Shah", today=TODAY)
    assert services.patients.get(saved.id).given_name == given
    assert services.patients.get(other.id).given_name == hindi
    assert [p.id for p in services.patients.search("میخواهم")] == [saved.id]
    assert [p.id for p in services.patients.search(given)] == [saved.id]


def test_a_name_typed_decomposed_is_stored_in_nfc(services: Services) -> None:
    set_up_clinic(services)
    saved = register_patient(services, "P1", "Nguye\u0302\u0303n", "Thi", today=TODAY)
    assert services.patients.get(saved.id).given_name == "Nguyễn"


@pytest.mark.parametrize(("typed", "stored"), [("72.46", "72.46"), ("1", "1"), ("400", "400")])
def test_a_weight_is_stored_exactly_as_typed(services: Services, typed: str, stored: str) -> None:
    set_up_clinic(services)
    saved = register_patient(services, weight_kg=typed, today=TODAY)
    assert str(services.patients.get(saved.id).weight_kg) == stored


def test_a_pasted_search_with_tabs_and_line_breaks_still_searches(services: Services) -> None:
    set_up_clinic(services)
    saved = register_patient(services, "A-77", "Ana", "Smith", today=TODAY)
    assert [p.id for p in services.patients.search("smith\tana\n")] == [saved.id]
