"""The audit trail as an administrator sees it: is the chain intact?"""

from __future__ import annotations

from clinic_app.domain.audit_chain import ChainReport, verify_chain
from clinic_app.services import audit_chain
from clinic_app.services.base import Service


class AuditService(Service):
    """Checks of the audit trail (the audit screen's report comes later)."""

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
        return verify_chain(key, rows, head)
