from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _wrap_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    from .context import send_actor

    if send_actor not in connection.execute_wrappers:
        connection.execute_wrappers.append(send_actor)


def _after_migrate(sender: Any, using: str = "default", plan: Any = None, **kwargs: Any) -> None:
    """After every ``migrate`` (not after a test flush, which passes no plan): bring the functions up
    to date with audit/schema.py, cover new tables with the audit trigger and give the runtime role
    its privileges on them."""
    if plan is None:
        return
    from django.db import connections

    from .schema import FUNCTIONS, grant_runtime_role, install_triggers

    with connections[using].cursor() as cursor:
        cursor.execute(FUNCTIONS)
    install_triggers(connections[using])
    grant_runtime_role(connections[using])


class AuditConfig(AppConfig):
    """The audit trail: every write and every read of a secret handling, hash-chained (docs/audit.md)."""

    name = "audit"
    verbose_name = "Granskningslogg"

    def ready(self) -> None:
        connection_created.connect(_wrap_connection, dispatch_uid="audit_wrap_connection")
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="audit_after_migrate")
