"""First-run setup, the clinic profile, user accounts and the formulary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_app.domain import clock
from clinic_app.domain import validation as v
from clinic_app.domain.enums import DoseUnit, Role
from clinic_app.domain.errors import ConflictError, NotFoundError, ValidationError
from clinic_app.domain.formulary import FormularyEntry, load_formulary
from clinic_app.domain.rules import default_rules
from clinic_app.domain.validation import MIN_PASSWORD_LENGTH
from clinic_app.models import ClinicProfile, Medication, MedicationLot, Patient, User
from clinic_app.models.base import utcnow
from clinic_app.services.base import Service
from clinic_app.services.dto import (
    ClinicProfileData,
    ClinicProfileView,
    LotView,
    MedicationView,
    NewUser,
    RuleSettingView,
    UserView,
)

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile.
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def user_view(u: User) -> UserView:
    return UserView(
        id=u.id,
        username=u.username,
        display_name=u.display_name,
        credentials=u.credentials,
        role=u.role,
        is_provider=u.is_provider,
        active=u.active,
        npi=u.npi or "",
    )


def profile_view(p: ClinicProfile) -> ClinicProfileView:
    return ClinicProfileView(
        id=p.id,
        name=p.name,
        address=p.address,
        phone=p.phone,
        after_hours_phone=p.after_hours_phone,
        default_language=p.default_language,
        fever_threshold_c=p.fever_threshold_c,
        activity_restriction_hours=p.activity_restriction_hours,
        follow_up_weeks=p.follow_up_weeks,
        logo_png=p.logo_png,
        timezone=p.timezone or "",
        is_demo=p.is_demo,
    )


def dose_unit_for(concentration_unit: str) -> DoseUnit:
    """The unit a dose of this medication is counted in."""
    if concentration_unit.startswith("mg"):
        return DoseUnit.MG
    if concentration_unit.startswith("unit"):
        return DoseUnit.UNITS
    return DoseUnit.NONE


def medication_view(m: Medication) -> MedicationView:
    return MedicationView(
        id=m.id,
        code=m.code,
        name=m.name,
        drug_class=str(m.drug_class),
        concentration=m.concentration,
        concentration_unit=m.concentration_unit,
        dose_unit=dose_unit_for(m.concentration_unit),
    )


def _clean_profile(data: ClinicProfileData) -> dict[str, object]:
    fever = v.parse_decimal("fever_threshold_c", data.fever_threshold_c, label="Fever threshold")
    if fever is None or not Decimal("37.5") <= fever <= Decimal("39.5"):
        raise ValidationError(
            "fever_threshold_c", "Fever threshold must be between 37.5 and 39.5 °C."
        )
    if not 0 <= data.activity_restriction_hours <= 336:
        raise ValidationError(
            "activity_restriction_hours", "Activity restriction must be 0 to 336 hours."
        )
    if not 0 <= data.follow_up_weeks <= 52:
        raise ValidationError("follow_up_weeks", "Follow-up must be 0 to 52 weeks.")
    return {
        "name": v.clean_text("name", data.name, label="Clinic name", required=True, max_length=200),
        "address": v.clean_text(
            "address", data.address, label="Address", multiline=True, max_length=500
        ),
        "phone": v.clean_text("phone", data.phone, label="Phone", max_length=40),
        "after_hours_phone": v.clean_text(
            "after_hours_phone", data.after_hours_phone, label="After-hours phone", max_length=40
        ),
        "default_language": data.default_language,
        "fever_threshold_c": fever,
        "activity_restriction_hours": data.activity_restriction_hours,
        "follow_up_weeks": data.follow_up_weeks,
        "logo_png": data.logo_png,
        "timezone": check_timezone(data.timezone),
    }


def check_timezone(name: str) -> str:
    """An IANA zone name the system knows, or "" for this computer's zone."""
    name = (name or "").strip()
    if not name:
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "timezone", f"{name!r} is not a known time zone (e.g. America/Chicago)."
        ) from None
    return name


def check_npi(value: str) -> str:
    """A National Provider Identifier: 10 digits with a valid Luhn check digit, or ""."""
    npi = (value or "").strip()
    if not npi:
        return ""
    if len(npi) != 10 or not npi.isdigit():
        raise ValidationError("npi", "An NPI is 10 digits.")
    # CMS: Luhn over the prefix 80840 followed by the first 9 digits.
    digits = [int(c) for c in "80840" + npi[:9]]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    if (10 - total % 10) % 10 != int(npi[9]):
        raise ValidationError("npi", f"{npi} is not a valid NPI (its check digit is wrong).")
    return npi


