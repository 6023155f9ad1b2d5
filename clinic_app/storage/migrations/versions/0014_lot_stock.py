"""lot stock: quantity received, supplier, receipt, recall flag, version; stock adjustments

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 15:00:00

Issue 12 §5: a lot is received with its quantity (in mL, the unit every dose row charts),
supplier, date and who received it; it can be edited (optimistic lock: ``version``) and
recalled (kept, since doses name it, but never offered again). ``lot_adjustment`` records
wastage and count corrections. What is left on the shelf is not stored: it is derived from
these rows and the charted doses. Lots added before this migration keep ``quantity_ml`` NULL
(stock not tracked) and start at version 1, not recalled.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clinic_app.models.base

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('medication_lot', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('quantity_ml', clinic_app.models.base.ExactDecimal(), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                'supplier', sa.String(length=200), server_default=sa.text("''"), nullable=False
            )
        )
        batch_op.add_column(sa.Column('received_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('received_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('recalled', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_medication_lot_received_by_id_app_user'),
            'app_user',
            ['received_by_id'],
            ['id'],
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_medication_lot_quantity_positive'),
            'quantity_ml IS NULL OR quantity_ml > 0',
        )
    op.create_table(
        'lot_adjustment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('lot_id', sa.Integer(), nullable=False),
        sa.Column('quantity_ml', clinic_app.models.base.ExactDecimal(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('recorded_at', clinic_app.models.base.UTCDateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('quantity_ml <> 0', name=op.f('ck_lot_adjustment_quantity_not_zero')),
        sa.ForeignKeyConstraint(
            ['lot_id'], ['medication_lot.id'], name=op.f('fk_lot_adjustment_lot_id_medication_lot')
        ),
        sa.ForeignKeyConstraint(
            ['recorded_by_id'],
            ['app_user.id'],
            name=op.f('fk_lot_adjustment_recorded_by_id_app_user'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lot_adjustment')),
    )
    with op.batch_alter_table('lot_adjustment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lot_adjustment_lot_id'), ['lot_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lot_adjustment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_adjustment_lot_id'))
    op.drop_table('lot_adjustment')
    with op.batch_alter_table('medication_lot', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('ck_medication_lot_quantity_positive'), type_='check'
        )
        batch_op.drop_constraint(
            batch_op.f('fk_medication_lot_received_by_id_app_user'), type_='foreignkey'
        )
        batch_op.drop_column('version')
        batch_op.drop_column('recalled')
        batch_op.drop_column('received_by_id')
        batch_op.drop_column('received_on')
        batch_op.drop_column('supplier')
        batch_op.drop_column('quantity_ml')
