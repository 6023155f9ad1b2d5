"""Live clinical checks on the encounter being charted, and signing with those checks.

The facts are gathered by :mod:`clinic_app.services.assessment`; signing enforces the
verdict in the same transaction that marks the encounter signed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from clinic_app.domain import fields as f
from clinic_app.domain import validation as v
from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.errors import ConflictError, ValidationError
from clinic_app.domain.rules import Assessment
from clinic_app.services import rows
from clinic_app.services.assessment import assess_content
from clinic_app.services.base import Service
from clinic_app.services.draft_content import STALE_DRAFT, checked_content, write_content
from clinic_app.services.dto import EncounterInput, EncounterView, SiteDraft
from clinic_app.services.encounter_views import encounter_view
from clinic_app.services.snapshot import build_snapshot, seal

#: Longest override reason kept in the note.
MAX_REASON_LENGTH = 500


class ChecksService(Service):
    """Assess a draft as it is edited, and sign it when nothing blocks."""

    def assess_draft(
        self, encounter_id: int, form: EncounterInput, sites: Sequence[SiteDraft]
    ) -> Assessment:
        """The checks for what the editor shows now, saved or not (read-only)."""
        self._permit("encounter.assess", encounter_id=encounter_id)
        encounter_id = f.check_id("encounter_id", encounter_id, label="Encounter")
        with self._tx() as session:
            e = rows.load_encounter(session, encounter_id)
            return assess_content(session, e, form, sites, self._catalog)

    def assess_saved(self, encounter_id: int) -> Assessment:
        """The checks for the encounter as stored (for the note and the handout)."""
        self._permit("encounter.assess", encounter_id=encounter_id)
        encounter_id = f.check_id("encounter_id", encounter_id, label="Encounter")
        with self._tx() as session:
            e = rows.load_encounter(session, encounter_id)
            view = encounter_view(session, e, self._catalog)
            sites = [s.to_draft() for s in view.sites]
            return assess_content(session, e, view.form, sites, self._catalog)

    def sign(
        self,
        encounter_id: int,
        expected_version: int,
        form: EncounterInput,
        sites: Sequence[SiteDraft],
        reasons: Mapping[str, str],
    ) -> EncounterView:
        """Save the editor's content, then sign it.

        ``expected_version`` is the one the editor last loaded or saved: signing a stale
        copy is refused.

        The content is saved first (its own transaction and audit row, as a save from the
        editor), so a refused signature loses nothing. Signing is refused while any check
        blocks, or while a warning that needs a typed reason has none; ``reasons`` maps a
        finding's rule id to the provider's words, which go into the note.
        """
        self._permit("encounter.sign")
        encounter_id = f.check_id("encounter_id", encounter_id, label="Encounter")
        version = f.check_id("expected_version", expected_version, label="The editor's version")
        if not isinstance(reasons, Mapping) or not all(isinstance(key, str) for key in reasons):
            raise ValidationError("reasons", "Override reasons must be given per check.")
        values, site_rows = checked_content(form, sites, self._catalog)
        signer_id = self._actor.user_id
        with self._tx() as session:
            if rows.active_provider(session, signer_id) is None:
                raise ConflictError("Only a signed-in provider can sign a procedure note.")
            e = rows.load_encounter(session, encounter_id, for_edit=True)
            rows.check_version(e.version, version, STALE_DRAFT)
            write_content(session, e, values, site_rows)
            self._audit(session, "encounter.save", "encounter", e.id, e.patient_id)
            session.flush()
            saved = e.version
        with self._tx() as session:
            e = rows.load_encounter(session, encounter_id, for_edit=True)
            rows.check_version(
                e.version, saved, "This encounter changed while signing; review it again."
            )
            result = assess_content(session, e, form, sites, self._catalog)
            if result.blocks:
                listed = "\n".join(f"• {f.message}" for f in result.blocks)
                raise ValidationError(
                    "checks", f"Signing is refused until this is resolved:\n{listed}"
                )
            overrides = []
            for finding in result.reasons_needed:
                reason = v.clean_text(
                    "reasons",
                    reasons.get(finding.rule, ""),
                    label="Override reason",
                    multiline=True,
                    max_length=MAX_REASON_LENGTH,
                )
                if not reason:
                    raise ValidationError(
                        "reasons", f"Type a reason to sign despite: {finding.message}"
                    )
                overrides.append(
                    {"rule": finding.rule, "message": finding.message, "reason": reason}
                )
            # Everything is written in the one UPDATE that marks it signed: the database
            # refuses any later change of a signed row, so nothing may flush in between.
            with session.no_autoflush:
                e.override_reasons = overrides
                e.status = EncounterStatus.SIGNED
                e.signed_by_id = signer_id
                e.signed_at = self._clock()
                e.signed_snapshot = build_snapshot(
                    session, e, encounter_view(session, e, self._catalog), result
                )
                e.signed_digest = seal(e.signed_snapshot)
            self._audit(session, "encounter.sign", "encounter", e.id, e.patient_id)
            session.flush()
            return encounter_view(session, e, self._catalog)
