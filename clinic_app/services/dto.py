"""Plain values the services hand out and take in: no ORM objects ever leave a service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import (
    Aspiration,
    DoseUnit,
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
from clinic_app.domain.progress import Progress


@dataclass(frozen=True, slots=True)
class ClinicProfileData:
    """The clinic's details as typed in the setup dialog."""

    name: str
    address: str = ""
    phone: str = ""
    after_hours_phone: str = ""
    default_language: Language = Language.ENGLISH
    fever_threshold_c: Decimal = Decimal("38.0")
    activity_restriction_hours: int = 48
    follow_up_weeks: int = 3
    logo_png: bytes | None = None
    #: IANA zone name ("America/Chicago"); "" = this computer's zone.
    timezone: str = ""
    #: Minutes without keyboard or mouse input before every window locks (1 to 120).
    idle_lock_minutes: int = 10
    #: The skin prep the encounter form starts with (None: the provider picks each time).
    default_skin_prep: SkinPrep | None = SkinPrep.CHLORHEXIDINE
    #: The handout prints the patient's pain at the first visit and today (issue 14 §1).
    handout_progress: bool = False


@dataclass(frozen=True, slots=True)
class ClinicProfileView(ClinicProfileData):
    id: int = 0
    is_demo: bool = False
    #: The version read: pass it back to ``ClinicService.update_profile``.
    version: int = 0


@dataclass(frozen=True, slots=True)
class RuleSettingView:
    """A rule with the severity the clinic set for it and its standard typed reasons.

    Attributes:
        severity: "block", "warning" or "info": as shipped, or as the clinic set it.
        reason / by / at: the clinic's typed reason, who changed the severity and when (ISO,
            UTC); "" while the rule is as shipped.
        shipped: the severity the rule data gives. choices: the severities the clinic may
            set, most severe first (never below the data's floor).
        picks: the standard reasons offered at signing (the clinic's when ``custom_picks``).
    """

    rule_id: str
    title: str
    source: str
    severity: str
    reason: str = ""
    by: str = ""
    at: str = ""
    shipped: str = "block"
    choices: tuple[str, ...] = ()
    picks: tuple[str, ...] = ()
    custom_picks: bool = False

    @property
    def lowered(self) -> bool:
        """The clinic set a lower severity than shipped."""
        order = ("block", "warning", "info")
        return order.index(self.severity) > order.index(self.shipped)

    @property
    def changed(self) -> bool:
        """The clinic set another severity than shipped (raised or lowered)."""
        return self.severity != self.shipped


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """Every rule with the clinic's choices, as read together with the clinic profile's version.

    Attributes:
        version: the clinic profile's version these were read at (0 before setup): pass it
            back to ``ClinicService.set_rule_override`` as ``expected_version``.
        rules: one entry per rule, in the rule data's order.
    """

    version: int
    rules: tuple[RuleSettingView, ...]


@dataclass(frozen=True, slots=True)
class NewUser:
    """A new account: ``roles`` holds one or more roles (what each allows is the matrix)."""

    username: str
    display_name: str
    password: str
    roles: frozenset[Role]
    credentials: str = ""
    npi: str = ""
    #: The password typed again on the form; when given, it must match (checked with the
    #: other fields, so every problem is shown at once). None: not asked.
    password_confirm: str | None = None


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    username: str
    display_name: str
    credentials: str
    roles: frozenset[Role]
    active: bool
    npi: str = ""
    #: Set by an administrator's password reset: choose a new password before anything else.
    must_change_password: bool = False
    #: The row's version when read (migration 0012): a change passes it back as
    #: ``expected_version``, so a change made meanwhile elsewhere is not overwritten.
    version: int = 1

    @property
    def is_provider(self) -> bool:
        """Holds the provider role (may be chosen as an encounter's provider)."""
        return Role.PROVIDER in self.roles

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def label(self) -> str:
        """ "Ana Ruiz, MD"."""
        return f"{self.display_name}, {self.credentials}" if self.credentials else self.display_name


