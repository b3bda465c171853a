"""``migrate`` as the owner role: the tables belong to the owner, never to the runtime role the web
and the worker sign in as (``DATABASE_OWNER_URL``, or the embedded default's owner; docs/audit.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        owner: dict[str, str] = getattr(settings, "DATABASE_OWNER", {})
        connection = connections[options["database"]]
        if not owner or options["database"] != "default" or connection.settings_dict["USER"] == owner["USER"]:
            super().handle(*args, **options)
            return
        saved = {key: connection.settings_dict[key] for key in owner}
        connection.close()
        connection.settings_dict.update(owner)
        try:
            super().handle(*args, **options)
        finally:
            connection.close()
            connection.settings_dict.update(saved)
