"""How far a municipality's data has come: read from the audit trail in one statement.

Every write to an application table leaves a row in the log (the trigger on every table, whoever
writes: a view, the worker, a queryset ``update()``, psql), with the municipality it belongs to, or
none (a group, a permission). The log only grows. Its committed rows of one municipality are either
linked into the chain (``seq`` set, in sealing order, by ``audit_seal`` every ten seconds) or not yet
linked. So the pair

    (the highest ``seq`` among the municipality's linked rows, how many of its rows are not linked)

moves on with every committed write: while no seal runs, the count grows; a seal that links any of
the municipality's rows raises the highest ``seq``. The same pair for the rows of no municipality
joins it. :func:`version` is the four numbers, read in one snapshot: a value that changes whenever
the data a page shows may have changed, with nothing to invalidate by hand (alingsas_ale.pagecache).

Two kinds of rows are left out, as no kept page shows them: the reading room's visits (written on
every visit, shown only by the reading room, which is never kept) and the log's records of reads.
The two partial indexes of ``AuditEntry`` hold exactly the rest, so each number is an index probe:
the count covers the last few seconds of writes, unless the sealer is stopped.
"""

from __future__ import annotations

import functools

from django.db import connections, router

from alingsas_ale.hotpath import execute_prepared

from .models import Action, AuditEntry

Version = tuple[int | None, int | None, int, int]


def version(municipality_id: int) -> Version:
    """The municipality's data version (see the module's docstring)."""
    with connections[router.db_for_read(AuditEntry)].cursor() as cursor:
        execute_prepared(cursor, "audit_changes_version", _version_sql(), {"municipality": municipality_id})
        sealed, sealed_common, unsealed, unsealed_common = cursor.fetchone()
    return sealed, sealed_common, int(unsealed), int(unsealed_common)


@functools.cache
def _version_sql() -> str:
    table = AuditEntry._meta.db_table
    # The predicate of the partial indexes audit_changes_sealed_idx and audit_changes_unsealed_idx.
    changes = f"table_name <> 'reading_meetingvisit' AND action <> '{Action.READ.value}'"
    # The highest seq as one step down the index, whatever the planner guesses of the table's size.
    sealed = (
        f"SELECT seq FROM {table} WHERE seq IS NOT NULL AND {changes} AND municipality_id {{}} "  # noqa: S608
        "ORDER BY seq DESC LIMIT 1"
    )
    unsealed = f"SELECT count(*) FROM {table} WHERE seq IS NULL AND {changes} AND municipality_id {{}}"  # noqa: S608
    mine, common = "= %(municipality)s", "IS NULL"
    return (
        f"SELECT ({sealed.format(mine)}), ({sealed.format(common)}), "
        f"({unsealed.format(mine)}), ({unsealed.format(common)})"
    )