@dataclass(frozen=True, slots=True)
class PatientInput:
    """What the patient form submits. Weights are Decimal or text as typed."""

    mrn: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    sex: Sex = Sex.UNKNOWN
    weight_kg: Decimal | str | None = None
    weight_measured_on: date | None = None
    preferred_language: Language = Language.ENGLISH
    phone: str = ""
    allergies: str = ""
    anticoagulant: bool = False
    diabetes: bool = False
    pregnant_or_breastfeeding: bool = False
    notes: str = ""
    payer: str = "none"
    #: "No known drug allergies" recorded (issue 12): distinct from an empty, unrecorded list.
    no_known_drug_allergies: bool = False


@dataclass(frozen=True, slots=True)
class PatientView:
    id: int
    mrn: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: Sex
    weight_kg: Decimal | None
    weight_measured_on: date | None
    preferred_language: Language
    phone: str
    allergies: str
    anticoagulant: bool
    diabetes: bool
    pregnant_or_breastfeeding: bool
    notes: str
    voided: bool
    version: int = 0
    payer: str = "none"
    no_known_drug_allergies: bool = False

    @property
    def display_name(self) -> str:
        """ "FAMILY, Given" as charts list patients."""
        return f"{self.family_name}, {self.given_name}"

    def to_input(self) -> PatientInput:
        """The form values that would recreate this patient (for the edit dialog)."""
        return PatientInput(
            mrn=self.mrn,
            given_name=self.given_name,
            family_name=self.family_name,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            weight_kg=self.weight_kg,
            weight_measured_on=self.weight_measured_on,
            preferred_language=self.preferred_language,
            phone=self.phone,
            allergies=self.allergies,
            anticoagulant=self.anticoagulant,
            diabetes=self.diabetes,
            pregnant_or_breastfeeding=self.pregnant_or_breastfeeding,
            notes=self.notes,
            payer=self.payer,
            no_known_drug_allergies=self.no_known_drug_allergies,
        )


@dataclass(frozen=True, slots=True)
class MedicationView:
    id: int
    code: str
    name: str
    drug_class: str
    concentration: Decimal
    concentration_unit: str
    dose_unit: DoseUnit


@dataclass(frozen=True, slots=True)
class LotView:
    id: int
    medication_id: int
    lot_number: str
    expires_on: date


@dataclass(frozen=True, slots=True)
class DoseInput:
    medication_id: int
    volume_ml: Decimal | str
    lot_id: int | None = None
    #: Why no lot was recorded for a product that has lots ("" = not given).
    lot_missing_reason: str = ""


@dataclass(frozen=True, slots=True)
class DoseView:
    id: int
    medication_id: int
    medication_name: str
    lot_id: int | None
    volume_ml: Decimal
    dose: Decimal
    dose_unit: DoseUnit
    lot_missing_reason: str = ""


@dataclass(frozen=True, slots=True)
class SiteInput:
    """A site as placed on the map: muscle and side come from the clicked region."""

    muscle_code: str
    side: Side | None
    view: View
    point_x: float
    point_y: float
    technique: Technique = Technique.INJECTION
    needle_gauge: int | None = None
    needle_length_in: Decimal | str | None = None
    twitch_response: TwitchResponse = TwitchResponse.NOT_ASSESSED
    aspiration: Aspiration = Aspiration.NOT_DONE
    #: Examination findings at the point; None = not recorded.
    taut_band: bool | None = None
    jump_sign: bool | None = None
    referred_pain_reproduced: bool | None = None


