"""audit chain: workstation and seal columns, the chain head, append-only triggers

Revision ID: 0007
Revises: 0005 (0006 once merged)
Create Date: 2026-12-07 05:40:00

Adds to ``audit_event`` the workstation label and the hash-chain fields (``seq``, ``key_id``,
``prev_hmac``, ``hmac``), creates ``audit_chain_head`` holding one row (the last entry's
number and seal, sealed itself) and makes both append-only:

- ``audit_event``: UPDATE and DELETE are refused.
- ``audit_chain_head``: DELETE is refused, and an UPDATE must advance ``seq`` by exactly one
  (the app's append); the CHECK ``id = 1`` keeps it a single row.

Rows already in ``audit_event`` are left unsealed (``seq`` NULL): the seals need the
installation key, which lives outside the database and which a migration never sees. They
are sealed *as a block* by the app's first append: entry #1 links to a genesis seal over
every earlier row (see ``clinic_app.domain.audit_chain.genesis_hmac``), so from then on
changing, removing or adding a pre-chain row is detected too. Until that first append they
are not tamper-evident, and ``clinic-app audit verify`` says how many there are.

The head starts at seq 0 with empty seals: the state of a trail with no sealed entry.

PostgreSQL ``TRUNCATE`` fires no row trigger; it needs its own privilege, which the app's
database role should not be granted. A truncated ``audit_event`` is still reported by
verify (the head counts the entries).

The messages carry the marker ``audit trail is append-only``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = 'audit trail is append-only: audit rows are never changed or removed'
HEAD_MESSAGE = 'audit trail is append-only: the chain head only advances one entry at a time'

SQLITE_TRIGGERS: tuple[tuple[str, str, str, str, str], ...] = (
    # name, timing/event, table, condition, message
    ('audit_event_no_update', 'BEFORE UPDATE', 'audit_event', '1', MESSAGE),
    ('audit_event_no_delete', 'BEFORE DELETE', 'audit_event', '1', MESSAGE),
    (
        'audit_head_advance_only',
        'BEFORE UPDATE',
        'audit_chain_head',
        'NEW.seq IS NOT OLD.seq + 1 OR NEW.id IS NOT OLD.id',
        HEAD_MESSAGE,
    ),
    ('audit_head_no_delete', 'BEFORE DELETE', 'audit_chain_head', '1', HEAD_MESSAGE),
)

PG_FUNCTIONS: tuple[tuple[str, str], ...] = (
    (
        'audit_event_append_only',
        f"""
        BEGIN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END;
        """,
    ),
    (
        'audit_head_advance_only',
        f"""
        BEGIN
            IF TG_OP = 'DELETE' OR NEW.seq IS DISTINCT FROM OLD.seq + 1
               OR NEW.id IS DISTINCT FROM OLD.id THEN
                RAISE EXCEPTION '{HEAD_MESSAGE}'
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END;
        """,
    ),
)
PG_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    # table, events, function
    ('audit_event', 'UPDATE OR DELETE', 'audit_event_append_only'),
    ('audit_chain_head', 'UPDATE OR DELETE', 'audit_head_advance_only'),
)


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workstation', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('key_id', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('prev_hmac', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hmac', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_seq'), ['seq'])
    head = op.create_table(
        'audit_chain_head',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('last_hmac', sa.String(length=64), nullable=False),
        sa.Column('key_id', sa.String(length=16), nullable=False),
        sa.Column('hmac', sa.String(length=64), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_audit_chain_head_single_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head')),
    )
    op.bulk_insert(head, [{'id': 1, 'seq': 0, 'last_hmac': '', 'key_id': '', 'hmac': ''}])
    if op.get_bind().dialect.name == 'postgresql':
        for function, body in PG_FUNCTIONS:
            op.execute(
                f'CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$'
            )
        for table, events, function in PG_TRIGGERS:
            op.execute(
                f'CREATE TRIGGER {function} BEFORE {events} ON {table} '
                f'FOR EACH ROW EXECUTE FUNCTION {function}()'
            )
        return
    for name, event, table, condition, message in SQLITE_TRIGGERS:
        op.execute(
            f'CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW WHEN {condition} '
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table, _events, function in PG_TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS {function} ON {table}')
        for function, _body in PG_FUNCTIONS:
            op.execute(f'DROP FUNCTION IF EXISTS {function}()')
    else:
        for name, *_rest in SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
    op.drop_table('audit_chain_head')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_seq'), type_='unique')
        batch_op.drop_column('hmac')
        batch_op.drop_column('prev_hmac')
        batch_op.drop_column('key_id')
        batch_op.drop_column('seq')
        batch_op.drop_column('workstation')
