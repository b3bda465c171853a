"""``manage.py audit_verify``: recompute the audit log's hash chain; exit 1 on any altered or
removed row. Prints the last hash, to be kept outside the database (docs/audit.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from audit.chain import verify
from audit.models import AuditEntry


class Command(BaseCommand):
    help = "Kontrollerar granskningsloggens hashkedja."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, breaks = verify()
        for found in breaks:
            self.stderr.write(f"rad {found.entry_id}: {found.reason}")
        if breaks:
            raise CommandError(f"Granskningsloggen är inte hel: {len(breaks)} fel bland {checked} rader.")
        with scopes_disabled():
            head = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or "-"
        self.stdout.write(f"Granskningsloggen är hel: {checked} rader. Senaste hash: {head}")