@dataclass(frozen=True, slots=True)
class SiteView:
    id: int
    order_number: int
    muscle_code: str
    muscle_name: str
    side: Side
    view: View
    point_x: float
    point_y: float
    technique: Technique
    needle_gauge: int | None
    needle_length_in: Decimal | None
    twitch_response: TwitchResponse
    aspiration: Aspiration
    doses: tuple[DoseView, ...] = ()
    taut_band: bool | None = None
    jump_sign: bool | None = None
    referred_pain_reproduced: bool | None = None

    def to_draft(self) -> SiteDraft:
        """This stored site as the editor holds it (the one conversion; volumes stay exact)."""
        return SiteDraft(
            SiteInput(
                muscle_code=self.muscle_code,
                side=self.side,
                view=self.view,
                point_x=self.point_x,
                point_y=self.point_y,
                technique=self.technique,
                needle_gauge=self.needle_gauge,
                needle_length_in=self.needle_length_in,
                twitch_response=self.twitch_response,
                aspiration=self.aspiration,
                taut_band=self.taut_band,
                jump_sign=self.jump_sign,
                referred_pain_reproduced=self.referred_pain_reproduced,
            ),
            tuple(
                DoseInput(d.medication_id, Decimal(d.volume_ml), d.lot_id, d.lot_missing_reason)
                for d in self.doses
            ),
        )


@dataclass(frozen=True, slots=True)
class EncounterInput:
    """The encounter form apart from its sites."""

    indication: str = ""
    icd10_codes: tuple[str, ...] = ()
    screening: dict[str, Any] = field(default_factory=dict)
    consent_obtained: bool = False
    time_out_done: bool = False
    skin_prep: SkinPrep | None = None
    pain_before: int | None = None
    pain_after: int | None = None
    tolerance: Tolerance | None = None
    complications: str = ""
    follow_up_plan: str = ""
    needle_intact: bool | None = None
    disposition: str = ""
    #: Why pain after was not scored.
    pain_after_reason: str = ""
    #: Relief the previous session gave, reported at this visit.
    prior_relief_percent: int | None = None
    prior_relief_weeks: int | None = None
    conservative_treatment: str = ""
    #: Structured follow-up for the handout: a date, or "in N weeks"; neither = clinic default.
    follow_up_weeks: int | None = None
    follow_up_date: date | None = None
    #: Words for the patient per language code ("en", "es"); printed only in that language.
    handout_note: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AddendumView:
    """A correction added to a signed encounter: signed by its author, never edited.

    Attributes:
        created_at: when it was added (UTC, as stored).
        created_local: the same moment in the clinic's time zone, with the zone
            ("2026-03-04 14:05 CST"), ready to show.
    """

    id: int
    encounter_id: int
    author_id: int
    author_name: str
    created_at: datetime
    created_local: str
    text: str


@dataclass(frozen=True, slots=True)
class EncounterView:
    id: int
    patient_id: int
    provider_id: int
    provider_name: str
    performed_at: datetime
    status: EncounterStatus
    version: int
    form: EncounterInput
    sites: tuple[SiteView, ...]
    signed_by_id: int | None = None
    signed_at: datetime | None = None
    #: Warnings overridden at signing: (rule id, the finding's message, the typed reason).
    overrides: tuple[tuple[str, str, str], ...] = ()
    #: SHA-256 (hex) of the canonical snapshot stored at signing; None for drafts.
    signed_digest: str | None = None
    #: Corrections added after signing, oldest first.
    addenda: tuple[AddendumView, ...] = ()
    #: The clinic's IANA time zone ("" = this computer's): how the UI shows this visit's times.
    clinic_timezone: str = ""


@dataclass(frozen=True, slots=True)
class EncounterSummary:
    """A row of the patient's history list."""

    id: int
    performed_at: datetime
    provider_name: str
    status: EncounterStatus
    muscles: tuple[str, ...]
    site_count: int


@dataclass(frozen=True, slots=True)
class SiteDraft:
    """A site as the encounter editor holds it: the site and what was given there."""

    site: SiteInput
    doses: tuple[DoseInput, ...] = ()


