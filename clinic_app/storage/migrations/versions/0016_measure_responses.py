"""outcome measure responses: NDI / ODI questionnaires per patient, frozen with a signed visit

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 18:10:00

Issue 14 §1: the front desk or the nurse records a standard questionnaire (Neck Disability
Index, Oswestry Disability Index) for a patient, optionally for one visit; the procedure note
prints the visit's scores. One row per completed questionnaire: the answers (JSON, one score
per section, null when unanswered), the score as computed then, who entered it and when.

A response linked to a signed visit is part of a legal record: as migration 0005 does for the
visit itself, the database refuses INSERT, UPDATE and DELETE of a response whose visit is
signed (looked up through encounter_id, old and new row). The message carries the marker
``signed record is frozen`` that the services turn into a sentence. The triggers are named
``signed_measure_*`` (not ``frozen_*``: the tests of 0005 count their own).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = 'signed record is frozen: corrections are added as addenda'
_SIGNED = "(SELECT status FROM encounter WHERE id = {row}.encounter_id) = 'signed'"
SQLITE_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    ('signed_measure_insert', 'BEFORE INSERT', _SIGNED.format(row='NEW')),
    (
        'signed_measure_update',
        'BEFORE UPDATE',
        _SIGNED.format(row='OLD') + ' OR ' + _SIGNED.format(row='NEW'),
    ),
    ('signed_measure_delete', 'BEFORE DELETE', _SIGNED.format(row='OLD')),
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
        'measure_response',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('encounter_id', sa.Integer(), nullable=True),
        sa.Column('taken_on', sa.Date(), nullable=False),
        sa.Column('measure', sa.String(length=20), nullable=False),
        sa.Column('measure_version', sa.String(length=40), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('answered', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('percent', sa.Float(), nullable=False),
        sa.Column('band', sa.String(length=60), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('answered >= 1', name=op.f('ck_measure_response_answered_positive')),
        sa.CheckConstraint(
            'percent >= 0 AND percent <= 100', name=op.f('ck_measure_response_percent_range')
        ),
        sa.CheckConstraint('total >= 0', name=op.f('ck_measure_response_total_not_negative')),
        sa.ForeignKeyConstraint(
            ['encounter_id'],
            ['encounter.id'],
            name=op.f('fk_measure_response_encounter_id_encounter'),
        ),
        sa.ForeignKeyConstraint(
            ['entered_by_id'],
            ['app_user.id'],
            name=op.f('fk_measure_response_entered_by_id_app_user'),
        ),
        sa.ForeignKeyConstraint(
            ['patient_id'], ['patient.id'], name=op.f('fk_measure_response_patient_id_patient')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_response')),
    )
    op.create_index(
        op.f('ix_measure_response_encounter_id'), 'measure_response', ['encounter_id'], unique=False
    )
    op.create_index(
        op.f('ix_measure_response_patient_id'), 'measure_response', ['patient_id'], unique=False
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            'CREATE FUNCTION signed_measure_response() RETURNS trigger LANGUAGE plpgsql '
            f'AS $${PG_FUNCTION}$$'
        )
        op.execute(
            'CREATE TRIGGER signed_measure_response BEFORE INSERT OR UPDATE OR DELETE '
            'ON measure_response FOR EACH ROW EXECUTE FUNCTION signed_measure_response()'
        )
        return
    for name, event, condition in SQLITE_TRIGGERS:
        op.execute(
            f'CREATE TRIGGER {name} {event} ON measure_response FOR EACH ROW WHEN {condition} '
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS signed_measure_response ON measure_response')
        op.execute('DROP FUNCTION IF EXISTS signed_measure_response()')
    else:
        for name, *_rest in SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
    op.drop_index(op.f('ix_measure_response_patient_id'), table_name='measure_response')
    op.drop_index(op.f('ix_measure_response_encounter_id'), table_name='measure_response')
    op.drop_table('measure_response')
