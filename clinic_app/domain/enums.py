"""Closed vocabularies shared by every layer.

Stored in the database as their string values, so renaming a member's value
needs a migration; adding a member does not.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A role a user account holds (one or more); what each may do is the permission matrix
    (:mod:`clinic_app.domain.access`, ``resources/access/permissions.toml``)."""

    PROVIDER = "provider"
    NURSE = "nurse"
    FRONT_DESK = "front_desk"
    ADMIN = "admin"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Language(StrEnum):
    """Languages the handouts are written in."""

    ENGLISH = "en"
    SPANISH = "es"


class Side(StrEnum):
    """The patient's side, never the viewer's."""

    LEFT = "left"
    RIGHT = "right"


class Technique(StrEnum):
    INJECTION = "injection"
    DRY_NEEDLING = "dry_needling"


class TwitchResponse(StrEnum):
    NONE = "none"
    LOCAL = "local"
    REFERRED = "referred"
    NOT_ASSESSED = "not_assessed"


class Aspiration(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    NOT_DONE = "not_done"


class EncounterStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


class SkinPrep(StrEnum):
    ALCOHOL = "alcohol"
    CHLORHEXIDINE = "chlorhexidine"
    POVIDONE_IODINE = "povidone_iodine"


class Tolerance(StrEnum):
    WELL = "well"
    FAIR = "fair"
    POOR = "poor"


class DoseUnit(StrEnum):
    """Units a recorded dose is expressed in ("units", never "U" or "IU")."""

    MG = "mg"
    UNITS = "units"
    NONE = "none"
