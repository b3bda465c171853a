"""``manage.py audit_verify``: link the rows written since the last seal, then recompute the whole
hash chain; exit 1 on any altered or removed row. Prints the newest hash, to be kept outside the
database (docs/audit.md). ``--no-seal`` checks without linking new rows first."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from audit.chain import seal, unsealed, verify
from audit.models import AuditEntry


class Command(BaseCommand):
    help = "Kontrollerar granskningsloggens hashkedja."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-seal", action="store_true", help="Länka inte in nya rader före kontrollen.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_seal"]:
            seal()
        checked, breaks = verify()
        for found in breaks:
            self.stderr.write(f"rad {found.entry_id}: {found.reason}")
        if breaks:
            raise CommandError(f"Granskningsloggen är inte hel: {len(breaks)} fel bland {checked} rader.")
        with scopes_disabled():
            head = AuditEntry.objects.exclude(seq=None).order_by("-seq").values_list("hash", flat=True).first() or "-"
        waiting = unsealed()
        self.stdout.write(
            f"Granskningsloggen är hel: {checked} rader. Senaste hash: {head}"
            + (f" ({waiting} rader väntar på att länkas in)" if waiting else "")
        )
