"""signed records are frozen: triggers refuse changes to signed encounters, sites, doses, addenda

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 02:30:00

A signed procedure note is a legal record: once an encounter's status is "signed", the
database itself refuses UPDATE and DELETE of the encounter, INSERT/UPDATE/DELETE of its
injection sites and of their doses, and UPDATE/DELETE of any addendum (addenda are only ever
added). The UPDATE that signs a draft still works: each check looks at the row as it was
(OLD.status), never at what it becomes.

The message carries the marker ``signed record is frozen``, which
``clinic_app.services.base.storage_error_from`` turns into a sentence for the user; this file
keeps its own copy of the text (a migration must not change when the app's code does).

Note for later migrations: on SQLite, ``batch_alter_table`` copies a table and drops its
triggers; a migration that batch-alters one of these tables must create them again.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = 'signed record is frozen: corrections are added as addenda'
ADDENDUM_MESSAGE = 'signed record is frozen: an addendum is never edited or removed'

# SQLite: one trigger per table and statement; WHEN decides, RAISE(ABORT) refuses.
_ENCOUNTER_OF_SITE = "(SELECT status FROM encounter WHERE id = {row}.encounter_id)"
_ENCOUNTER_OF_DOSE = (
    "(SELECT e.status FROM encounter e JOIN injection_site s ON s.encounter_id = e.id "
    "WHERE s.id = {row}.site_id)"
)
SQLITE_TRIGGERS: tuple[tuple[str, str, str, str, str], ...] = (
    # name, timing/event, table, condition, message
    ('frozen_encounter_update', 'BEFORE UPDATE', 'encounter', "OLD.status = 'signed'", MESSAGE),
    ('frozen_encounter_delete', 'BEFORE DELETE', 'encounter', "OLD.status = 'signed'", MESSAGE),
    (
        'frozen_site_insert',
        'BEFORE INSERT',
        'injection_site',
        _ENCOUNTER_OF_SITE.format(row='NEW') + " = 'signed'",
        MESSAGE,
    ),
    (
        'frozen_site_update',
        'BEFORE UPDATE',
        'injection_site',
        _ENCOUNTER_OF_SITE.format(row='OLD')
        + " = 'signed' OR "
        + _ENCOUNTER_OF_SITE.format(row='NEW')
        + " = 'signed'",
        MESSAGE,
    ),
    (
        'frozen_site_delete',
        'BEFORE DELETE',
        'injection_site',
        _ENCOUNTER_OF_SITE.format(row='OLD') + " = 'signed'",
        MESSAGE,
    ),
    (
        'frozen_dose_insert',
        'BEFORE INSERT',
        'site_dose',
        _ENCOUNTER_OF_DOSE.format(row='NEW') + " = 'signed'",
        MESSAGE,
    ),
    (
        'frozen_dose_update',
        'BEFORE UPDATE',
        'site_dose',
        _ENCOUNTER_OF_DOSE.format(row='OLD')
        + " = 'signed' OR "
        + _ENCOUNTER_OF_DOSE.format(row='NEW')
        + " = 'signed'",
        MESSAGE,
    ),
    (
        'frozen_dose_delete',
        'BEFORE DELETE',
        'site_dose',
        _ENCOUNTER_OF_DOSE.format(row='OLD') + " = 'signed'",
        MESSAGE,
    ),
    ('frozen_addendum_update', 'BEFORE UPDATE', 'encounter_addendum', '1', ADDENDUM_MESSAGE),
    ('frozen_addendum_delete', 'BEFORE DELETE', 'encounter_addendum', '1', ADDENDUM_MESSAGE),
)

# PostgreSQL: one plpgsql function per table; SQLSTATE 23000 (integrity_constraint_violation)
# so the driver reports it as an integrity error, as SQLite does for RAISE(ABORT).
PG_FUNCTIONS: tuple[tuple[str, str], ...] = (
    (
        'frozen_encounter',
        f"""
        BEGIN
            IF OLD.status = 'signed' THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END;
        """,
    ),
    (
        'frozen_injection_site',
        f"""
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
        """,
    ),
    (
        'frozen_site_dose',
        f"""
        BEGIN
            IF (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM encounter e
                    JOIN injection_site s ON s.encounter_id = e.id
                    WHERE s.id = OLD.site_id AND e.status = 'signed'))
               OR (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM encounter e
                    JOIN injection_site s ON s.encounter_id = e.id
                    WHERE s.id = NEW.site_id AND e.status = 'signed')) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END;
        """,
    ),
    (
        'frozen_encounter_addendum',
        f"""
        BEGIN
            RAISE EXCEPTION '{ADDENDUM_MESSAGE}'
                USING ERRCODE = 'integrity_constraint_violation';
        END;
        """,
    ),
)
PG_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    # table, events, function
    ('encounter', 'UPDATE OR DELETE', 'frozen_encounter'),
    ('injection_site', 'INSERT OR UPDATE OR DELETE', 'frozen_injection_site'),
    ('site_dose', 'INSERT OR UPDATE OR DELETE', 'frozen_site_dose'),
    ('encounter_addendum', 'UPDATE OR DELETE', 'frozen_encounter_addendum'),
)


def upgrade() -> None:
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
        return
    for name, *_rest in SQLITE_TRIGGERS:
        op.execute(f'DROP TRIGGER IF EXISTS {name}')
