"""Create, edit, void and find patients."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinic_app.domain import clock
from clinic_app.domain import fields as f
from clinic_app.domain import validation as v
from clinic_app.domain.allergies import means_no_known_allergies
from clinic_app.domain.enums import Language, Sex
from clinic_app.domain.errors import ConflictError, FieldChecks, ValidationError
from clinic_app.domain.rules.data import default_rules
from clinic_app.models import Patient, PatientCount
from clinic_app.models.base import utcnow
from clinic_app.services import rows
from clinic_app.services.base import Service
from clinic_app.services.dto import PatientInput, PatientView
from clinic_app.services.patient_search import VIEW_COLUMNS, first_matches, match, row_view

#: The permission a change of the patient's clinical fields needs, besides patient.update.
CLINICAL = "patient.clinical"
#: The clinical fields of the patient form (weight, allergies, safety flags) and their blank
#: values: what the checks rely on, so only roles that record vitals and screening set them.
CLINICAL_FIELDS: dict[str, object] = {
    "weight_kg": None,
    "weight_measured_on": None,
    "allergies": "",
    "no_known_drug_allergies": False,
    "anticoagulant": False,
    "diabetes": False,
    "pregnant_or_breastfeeding": False,
}
#: What a save from a form loaded before another workstation's save is told.
STALE_FORM = (
    "This patient was changed on another workstation since you opened the "
    "form. Close it and open the patient again; your edit was not saved."
)
#: Most rows one search returns.
MAX_SEARCH_ROWS = 1000


def patient_view(p: Patient) -> PatientView:
    return PatientView(
        id=p.id,
        mrn=p.mrn,
        given_name=p.given_name,
        family_name=p.family_name,
        date_of_birth=p.date_of_birth,
        sex=p.sex,
        weight_kg=p.weight_kg,
        weight_measured_on=p.weight_measured_on,
        preferred_language=p.preferred_language,
        phone=p.phone,
        allergies=p.allergies,
        anticoagulant=p.anticoagulant,
        diabetes=p.diabetes,
        pregnant_or_breastfeeding=p.pregnant_or_breastfeeding,
        notes=p.notes,
        voided=p.voided_at is not None,
        version=p.version,
        payer=p.payer,
        no_known_drug_allergies=p.no_known_drug_allergies,
    )


def _clean_allergies(data: PatientInput) -> dict[str, object]:
    """The allergy list and NKDA: "None" / "NKDA" typed in the list is NKDA, not an allergy."""
    text = v.clean_text("allergies", data.allergies, label="Allergies", multiline=True)
    nkda = f.check_bool(
        "no_known_drug_allergies", data.no_known_drug_allergies, label="No known drug allergies"
    )
    if means_no_known_allergies(text):
        return {"allergies": "", "no_known_drug_allergies": True}
    if nkda and text:
        raise ValidationError(
            "allergies",
            "Allergies are listed and “No known drug allergies” is ticked: keep one of them.",
        )
    return {"allergies": text, "no_known_drug_allergies": nkda}


def _mrn_used(session: Session, mrn: str, patient_id: int | None) -> bool:
    query = select(Patient.id).where(Patient.mrn_key == v.mrn_key(mrn))
    if patient_id is not None:
        query = query.where(Patient.id != patient_id)
    return session.scalar(query) is not None


def _mrn_taken(mrn: str) -> ConflictError:
    return ConflictError(
        f"MRN {mrn} already belongs to another patient (MRNs are compared without regard "
        "to case). Nothing was saved.",
        field="mrn",
    )


class PatientService(Service):
    """Use cases of the patient list and the patient form."""

    def _clean(
        self, data: PatientInput, today: date, patient_id: int | None = None
    ) -> dict[str, object]:
        return clean_patient(data, today, lambda mrn: self._mrn_in_use(mrn, patient_id))

    @staticmethod
    def _clean_values(
        data: PatientInput, today: date, mrn_taken: Callable[[str], bool] | None = None
    ) -> dict[str, object]:
        """The row's values; every field at fault is reported at once (InvalidFieldsError), in the
        order of the patient form, a taken MRN (``mrn_taken``) with the others (alone, it is
        the ConflictError of :func:`_mrn_taken`)."""
        if not isinstance(data, PatientInput):
            raise ValidationError("patient", "The patient form's values are missing.")
        c = FieldChecks()
        mrn = c.run(v.clean_mrn, data.mrn)
        taken = mrn is not None and mrn_taken is not None and mrn_taken(mrn)
        if taken:
            c.add("mrn", str(_mrn_taken(str(mrn))))
        given = c.run(v.clean_name, "given_name", data.given_name, label="Given name")
        family = c.run(v.clean_name, "family_name", data.family_name, label="Family name")
        birth = c.run(f.check_date, "date_of_birth", data.date_of_birth, label="Date of birth")
        born = c.run(v.check_birth_date, birth, today) if not c.failed("date_of_birth") else None
        sex = c.run(f.check_enum, "sex", data.sex, Sex, label="Sex")
        weight = c.run(v.check_weight, data.weight_kg)
        measured = c.run(
            f.check_date, "weight_measured_on", data.weight_measured_on, label="The weight's date"
        )
        if weight is not None and measured is None:
            measured = today
        if measured is not None and measured > today:
            c.add("weight_measured_on", "The weight's date is in the future.")
        values: dict[str, object] = {
            "mrn": mrn,
            "given_name": given,
            "family_name": family,
            "date_of_birth": born,
            "sex": sex,
            "weight_kg": weight,
            "weight_measured_on": measured if weight is not None else None,
            "preferred_language": c.run(
                f.check_enum,
                "preferred_language",
                data.preferred_language,
                Language,
                label="Language",
            ),
            "phone": c.run(v.clean_text, "phone", data.phone, label="Phone", max_length=40),
            "payer": c.run(PatientService._payer, data.payer),
            **(c.run(_clean_allergies, data) or {}),
            "anticoagulant": c.run(
                f.check_bool, "anticoagulant", data.anticoagulant, label="Anticoagulant"
            ),
            "diabetes": c.run(f.check_bool, "diabetes", data.diabetes, label="Diabetes"),
            "pregnant_or_breastfeeding": c.run(
                f.check_bool,
                "pregnant_or_breastfeeding",
                data.pregnant_or_breastfeeding,
                label="Pregnant or breastfeeding",
            ),
            "notes": c.run(
                v.clean_text, "notes", data.notes, label="Notes", multiline=True, max_length=20000
            ),
        }
        if taken and len(c.errors) == 1:
            raise _mrn_taken(str(mrn))
        c.done()
        values["given_key"] = v.search_key(str(given))
        values["family_key"] = v.search_key(str(family))
        return values

    @staticmethod
    def _payer(value: str) -> str:
        text = f.check_text_type("payer", value, label="Payer profile")
        payer = (text or "none").strip().lower()
        known = set(default_rules().payers)
        if payer not in known:
            raise ValidationError(
                "payer",
                f"Unknown payer profile {value!r}; choose one of {', '.join(sorted(known))}.",
            )
        return payer

    def _check_mrn_free(self, session: Session, mrn: str, patient_id: int | None) -> None:
        if _mrn_used(session, mrn, patient_id):
            raise _mrn_taken(mrn)

    def _mrn_in_use(self, mrn: str, patient_id: int | None) -> bool:
        """Whether another patient has ``mrn`` now (a read of its own, so the form hears of
        it with its other problems; the write checks again, in its transaction)."""
        with self._tx() as session:
            return _mrn_used(session, mrn, patient_id)

    @staticmethod
    def _flush_mrn(session: Session, mrn: str) -> None:
        """Write now; a workstation that stored the same MRN key meanwhile wins the race.

        The check above reads before writing, so two desks can both pass it; the unique
        constraint on ``patient.mrn_key`` then refuses the second, told in the same words.
        """
        try:
            session.flush()
        except IntegrityError as exc:
            if "mrn" in str(exc.orig).lower():
                raise _mrn_taken(mrn) from None
            raise

    def create(self, data: PatientInput, today: date | None = None) -> PatientView:
        """Register a new patient; refuses a duplicate MRN (case-insensitive).

        Weight, allergies and safety flags need the ``patient.clinical`` permission
        (front desk registers demographics only).
        """
        self._permit("patient.create")
        values = self._clean(data, today or clock.today())
        if any(values[key] != blank for key, blank in CLINICAL_FIELDS.items()):
            self._permit(CLINICAL)
        with self._tx() as session:
            self._check_mrn_free(session, str(values["mrn"]), None)
            patient = Patient(**values)
            session.add(patient)
            self._flush_mrn(session, str(values["mrn"]))
            self._audit(session, "patient.create", "patient", patient.id, patient.id)
            return patient_view(patient)

    def check(
        self, data: PatientInput, today: date | None = None, patient_id: int | None = None
    ) -> None:
        """Check the form's values without saving: raises what ``create`` (or ``update`` of
        ``patient_id``) would refuse, a taken MRN included.

        For a form that found problems of its own (a date that is not a date) and shows them
        together with the service's, in one go. Writes nothing.
        """
        self._permit("patient.read")
        self._clean(data, today or clock.today(), patient_id)

    def update(
        self,
        patient_id: int,
        data: PatientInput,
        today: date | None = None,
        *,
        expected_version: int,
    ) -> PatientView:
        """Save the edited form of an existing, non-voided patient.

        ``expected_version`` is the version the form was loaded from (required: there is no
        way to skip the check); when another workstation saved in between, the edit is
        refused instead of overwriting theirs.
        A change of weight, allergies or a safety flag needs the ``patient.clinical``
        permission: without it (front desk) the whole edit is refused, audited, and nothing
        is saved.
        """
        self._permit("patient.update")
        patient_id = f.check_id("patient_id", patient_id, label="Patient")
        version = f.check_id("expected_version", expected_version, label="The form's version")
        values = self._clean(data, today or clock.today(), patient_id)
        may_chart = self._may(CLINICAL)
        with self._tx() as session:
            patient = rows.load_patient(session, patient_id)
            if patient.voided_at is not None:
                raise ConflictError("This patient was voided and cannot be edited.")
            rows.check_version(patient.version, version, STALE_FORM)
            if may_chart or all(getattr(patient, key) == values[key] for key in CLINICAL_FIELDS):
                self._check_mrn_free(session, str(values["mrn"]), patient_id)
                for key, value in values.items():
                    setattr(patient, key, value)
                self._flush_mrn(session, str(values["mrn"]))
                self._audit(session, "patient.update", "patient", patient.id, patient.id)
                session.flush()
                return patient_view(patient)
        self._deny(CLINICAL)

    def void(self, patient_id: int, reason: str, *, expected_version: int) -> PatientView:
        """Hide a patient registered in error; the row and its history stay.

        ``expected_version`` is the version the screen showed: a patient edited elsewhere
        since is not voided on the strength of an old view.
        """
        self._permit("patient.void")
        patient_id = f.check_id("patient_id", patient_id, label="Patient")
        version = f.check_id("expected_version", expected_version, label="The record's version")
        text = v.clean_text("void_reason", reason, label="Reason", required=True, multiline=True)
        with self._tx() as session:
            patient = rows.load_patient(session, patient_id)
            if patient.voided_at is not None:
                raise ConflictError("This patient is already voided.")
            rows.check_version(patient.version, version, STALE_FORM)
            patient.voided_at = utcnow()
            patient.voided_by_id = self._actor.user_id
            patient.void_reason = text
            self._audit(session, "patient.void", "patient", patient.id, patient.id)
            session.flush()
            return patient_view(patient)

    def get(self, patient_id: int) -> PatientView:
        """Open a patient's record: audited as a chart open ("patient.read")."""
        self._permit("patient.read", patient_id)
        patient_id = f.check_id("patient_id", patient_id, label="Patient")
        with self._tx() as session:
            patient = rows.load_patient(session, patient_id)
            self._audit(session, "patient.read", "patient", patient.id, patient.id)
            return patient_view(patient)

    def count(self) -> int:
        """Patients not voided: one row kept by the database's triggers (migration 0018),
        so every refresh costs the same at 100 or 100,000 patients."""
        self._permit("patient.count")
        with self._tx() as session:
            kept = session.scalar(select(PatientCount.active).where(PatientCount.id == 1))
            if kept is not None:
                return int(kept)
            # No row: every table was truncated by hand (tests do); count, exactly.
            return int(
                session.scalar(select(func.count(Patient.id)).where(Patient.voided_at.is_(None)))
                or 0
            )

    def search(
        self, text: str, *, limit: int = 200, include_voided: bool = False
    ) -> list[PatientView]:
        """Find patients by name prefix, MRN or date of birth.

        Names match case- and accent-insensitively ("nguyen" finds "Nguyễn"); every word
        typed must start the given or family name ("ngu th" finds "Nguyễn Thị"), and
        "Family, Given" works too. An empty query lists patients alphabetically.
        """
        self._permit("patient.search")
        # Tabs and line breaks (a pasted cell) are spaces here; other controls are refused.
        raw = v.clean_search(text)
        limit = f.check_int("limit", limit, label="Rows shown", low=1, high=MAX_SEARCH_ROWS)
        include_voided = f.check_bool("include_voided", include_voided, label="Include voided")
        query = select(*VIEW_COLUMNS)
        if not include_voided:
            query = query.where(Patient.voided_at.is_(None))
        query = query.order_by(Patient.family_key, Patient.given_key, Patient.id).limit(limit)
        with self._tx() as session:
            if len(raw) == 1:
                # One letter matches a tenth of the clinic: sorting all of them by name to
                # show 200 took 30 ms at 100,000 patients. The page is the first matches in
                # the order of their matching word instead, read off the token index.
                ids = first_matches(session, raw, limit, include_voided=include_voided)
                query = query.where(Patient.id.in_(ids))
            elif raw:
                query = query.where(match(raw))
            return [row_view(row) for row in session.execute(query)]


def clean_patient(
    data: PatientInput, today: date, mrn_taken: Callable[[str], bool] | None = None
) -> dict[str, object]:
    """The patient form's checks (what ``PatientService.create`` refuses), also for the patient
    import (which reports duplicate MRNs itself): the row's values, or every field at fault at
    once (InvalidFieldsError)."""
    return PatientService._clean_values(data, today, mrn_taken)