def _clean_user(data: NewUser) -> dict[str, object]:
    username = v.clean_text(
        "username", data.username, label="Username", required=True, max_length=64
    ).lower()
    if not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise ValidationError("username", "Username may use letters, digits, '.', '_' and '-'.")
    if len(data.password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "password", f"Password must be at least {MIN_PASSWORD_LENGTH} characters."
        )
    return {
        "username": username,
        "display_name": v.clean_name("display_name", data.display_name, label="Full name"),
        "credentials": v.clean_text(
            "credentials", data.credentials, label="Credentials", max_length=40
        ),
        "role": data.role,
        "npi": check_npi(data.npi),
        "is_provider": data.is_provider or data.role == Role.PROVIDER,
        "password_hash": hash_password(data.password),
    }


def seed_formulary(session: Session, entries: tuple[FormularyEntry, ...] | None = None) -> int:
    """Add the reference formulary's medications that are missing; returns how many."""
    existing = set(session.scalars(select(Medication.code)))
    added = 0
    for e in entries if entries is not None else load_formulary():
        if e.code in existing:
            continue
        session.add(
            Medication(
                code=e.code,
                name=e.name,
                generic=e.generic,
                drug_class=e.drug_class,
                concentration=e.concentration,
                concentration_unit=e.concentration_unit,
                strength_label=e.strength_label,
                epinephrine=e.epinephrine,
                hcpcs_code=e.hcpcs_code,
                billing_unit_amount=e.billing_unit_amount,
                billing_unit=e.billing_unit,
                max_mg_per_kg=e.max_mg_per_kg,
                max_total_mg=e.max_total_mg,
                triamcinolone_equivalent_factor=e.triamcinolone_equivalent_factor,
                source=e.source,
            )
        )
        added += 1
    return added


