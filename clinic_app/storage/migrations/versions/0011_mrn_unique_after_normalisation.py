"""one record per MRN: patient.mrn_key (NFC, trimmed, case-folded) under a unique constraint;
a version counter on the clinic profile

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 12:20:00

MRN uniqueness was checked in Python only and the database constraint on ``patient.mrn`` is
case-sensitive, so two desks registering "racexx" and "RACEXX" at the same instant stored
both (issue 11 §2). The key is computed here in Python, the same way on SQLite and
PostgreSQL (their lower() and Unicode rules differ). Patients already sharing a key are
listed (MRN and patient id, never a name) and the upgrade stops before changing anything:
merging two charts is a clinical decision, not something a migration may guess.

``clinic_profile.version`` is the optimistic lock every other edited record already has, so
a settings dialog saved from a stale copy is refused instead of overwriting (§2).
"""

import unicodedata
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from clinic_app.domain.errors import StorageError

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(mrn: str) -> str:
    # A frozen copy of clinic_app.domain.validation.mrn_key as of this revision.
    return unicodedata.normalize("NFC", mrn.strip()).casefold()


def clash_report(rows: Sequence[tuple[int, str]]) -> str | None:
    """What to tell the clinic when existing patients share an MRN key, or None."""
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for patient_id, mrn in rows:
        groups[_key(mrn)].append((patient_id, mrn))
    clashes = [sorted(group) for group in groups.values() if len(group) > 1]
    if not clashes:
        return None
    lines = [
        "; ".join(f"MRN {mrn!r} (patient id {patient_id})" for patient_id, mrn in group)
        for group in sorted(clashes)
    ]
    return (
        f"The database upgrade stopped: {len(clashes)} MRN(s) belong to more than one patient "
        "once case and spacing are ignored. Nothing was changed. Give each of these patients "
        "its own MRN (or void the duplicate registration) with the previous version of the "
        "app, then start this version again:\n" + "\n".join(lines)
    )


def upgrade() -> None:
    bind = op.get_bind()
    patient = sa.table(
        'patient', sa.column('id', sa.Integer()), sa.column('mrn', sa.String()),
        sa.column('mrn_key', sa.String()),
    )
    rows = [(int(r.id), str(r.mrn)) for r in bind.execute(sa.select(patient.c.id, patient.c.mrn))]
    report = clash_report(rows)
    if report is not None:
        raise StorageError(report)
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mrn_key', sa.String(length=64), nullable=True))
    for patient_id, mrn in rows:
        bind.execute(
            patient.update().where(patient.c.id == patient_id).values(mrn_key=_key(mrn))
        )
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.alter_column('mrn_key', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_patient_mrn_key'), ['mrn_key'])
    with op.batch_alter_table('clinic_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
    op.execute(sa.text("UPDATE clinic_profile SET version = 1"))
    with op.batch_alter_table('clinic_profile', schema=None) as batch_op:
        batch_op.alter_column('version', existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('clinic_profile', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_patient_mrn_key'), type_='unique')
        batch_op.drop_column('mrn_key')
