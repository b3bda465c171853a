"""Backup and restore: one archive holding the database dump, the media files and a manifest.

An archive is a directory or an uncompressed ``.tar`` with

- ``database.dump``: ``pg_dump --format=custom`` of the whole database (queued work in the
  outbox table included), taken from the same snapshot the manifest's row counts were read in;
- ``media/``: every regular file under ``MEDIA_ROOT``, copied after the dump, so every file a
  dumped row points at is there (files are never changed in place, only added);
- ``manifest.json``: when and from what it was made, the row count of every table, and the
  SHA-256 of the dump and of every media file.

A restore verifies every checksum before it changes anything. The checksums catch damage
(a bad disk, a truncated copy), not a forger, who would rewrite the manifest too: keep
archives where only operators can write. See docs/operations.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import django
import environ
import psycopg2
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2 import sql
from psycopg2.extensions import ISOLATION_LEVEL_REPEATABLE_READ
from psycopg2.extensions import connection as PgConnection  # noqa: N812 - psycopg2's own name

FORMAT = 1
DUMP = "database.dump"
MEDIA = "media"
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024

# Django OPTIONS that are libpq connection parameters, and the environment variable each one has.
LIBPQ_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "passfile": "PGPASSFILE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """The backup or restore cannot go on; the message is for the operator, in Swedish."""


@dataclass(frozen=True)
class Database:
    """Where a database is: the libpq parameters of Django's settings or of a DATABASE_URL."""

    name: str
    params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings_dict: dict[str, Any]) -> Database:
        options = settings_dict.get("OPTIONS") or {}
        params = {key: str(value) for key, value in options.items() if key in LIBPQ_ENV and value not in ("", None)}
        for key, setting in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD")):
            if settings_dict.get(setting):
                params[key] = str(settings_dict[setting])
        return cls(name=str(settings_dict["NAME"]), params=params)

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls.from_settings(dict(environ.Env.db_url_config(url)))

    def named(self, name: str) -> Database:
        return replace(self, name=name)

    @property
    def label(self) -> str:
        """Name and server, never the password."""
        return f"{self.name} ({self.params.get('host') or 'localhost'})"

    def env(self) -> dict[str, str]:
        """The environment for pg_dump and pg_restore: the password never goes on a command line."""
        env = {k: v for k, v in os.environ.items() if k not in LIBPQ_ENV.values()}
        env.update({LIBPQ_ENV[key]: value for key, value in self.params.items()})
        env["PGDATABASE"] = self.name
        return env

    def connect(self) -> PgConnection:
        return psycopg2.connect(dbname=self.name, **self.params)


def pg_binary(name: str) -> str:
    """pg_dump or pg_restore: from ``PG_BIN_DIR``, else the PostgreSQL 16 tools in the pgserver wheel."""
    configured = os.environ.get("PG_BIN_DIR", "")
    if configured:
        directory = Path(configured)
    else:
        try:
            import pgserver
        except ImportError:
            directory = Path()
        else:
            directory = Path(pgserver.__file__).parent / "pginstall" / "bin"
    binary = directory / name
    if binary.is_file():
        return str(binary)
    found = shutil.which(name)
    if not found:
        raise BackupError(_("%(name)s hittades inte: installera pgserver eller ange PG_BIN_DIR.") % {"name": name})
    return found


def _run(command: list[str], *, db: Database) -> None:
    result = subprocess.run(command, env=db.env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(command)s misslyckades: %(error)s")
            % {"command": Path(command[0]).name, "error": result.stderr.strip()[-2000:]}
        )


def table_row_counts(cursor: Any) -> dict[str, int]:
    """The exact row count of every table outside the system schemas (``schema.table`` outside public)."""
    cursor.execute(
        """
        SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY n.nspname, c.relname
        """
    )
    counts: dict[str, int] = {}
    for schema, table in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
        counts[table if schema == "public" else f"{schema}.{table}"] = int(cursor.fetchone()[0])
    return counts


def _applied_migrations(cursor: Any) -> dict[str, str]:
    cursor.execute("SELECT to_regclass('django_migrations')")
    if cursor.fetchone()[0] is None:
        return {}
    cursor.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
    return dict(cursor.fetchall())


