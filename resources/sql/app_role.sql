-- clinic_app on PostgreSQL: the least-privilege role the workstations connect as.
--
-- The database's OWNER role creates the schema (`clinic-app db upgrade --db URL-of-the-owner`)
-- and runs this script after every upgrade (it is idempotent):
--
--     psql "postgresql://clinic_owner@db.clinic.lan/clinic?sslmode=verify-full" \
--          -v app_role=clinic_app -f app_role.sql
--
-- The application role must exist first (a superuser, or a role with CREATEROLE, makes it):
--
--     CREATE ROLE clinic_app LOGIN PASSWORD '...';
--
-- What the application role may do afterwards: read and write the rows of the clinical
-- tables, append to the audit trail and read it, hear and send change notifications
-- (LISTEN/NOTIFY need no grant). What it may not do: create, alter or drop anything
-- (so it cannot disable the triggers that freeze signed records and the audit trail),
-- TRUNCATE, change or delete an audit row, or change the schema version.

\set ON_ERROR_STOP on

BEGIN;

-- Only the owner creates objects in the schema (already the default since PostgreSQL 15).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT CONNECT ON DATABASE :"DBNAME" TO :"app_role";

-- Every table: rows only (no TRUNCATE, REFERENCES or TRIGGER).
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";

-- The audit trail is append-only: its rows are added and read, never changed or removed.
REVOKE UPDATE, DELETE ON audit_event FROM :"app_role";
-- The chain head is one row that moves forward with every audit entry: it is read under
-- SELECT ... FOR UPDATE (which PostgreSQL allows only with UPDATE) and never deleted.
REVOKE DELETE ON audit_chain_head FROM :"app_role";
-- The schema version is read at start-up; only the owner's upgrade writes it.
REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM :"app_role";

-- New ids come from the tables' sequences.
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM :"app_role";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO :"app_role";

-- Tables and sequences a later upgrade adds get row rights at once; run this script again
-- after the upgrade so that the audit rules above cover them too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE ON SEQUENCES TO :"app_role";

COMMIT;
