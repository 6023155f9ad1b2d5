"""A user's own preferences: the charting defaults their new sites start with (issue 12 §4).

Kept in ``user_preference``, one row per user, apart from the account (``app_user``): saving
a default is the user's own choice, never an administrator's edit, and must not move the
account's version. Last write wins: the only writer is the user, from their own editor.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from clinic_app.domain import fields as f
from clinic_app.domain.errors import PermissionDenied, ValidationError
from clinic_app.domain.favourites import default_favourites
from clinic_app.models import UserPreference
from clinic_app.services.base import Service
from clinic_app.services.dto import ChartingDefaults

#: The widest needle and the longest length a default may name (the site table's own
#: lists are narrower; a value outside them simply is not offered).
_GAUGES = range(18, 35)
_MAX_LENGTH_IN = Decimal("6")


def _defaults_of(stored: dict[str, Any] | None) -> ChartingDefaults:
    """The stored JSON as defaults; anything unreadable is left out (a default, not data)."""
    data = stored or {}
    favourite = data.get("favourite")
    gauge = data.get("needle_gauge")
    try:
        length = Decimal(str(data["needle_length_in"])) if data.get("needle_length_in") else None
    except (InvalidOperation, ValueError):
        length = None
    return ChartingDefaults(
        favourite=favourite if isinstance(favourite, str) else None,
        needle_gauge=gauge if isinstance(gauge, int) and not isinstance(gauge, bool) else None,
        needle_length_in=length,
    )


def _clean(defaults: ChartingDefaults) -> dict[str, Any]:
    if not isinstance(defaults, ChartingDefaults):
        raise ValidationError("defaults", "The charting defaults are missing.")
    favourite = f.check_text_type("favourite", defaults.favourite, label="Favourite")
    if favourite is not None and favourite not in {
        item.code for item in default_favourites().injections()
    }:
        raise ValidationError("favourite", f"{favourite!r} is not an injection favourite.")
    gauge = defaults.needle_gauge
    if gauge is not None and (
        not isinstance(gauge, int) or isinstance(gauge, bool) or gauge not in _GAUGES
    ):
        raise ValidationError("needle_gauge", "Needle gauge must be a whole number, 18 to 34.")
    length = defaults.needle_length_in
    if length is not None and (
        not isinstance(length, Decimal) or not Decimal(0) < length <= _MAX_LENGTH_IN
    ):
        raise ValidationError("needle_length_in", "Needle length must be 0 to 6 inches.")
    return {
        "favourite": favourite,
        "needle_gauge": gauge,
        "needle_length_in": None if length is None else str(length),
    }


class PreferenceService(Service):
    """The signed-in user's own preferences."""

    def charting_defaults(self) -> ChartingDefaults:
        """What this user's new sites start with (all None: the clinic's favourites file)."""
        self._permit("user.charting_defaults")
        user_id = self._signed_in()
        with self._tx() as session:
            row = session.get(UserPreference, user_id)
            return _defaults_of(row.charting if row is not None else None)

    def set_charting_defaults(self, defaults: ChartingDefaults) -> ChartingDefaults:
        """Keep ``defaults`` for this user's new sites from now on ("Make this my default")."""
        self._permit("user.charting_defaults")
        user_id = self._signed_in()
        values = _clean(defaults)
        with self._tx() as session:
            row = session.get(UserPreference, user_id)
            if row is None:
                row = UserPreference(user_id=user_id, charting=values)
                session.add(row)
            else:
                row.charting = values
            self._audit(session, "user.charting_defaults", "app_user", user_id)
            return _defaults_of(values)

    def _signed_in(self) -> int:
        user_id = self._actor.user_id
        if user_id is None:  # pragma: no cover - the permission check refuses first
            raise PermissionDenied("user.charting_defaults", "Sign in first.")
        return user_id
