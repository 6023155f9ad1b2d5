"""idle lock: the clinic's minutes of inactivity before every window locks

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 06:10:00

Issue 10 §3: the workstation locks itself after a clinic-chosen time without keyboard or
mouse input (default 10 minutes, 1 to 120). The range is checked by the clinic service; the
column keeps its server default so existing clinics get 10 minutes, and adding it is a plain
ALTER TABLE on both backends (no rebuild of ``clinic_profile`` on SQLite).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('clinic_profile', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'idle_lock_minutes', sa.Integer(), server_default=sa.text('10'), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('clinic_profile', schema=None) as batch_op:
        batch_op.drop_column('idle_lock_minutes')
