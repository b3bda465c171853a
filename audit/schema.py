"""The audit trail in the database: the functions, the trigger on every application table, and the
runtime role's privileges. Installed by audit/migrations/0002 and checked again after every
``migrate`` (``audit.apps``), so a table added later is covered without anyone remembering it."""

from __future__ import annotations

from typing import Any

from django.conf import settings

AUDIT_TABLE = "audit_auditentry"
TRIGGER = "audit_change"
# Tables whose name starts with one of these are audited: the project's apps, and the tables that
# grant access (django-guardian's object permissions, groups).
AUDITED_PREFIXES = (
    "cases_",
    "motions_",
    "papers_",
    "meetings_",
    "administration_",
    "reading_",
    "alingsas_ale_",
    "guardian_",
    "auth_group",
    # How people sign in: the municipalities' policies and OpenID Connect identities, and the TOTP
    # apps (set up, confirmed, removed, and each code used: the device's last_t moves on).
    "signin_",
    "otp_totp_",
)
# Not audited, and why (docs/audit.md): the log itself; the outbox is the worker's queue (every task
# writes it several times and the sweep deletes done rows), the work the task does is audited.
NOT_AUDITED = frozenset({AUDIT_TABLE, "cases_outboxmessage"})
# A secret handling: when the first column is not empty, the listed columns are left out of its rows.
SECRET_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "cases_document": ("secrecy_provision", ("description", "counterpart", "file_name", "file", "display_pdf")),
    "meetings_agendaitem": ("secrecy", ("title", "decision", "proposition_order", "notes", "dispatch")),
}
# Never written to the log from any table: credentials and secret tokens, and the search index (it
# repeats the text columns, secret ones included, and is derived from them).
NEVER_LOGGED = "(password|secret|token|session_data|private_key|search_vector|text_vector)"
# Left out of every row of these tables:
# - otp_totp_totpdevice.key is the TOTP app's shared secret: whoever reads it makes the codes.
# - cases_document.text is derived from a file the log already identifies (by name and checksum):
#   the text the worker reads out for search. It can be megabytes, and for a secret handling it is
#   the secret itself.
# - a förtroendevald's note is their own and no allmän handling (docs/reading-notes.md): the log
#   records that a note was written or changed, by whom and when, never what it says or quotes.
LEFT_OUT: dict[str, tuple[str, ...]] = {
    "otp_totp_totpdevice": ("key",),
    "cases_document": ("text",),
    "reading_note": ("text", "exact", "prefix", "suffix"),
}
CHAIN_LOCK = 72661021  # pg_advisory_xact_lock key: one sealer of the chain at a time
GENESIS = "0" * 64

LEFT_OUT_SQL = "\n".join(
    f"    IF TG_TABLE_NAME = '{table}' THEN v_data := v_data - ARRAY{list(columns)!r}::text[]; END IF;"
    for table, columns in LEFT_OUT.items()
)

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION audit_append(p_action text, p_table text, p_pk text, p_data jsonb, p_municipality bigint)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    -- No lock here: the row is linked into the chain by audit_seal() once it is committed.
    INSERT INTO {AUDIT_TABLE}
        (at, municipality_id, actor_id, on_behalf_of_id, ip, action, table_name, row_pk, data, prev_hash, hash)
    VALUES (
        clock_timestamp(),
        coalesce(p_municipality, nullif(current_setting('audit.municipality', true), '')::bigint),
        nullif(current_setting('audit.actor', true), '')::bigint,
        nullif(current_setting('audit.on_behalf_of', true), '')::bigint,
        coalesce(current_setting('audit.ip', true), ''),
        p_action, p_table, p_pk, p_data, '', '');
END;
$$;

CREATE OR REPLACE FUNCTION audit_seal() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_prev text;
    v_seq bigint;
    v_hash text;
    v_count integer := 0;
    r record;
BEGIN
    -- One sealer at a time; the rows it sees are committed, so the chain is a line in sealing order.
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
    PERFORM set_config('audit.sealing', 'on', true);
    SELECT seq, hash INTO v_seq, v_prev FROM {AUDIT_TABLE} WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    v_seq := coalesce(v_seq, 0);
    v_prev := coalesce(v_prev, '{GENESIS}');
    FOR r IN SELECT * FROM {AUDIT_TABLE} WHERE seq IS NULL ORDER BY id LOOP
        v_seq := v_seq + 1;
        v_hash := encode(sha256(convert_to(v_prev || concat_ws('|', v_seq, r.id,
            to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            coalesce(r.municipality_id::text, ''), coalesce(r.actor_id::text, ''),
            coalesce(r.on_behalf_of_id::text, ''), r.ip, r.action, r.table_name, r.row_pk, r.data::text),
            'UTF8')), 'hex');
        UPDATE {AUDIT_TABLE} SET seq = v_seq, prev_hash = v_prev, hash = v_hash WHERE id = r.id;
        v_prev := v_hash;
        v_count := v_count + 1;
    END LOOP;
    PERFORM set_config('audit.sealing', 'off', true);
    RETURN v_count;
END;
$$;

