"""What the "who looked at my chart" report prints, as plain values (no drawing library):
the audit service builds them at start-up cost zero; :mod:`.access_report` draws them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AccessLine:
    """One access to the chart.

    Attributes:
        when: the clinic-local date and time ("2026-03-04 14:05 CST").
        who: the user's display name.
        role: the user's roles in words ("provider").
        what: the action in words ("Opened the patient's record").
        emergency: made under emergency access (printed with a mark).
    """

    when: str
    who: str
    role: str
    what: str
    emergency: bool = False


@dataclass(frozen=True, slots=True)
class AccessReportData:
    """Everything the report prints.

    Attributes:
        clinic_name, clinic_address, clinic_phone: the header.
        patient_name, patient_mrn, date_of_birth: whose chart (the date as printed).
        period: the date range in words ("2026-03-01 to 2026-03-31").
        made_at: when the report was made, clinic time.
        lines: the accesses, oldest first.
    """

    clinic_name: str
    clinic_address: str
    clinic_phone: str
    patient_name: str
    patient_mrn: str
    date_of_birth: str
    period: str
    made_at: str
    lines: tuple[AccessLine, ...]