def app_version() -> str:
    try:
        project = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text(encoding="utf-8"))
        return str(project["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "okänd"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Reads a file once: what goes into the archive is exactly what was hashed."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def media_files(media_root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under the media root as (relative POSIX path, path), sorted; symlinks skipped."""
    if not media_root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(media_root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(directory) / filename
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(media_root).as_posix(), path


# --- backup -----------------------------------------------------------------------------------


def backup_create(output: Path, *, db: Database, media_root: Path) -> dict[str, Any]:
    """Write the archive to ``output`` (a ``.tar`` file, else a directory) and return its manifest.

    The archive is built under ``<output>.partial`` and renamed at the end, so a failed backup
    never leaves something that looks complete. It holds secret handlingar: mode 0600/0700.
    """
    output = output.resolve()
    if output.exists():
        raise BackupError(_("%(path)s finns redan; ange en ny sökväg.") % {"path": output})
    as_tar = output.suffix == ".tar"
    partial = output.with_name(output.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial) if partial.is_dir() else partial.unlink()
    output.parent.mkdir(parents=True, exist_ok=True)
    old_umask = os.umask(0o077)
    try:
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as scratch:
            dump_path = Path(scratch) / DUMP if as_tar else partial / DUMP
            dump_path.parent.mkdir(parents=True, exist_ok=True)
            manifest = _dump_database(db, dump_path)
            if as_tar:
                with tarfile.open(partial, "w") as tar:
                    tar.add(dump_path, arcname=DUMP)
                    manifest["media"] = _media_into_tar(media_root, tar)
                    _add_bytes(tar, MANIFEST, _manifest_bytes(manifest))
            else:
                manifest["media"] = _media_into_directory(media_root, partial / MEDIA)
                (partial / MANIFEST).write_bytes(_manifest_bytes(manifest))
        partial.rename(output)
    except BaseException:
        if partial.is_dir():
            shutil.rmtree(partial, ignore_errors=True)
        else:
            partial.unlink(missing_ok=True)
        raise
    finally:
        os.umask(old_umask)
    return manifest


def _dump_database(db: Database, dump_path: Path) -> dict[str, Any]:
    """pg_dump from one exported snapshot, counting the rows in that same snapshot."""
    conn = db.connect()
    try:
        conn.set_session(isolation_level=ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            tables = table_row_counts(cursor)
            migrations = _applied_migrations(cursor)
            # The snapshot lives as long as this transaction: pg_dump must run while it is open.
            _run(
                [pg_binary("pg_dump"), "--format=custom", f"--snapshot={snapshot}", "--file", str(dump_path)],
                db=db,
            )
        conn.rollback()
    finally:
        conn.close()
    return {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "application": {"name": "alingsas-ale", "version": app_version()},
        "django": django.get_version(),
        "postgresql": server_version,
        "database": db.name,
        "migrations": migrations,
        "tables": tables,
        "dump": {"path": DUMP, "size": dump_path.stat().st_size, "sha256": sha256_file(dump_path)},
    }


def _media_into_directory(media_root: Path, target: Path) -> dict[str, dict[str, Any]]:
    listed: dict[str, dict[str, Any]] = {}
    for relative, path in media_files(media_root):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        with path.open("rb") as source, destination.open("wb") as sink:
            reader = _HashingReader(source)
            shutil.copyfileobj(reader, sink, CHUNK)
        listed[relative] = {"size": destination.stat().st_size, "sha256": reader.digest.hexdigest()}
    return listed


def _media_into_tar(media_root: Path, tar: tarfile.TarFile) -> dict[str, dict[str, Any]]:
    listed: dict[str, dict[str, Any]] = {}
    for relative, path in media_files(media_root):
        with path.open("rb") as source:
            info = tar.gettarinfo(fileobj=source, arcname=f"{MEDIA}/{relative}")
            info.uname = info.gname = ""
            reader = _HashingReader(source)
            tar.addfile(info, reader)
        listed[relative] = {"size": info.size, "sha256": reader.digest.hexdigest()}
    return listed


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"


# --- restore ----------------------------------------------------------------------------------


@contextmanager
def archive_opened(path: Path) -> Iterator[Path]:
    """The archive as a directory: itself, or a ``.tar`` unpacked into a temporary one."""
    if path.is_dir():
        yield path
        return
    if not path.is_file() or not tarfile.is_tarfile(path):
        raise BackupError(_("%(path)s är varken en arkivkatalog eller en tar-fil.") % {"path": path})
    beside = path.parent if os.access(path.parent, os.W_OK) else None  # same disk when we may write there
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=beside) as scratch:
        with tarfile.open(path) as tar:
            try:
                tar.extractall(scratch, filter="data")
            except (tarfile.TarError, OSError) as error:
                raise BackupError(_("Tar-filen kan inte packas upp: %(error)s") % {"error": error}) from error
        yield Path(scratch)


def archive_verify(archive: Path) -> dict[str, Any]:
    """Read the manifest and check every checksum; raise BackupError listing everything wrong."""
    try:
        manifest = json.loads((archive / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(
            _("Arkivet saknar ett läsbart manifest.json: %(error)s. Ingenting har ändrats.") % {"error": error}
        ) from error
    try:
        if manifest["format"] != FORMAT or not isinstance(manifest["tables"], dict):
            raise ValueError(manifest["format"])
        _check_checksums(archive, manifest)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise BackupError(
            _("Arkivets manifest.json känns inte igen (väntat format %(format)s): %(error)r. Ingenting har ändrats.")
            % {"format": FORMAT, "error": error}
        ) from error
    return manifest


def _check_checksums(archive: Path, manifest: dict[str, Any]) -> None:
    problems: list[str] = []
    dump = archive / DUMP
    if not dump.is_file():
        problems.append(_("%(name)s saknas") % {"name": DUMP})
    elif sha256_file(dump) != manifest["dump"]["sha256"]:
        problems.append(_("%(name)s har fel kontrollsumma") % {"name": DUMP})
    listed: dict[str, dict[str, Any]] = manifest.get("media", {})
    present = dict(media_files(archive / MEDIA))
    for relative, entry in listed.items():
        path = present.get(relative)
        if path is None:
            problems.append(_("mediafilen %(name)s saknas") % {"name": relative})
        elif sha256_file(path) != entry["sha256"]:
            problems.append(_("mediafilen %(name)s har fel kontrollsumma") % {"name": relative})
    for relative in sorted(set(present) - set(listed)):
        problems.append(_("mediafilen %(name)s står inte i manifestet") % {"name": relative})
    if problems:
        raise BackupError(
            _("Arkivet är skadat eller ändrat; ingenting har återställts. %(problems)s.")
            % {"problems": "; ".join(problems[:20]) + (" …" if len(problems) > 20 else "")}
        )


def database_exists(db: Database) -> bool:
    """Whether the database exists: it answers, or the server's maintenance database knows it."""
    try:
        db.connect().close()
    except psycopg2.OperationalError:
        pass  # missing, or the server is down: the maintenance database tells which
    else:
        return True
    conn = _maintenance_connection(db)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db.name])
            return cursor.fetchone() is not None
    finally:
        conn.close()


def database_create(db: Database) -> None:
    conn = _maintenance_connection(db)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db.name)))
    finally:
        conn.close()


