"""The runtime role (the web and the worker sign in as it) owns nothing: it cannot disable the audit
trigger, cannot UPDATE, DELETE, TRUNCATE or INSERT into the log, and its writes are still logged.
The tests themselves run as the owner role (it creates the test database); this file signs in to
the test database as the runtime role, as the web does."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from psycopg2 import errors

pytestmark = pytest.mark.skipif(not settings.DATABASE_OWNER, reason="one database role: DATABASE_OWNER_URL unset")


@pytest.fixture
def runtime(db) -> Iterator[psycopg2.extensions.connection]:
    params = connection.get_connection_params()
    params["user"] = settings.DATABASE_RUNTIME_ROLE
    params.pop("password", None)
    params.pop("options", None)  # not even the test runner's TRUNCATE allowance
    conn = psycopg2.connect(**{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port")})
    yield conn
    conn.rollback()
    conn.close()


def run(conn, statement: str) -> None:
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
    finally:
        conn.rollback()


def test_the_web_signs_in_as_a_role_that_is_neither_owner_nor_superuser(runtime):
    with runtime.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (settings.DATABASE_RUNTIME_ROLE, False, False, False)
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_auditentry'")
        assert cursor.fetchone() == (settings.DATABASE_OWNER["USER"],)
        cursor.execute("SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()")
        assert cursor.fetchone() != (settings.DATABASE_RUNTIME_ROLE,)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET ip = '10.0.0.1'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry",
        "INSERT INTO audit_auditentry (at, action, table_name, row_pk, data, prev_hash, hash, ip) "
        "VALUES (now(), 'READ', 'x', '1', '{}', '', '', '')",
    ],
)
def test_the_runtime_role_may_not_change_the_log(runtime, statement):
    with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
        run(runtime, statement)


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_append_only",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
        "ALTER TABLE cases_case DISABLE TRIGGER audit_change",
        "DROP TRIGGER audit_change ON cases_case",
        "ALTER TABLE audit_auditentry OWNER TO CURRENT_USER",
    ],
)
def test_the_runtime_role_cannot_disable_or_drop_a_trigger(runtime, statement):
    with pytest.raises(errors.InsufficientPrivilege, match="must be owner"):
        run(runtime, statement)


def test_the_runtime_role_reads_and_writes_the_application_tables_and_its_writes_are_logged(runtime):
    with runtime.cursor() as cursor:
        cursor.execute("SELECT set_config('audit.actor', '4711', false)")
        cursor.execute(
            "INSERT INTO cases_municipality (name, slug, email_domain, diarienummer_format) "
            "VALUES ('Lerums kommun', 'lerum', '', '{series} {year}/{number}') RETURNING id"
        )
        (municipality_id,) = cursor.fetchone()
        cursor.execute(
            "SELECT action, actor_id, municipality_id, data->>'name' FROM audit_auditentry "
            "WHERE table_name = 'cases_municipality' AND row_pk = %s",
            [str(municipality_id)],
        )
        assert cursor.fetchall() == [("INSERT", 4711, municipality_id, "Lerums kommun")]
        cursor.execute("SELECT audit_append('READ', 'cases_document', '1', '{}'::jsonb, NULL)")
        cursor.execute("SELECT audit_seal()")  # the worker's beat task links rows as the runtime role
        assert cursor.fetchone()[0] >= 2
    runtime.rollback()
