"""The session and the signed-in user, read on every signed-in request with SQL built once.

Django's ORM spends more Python building a query's SQL than PostgreSQL spends answering a small one:
about 1 ms for the session and 1–2 ms for the user with the municipality joined, against 0.1–0.3 ms
at the database (docs/performance.md; the menu's facts, 3.5 ms, are cases.context_processors.menu_facts).
These statements are written from the models' own metadata (tables and columns are never spelled
twice) and run with new parameters; the rows become model instances through ``Model.from_db``, with
the fields' database converters applied as the ORM would.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.sessions.backends import db as db_sessions
from django.core.exceptions import SuspiciousOperation
from django.db import connections, models, router
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


# Each prepared statement's SQL by name, for a reader of the statements sent (alingsas_ale.pagecache
# sees ``EXECUTE name(…)`` and needs the tables the statement reads).
STATEMENTS: dict[str, str] = {}


# PostgreSQL plans a prepared statement anew for each of its first five runs, then keeps a generic
# plan only if its estimate is no worse than theirs. For these statements it seldom was: the data
# version (audit.changes) was planned on every run, 0.8 ms of its 1.0 (0.24 to run). Each of them
# looks rows up by key, so one plan fits every parameter: each new connection sets
# plan_cache_mode=force_generic_plan (plan_generically, with DATABASE_PREPARED_STATEMENTS). Only
# prepared statements and PL/pgSQL's cached ones read it (the audit trigger's, also lookups by key);
# the ORM's queries are planned as ever.


def plan_generically(sender: Any, connection: Any, **kwargs: Any) -> None:
    """On ``connection_created``: the session's prepared statements on generic plans. Set when the
    connection opens, in autocommit, so no rollback undoes it while the statements stay prepared (a
    SET sent with the first PREPARE was undone so in a test's transaction). A SET, not a startup
    option: a pooler in session mode (PgBouncer) refuses startup options it does not know. On the raw
    connection, so no page's query count sees it."""
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        return
    with connection.connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")


def execute_prepared(cursor: Any, name: str, sql: str, params: dict[str, Any]) -> None:
    """Run ``sql`` (with ``%(name)s`` placeholders, a literal % written %%) as the server-side
    prepared statement ``name``.

    PostgreSQL plans a statement on every simple query; one with a few joins and subqueries took
    longer to plan than to run (the anslagstavla's fingerprint: 1.7 ms against 0.7). Prepared once
    per database connection, it is planned once (after five runs PostgreSQL keeps a generic plan when
    that is as good). A new connection (a restart, CONN_MAX_AGE) starts with none prepared. Behind a
    pooler in transaction mode (PgBouncer), which hands each transaction another server session,
    set DATABASE_PREPARED_STATEMENTS=false: the statement is then sent as it is, planned each time.
    For reads only: the audit wrapper (audit/context.py) sends the actor before a write it can see,
    and a write inside PREPARE and EXECUTE it cannot.
    """
    STATEMENTS[name] = sql
    if not settings.DATABASE_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    db = cursor.db
    state = getattr(db, "_prepared_statements", None)
    if state is None or state[0] is not db.connection:
        state = (db.connection, set[str](), set[str]())  # (the session, prepared, maybe prepared)
        db._prepared_statements = state
    _session, prepared, unsure = state
    names = list(dict.fromkeys(PLACEHOLDER.findall(sql)))
    values = [params[n] for n in names]
    run = f"EXECUTE {name}({', '.join(['%s'] * len(names))})"
    if name in unsure:  # a first run failed, before or after its PREPARE took (which no rollback undoes)
        cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
        if cursor.fetchone():
            prepared.add(name)
        unsure.discard(name)
    if name in prepared:
        cursor.execute(run, values)
        return
    # Prepared and run in one round trip: the first use costs a page no query more than the next.
    positional = PLACEHOLDER.sub(lambda m: f"${names.index(m.group(1)) + 1}", sql)
    try:
        cursor.execute(f"PREPARE {name} AS {positional}; {run}", values)
    except Exception:
        unsure.add(name)
        raise
    prepared.add(name)


@functools.cache
def columns(model: type[models.Model], alias: str) -> str:
    """Every concrete column of ``model``, qualified by ``alias``, in the order ``from_db`` takes."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


@functools.cache
def _loading(model: type[models.Model], using: str) -> tuple[list[str], list[tuple[int, list[Any], Any]]]:
    """The attribute names ``from_db`` takes, and the converters the ORM applies, by column index."""
    connection = connections[using]
    converters = []
    for i, field in enumerate(model._meta.concrete_fields):
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        if found:
            converters.append((i, found, col))
    return [f.attname for f in model._meta.concrete_fields], converters


def instance(model: type[M], using: str, values: list[Any] | tuple[Any, ...]) -> M:
    """A model instance from one row of ``columns(model, …)``, as the ORM's own loading makes it."""
    attnames, converters = _loading(model, using)
    values = list(values)
    connection = connections[using]
    for i, functions, col in converters:
        for converter in functions:
            values[i] = converter(values[i], col, connection)
    return model.from_db(using, attnames, values)


def user_with_municipality(
    model: type[M], user_id: Any, *, also: tuple[str, str, dict[str, Any]] | None = None
) -> M | None:
    """The user ``user_id`` with ``municipality`` already loaded (None when there is no such user).

    ``also``: (a name, SQL columns over the user ``u`` with ``%(name)s`` parameters, the parameters),
    read in the same statement; their values are the user's ``also`` attribute (the menu's facts:
    cases.context_processors)."""
    using = router.db_for_read(model)
    municipality_field = cast(models.ForeignKey, model._meta.get_field("municipality"))
    related = cast(type[models.Model], municipality_field.related_model)
    width, related_width = len(model._meta.concrete_fields), len(related._meta.concrete_fields)
    name, extra, params = also or ("", "", {})
    with connections[using].cursor() as cursor:
        execute_prepared(
            cursor,
            f"{model._meta.db_table}_with_municipality{'_' + name if name else ''}",
            _user_sql(model, extra),
            {**params, "id": user_id},
        )
        row = cursor.fetchone()
    if row is None:
        return None
    user = instance(model, using, row[:width])
    if row[width] is not None:
        municipality_field.set_cached_value(user, instance(related, using, row[width : width + related_width]))
    if also:
        user.also = tuple(row[width + related_width :])  # type: ignore[attr-defined]
    return user


@functools.cache
def _user_sql(model: type[models.Model], extra: str = "") -> str:
    field = cast(models.ForeignKey, model._meta.get_field("municipality"))
    related = cast(type[models.Model], field.related_model)
    # Names from the models' metadata, the id a parameter.
    return (
        f"SELECT {columns(model, 'u')}, {columns(related, 'm')}{', ' + extra if extra else ''} "  # noqa: S608
        f'FROM "{model._meta.db_table}" u '
        f'LEFT JOIN "{related._meta.db_table}" m ON m."{related._meta.pk.column}" = u."{field.column}" '
        f'WHERE u."{model._meta.pk.column}" = %(id)s'
    )


class SessionStore(db_sessions.SessionStore):
    """Django's database sessions (kept in PostgreSQL on purpose: docs/security.md), read with one
    statement written once instead of an ORM query built on every request. Writing is Django's."""

    def _get_session_from_db(self) -> Any:
        model = self.model
        meta = model._meta
        try:
            key = self.session_key
            if key is None:
                raise model.DoesNotExist
            with connections[router.db_for_read(model)].cursor() as cursor:
                execute_prepared(
                    cursor,
                    f"{meta.db_table}_load",
                    f'SELECT session_data FROM "{meta.db_table}" WHERE session_key = %(key)s AND expire_date > %(now)s',  # noqa: S608
                    {"key": key, "now": timezone.now()},
                )
                row = cursor.fetchone()
            if row is None:
                raise model.DoesNotExist
            return model(session_key=key, session_data=row[0])
        except (model.DoesNotExist, SuspiciousOperation) as e:
            if isinstance(e, SuspiciousOperation):
                logging.getLogger(f"django.security.{e.__class__.__name__}").warning(str(e))
            self._session_key = None
            return None
