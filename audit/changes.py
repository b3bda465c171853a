"""How far a municipality's data has come, in all its tables or in some: read from the audit trail
in one statement.

Every write to an application table leaves a row in the log (the trigger on every table, whoever
writes: a view, the worker, a queryset ``update()``, psql), naming the table and the municipality it
belongs to, or none (a group, a permission). The log only grows. Its committed rows of one
municipality are either linked into the chain (``seq`` set, in sealing order, by ``audit_seal``
every ten seconds) or not yet linked. So the pair

    (the highest ``seq`` among the municipality's linked rows, how many of its rows are not linked)

moves on with every committed write: while no seal runs, the count grows; a seal that links any of
the municipality's rows raises the highest ``seq``. The same holds for the rows of any set of tables
(the highest ``seq`` and the count among those rows alone), and for the rows of no municipality.
:func:`version` is the four numbers (the municipality's, and those of no municipality), read in
one snapshot: a value that changes whenever the data of those tables may have changed, with nothing
to invalidate by hand (alingsas_ale.pagecache keeps pages under the version of the tables they read).

Three kinds of rows are left out, as no kept page shows them: the reading room's visits (written on
every visit, and the reading room's page is kept while it records them), a sign-in (an update of
the user's ``last_login`` alone, shown on no page: counted, each sign-in put aside every kept page in
the municipality) and the log's records of reads. The partial indexes of ``AuditEntry`` hold exactly
the rest, so each number is an index probe (one per table for the highest ``seq``), and the count
covers the last few seconds of writes unless the sealer is stopped.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import connections, router
from django.db.models.sql import Query

from alingsas_ale.hotpath import execute_prepared

from .models import CHANGES, AuditEntry

Version = tuple[int | None, int | None, int, int]


def version(municipality_id: int) -> Version:
    """The version of all the municipality's data (see the module's docstring)."""
    with connections[router.db_for_read(AuditEntry)].cursor() as cursor:
        execute_prepared(cursor, "audit_changes_version", _all_sql(), {"municipality": municipality_id})
        return _version(cursor.fetchone())


def versions(municipality_id: int, tables: Sequence[str]) -> tuple[Version, Version]:
    """(the version of all the municipality's data, the version of ``tables``), in one snapshot."""
    with connections[router.db_for_read(AuditEntry)].cursor() as cursor:
        execute_prepared(
            cursor, "audit_changes_versions", _both_sql(), {"municipality": municipality_id, "tables": list(tables)}
        )
        row = cursor.fetchone()
    return _version(row[:4]), _version(row[4:])


def _version(row: Sequence[int | None]) -> Version:
    sealed, sealed_common, unsealed, unsealed_common = row
    return sealed, sealed_common, int(unsealed or 0), int(unsealed_common or 0)


@functools.cache
def _changes() -> str:
    """``CHANGES``, the condition of the partial indexes audit_changes_sealed_idx,
    audit_changes_table_sealed_idx and audit_changes_unsealed_idx, compiled as Django compiles an
    index's condition (``Index._get_condition_sql``): written once, so that PostgreSQL always sees
    the query's condition imply the indexes'."""
    connection = connections[router.db_for_read(AuditEntry)]
    connection.ensure_connection()  # the values are quoted by the driver
    query = Query(model=AuditEntry, alias_cols=False)
    sql, params = query.build_where(CHANGES).as_sql(query.get_compiler(connection=connection), connection)
    quote = connection.schema_editor().quote_value
    # A literal % in the result would read as a placeholder in the statements it joins.
    return (sql % tuple(quote(value) for value in params)).replace("%", "%%")


MINE, COMMON = "= %(municipality)s", "IS NULL"


@functools.cache
def _all_sql() -> str:
    table = AuditEntry._meta.db_table

    def sealed(municipality: str) -> str:
        # The highest seq as one step down the index, whatever the planner guesses of the table's size.
        return (
            f"SELECT seq FROM {table} WHERE seq IS NOT NULL AND {_changes()} AND municipality_id {municipality} "  # noqa: S608
            "ORDER BY seq DESC LIMIT 1"
        )

    def unsealed(municipality: str) -> str:
        return f"SELECT count(*) FROM {table} WHERE seq IS NULL AND {_changes()} AND municipality_id {municipality}"  # noqa: S608

    return f"SELECT ({sealed(MINE)}), ({sealed(COMMON)}), ({unsealed(MINE)}), ({unsealed(COMMON)})"


@functools.cache
def _tables_sql() -> str:
    table = AuditEntry._meta.db_table

    def sealed(municipality: str) -> str:
        # One step down the index per table, the highest of those.
        return (
            "SELECT max(x.seq) FROM unnest(%(tables)s::text[]) AS t(name) CROSS JOIN LATERAL ("  # noqa: S608
            f"SELECT seq FROM {table} WHERE seq IS NOT NULL AND {_changes()} AND municipality_id {municipality} "
            "AND table_name = t.name ORDER BY seq DESC LIMIT 1) AS x"
        )

    def unsealed(municipality: str) -> str:
        return (
            f"SELECT count(*) FROM {table} WHERE seq IS NULL AND {_changes()} AND municipality_id {municipality} "  # noqa: S608
            "AND table_name = ANY(%(tables)s::text[])"
        )

    return f"SELECT ({sealed(MINE)}), ({sealed(COMMON)}), ({unsealed(MINE)}), ({unsealed(COMMON)})"


@functools.cache
def _both_sql() -> str:
    return f"SELECT * FROM ({_all_sql()}) AS everything, ({_tables_sql()}) AS tables"  # noqa: S608
