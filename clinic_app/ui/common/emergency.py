"""Emergency access from the GUI: a refused chart read offers "break the glass".

A user whose roles do not allow opening a chart is asked for a reason (through
:func:`clinic_app.ui.common.messages.ask_emergency_reason`); with one, the service grants
reading that patient's chart for a limited time (audited, flagged in the audit report) and
the read is tried again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import QWidget

from clinic_app.domain.emergency import grant_covers
from clinic_app.domain.errors import PermissionDenied, ValidationError
from clinic_app.ui.common import messages

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

T = TypeVar("T")


def open_chart(
    parent: QWidget | None,
    services: AppServices,
    patient_id: int | None,
    read: Callable[[], T],
) -> T | None:
    """``read()``, or after a refusal an emergency access for ``patient_id`` and ``read()``.

    Returns ``None`` when the user cancels the reason. A refusal an emergency access cannot
    lift (no patient, or not a chart read) is raised as it was; so is any other error.
    """
    try:
        return read()
    except PermissionDenied as refused:
        if patient_id is None or not grant_covers(refused.action):
            raise
        refusal = str(refused)
    while True:
        reason = messages.ask_emergency_reason(parent, refusal)
        if reason is None:
            return None
        try:
            services.emergency.break_glass(patient_id, reason)
        except ValidationError as exc:
            messages.show_error(parent, "Emergency access", exc)
            continue
        return read()
