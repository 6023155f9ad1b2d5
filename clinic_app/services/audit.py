"""The audit trail as an administrator sees it: is the chain intact, and who did what?"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from clinic_app.domain import validation as v
from clinic_app.domain.audit_chain import ChainReport, Problem, key_id, verify_chain
from clinic_app.domain.clock import format_clinic_time
from clinic_app.domain.errors import StorageError, ValidationError
from clinic_app.models import AuditEvent, ClinicProfile, User
from clinic_app.models.base import utcnow
from clinic_app.reports.access_data import AccessLine, AccessReportData
from clinic_app.services import audit_chain, audit_key, audit_report, rows
from clinic_app.services.base import Service
from clinic_app.services.dto import AuditEntry, AuditPage, AuditPerson, AuditQuery


def period_words(start: date | None, end: date | None) -> str:
    """ "2026-03-01 to 2026-03-31", "from 2026-03-01", "until …" or "all dates"."""
    if start and end:
        return f"{start.isoformat()} to {end.isoformat()}"
    if start:
        return f"from {start.isoformat()}"
    if end:
        return f"until {end.isoformat()}"
    return "all dates"


class AuditService(Service):
    """The administrator's audit screen: the chain check, the report, its exports."""

    def verify(self) -> ChainReport:
        """Check every audit row's seal, the links between them and the chain head.

        Reads the whole trail in one transaction (a consistent snapshot); names the first
        row that is wrong. Read-only: writes no audit row and never makes a key (a missing
        key file raises :class:`~clinic_app.domain.errors.StorageError`). See
        :mod:`clinic_app.services.audit_chain` for what this can and cannot detect.
        """
        self._permit("audit.verify")
        key = audit_chain.checking_key(self._seal)
        with self._tx() as session:
            rows = audit_chain.stored_rows(session)
            head = audit_chain.stored_head(session)
        report = verify_chain(key, rows, head)
        if not report.ok:
            return report
        # An intact chain must still reach the last entry this workstation wrote or saw.
        problem = audit_chain.check_anchor(self._seal, rows)
        if problem is None:
            return report
        return ChainReport(Problem.ANCHOR, None, problem, report.sealed, report.legacy)

    def export_key(self) -> str:
        """The installation key as hex, for ``clinic-app audit export-key`` (audited).

        Only a key that sealed this database's trail is handed out (a new trail's key is
        this workstation's own).

        Raises:
            StorageError: this workstation has no key, or not the trail's.
        """
        self._permit("audit.key_export")
        key = audit_chain.checking_key(self._seal)
        with self._tx() as session:
            audit_chain.trail_key(self._seal, audit_chain.stored_head(session))
            self._audit(session, "audit.key_export", "audit_event", None)
        return key.hex()

    def import_key(self, text: str) -> str:
        """Keep the key ``text`` (hex) as this workstation's from now on; its public id back.

        Refused unless it is the key that sealed this database's trail (a brand-new trail
        takes any key). A different key held before is kept aside in a file next to the
        anchor, never lost. Audited ("audit.key_import"), sealed with the new key.

        Raises:
            ValidationError: not a key, or not this trail's.
        """
        self._permit("audit.key_import")
        try:
            key = audit_key.parse_key(text, "the imported file")
        except StorageError as exc:
            raise ValidationError("key", str(exc)) from None
        store = self._seal.key
        if not isinstance(store, audit_key.KeyStore):
            raise ValidationError("key", "This installation's key is given by its caller.")
        with self._tx() as session:
            head = audit_chain.stored_head(session)
            if head is not None and head.seq and head.key_id != key_id(key):
                raise ValidationError(
                    "key",
                    f"This is key {key_id(key)}, but this database's audit trail is sealed "
                    f"with key {head.key_id}: export the key from a workstation that works "
                    "with this database.",
                )
            store.store(key)
            self._audit(session, "audit.key_import", "audit_event", None)
        return key_id(key)

    def report(self, query: AuditQuery) -> AuditPage:
        """One page of audit rows matching ``query``, names resolved, and the total.

        Dates are the clinic's local days (converted to UTC ranges). Read-only.

        Raises:
            ValidationError: an unknown sort column, a reversed range or a bad page.
        """
        self._permit("audit.report")
        audit_report.check_query(query)
        with self._tx() as session:
            zone = rows.clinic_zone(session)
            entries = audit_report.entries(session, query, zone)
            return AuditPage(tuple(entries), audit_report.count(session, query, zone))

    def export_csv(self, query: AuditQuery) -> str:
        """Every row matching ``query``'s filters (not just a page) as CSV text.

        The export is audited ("audit.export"): the file holds names.
        """
        self._permit("audit.report")
        whole = AuditQuery(
            query.start, query.end, query.user_id, query.patient_id, query.action,
            query.sort, query.descending, limit=None,
        )  # fmt: skip
        audit_report.check_query(whole)
        with self._tx() as session:
            zone = rows.clinic_zone(session)
            entries = audit_report.entries(session, whole, zone)
            self._audit(session, "audit.export", "audit_event", None, query.patient_id)
            return audit_report.to_csv(entries)

    def people(self) -> list[AuditPerson]:
        """Every account, active or not, by name (the screen's user filter)."""
        self._permit("audit.report")
        with self._tx() as session:
            found = session.execute(
                select(User.id, User.display_name, User.username).order_by(User.display_name)
            )
            return [AuditPerson(uid, f"{name} ({username})") for uid, name, username in found]

    def actions(self) -> list[str]:
        """The actions the trail holds, sorted (the screen's action filter)."""
        self._permit("audit.report")
        with self._tx() as session:
            return sorted(session.scalars(select(AuditEvent.action).distinct()))

    def find_patients(self, text: str) -> list[AuditPerson]:
        """Patients (voided too) whose MRN or name starts with ``text`` (the patient filter).

        Read-only and not a chart open: it shows names and MRNs only. The text has the
        patient search's limits (:func:`clinic_app.domain.validation.clean_search`).
        """
        self._permit("audit.report")
        text = v.clean_search(text)
        with self._tx() as session:
            return [
                AuditPerson(pid, label) for pid, label in audit_report.find_patients(session, text)
            ]

    def access_report_data(
        self, patient_id: int, start: date | None = None, end: date | None = None
    ) -> AccessReportData:
        """The patient's "who looked at my chart" report: every row about them, oldest first.

        Audited ("audit.access_report", with the patient).

        Raises:
            NotFoundError: no such patient.
            ValidationError: a reversed range.
        """
        self._permit("audit.report")
        query = AuditQuery(start, end, patient_id=patient_id, descending=False, limit=None)
        audit_report.check_query(query)
        with self._tx() as session:
            patient = rows.load_patient(session, patient_id)
            clinic = session.scalar(select(ClinicProfile).limit(1))
            zone = rows.clinic_zone(session)
            lines = tuple(self._line(entry) for entry in audit_report.entries(session, query, zone))
            self._audit(session, "audit.access_report", "patient", patient.id, patient.id)
            return AccessReportData(
                clinic_name=clinic.name if clinic else "",
                clinic_address=clinic.address if clinic else "",
                clinic_phone=clinic.phone if clinic else "",
                patient_name=f"{patient.given_name} {patient.family_name}",
                patient_mrn=patient.mrn,
                date_of_birth=patient.date_of_birth.isoformat(),
                period=period_words(start, end),
                made_at=format_clinic_time(utcnow(), zone),
                lines=lines,
            )

    def access_report(
        self, patient_id: int, start: date | None = None, end: date | None = None
    ) -> bytes:
        """The access report as PDF bytes (see :meth:`access_report_data`)."""
        self._permit("audit.report")
        from clinic_app.reports.access_report import render_access_report  # reportlab now

        return render_access_report(self.access_report_data(patient_id, start, end))

    @staticmethod
    def _line(entry: AuditEntry) -> AccessLine:
        return AccessLine(
            entry.local, entry.user_name, entry.user_roles, entry.what, entry.emergency
        )
