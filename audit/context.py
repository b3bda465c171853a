"""Who is acting: handed to the database before every write, so the audit trigger can record it.

The web (``audit.middleware.AuditMiddleware``) and the worker (``cases.taskbase.TenantTask``) say
who acts with :func:`acting`. An execute wrapper installed on every database connection
(``audit.apps``) sends ``audit.actor``, ``audit.on_behalf_of``, ``audit.municipality`` and
``audit.ip`` with ``set_config`` in the same statement as each INSERT, UPDATE or DELETE. The
settings are sent again before every write because a rolled-back transaction also rolls back a
``set_config``.

This module imports nothing of the project, so the core (cases) may use it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")
# A WITH writes only when one of its parts is a data-modifying statement (``WITH done AS (UPDATE …)``).
_MODIFIES = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def writes(sql: str) -> bool:
    """Whether ``sql`` may write: it begins with a write, or is a WITH holding one. A read-only WITH
    (a page's fingerprint, a report) is sent alone, without the actor's settings before it."""
    head = sql.lstrip()[:6].upper()
    if head.startswith(WRITES):
        return True
    return head.startswith("WITH") and _MODIFIES.search(sql) is not None


@dataclass(frozen=True)
class Actor:
    """Ids, not objects: the user who acts (None for the system), for whom, where, from which address."""

    user_id: int | None = None
    on_behalf_of_id: int | None = None
    municipality_id: int | None = None
    ip: str = ""

    def sql(self) -> str:
        """One statement setting the four values; integers and a parsed address only, so no quoting."""
        ip = _valid_ip(self.ip)
        values = {
            "audit.actor": _int(self.user_id),
            "audit.on_behalf_of": _int(self.on_behalf_of_id),
            "audit.municipality": _int(self.municipality_id),
            "audit.ip": ip,
        }
        parts = ", ".join(f"set_config('{name}', '{value}', false)" for name, value in values.items())
        return f"SELECT {parts}"


NOBODY = Actor()
_current: ContextVar[Actor | Callable[[], Actor]] = ContextVar("audit_actor", default=NOBODY)


def _int(value: int | None) -> str:
    return "" if value is None else str(int(value))


def _valid_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def current_actor() -> Actor:
    value = _current.get()
    return value() if callable(value) else value


@contextmanager
def acting(actor: Actor | Callable[[], Actor]) -> Iterator[None]:
    """Attribute every write inside the block to ``actor`` (or to what the callable returns at the
    time of each write: the web passes one, since a sign-in changes the user mid-request)."""
    token = _current.set(actor)
    try:
        yield
    finally:
        _current.reset(token)


def send_actor(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """Django execute wrapper: before a write, tell the database who acts.

    A single write carries the settings in the same round trip (``SELECT set_config(…); INSERT …``:
    PostgreSQL runs both in order and the driver returns the write's result and row count), so
    auditing does not double the round trips of a page or a routing step. A batch (executemany)
    sends them once, before it."""
    if not writes(sql):
        return execute(sql, params, many, context)
    actor = current_actor().sql()
    if many:
        context["cursor"].execute(actor)
        return execute(sql, params, many, context)
    if params is not None:
        actor = actor.replace("%", "%%")  # the driver formats the joined statement with the write's params
    return execute(f"{actor}; {sql}", params, many, context)


def record_read(*, table: str, pk: object, data: dict[str, object]) -> None:
    """Append a READ row through the database's own function, so the row joins the hash chain
    exactly as the trigger's rows do (the runtime role may not insert into the log itself)."""
    import json

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(current_actor().sql())
        cursor.execute("SELECT audit_append('READ', %s, %s, %s::jsonb, NULL)", [table, str(pk), json.dumps(data)])


def record_secret_read(document: Any) -> None:
    """A handling's file is served: if it is secret, log who read which one (cases.Document, by duck
    typing so that this module stays below the core)."""
    if document.is_secret:
        record_read(
            table="cases_document",
            pk=document.pk,
            data={"handling": document.number, "sekretess": document.secrecy_provision},
        )
