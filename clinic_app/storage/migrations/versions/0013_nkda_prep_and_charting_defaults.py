"""no known drug allergies, the clinic's default skin prep, per-user charting defaults

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 15:00:00

Issue 12 §4. ``patient.no_known_drug_allergies`` records "No known drug allergies" (NKDA) as
its own state, distinct from an empty allergy list (not recorded): typing "None" in the list
raised a red allergy alert. ``clinic_profile.default_skin_prep`` is what the encounter form's
skin-prep row starts with (chlorhexidine, the existing choice most clinics use; NULL = none).
``user_preference`` keeps each user's charting defaults (needle and favourite for new sites)
outside ``app_user``, so a provider saving their defaults never moves the account's version
an administrator edits.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clinic_app.models.base

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'no_known_drug_allergies', sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
    with op.batch_alter_table('clinic_profile', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'default_skin_prep', sa.String(length=32), server_default='chlorhexidine',
                nullable=True,
            )
        )
    op.create_table(
        'user_preference',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('charting', sa.JSON(), nullable=False),
        sa.Column('updated_at', clinic_app.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['app_user.id'], name=op.f('fk_user_preference_user_id_app_user')
        ),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_preference')),
    )


def downgrade() -> None:
    op.drop_table('user_preference')
    with op.batch_alter_table('clinic_profile', schema=None) as batch_op:
        batch_op.drop_column('default_skin_prep')
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_column('no_known_drug_allergies')
