"""Checking the chain: each row's hash is sha256(previous row's hash || the row's canonical text),
computed here in Python from what is stored, exactly as ``audit_append`` computed it in the database.
An altered row breaks its own hash; a removed row breaks the link of the row after it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from .schema import AUDIT_TABLE, GENESIS

COLUMNS = (
    "id, at, municipality_id, actor_id, on_behalf_of_id, ip, action, table_name, row_pk, data::text, prev_hash, hash"
)


@dataclass(frozen=True)
class Break:
    entry_id: int
    reason: str


def canonical(row: tuple[Any, ...]) -> str:
    entry_id, at, municipality_id, actor_id, behalf_id, ip, action, table, pk, data = row[:10]
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if isinstance(at, datetime) else str(at)
    parts = [entry_id, stamp, municipality_id, actor_id, behalf_id, ip, action, table, pk, data]
    return "|".join("" if part is None else str(part) for part in parts)


def link(prev_hash: str, row: tuple[Any, ...]) -> str:
    return hashlib.sha256((prev_hash + canonical(row)).encode()).hexdigest()


def _rows(batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {COLUMNS} FROM {AUDIT_TABLE} WHERE id > %s ORDER BY id LIMIT %s", [last, batch])  # noqa: S608 - constants
            rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def verify() -> tuple[int, list[Break]]:
    """Walk the whole log in id order; return how many rows were checked and every break found."""
    expected_prev = GENESIS
    checked = 0
    breaks: list[Break] = []
    for row in _rows():
        entry_id, prev_hash, stored = row[0], row[10], row[11]
        if prev_hash != expected_prev:
            breaks.append(Break(entry_id, "föregående rad saknas eller är ändrad (kedjan bruten)"))
        if link(prev_hash, row) != stored:
            breaks.append(Break(entry_id, "raden är ändrad (hashen stämmer inte)"))
        expected_prev = stored
        checked += 1
    return checked, breaks
