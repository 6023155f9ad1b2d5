"""patient search tokens: prefix search by index range on any backend

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 15:05:00

Issue 13 §2: the search ORed ``lower(mrn) LIKE 'x%'`` with ``LIKE '% x%'`` on the name keys;
SQLite's case-insensitive LIKE cannot use an index and the second form starts with a
wildcard, so every keystroke scanned the patient table (184 ms at 100,000 patients). Each
patient now has one row per folded name word and one for the MRN key; a typed word is the
range ``token >= 'ngu' AND token < 'ngv'`` on ``(kind, token, patient_id)``. PostgreSQL
compares the tokens byte-wise (``COLLATE "C"``), as SQLite does, so the range is right in any
locale. Existing patients get their tokens here; from now on the models keep them in step.
An index on ``(family_key, given_key, id)`` serves the alphabetical list without a sort.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5000


def upgrade() -> None:
    token = sa.String(length=100).with_variant(sa.String(length=100, collation='C'), 'postgresql')
    table = op.create_table(
        'patient_search_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=1), nullable=False),
        sa.Column('token', token, nullable=False),
        sa.ForeignKeyConstraint(
            ['patient_id'],
            ['patient.id'],
            name=op.f('fk_patient_search_token_patient_id_patient'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_patient_search_token')),
    )
    op.create_index(
        'ix_patient_search_token_lookup',
        'patient_search_token',
        ['kind', 'token', 'patient_id'],
        unique=False,
    )
    op.create_index(
        'ix_patient_search_token_patient', 'patient_search_token', ['patient_id'], unique=False
    )
    op.create_index(
        'ix_patient_family_given_id', 'patient', ['family_key', 'given_key', 'id'], unique=False
    )
    bind = op.get_bind()
    patients = sa.table(
        'patient',
        sa.column('id', sa.Integer),
        sa.column('given_key', sa.String),
        sa.column('family_key', sa.String),
        sa.column('mrn_key', sa.String),
    )
    rows: list[dict[str, object]] = []
    found = bind.execute(
        sa.select(patients.c.id, patients.c.given_key, patients.c.family_key, patients.c.mrn_key)
    )
    for pid, given, family, mrn in found:
        words = {w[:100] for w in f'{given or ""} {family or ""}'.split() if w}
        rows += [{'patient_id': pid, 'kind': 'n', 'token': w} for w in sorted(words)]
        if mrn:
            rows.append({'patient_id': pid, 'kind': 'm', 'token': mrn})
        if len(rows) >= _BATCH:
            op.bulk_insert(table, rows)
            rows = []
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index('ix_patient_family_given_id', table_name='patient')
    op.drop_index('ix_patient_search_token_patient', table_name='patient_search_token')
    op.drop_index('ix_patient_search_token_lookup', table_name='patient_search_token')
    op.drop_table('patient_search_token')
