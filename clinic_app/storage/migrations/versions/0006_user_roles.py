"""user roles: a user holds one or more roles (table user_role)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 05:45:00

Until now an account had one ``role`` and an ``is_provider`` flag (an administrator who also
sees patients). A person may now hold several roles, one row each in ``user_role``; the
permission matrix (resources/access/permissions.toml) says what each allows. Existing accounts
keep their role, and ``is_provider`` becomes the provider role; both columns are then dropped,
so the roles are stored in one place only.

On SQLite dropping the columns rebuilds ``app_user`` (batch mode, with foreign keys off during
the upgrade, see clinic_app/storage/migrate.py); ``app_user`` has no triggers, and none of the
tables frozen by migration 0005 is touched.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ('provider', 'nurse', 'front_desk', 'admin')


def _role_type() -> sa.Enum:
    return sa.Enum(
        *ROLES, name='role', native_enum=False, create_constraint=True, length=24
    )


def upgrade() -> None:
    op.create_table(
        'user_role',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', _role_type(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'],
            ['app_user.id'],
            name=op.f('fk_user_role_user_id_app_user'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_role')),
    )
    op.execute("INSERT INTO user_role (user_id, role) SELECT id, role FROM app_user")
    op.execute(
        "INSERT INTO user_role (user_id, role) SELECT id, 'provider' FROM app_user "
        "WHERE is_provider AND role <> 'provider'"
    )
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_app_user_role'), type_='check')
        batch_op.drop_column('is_provider')
        batch_op.drop_column('role')


def downgrade() -> None:
    # One role per account again: the highest of the roles held (admin, provider, nurse,
    # front desk), and the provider flag for anyone holding the provider role.
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('role', _role_type(), server_default='front_desk', nullable=False)
        )
        batch_op.add_column(
            sa.Column('is_provider', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    for role in ('nurse', 'provider', 'admin'):
        op.execute(
            f"UPDATE app_user SET role = '{role}' WHERE id IN "
            f"(SELECT user_id FROM user_role WHERE role = '{role}')"
        )
    op.execute(
        "UPDATE app_user SET is_provider = true WHERE id IN "
        "(SELECT user_id FROM user_role WHERE role = 'provider')"
    )
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.alter_column('role', server_default=None)
        batch_op.alter_column('is_provider', server_default=None)
    op.drop_table('user_role')