def _maintenance_connection(db: Database) -> PgConnection:
    error: psycopg2.Error | None = None
    for name in ("postgres", "template1"):
        try:
            return db.named(name).connect()
        except psycopg2.OperationalError as failed:
            error = failed
    raise BackupError(_("Databasservern svarar inte: %(error)s") % {"error": error})


def database_row_counts(db: Database) -> dict[str, int]:
    conn = db.connect()
    try:
        with conn.cursor() as cursor:
            return table_row_counts(cursor)
    finally:
        conn.rollback()
        conn.close()


def database_restore(archive: Path, *, db: Database) -> None:
    """pg_restore the dump into ``db`` in one transaction: all of it, or nothing on an error."""
    _run(
        [
            pg_binary("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--dbname",
            db.name,
            str(archive / DUMP),
        ],
        db=db,
    )


@dataclass
class MediaRestored:
    written: int = 0
    unchanged: int = 0
    left_alone: list[str] = field(default_factory=list)


def media_restore(archive: Path, manifest: dict[str, Any], *, media_root: Path) -> MediaRestored:
    """Copy the archive's media files into ``media_root``, each through a temporary file and a rename.

    A file already there with the right checksum is left as it is. Files in ``media_root`` that the
    archive does not hold are never deleted (they may be uploads made after the backup); they are
    reported in ``left_alone``.
    """
    result = MediaRestored()
    listed: dict[str, dict[str, Any]] = manifest.get("media", {})
    for relative, entry in sorted(listed.items()):
        destination = media_root / relative
        if destination.is_file() and sha256_file(destination) == entry["sha256"]:
            result.unchanged += 1
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".restore-")
        try:
            with (archive / MEDIA / relative).open("rb") as source, os.fdopen(handle, "wb") as sink:
                reader = _HashingReader(source)
                shutil.copyfileobj(reader, sink, CHUNK)
            if reader.digest.hexdigest() != entry["sha256"]:
                raise BackupError(_("Mediafilen %(name)s ändrades under återställningen.") % {"name": relative})
            os.chmod(temporary, 0o644)  # noqa: S103 - as Django's FileSystemStorage writes uploads
            os.replace(temporary, destination)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        result.written += 1
    result.left_alone = sorted(set(dict(media_files(media_root))) - set(listed))
    return result


def row_count_differences(expected: dict[str, int], actual: dict[str, int]) -> dict[str, tuple[int, int | None]]:
    """Tables whose count differs from the manifest: name → (expected, actual or None if missing)."""
    return {
        table: (count, actual.get(table)) for table, count in sorted(expected.items()) if actual.get(table) != count
    }