@dataclass(frozen=True, slots=True)
class RepeatedVisit:
    """A new draft copied from the patient's previous visit, with what needs a second look.

    Attributes:
        encounter: the new draft encounter, already saved.
        previous_id: the encounter it was copied from.
        previous_at: when that visit took place.
        changes: plain sentences about what differs since then (expired lots, weight,
            allergies, anticoagulants, inactive medicines).
        changed_sites: order numbers of sites whose copy was altered (e.g. a lot cleared).
    """

    encounter: EncounterView
    previous_id: int
    previous_at: datetime
    changes: tuple[str, ...]
    changed_sites: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class UserChanges:
    """An administrator's edit of an account (the username and password are not edited here).

    Attributes:
        display_name: the person's full name.
        roles: one or more roles.
        credentials: "MD", "RN"... ("" for none).
        npi: the National Provider Identifier, 10 digits, or "" (optional, checked when given).
    """

    display_name: str
    roles: frozenset[Role]
    credentials: str = ""
    npi: str = ""


@dataclass(frozen=True, slots=True)
class EmergencyGrant:
    """An emergency access just granted: the user may read this patient's chart until then.

    Attributes:
        id: the grant's row (the audit row's entity).
        patient_id: the patient whose chart it opens.
        expires_at: when it stops allowing reads (UTC).
    """

    id: int
    patient_id: int
    expires_at: datetime


