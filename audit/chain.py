"""Sealing and checking the chain.

A trigger writes each row unlinked (no lock on the write path: a lock there, held to the commit,
queued every write behind every other and deadlocked with row locks). ``audit_seal()`` in the
database then links the committed rows, one sealer at a time, in id order: each gets the next
``seq`` and ``hash = sha256(prev_hash || canonical text)``. ``verify`` recomputes every link here in
Python from what is stored: an altered row breaks its own hash, a removed row the link after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from .schema import AUDIT_TABLE, GENESIS

COLUMNS = (
    "seq, id, at, municipality_id, actor_id, on_behalf_of_id, ip, action, table_name, row_pk, data::text, "
    "prev_hash, hash"
)


@dataclass(frozen=True)
class Break:
    entry_id: int
    reason: str


def seal() -> int:
    """Link every committed, unsealed row into the chain; return how many were linked."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_seal()")
        return int(cursor.fetchone()[0])


def canonical(row: tuple[Any, ...]) -> str:
    seq, entry_id, at, municipality_id, actor_id, behalf_id, ip, action, table, pk, data = row[:11]
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if isinstance(at, datetime) else str(at)
    parts = [seq, entry_id, stamp, municipality_id, actor_id, behalf_id, ip, action, table, pk, data]
    return "|".join("" if part is None else str(part) for part in parts)


def link(prev_hash: str, row: tuple[Any, ...]) -> str:
    return hashlib.sha256((prev_hash + canonical(row)).encode()).hexdigest()


def _rows(batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {COLUMNS} FROM {AUDIT_TABLE} WHERE seq > %s ORDER BY seq LIMIT %s",  # noqa: S608 - constants
                [last, batch],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def unsealed() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {AUDIT_TABLE} WHERE seq IS NULL")  # noqa: S608 - constants
        return int(cursor.fetchone()[0])


def verify() -> tuple[int, list[Break]]:
    """Walk the sealed rows in chain order; return how many were checked and every break found."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    breaks: list[Break] = []
    for row in _rows():
        seq, entry_id, prev_hash, stored = row[0], row[1], row[11], row[12]
        if prev_hash != expected_prev or seq != expected_seq:
            breaks.append(Break(entry_id, "föregående rad saknas eller är ändrad (kedjan bruten)"))
        if link(prev_hash, row) != stored:
            breaks.append(Break(entry_id, "raden är ändrad (hashen stämmer inte)"))
        expected_prev = stored
        expected_seq = seq + 1
        checked += 1
    return checked, breaks
