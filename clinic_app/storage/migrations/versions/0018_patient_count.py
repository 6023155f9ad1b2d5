"""patient count: one row kept by triggers, so the status bar never counts the table

Revision ID: 0018
Revises: 0015 (0017 once merged)
Create Date: 2026-12-07 18:30:00

Issue 13: every refresh of the main window counted the patients not voided (14 ms at
100,000 patients, and growing). ``patient_count`` holds that number in one row (id 1), set
here from the table and from now on changed by triggers on ``patient`` in the same
transaction as the insert, the void (or un-void) or the delete, whoever writes: the app, an
import, a bulk load. Concurrent writers are exact: SQLite has one writer at a time, and on
PostgreSQL ``UPDATE ... SET active = active + d`` waits for the row and adds to the value
committed before it (every patient change already locks the audit chain's head row, so no
new waiting is added).

PostgreSQL uses statement-level triggers with transition tables, so a multi-row INSERT
(or COPY) changes the row once; an UPDATE that voids no one does not touch it. A TRUNCATE of
``patient`` sets it to 0, making the row again when the same TRUNCATE emptied
``patient_count`` (AFTER TRUNCATE triggers fire once every table is empty). Should the row
ever be missing, the app counts the table instead.

Note for later migrations: on SQLite, ``batch_alter_table`` copies a table and drops its
triggers; a migration that batch-alters ``patient`` must create the ones below again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ADD = 'UPDATE patient_count SET active = active + ({delta}) WHERE id = 1'
# SQLite: row-level triggers; WHEN keeps the edits that do not void anyone free.
SQLITE_TRIGGERS: tuple[tuple[str, str, str, str], ...] = (
    # name, event, condition, change
    ('patient_count_insert', 'INSERT', 'NEW.voided_at IS NULL', '1'),
    ('patient_count_delete', 'DELETE', 'OLD.voided_at IS NULL', '-1'),
    (
        'patient_count_void',
        'UPDATE OF voided_at',
        '(OLD.voided_at IS NULL) <> (NEW.voided_at IS NULL)',
        '(NEW.voided_at IS NULL) - (OLD.voided_at IS NULL)',
    ),
)
_PG_ACTIVE = '(SELECT count(*) FROM {rows} WHERE voided_at IS NULL)'
PG_FUNCTIONS: tuple[tuple[str, str], ...] = (
    ('patient_count_insert', _PG_ACTIVE.format(rows='new_rows')),
    ('patient_count_delete', '-' + _PG_ACTIVE.format(rows='old_rows')),
    (
        'patient_count_update',
        _PG_ACTIVE.format(rows='new_rows') + ' - ' + _PG_ACTIVE.format(rows='old_rows'),
    ),
)
PG_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    # function, event, transition tables
    ('patient_count_insert', 'INSERT', 'NEW TABLE AS new_rows'),
    ('patient_count_delete', 'DELETE', 'OLD TABLE AS old_rows'),
    ('patient_count_update', 'UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'),
)


def upgrade() -> None:
    table = op.create_table(
        'patient_count',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('active', sa.Integer(), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_patient_count_single_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_patient_count')),
    )
    active = op.get_bind().scalar(
        sa.text('SELECT count(*) FROM patient WHERE voided_at IS NULL')
    )
    op.bulk_insert(table, [{'id': 1, 'active': int(active or 0)}])
    if op.get_bind().dialect.name == 'postgresql':
        for function, delta in PG_FUNCTIONS:
            op.execute(
                f'CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n'
                f'DECLARE delta integer := {delta};\n'
                f'BEGIN\n'
                f'    IF delta <> 0 THEN {_ADD.format(delta="delta")}; END IF;\n'
                f'    RETURN NULL;\n'
                f'END;\n$$'
            )
        for function, event, transitions in PG_TRIGGERS:
            op.execute(
                f'CREATE TRIGGER {function} AFTER {event} ON patient '
                f'REFERENCING {transitions} FOR EACH STATEMENT EXECUTE FUNCTION {function}()'
            )
        op.execute(
            'CREATE FUNCTION patient_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$\n'
            'BEGIN\n'
            '    INSERT INTO patient_count (id, active) VALUES (1, 0)\n'
            '        ON CONFLICT (id) DO UPDATE SET active = 0;\n'
            '    RETURN NULL;\n'
            'END;\n$$'
        )
        op.execute(
            'CREATE TRIGGER patient_count_truncate AFTER TRUNCATE ON patient '
            'FOR EACH STATEMENT EXECUTE FUNCTION patient_count_truncate()'
        )
        return
    for name, event, condition, delta in SQLITE_TRIGGERS:
        op.execute(
            f'CREATE TRIGGER {name} AFTER {event} ON patient FOR EACH ROW WHEN {condition} '
            f'BEGIN {_ADD.format(delta=delta)}; END'
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for function in (*(f for f, *_ in PG_TRIGGERS), 'patient_count_truncate'):
            op.execute(f'DROP TRIGGER IF EXISTS {function} ON patient')
            op.execute(f'DROP FUNCTION IF EXISTS {function}()')
    else:
        for name, *_rest in SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
    op.drop_table('patient_count')
