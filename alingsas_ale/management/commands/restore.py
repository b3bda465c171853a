"""``manage.py restore``: verify an archive from ``manage.py backup``, then restore it (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from alingsas_ale.backup import (
    BackupError,
    Database,
    archive_opened,
    archive_verify,
    database_create,
    database_exists,
    database_restore,
    database_row_counts,
    media_files,
    media_restore,
    row_count_differences,
)
from alingsas_ale.pagecache import cache_emptied


class Command(BaseCommand):
    help = (
        "Återställ en säkerhetskopia från manage.py backup: kontrollerar först varje kontrollsumma, "
        "återställer sedan databasen och mediafilerna och jämför radantalen med manifestet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Arkivet: en katalog eller en .tar-fil.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Skriv över en databas eller mediakatalog som redan innehåller data.",
        )
        parser.add_argument(
            "--database-url",
            help="Återställ till den här databasen i stället för den konfigurerade (skapas om den saknas).",
        )
        parser.add_argument("--media-root", type=Path, help="Mediakatalog att återställa till (standard: MEDIA_ROOT).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.restore(options)
        except BackupError as error:
            raise CommandError(str(error)) from error

    def restore(self, options: dict[str, Any]) -> None:
        if options["database_url"]:
            db = Database.from_url(options["database_url"])
        else:
            # As the owner role when there is one: a restore drops and creates the tables (docs/audit.md).
            db = Database.from_settings({**connections["default"].settings_dict, **settings.DATABASE_OWNER})
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT).resolve()
        with archive_opened(Path(options["path"]).resolve()) as archive:
            manifest = archive_verify(archive)
            self.stdout.write(
                _("Arkivet är oskadat: dumpen och %(files)d mediafiler stämmer med manifestet (skapat %(created)s).")
                % {"files": len(manifest["media"]), "created": manifest["created"]}
            )
            exists = database_exists(db)
            self.refuse_to_overwrite(db, exists=exists, media_root=media_root, yes=options["yes"])
            if not exists:
                database_create(db)
                self.stdout.write(_("Databasen %(database)s skapad.") % {"database": db.label})
            try:
                database_restore(archive, db=db)
            finally:
                # Whatever follows, this installation's data may be replaced: nothing drawn from
                # the old data stays in the cache (a failed re-count below included).
                if not options["database_url"]:
                    self.clear_cache()
            _grant_runtime_role(db)
            media = media_restore(archive, manifest, media_root=media_root)
        counts = database_row_counts(db)
        differences = row_count_differences(manifest["tables"], counts)
        if differences:
            lines = [
                _("  %(table)s: %(expected)d i arkivet, %(actual)s efter återställningen")
                % {"table": table, "expected": expected, "actual": "saknas" if actual is None else actual}
                for table, (expected, actual) in differences.items()
            ]
            raise CommandError(
                _("Databasen återställdes men radantalen stämmer inte med manifestet:\n%(lines)s")
                % {"lines": "\n".join(lines)}
            )
        summary = _(
            "Återställning klar till %(database)s:\n"
            "  %(tables)d tabeller, %(rows)d rader: samma antal som i manifestet\n"
            "  mediafiler i %(media_root)s: %(written)d skrivna, %(unchanged)d fanns redan oförändrade"
        ) % {
            "database": db.label,
            "tables": len(manifest["tables"]),
            "rows": sum(manifest["tables"].values()),
            "media_root": media_root,
            "written": media.written,
            "unchanged": media.unchanged,
        }
        self.stdout.write(self.style.SUCCESS(summary))
        extra_tables = sorted(set(counts) - set(manifest["tables"]))
        if extra_tables:
            self.stdout.write(
                self.style.WARNING(
                    _("Tabeller som inte finns i arkivet lämnades kvar: %(tables)s")
                    % {"tables": ", ".join(extra_tables)}
                )
            )
        if media.left_alone:
            self.stdout.write(
                self.style.WARNING(
                    _("%(count)d filer i mediakatalogen finns inte i arkivet och lämnades kvar.")
                    % {"count": len(media.left_alone)}
                )
            )
        self.stdout.write(_("Kör manage.py migrate om programmet är nyare än säkerhetskopian."))

    def clear_cache(self) -> None:
        """What the cache holds was drawn from the data the restore replaced: the kept pages and the
        handläggare lists. Emptied, each is drawn again from the restored data at its next view."""
        try:
            removed = cache_emptied()
        except Exception as error:  # noqa: BLE001 - the restore itself is done
            self.stdout.write(
                self.style.WARNING(
                    _("Cachen kunde inte tömmas (%(error)s): töm den (redis-cli FLUSHDB på CACHE_URL).")
                    % {"error": error}
                )
            )
        else:
            self.stdout.write(
                _("Cachen är tömd (%(count)d nycklar): sidor och listor ritas på nytt ur den återställda databasen.")
                % {"count": removed}
            )

    def refuse_to_overwrite(self, db: Database, *, exists: bool, media_root: Path, yes: bool) -> None:
        if yes:
            return
        if exists:
            counts = database_row_counts(db)
            if counts:
                raise CommandError(
                    _(
                        "Databasen %(database)s innehåller redan data (%(tables)d tabeller, %(rows)d rader). "
                        "Återställningen skriver över den: kör igen med --yes. Ingenting har ändrats."
                    )
                    % {"database": db.label, "tables": len(counts), "rows": sum(counts.values())}
                )
        if next(media_files(media_root), None) is not None:
            raise CommandError(
                _(
                    "Mediakatalogen %(path)s innehåller redan filer. Återställningen kan skriva över dem: "
                    "kör igen med --yes. Ingenting har ändrats."
                )
                % {"path": media_root}
            )


def _grant_runtime_role(db: Database) -> None:
    """The restore drops the privileges with the tables (--no-privileges): give the runtime role its
    own again, as every migrate does (audit/schema.py)."""
    from audit.schema import grant_runtime_role

    if not getattr(settings, "DATABASE_RUNTIME_ROLE", ""):
        return
    conn = db.connect()
    try:
        grant_runtime_role(conn)
        conn.commit()
    finally:
        conn.close()
