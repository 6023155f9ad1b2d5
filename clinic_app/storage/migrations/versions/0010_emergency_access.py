"""emergency access: grants to read one patient's chart outside one's role, with a reason

Revision ID: 0010
Revises: 0008 (0009 once merged)
Create Date: 2026-12-07 06:20:00

A user may open a chart their roles do not allow after typing a reason ("break the glass",
issue 10 §3). Each grant is a row here (who, which patient, why, until when); the audit
trail records it as "emergency.access" with the grant's id.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clinic_app.models.base

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'emergency_access',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('granted_at', clinic_app.models.base.UTCDateTime(), nullable=False),
        sa.Column('expires_at', clinic_app.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['patient_id'], ['patient.id'], name=op.f('fk_emergency_access_patient_id_patient')
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['app_user.id'], name=op.f('fk_emergency_access_user_id_app_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_emergency_access')),
    )
    with op.batch_alter_table('emergency_access', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_emergency_access_patient_id'), ['patient_id'], unique=False
        )
        batch_op.create_index(batch_op.f('ix_emergency_access_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('emergency_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_emergency_access_user_id'))
        batch_op.drop_index(batch_op.f('ix_emergency_access_patient_id'))
    op.drop_table('emergency_access')