#: The columns the audit report sorts by.
AUDIT_SORTS = ("at", "user", "action", "patient", "workstation")


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """What the audit screen asks for: filters, order and one page.

    Attributes:
        start: the first clinic-local day shown (inclusive), ``None`` for no lower bound.
        end: the last clinic-local day shown (inclusive), ``None`` for no upper bound.
        user_id: only this user's rows.
        patient_id: only rows about this patient.
        action: only this action ("patient.read").
        sort: one of :data:`AUDIT_SORTS`; ties keep the trail's order.
        descending: newest (or Z) first.
        limit: at most this many rows (a page); ``None`` for all (the CSV export).
        offset: rows skipped before the page.
    """

    start: date | None = None
    end: date | None = None
    user_id: int | None = None
    patient_id: int | None = None
    action: str | None = None
    sort: str = "at"
    descending: bool = True
    limit: int | None = 200
    offset: int = 0


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit row as the administrator reads it (names resolved for the screen only).

    Attributes:
        at: when (UTC); ``local`` the same instant in the clinic's zone, as text.
        user_name: the account's display name ("" for none, e.g. a failed unknown name).
        user_roles: the account's roles now, in words ("provider, admin").
        what: the action in words.
        emergency: an emergency access, or a chart read made under one.
        reason: the reason typed for an emergency access ("" otherwise).
    """

    id: int
    seq: int | None
    at: datetime
    local: str
    user_id: int | None
    user_name: str
    user_roles: str
    action: str
    what: str
    patient_id: int | None
    patient_name: str
    patient_mrn: str
    entity_type: str
    entity_id: int | None
    workstation: str
    emergency: bool
    reason: str


@dataclass(frozen=True, slots=True)
class AuditPage:
    """A page of the audit report and how many rows match in all."""

    entries: tuple[AuditEntry, ...]
    total: int


@dataclass(frozen=True, slots=True)
class AuditPerson:
    """A user or a patient to filter the audit report by: id and what the screen shows."""

    id: int
    label: str


@dataclass(frozen=True, slots=True)
class ChartingDefaults:
    """What a provider's new sites start with (issue 12 §4); None: the clinic's choice.

    Attributes:
        favourite: the code of an injection favourite (clinic_app.domain.favourites).
        needle_gauge: the needle's gauge. needle_length_in: its length in inches.
    """

    favourite: str | None = None
    needle_gauge: int | None = None
    needle_length_in: Decimal | None = None


# ---------------------------------------------------------------- lots and stock (issue 12 §5)


@dataclass(frozen=True, slots=True)
class LotReceipt:
    """A lot as received (or corrected): quantity in mL, typed as text or exact.

    ``received_on`` ``None`` = today at the clinic.
    """

    medication_id: int
    lot_number: str
    expires_on: date | None
    quantity_ml: Decimal | str
    supplier: str = ""
    received_on: date | None = None


@dataclass(frozen=True, slots=True)
class LotStockView:
    """One lot with what is left of it (all quantities in mL).

    Attributes:
        received_ml: the quantity received; ``None`` for a lot added before stock was kept.
        used_ml: charted with this lot, in visits that count (not a draft of a voided patient).
        adjusted_ml: taken off (wastage) less found back (counts).
        remaining_ml: received - used - adjusted; ``None`` when the lot is not tracked.
        status: one line ("In use", "Expires in 12 days", "Recalled", ...).
        version: the row's version when read (an edit passes it back).
    """

    id: int
    medication_id: int
    medication_name: str
    lot_number: str
    expires_on: date
    received_ml: Decimal | None
    used_ml: Decimal
    adjusted_ml: Decimal
    remaining_ml: Decimal | None
    supplier: str
    received_on: date | None
    received_by: str
    recalled: bool
    status: str
    version: int


@dataclass(frozen=True, slots=True)
class StockReport:
    """The Lots screen: every lot (by medication, then expiry) and the warnings to show."""

    day: date
    lots: tuple[LotStockView, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RecallQuery:
    """Who received a lot: by lot number (exact, any case), optionally one medication, between
    two clinic days inclusive (``None`` = open-ended)."""

    lot_number: str
    medication_id: int | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class RecallRow:
    """One visit in which a patient received the lot."""

    encounter_id: int
    performed_on: date
    patient_mrn: str
    patient_name: str
    patient_phone: str
    medication_name: str
    lot_number: str
    volume_ml: Decimal
    sites: int
    provider: str
    status: str


@dataclass(frozen=True, slots=True)
class MeasureEntry:
    """A completed outcome questionnaire as the questionnaire dialog hands it in.

    Attributes:
        measure: the measure's code ("ndi", "odi"; :mod:`clinic_app.domain.measure_files`).
        answers: one score (0-5) per section in questionnaire order, ``None`` = unanswered.
        taken_on: the day the patient filled it in (the clinic's day; not in the future).
        patient_id: whose it is; may be left out when ``encounter_id`` is given.
        encounter_id: the visit it belongs to (a draft: a signed visit takes no new one).
    """

    measure: str
    answers: tuple[int | None, ...]
    taken_on: date
    patient_id: int | None = None
    encounter_id: int | None = None


@dataclass(frozen=True, slots=True)
class MeasureResponseView:
    """One recorded questionnaire with its score.

    Attributes:
        label: the measure's short name ("NDI"); ``name`` its full name.
        percent: total / (5 × answered) × 100, not rounded.
        max_total: 5 × the number of sections answered (the total's "out of").
        entered_by: "Ana Ruiz, MD" ("?" when the account is gone).
    """

    id: int
    patient_id: int
    encounter_id: int | None
    taken_on: date
    measure: str
    label: str
    name: str
    version: str
    answers: tuple[int | None, ...]
    answered: int
    total: int
    max_total: int
    percent: float
    band: str
    entered_by: str
    entered_at: datetime


@dataclass(frozen=True, slots=True)
class MeasureScore:
    """One scored questionnaire for a chart over time (the Progress view).

    Attributes:
        measure: the code ("ndi"); ``label`` the short name to show ("NDI").
        percent: 0-100, not rounded.
    """

    taken_on: date
    measure: str
    label: str
    total: int
    percent: float
    band: str


@dataclass(frozen=True, slots=True)
class ProgressView:
    """A patient's series of signed visits (issue 14 §1), as the Progress view shows it.

    Attributes:
        progress: the series (points oldest first, per muscle and side, the payer's count).
        muscle_names: the catalog's name of each muscle code in ``progress.muscles``.
        measures: outcome questionnaire scores, oldest first (empty when none are kept).
    """

    patient_id: int
    patient_name: str
    patient_mrn: str
    date_of_birth: date
    progress: Progress
    muscle_names: dict[str, str] = field(default_factory=dict)
    measures: tuple[MeasureScore, ...] = ()
