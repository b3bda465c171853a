"""Multiply rows in SQL from one template row the application itself created.

The benchmarks need millions of rows. Writing them with the ORM takes too long, and INSERTs that
name every column by hand break the day a migration adds a NOT NULL column (Django drops a field's
default at the database level). Copying a template row made through the ORM — with the columns
read from the catalogue at run time, and only the varying ones given as SQL expressions over the
series number ``g`` — keeps up with the schema by itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import connection


def columns(table: str) -> list[str]:
    """The table's writable columns: not generated, not an identity, not the primary key."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = %s
              AND is_generated = 'NEVER' AND is_identity = 'NO' AND column_name <> 'id'
            ORDER BY ordinal_position
            """,
            [table],
        )
        return [name for (name,) in cur.fetchall()]


def clone(table: str, *, template_id: int, count: int, vary: Mapping[str, str], start: int = 1) -> tuple[int, int]:
    """Insert ``count`` copies of row ``template_id`` of ``table``, with ``vary`` (column → SQL
    expression over ``g``, running from ``start``) replacing the template's values. Returns the
    first and last new id."""
    unknown = set(vary) - set(columns(table))
    if unknown:
        raise ValueError(f"{table} has no column(s) {sorted(unknown)}")
    names = columns(table)
    select = ", ".join(f"({vary[name].replace('%', '%%')})" if name in vary else f"t.{name}" for name in names)
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608 - names from the catalogue, expressions from the bench
        f"SELECT {select} FROM {table} t, generate_series(%s, %s) g WHERE t.id = %s RETURNING id"
    )
    with connection.cursor() as cur:
        cur.execute(f"WITH new AS ({sql}) SELECT min(id), max(id) FROM new", [start, start + count - 1, template_id])  # noqa: S608
        first, last = cur.fetchone()
    return first, last
