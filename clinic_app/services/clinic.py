"""First-run setup, the clinic profile, user accounts, lots and rule overrides."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select

from clinic_app.domain import clock
from clinic_app.domain import fields as f
from clinic_app.domain import validation as v
from clinic_app.domain.enums import Role
from clinic_app.domain.errors import (
    ConflictError,
    FieldChecks,
    NotFoundError,
    ValidationError,
)
from clinic_app.models import ClinicProfile, Medication, MedicationLot, Patient, User, UserRole
from clinic_app.services import rows
from clinic_app.services import rule_settings as overrides
from clinic_app.services.accounts import (
    UnknownNames,
    attempt_sign_in,
    clean_user,
    replace_password,
    user_view,
)
from clinic_app.services.base import Service
from clinic_app.services.clinic_profile import clean_profile, profile_view
from clinic_app.services.dto import (
    ClinicProfileData,
    ClinicProfileView,
    LotView,
    MedicationView,
    NewUser,
    RuleSettings,
    UserView,
)
from clinic_app.services.formulary import medication_view, seed_formulary

#: What a save from a settings dialog opened before another administrator's save is told.
STALE_PROFILE = (
    "The clinic settings were changed on another workstation since you opened them. "
    "Close the dialog and open it again; your changes were not saved."
)


class ClinicService(Service):
    """Setup, profile, users and formulary."""

    def needs_setup(self) -> bool:
        """True until a clinic profile and an active administrator exist."""
        self._permit("clinic.read")
        with self._tx() as session:
            has_profile = session.scalar(select(func.count(ClinicProfile.id))) or 0
            admins = (
                session.scalar(
                    select(func.count(User.id))
                    .join(UserRole)
                    .where(UserRole.role == Role.ADMIN, User.active.is_(True))
                )
                or 0
            )
            return not (has_profile and admins)

    def is_empty(self) -> bool:
        """True when the database holds no clinic, user or patient (safe to seed demo data)."""
        self._permit("clinic.read")
        with self._tx() as session:
            return not any(
                session.scalar(select(func.count()).select_from(t))
                for t in (ClinicProfile, User, Patient)
            )

    def initialize(
        self, profile: ClinicProfileData, admin: NewUser
    ) -> tuple[ClinicProfileView, UserView]:
        """First run: the clinic profile, the first administrator-provider, the formulary."""
        self._permit("clinic.setup")
        # Both halves of the setup form are checked before either is refused: every problem
        # is shown at once, clinic fields first (the form's order).
        c = FieldChecks()
        profile_values = c.run(clean_profile, profile)
        name = profile_values["name"] if profile_values else getattr(profile, "name", "")
        user_values = c.run(clean_user, admin, clinic_name=str(name))
        c.done()
        assert profile_values is not None  # done() raised otherwise
        assert user_values is not None
        user_values.update(roles=frozenset({Role.ADMIN, Role.PROVIDER}))
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
        self._actor.sign_in(result[1].id, result[1].roles)
        return result

    def profile(self) -> ClinicProfileView | None:
        self._permit("clinic.read")
        with self._tx() as session:
            clinic = rows.clinic_profile(session)
            return profile_view(clinic) if clinic else None

    def update_profile(
        self, data: ClinicProfileData, *, expected_version: int
    ) -> ClinicProfileView:
        """Save the clinic settings; ``expected_version`` is the version the dialog loaded
        (required): settings saved elsewhere since are not overwritten."""
        self._permit("clinic.update")
        version = f.check_id("expected_version", expected_version, label="The settings' version")
        values = clean_profile(data)
        with self._tx() as session:
            clinic = rows.clinic_profile(session)
            if clinic is None:
                raise NotFoundError("The clinic is not set up yet.")
            rows.check_version(clinic.version, version, STALE_PROFILE)
            for key, value in values.items():
                setattr(clinic, key, value)
            self._audit(session, "clinic.update", "clinic_profile", clinic.id)
            session.flush()
            return profile_view(clinic)

    def users(self, *, providers_only: bool = False) -> list[UserView]:
        self._permit("user.list")
        query = select(User).where(User.active.is_(True)).order_by(User.display_name)
        if providers_only:
            query = query.where(User.role_rows.any(UserRole.role == Role.PROVIDER))
        with self._tx() as session:
            return [user_view(u) for u in session.scalars(query)]

    @functools.cached_property
    def _unknown_names(self) -> UnknownNames:
        """Wrong-password counts for usernames that do not exist (this process only)."""
        return UnknownNames()

    def authenticate(self, username: str, password: str) -> UserView:
        """The active user with this username and password; one vague refusal otherwise.

        After five wrong passwords in a row the account waits (30 s, doubling, at most
        15 min; :mod:`clinic_app.domain.sign_in`); a success starts the count again. Every
        failure writes an ``auth.failed`` audit row (with the account's id when the username
        exists, never what was typed). An unknown username, a wrong password, an inactive
        and a waiting account get the same message after the same argon2 work.
        """
        self._permit("user.sign_in")
        name = username.strip().lower()
        now = self._clock()
        with self._tx() as session:
            # Locked: the attempt counts are written back, and the row's version moves with
            # them; two attempts at once wait for each other instead of one being refused.
            user = session.scalar(select(User).where(User.username == name).with_for_update())
            result = attempt_sign_in(user, password, now, self._unknown_names, name)
            user_id = result.user.id if result.user else None
            view = user_view(result.user) if result.user and result.accepted else None
            action = "auth.sign_in" if view else "auth.failed"
            self._audit(session, action, "user", user_id, user_id=user_id)
        if view is None:
            raise ValidationError("password", result.refusal)
        # The roles come from the database, now (a deactivated account has none); what they
        # allow is checked on every call.
        self._actor.sign_in(view.id, view.roles if view.active else frozenset())
        return view

    def change_own_password(self, current: str, new: str, confirm: str | None = None) -> UserView:
        """The signed-in user replaces their password; the current one is required; ``confirm``,
        when given, must repeat the new one (every problem is told at once).

        The new one follows :func:`clinic_app.domain.passwords.check_new_password` (not the
        username, the user's or the clinic's name) and must differ from the current one. A
        wrong current password counts as a wrong sign-in (same waits, audited).

        No ``expected_version`` (issue 11 §2 exempts it): the user changes their own account,
        proved by the current password, not a copy read earlier; an administrator's reset
        meanwhile makes that password wrong, so the stale case is refused anyway. A success
        moves the account's version, so an administrator's older copy is then stale.
        """
        self._permit("user.change_own_password")  # refused while no one is signed in
        now = self._clock()
        with self._tx() as session:
            user = session.get(User, self._actor.user_id, with_for_update=True)
            if user is None or not user.active:
                raise ConflictError("This account is no longer active.")
            clinic = rows.clinic_profile(session)
            refusal = replace_password(
                user, current, new, clinic.name if clinic else "", now, confirm
            )
            if refusal is None:
                self._audit(session, "user.password_change", "user", user.id)
                view = user_view(user)
            else:
                self._audit(session, "auth.failed", "user", user.id, user_id=user.id)
        if refusal is not None:
            raise ValidationError("current_password", refusal)
        return view

    def record_lock(self) -> None:
        """The workstation locked (idle time or Ctrl+L): one ``auth.lock`` audit row."""
        self._permit("user.lock")
        with self._tx() as session:
            self._audit(session, "auth.lock", "user", self._actor.user_id)

    def unlock(self, password: str) -> UserView:
        """The signed-in user unlocks with their password.

        Checked like a sign-in (the same waits after wrong passwords, one ``auth.failed``
        row per failure); a success writes ``auth.unlock``. The roles are read again, so a
        user deactivated while the screen was locked cannot unlock.
        """
        self._permit("user.unlock")
        now = self._clock()
        with self._tx() as session:
            user = session.get(User, self._actor.user_id, with_for_update=True)
            name = user.username if user else ""
            result = attempt_sign_in(user, password, now, self._unknown_names, name)
            view = user_view(user) if user and result.accepted else None
            action = "auth.unlock" if view else "auth.failed"
            self._audit(session, action, "user", self._actor.user_id)
        if view is None:
            raise ValidationError("password", result.refusal)
        self._actor.sign_in(view.id, view.roles if view.active else frozenset())
        return view

    def sign_out(self) -> None:
        """The signed-in user leaves this workstation: ``auth.sign_out``, then no one."""
        self._permit("user.sign_out")
        with self._tx() as session:
            self._audit(session, "auth.sign_out", "user", self._actor.user_id)
        self._actor.sign_out()

    def current_user(self) -> UserView | None:
        """Who is signed in on this workstation, or None before setup or sign-in."""
        self._permit("user.read")
        if self._actor.user_id is None:
            return None
        with self._tx() as session:
            user = session.get(User, self._actor.user_id)
            return user_view(user) if user else None

    def medications(self) -> list[MedicationView]:
        self._permit("medication.list")
        with self._tx() as session:
            return [
                medication_view(m)
                for m in session.scalars(
                    select(Medication).where(Medication.active.is_(True)).order_by(Medication.name)
                )
            ]

    def add_lot(self, medication_id: int, lot_number: str, expires_on: date) -> LotView:
        self._permit("medication.add_lot")
        medication_id = f.check_id("medication_id", medication_id, label="Medication")
        lot_text = v.clean_text(
            "lot_number", lot_number, label="Lot number", required=True, max_length=64
        )
        if f.check_date("expires_on", expires_on, label="Expiry date") is None:
            raise ValidationError("expires_on", "Expiry date is required.")
        with self._tx() as session:
            if session.get(Medication, medication_id) is None:
                raise NotFoundError(f"No medication with id {medication_id}.")
            lot = MedicationLot(
                medication_id=medication_id, lot_number=lot_text, expires_on=expires_on
            )
            session.add(lot)
            session.flush()
            self._audit(session, "medication.add_lot", "medication_lot", lot.id)
            return LotView(lot.id, medication_id, lot.lot_number, lot.expires_on)

    def usable_lots(self, medication_id: int, on: date | None = None) -> list[LotView]:
        """Lots of a medication that have not expired on ``on`` (today by default) and are
        not recalled."""
        self._permit("medication.list")
        medication_id = f.check_id("medication_id", medication_id, label="Medication")
        day = f.check_date("on", on, label="Day") or clock.today()
        with self._tx() as session:
            lots = session.scalars(
                select(MedicationLot)
                .where(
                    MedicationLot.medication_id == medication_id,
                    MedicationLot.expires_on >= day,
                    MedicationLot.recalled.is_(False),  # issue 12 §5: never offered again
                )
                .order_by(MedicationLot.expires_on)
            )
            return [LotView(x.id, x.medication_id, x.lot_number, x.expires_on) for x in lots]

    # ------------------------------------------------------------------ rule overrides
    def rule_settings(self) -> RuleSettings:
        """Every rule with the clinic's severity and standard reasons, and the clinic
        profile's version they were read at."""
        self._permit("clinic.read")
        with self._tx() as session:
            return overrides.rule_settings(rows.clinic_profile(session))

    def set_rule_override(
        self,
        rule_id: str,
        reason: str | None,
        *,
        expected_version: int,
        severity: str | None = None,
    ) -> RuleSettings:
        """Set ``rule_id`` to ``severity`` for the clinic with its ``reason``, or restore the
        shipped severity (``reason`` None).

        ``severity`` "block", "warning" or "info"; None = "warning" (lowering a documentation
        check). Raising is always allowed; lowering never goes below the floor of the rule
        data (a dose block cannot be lowered). Administrators only. ``expected_version`` is
        the clinic profile's version the settings were read at (required): a change made
        meanwhile on another workstation is not overwritten. Refused for an empty reason.
        The change is audited; it applies to the next checks everywhere. Returns the
        settings as stored, at the profile's new version.
        """
        self._permit("clinic.rule_override")
        version = f.check_id("expected_version", expected_version, label="The settings' version")
        rule_id, chosen, text = overrides.checked_override(rule_id, reason, severity)
        with self._tx() as session:
            clinic, user = overrides.rule_target(session, self._actor.user_id, version)
            action = overrides.apply_override(clinic, rule_id, chosen, text, user.username)
            self._audit(session, action, "clinic_profile", clinic.id)
            session.flush()  # the new version
            return overrides.rule_settings(clinic)

    def set_rule_reasons(
        self, rule_id: str, picks: Sequence[str] | None, *, expected_version: int
    ) -> RuleSettings:
        """Replace the standard typed reasons offered for ``rule_id`` at signing (``None``:
        back to the shipped ones). Administrators only; versioned and audited like
        :meth:`set_rule_override`. Empty and repeated texts are dropped."""
        self._permit("clinic.rule_override")
        version = f.check_id("expected_version", expected_version, label="The settings' version")
        rule_id, cleaned = overrides.checked_picks(rule_id, picks)
        with self._tx() as session:
            clinic, user = overrides.rule_target(session, self._actor.user_id, version)
            action = overrides.apply_picks(clinic, rule_id, cleaned, user.username)
            self._audit(session, action, "clinic_profile", clinic.id)
            session.flush()
            return overrides.rule_settings(clinic)
