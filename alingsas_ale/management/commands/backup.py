"""``manage.py backup``: the database and the media files in one verified archive (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from alingsas_ale import embedded
from alingsas_ale.backup import BackupError, Database, backup_create


class Command(BaseCommand):
    help = (
        "Säkerhetskopiera databasen (pg_dump) och mediafilerna till ett arkiv med manifest och "
        "kontrollsummor: en katalog, eller en tar-fil om sökvägen slutar på .tar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Arkivets sökväg (standard: var/backups/backup-<tid>.tar).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"] or default_output())
        db = Database.from_settings(connections["default"].settings_dict)
        media_root = Path(settings.MEDIA_ROOT)
        try:
            manifest = backup_create(output, db=db, media_root=media_root)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        media_bytes = sum(entry["size"] for entry in manifest["media"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Säkerhetskopia skapad: %(path)s\n"
                    "  databas %(database)s: %(tables)d tabeller, %(rows)d rader (dump %(dump)s)\n"
                    "  mediafiler: %(files)d filer, %(media)s"
                )
                % {
                    "path": output.resolve(),
                    "database": db.label,
                    "tables": len(manifest["tables"]),
                    "rows": rows,
                    "dump": human_size(manifest["dump"]["size"]),
                    "files": len(manifest["media"]),
                    "media": human_size(media_bytes),
                }
            )
        )


def default_output() -> Path:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return embedded.var_dir() / "backups" / f"backup-{stamp}.tar"


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}".replace(".", ",")
        value /= 1024
    return f"{size} B"
