"""SQLAlchemy ORM models: one MetaData, imported here so Alembic sees every table."""

from clinic_app.models.audit import AuditChainHead, AuditEvent, HandoutPrint
from clinic_app.models.base import Base
from clinic_app.models.clinic import ClinicProfile, User, UserPreference, UserRole
from clinic_app.models.emergency import EmergencyAccess
from clinic_app.models.encounter import Addendum, Encounter, InjectionSite, SiteDose
from clinic_app.models.measures import MeasureResponse
from clinic_app.models.medication import LotAdjustment, Medication, MedicationLot
from clinic_app.models.pain_drawing import PainDrawing
from clinic_app.models.patient import Patient, PatientSearchToken
from clinic_app.models.patient_count import PatientCount

__all__ = [
    "Addendum",
    "AuditChainHead",
    "AuditEvent",
    "Base",
    "ClinicProfile",
    "EmergencyAccess",
    "Encounter",
    "HandoutPrint",
    "InjectionSite",
    "LotAdjustment",
    "MeasureResponse",
    "Medication",
    "MedicationLot",
    "PainDrawing",
    "Patient",
    "PatientCount",
    "PatientSearchToken",
    "SiteDose",
    "User",
    "UserPreference",
    "UserRole",
]
