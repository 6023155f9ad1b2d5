"""a version counter on user accounts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 13:40:00

Issue 11 §2: every public method that changes a record takes the version it was read at.
``app_user`` had none, so two administrators editing the same account (or one resetting a
password the user had just changed) overwrote each other silently. The column is SQLAlchemy's
optimistic lock, as on ``patient`` and ``clinic_profile``: every UPDATE of the row bumps it
and checks the version it read. Existing accounts start at 1 (the server default, which also
covers rows inserted by hand); adding it is a plain ALTER TABLE on both backends.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('version')