CREATE OR REPLACE FUNCTION audit_record_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_old jsonb;
    v_new jsonb;
    v_row jsonb;
    v_data jsonb;
    v_municipality bigint;
BEGIN
    IF TG_OP <> 'INSERT' THEN v_old := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN v_new := to_jsonb(NEW); END IF;
    v_row := coalesce(v_new, v_old);
    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(jsonb_object_agg(key, value), '{{}}'::jsonb) INTO v_data
        FROM jsonb_each(v_new) WHERE v_old -> key IS DISTINCT FROM value;
        IF v_data = '{{}}'::jsonb THEN
            RETURN NULL;  -- nothing changed
        END IF;
    ELSE
        v_data := v_row;
    END IF;
    v_data := v_data - ARRAY(SELECT k FROM jsonb_object_keys(v_data) AS k WHERE k ~ '{NEVER_LOGGED}');
{LEFT_OUT_SQL}
    IF TG_NARGS >= 2 AND (coalesce(v_new ->> TG_ARGV[0], '') <> '' OR coalesce(v_old ->> TG_ARGV[0], '') <> '') THEN
        v_data := v_data - string_to_array(TG_ARGV[1], ',');
    END IF;
    IF TG_TABLE_NAME = 'cases_municipality' THEN
        v_municipality := (v_row ->> 'id')::bigint;
    ELSE
        v_municipality := nullif(v_row ->> 'municipality_id', '')::bigint;
    END IF;
    PERFORM audit_append(TG_OP, TG_TABLE_NAME, coalesce(v_row ->> 'id', ''), v_data, v_municipality);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('audit.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    -- audit_seal() links an unsealed row into the chain once, and changes nothing else.
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
        AND current_setting('audit.sealing', true) = 'on'
        AND to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash'] = to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash'] THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{AUDIT_TABLE} is append-only: % refused', TG_OP;
END;
$$;

DROP TRIGGER IF EXISTS audit_append_only ON {AUDIT_TABLE};
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {AUDIT_TABLE}
FOR EACH ROW EXECUTE FUNCTION audit_append_only();
DROP TRIGGER IF EXISTS audit_no_truncate ON {AUDIT_TABLE};
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {AUDIT_TABLE}
FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
REVOKE ALL ON FUNCTION audit_append(text, text, text, jsonb, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_seal() FROM PUBLIC;
"""  # noqa: S608 - built from this module's constants only

DROP_FUNCTIONS = f"""
DROP TRIGGER IF EXISTS audit_no_truncate ON {AUDIT_TABLE};
DROP TRIGGER IF EXISTS audit_append_only ON {AUDIT_TABLE};
DROP FUNCTION IF EXISTS audit_append_only();
DROP FUNCTION IF EXISTS audit_seal();
DROP FUNCTION IF EXISTS audit_record_change() CASCADE;
DROP FUNCTION IF EXISTS audit_append(text, text, text, jsonb, bigint);
"""


def is_audited(table: str) -> bool:
    return table.startswith(AUDITED_PREFIXES) and table not in NOT_AUDITED


def _tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    )
    return [name for (name,) in cursor.fetchall() if is_audited(name)]


def tables_with_trigger(cursor: Any) -> set[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = %s AND NOT t.tgisinternal",
        [TRIGGER],
    )
    return {name for (name,) in cursor.fetchall()}


def trigger_sql(table: str) -> str:
    args = ""
    if table in SECRET_COLUMNS:
        column, hidden = SECRET_COLUMNS[table]
        args = f"'{column}', '{','.join(hidden)}'"
    return (
        f'CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION audit_record_change({args})"
    )


def install_triggers(connection: Any) -> list[str]:
    """Put the audit trigger on every audited table that lacks it; return the tables it was added to."""
    with connection.cursor() as cursor:
        tables = _tables(cursor)
        missing = [table for table in tables if table not in tables_with_trigger(cursor)]
        for table in missing:
            cursor.execute(trigger_sql(table))
        for table in SECRET_COLUMNS:  # their hidden columns may have grown: replace in place, always
            if table in tables and table not in missing:
                cursor.execute(trigger_sql(table))
    return missing


def grant_runtime_role(connection: Any) -> None:
    """The runtime role reads and writes the application tables and only reads the log. Ownership
    stays with the role that runs the migrations (the owner), so the runtime role can neither alter
    a table nor disable a trigger."""
    role = getattr(settings, "DATABASE_RUNTIME_ROLE", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (current,) = cursor.fetchone()
        if not role or role == current:
            return
        cursor.execute("SELECT quote_ident(%s)", [role])
        (quoted,) = cursor.fetchone()
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
        cursor.execute(f"REVOKE ALL ON {AUDIT_TABLE} FROM {quoted}")
        cursor.execute(f"GRANT SELECT ON {AUDIT_TABLE} TO {quoted}")
        cursor.execute(f"GRANT EXECUTE ON FUNCTION audit_append(text, text, text, jsonb, bigint) TO {quoted}")
        cursor.execute(f"GRANT EXECUTE ON FUNCTION audit_seal() TO {quoted}")
