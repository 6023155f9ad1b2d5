"""signed snapshot, documentation completeness, relief, findings, follow-up, time zone, NPI

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Text and JSON columns get a server default for the rows that exist, dropped afterwards
    # because the ORM supplies it (PostgreSQL cannot compare JSON defaults).
    with op.batch_alter_table('encounter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pain_after_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('prior_relief_percent', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prior_relief_weeks', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('conservative_treatment', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('follow_up_weeks', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('follow_up_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('handout_note', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('signed_snapshot', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('signed_digest', sa.String(length=64), nullable=True))
        batch_op.create_check_constraint(
            'prior_relief_percent_range',
            'prior_relief_percent IS NULL OR prior_relief_percent BETWEEN 0 AND 100',
        )
        batch_op.create_check_constraint(
            'prior_relief_weeks_range',
            'prior_relief_weeks IS NULL OR prior_relief_weeks BETWEEN 0 AND 104',
        )
        batch_op.create_check_constraint(
            'follow_up_weeks_range', 'follow_up_weeks IS NULL OR follow_up_weeks BETWEEN 0 AND 52'
        )
    with op.batch_alter_table('encounter', schema=None) as batch_op:
        batch_op.alter_column('pain_after_reason', server_default=None)
        batch_op.alter_column('conservative_treatment', server_default=None)
        batch_op.alter_column('handout_note', server_default=None)

    with op.batch_alter_table('injection_site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('taut_band', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('jump_sign', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('referred_pain_reproduced', sa.Boolean(), nullable=True))

    with op.batch_alter_table('site_dose', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lot_missing_reason', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('site_dose', schema=None) as batch_op:
        batch_op.alter_column('lot_missing_reason', server_default=None)

    with op.batch_alter_table('clinic_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('rule_overrides', sa.JSON(), server_default='{}', nullable=False))
    with op.batch_alter_table('clinic_profile', schema=None) as batch_op:
        batch_op.alter_column('timezone', server_default=None)
        batch_op.alter_column('rule_overrides', server_default=None)

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        # The server default stays: dropping it would rebuild app_user, which SQLite refuses
        # while encounters reference it.
        batch_op.add_column(sa.Column('npi', sa.String(length=10), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('npi')
    with op.batch_alter_table('clinic_profile', schema=None) as batch_op:
        batch_op.drop_column('rule_overrides')
        batch_op.drop_column('timezone')
    with op.batch_alter_table('site_dose', schema=None) as batch_op:
        batch_op.drop_column('lot_missing_reason')
    with op.batch_alter_table('injection_site', schema=None) as batch_op:
        batch_op.drop_column('referred_pain_reproduced')
        batch_op.drop_column('jump_sign')
        batch_op.drop_column('taut_band')
    with op.batch_alter_table('encounter', schema=None) as batch_op:
        batch_op.drop_constraint('follow_up_weeks_range', type_='check')
        batch_op.drop_constraint('prior_relief_weeks_range', type_='check')
        batch_op.drop_constraint('prior_relief_percent_range', type_='check')
        batch_op.drop_column('signed_digest')
        batch_op.drop_column('signed_snapshot')
        batch_op.drop_column('handout_note')
        batch_op.drop_column('follow_up_date')
        batch_op.drop_column('follow_up_weeks')
        batch_op.drop_column('conservative_treatment')
        batch_op.drop_column('prior_relief_weeks')
        batch_op.drop_column('prior_relief_percent')
        batch_op.drop_column('pain_after_reason')
