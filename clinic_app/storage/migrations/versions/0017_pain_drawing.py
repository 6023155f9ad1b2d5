"""pain drawing: one per encounter, frozen with the encounter once it is signed

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 18:10:00

Issue 14 §2: where the patient hurts, shaded on the body map, stored per visit as compact
text (``clinic_app.domain.pain_drawing``). The row has its own optimistic-lock ``version``.
Like the sites of migration 0005, the database refuses INSERT, UPDATE and DELETE of the
drawing of a signed encounter; the message carries the same ``signed record is frozen``
marker, which the services turn into a sentence for the user.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from clinic_app.models.base import UTCDateTime

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = 'signed record is frozen: corrections are added as addenda'

_ENCOUNTER_OF = "(SELECT status FROM encounter WHERE id = {row}.encounter_id)"
SQLITE_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    # name, timing/event, condition
    ('pain_drawing_frozen_insert', 'BEFORE INSERT', _ENCOUNTER_OF.format(row='NEW') + " = 'signed'"),
    (
        'pain_drawing_frozen_update',
        'BEFORE UPDATE',
        _ENCOUNTER_OF.format(row='OLD')
        + " = 'signed' OR "
        + _ENCOUNTER_OF.format(row='NEW')
        + " = 'signed'",
    ),
    ('pain_drawing_frozen_delete', 'BEFORE DELETE', _ENCOUNTER_OF.format(row='OLD') + " = 'signed'"),
)
PG_FUNCTION = f"""
        BEGIN
            IF (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM encounter
                    WHERE id = OLD.encounter_id AND status = 'signed'))
               OR (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM encounter
                    WHERE id = NEW.encounter_id AND status = 'signed')) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END;
        """


def upgrade() -> None:
    op.create_table(
        'pain_drawing',
        sa.Column('encounter_id', sa.Integer(), nullable=False),
        sa.Column('cells', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['encounter_id'],
            ['encounter.id'],
            name=op.f('fk_pain_drawing_encounter_id_encounter'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('encounter_id', name=op.f('pk_pain_drawing')),
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            'CREATE FUNCTION pain_drawing_frozen() RETURNS trigger LANGUAGE plpgsql AS '
            f'$${PG_FUNCTION}$$'
        )
        op.execute(
            'CREATE TRIGGER pain_drawing_frozen BEFORE INSERT OR UPDATE OR DELETE ON pain_drawing '
            'FOR EACH ROW EXECUTE FUNCTION pain_drawing_frozen()'
        )
        return
    for name, event, condition in SQLITE_TRIGGERS:
        op.execute(
            f'CREATE TRIGGER {name} {event} ON pain_drawing FOR EACH ROW WHEN {condition} '
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS pain_drawing_frozen ON pain_drawing')
        op.execute('DROP FUNCTION IF EXISTS pain_drawing_frozen()')
    else:
        for name, *_rest in SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
    op.drop_table('pain_drawing')