class ClinicService(Service):
    """Setup, profile, users and formulary."""

    def needs_setup(self) -> bool:
        """True until a clinic profile and an active administrator exist."""
        with self._tx() as session:
            has_profile = session.scalar(select(func.count(ClinicProfile.id))) or 0
            admins = (
                session.scalar(
                    select(func.count(User.id)).where(
                        User.role == Role.ADMIN, User.active.is_(True)
                    )
                )
                or 0
            )
            return not (has_profile and admins)

    def is_empty(self) -> bool:
        """True when the database holds no clinic, user or patient (safe to seed demo data)."""
        with self._tx() as session:
            return not any(
                session.scalar(select(func.count()).select_from(t))
                for t in (ClinicProfile, User, Patient)
            )

    def initialize(
        self, profile: ClinicProfileData, admin: NewUser
    ) -> tuple[ClinicProfileView, UserView]:
        """First run: the clinic profile, the first administrator-provider, the formulary."""
        profile_values = _clean_profile(profile)
        user_values = _clean_user(admin)
        user_values.update(role=Role.ADMIN, is_provider=True)
        with self._tx() as session:
            if session.scalar(select(func.count(ClinicProfile.id))):
                raise ConflictError("This database is already set up.")
            clinic = ClinicProfile(**profile_values)
            user = User(**user_values)
            session.add_all([clinic, user])
            seed_formulary(session)
            session.flush()
            self._audit(session, "clinic.setup", "clinic_profile", clinic.id, user_id=user.id)
            result = profile_view(clinic), user_view(user)
        # Only once committed: a failed setup must not leave a phantom user signed in.
        self._actor.user_id = result[1].id
        return result

    def profile(self) -> ClinicProfileView | None:
        with self._tx() as session:
            clinic = session.scalars(select(ClinicProfile).order_by(ClinicProfile.id)).first()
            return profile_view(clinic) if clinic else None

    def update_profile(self, data: ClinicProfileData) -> ClinicProfileView:
        values = _clean_profile(data)
        with self._tx() as session:
            clinic = session.scalars(select(ClinicProfile).order_by(ClinicProfile.id)).first()
            if clinic is None:
                raise NotFoundError("The clinic is not set up yet.")
            for key, value in values.items():
                setattr(clinic, key, value)
            self._audit(session, "clinic.update", "clinic_profile", clinic.id)
            session.flush()
            return profile_view(clinic)

    def create_user(self, data: NewUser) -> UserView:
        values = _clean_user(data)
        with self._tx() as session:
            if session.scalar(select(User.id).where(User.username == values["username"])):
                raise ConflictError(f"Username {values['username']} is taken.")
            user = User(**values)
            session.add(user)
            session.flush()
            self._audit(session, "user.create", "user", user.id)
            return user_view(user)

    def users(self, *, providers_only: bool = False) -> list[UserView]:
        query = select(User).where(User.active.is_(True)).order_by(User.display_name)
        if providers_only:
            query = query.where(User.is_provider.is_(True))
        with self._tx() as session:
            return [user_view(u) for u in session.scalars(query)]

    def authenticate(self, username: str, password: str) -> UserView:
        """The active user with this username and password; a vague error otherwise."""
        with self._tx() as session:
            user = session.scalar(select(User).where(User.username == username.strip().lower()))
            valid = (
                user is not None and user.active and password_matches(user.password_hash, password)
            )
            if user is None or not valid:
                raise ValidationError("password", "Username or password is wrong.")
            result = user_view(user)
        self._actor.user_id = result.id
        return result

    def current_user(self) -> UserView | None:
        """Who is signed in on this workstation, or None before setup or sign-in."""
        if self._actor.user_id is None:
            return None
        with self._tx() as session:
            user = session.get(User, self._actor.user_id)
            return user_view(user) if user else None

    def medications(self) -> list[MedicationView]:
        with self._tx() as session:
            return [
                medication_view(m)
                for m in session.scalars(
                    select(Medication).where(Medication.active.is_(True)).order_by(Medication.name)
                )
            ]

    def add_lot(self, medication_id: int, lot_number: str, expires_on: date) -> LotView:
        lot_text = v.clean_text(
            "lot_number", lot_number, label="Lot number", required=True, max_length=64
        )
        with self._tx() as session:
            if session.get(Medication, medication_id) is None:
                raise NotFoundError(f"No medication with id {medication_id}.")
            lot = MedicationLot(
                medication_id=medication_id, lot_number=lot_text, expires_on=expires_on
            )
            session.add(lot)
            session.flush()
            return LotView(lot.id, medication_id, lot.lot_number, lot.expires_on)

    def usable_lots(self, medication_id: int, on: date | None = None) -> list[LotView]:
        """Lots of a medication that have not expired on ``on`` (today by default)."""
        day = on or clock.today()
        with self._tx() as session:
            lots = session.scalars(
                select(MedicationLot)
                .where(
                    MedicationLot.medication_id == medication_id,
                    MedicationLot.expires_on >= day,
                )
                .order_by(MedicationLot.expires_on)
            )
            return [LotView(x.id, x.medication_id, x.lot_number, x.expires_on) for x in lots]

    # ------------------------------------------------------------------ rule overrides
    def rule_settings(self) -> list[RuleSettingView]:
        """The rules a clinic may lower (documentation completeness), with the clinic's choice."""
        with self._tx() as session:
            clinic = session.scalars(select(ClinicProfile).order_by(ClinicProfile.id)).first()
            stored = dict(clinic.rule_overrides or {}) if clinic else {}
        result = []
        for spec in default_rules().lowerable():
            raw = stored.get(spec.id)
            entry: dict[str, object] = raw if isinstance(raw, dict) else {}
            lowered = entry.get("severity") == "warning"
            result.append(
                RuleSettingView(
                    rule_id=spec.id,
                    title=spec.title,
                    source=spec.source or "",
                    severity="warning" if lowered else spec.severity.value,
                    reason=str(entry.get("reason", "")) if lowered else "",
                    by=str(entry.get("by", "")) if lowered else "",
                    at=str(entry.get("at", "")) if lowered else "",
                )
            )
        return result

    def set_rule_override(self, rule_id: str, reason: str | None) -> list[RuleSettingView]:
        """Lower ``rule_id`` to a warning with the clinic's ``reason``, or restore it (None).

        Administrators only. Refused for a rule whose data does not allow lowering and for an
        empty reason. The change is audited; it applies to the next checks everywhere.
        """
        spec = default_rules().rules.get(rule_id)
        if spec is None or not spec.clinic_may_lower:
            raise ValidationError("rule_id", f"The rule {rule_id!r} cannot be lowered by a clinic.")
        text = None
        if reason is not None:
            text = v.clean_text("reason", reason, label="Reason", multiline=True, max_length=500)
            if not text:
                raise ValidationError(
                    "reason", "Type why the clinic lowers this check to a warning."
                )
        with self._tx() as session:
            user = session.get(User, self._actor.user_id) if self._actor.user_id else None
            if user is None or not user.active or user.role is not Role.ADMIN:
                raise ConflictError("Only an administrator can change how a check is enforced.")
            clinic = session.scalars(select(ClinicProfile).order_by(ClinicProfile.id)).first()
            if clinic is None:
                raise NotFoundError("The clinic is not set up yet.")
            overrides = dict(clinic.rule_overrides or {})
            if text is None:
                overrides.pop(rule_id, None)
                action = "clinic.rule_restore"
            else:
                overrides[rule_id] = {
                    "severity": "warning",
                    "reason": text,
                    "by": user.username,
                    "at": utcnow().isoformat(),
                }
                action = "clinic.rule_lower"
            clinic.rule_overrides = overrides  # a new dict: JSON columns track assignment
            self._audit(session, action, "clinic_profile", clinic.id)
        return self.rule_settings()
