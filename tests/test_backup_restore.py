"""The restore drill: back up real data, restore it into another database and media directory,
and compare every table's row count and every file's SHA-256 with the source. A tampered archive
is refused before anything changes."""

from __future__ import annotations

import hashlib
import json
import secrets
import tarfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg2
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg2 import sql

from alingsas_ale.backup import Database

from .helpers import register_case, register_document

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump is another process: the rows must be committed


def libpq_params(name: str) -> dict[str, str]:
    params = Database.from_settings(connection.settings_dict).params
    return {**params, "dbname": name}


def drill_url(name: str) -> str:
    params = Database.from_settings(connection.settings_dict).params
    user, password = quote(params.get("user", "")), quote(params.get("password", ""))
    query = urlencode({key: value for key, value in params.items() if key not in ("user", "password")})
    return f"postgresql://{user}:{password}@/{name}?{query}"


def server_query(query: sql.Composable | str, args: list[str] | None = None) -> list[tuple]:
    """Run a statement on the server's maintenance database, outside any transaction."""
    conn = psycopg2.connect(**libpq_params("postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(query, args)
            return cursor.fetchall() if cursor.description else []
    finally:
        conn.close()


def database_exists(name: str) -> bool:
    return bool(server_query("SELECT 1 FROM pg_database WHERE datname = %s", [name]))


def row_counts(name: str) -> dict[str, int]:
    """Every base table's row count, read independently of the code under test (information_schema)."""
    conn = psycopg2.connect(**libpq_params(name))
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
            tables = [table for (table,) in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        conn.close()


def file_checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def drill_db():
    name = f"drill_{secrets.token_hex(4)}"
    yield name
    # The restore's own connections (another role's, which this one may not terminate) may still be
    # closing on a loaded machine: wait for them a little (seen once in CI).
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    for attempt in range(20):
        try:
            server_query(drop)
            return
        except psycopg2.errors.InsufficientPrivilege:
            if attempt == 19:
                raise
            time.sleep(0.5)


@pytest.fixture
def source_data(alingsas, ale, pdf_upload):
    """Two municipalities with cases, handlingar with files (one secret), in nested media folders."""
    plan = register_case(ale, title="Integrationsplan för Ale kommun 2018-2021")
    register_document(ale, plan, upload=pdf_upload)
    register_document(
        ale,
        plan,
        secret=True,
        description="Skrivelse från enskild",
        upload=SimpleUploadedFile("Skrivelse åäö.pdf", b"%PDF-1.4 hemlig " + bytes(range(256)), "application/pdf"),
    )
    motion = register_case(alingsas, title="Motion om tillfällig parlamentarisk arbetsgrupp", body=alingsas.kf)
    register_document(
        alingsas,
        motion,
        upload=SimpleUploadedFile("Motion.pdf", b"%PDF-1.4 motion " * 1000, "application/pdf"),
    )
    media_root = Path(settings.MEDIA_ROOT)
    assert len(file_checksums(media_root)) == 3
    return media_root


def test_the_restore_drill_brings_back_every_row_and_every_file(source_data, drill_db, tmp_path):
    source_db = connection.settings_dict["NAME"]
    archive = tmp_path / "backups" / "nightly.tar"

    call_command("backup", output=archive)

    assert archive.is_file()
    assert archive.stat().st_mode & 0o077 == 0  # it holds secret handlingar: the operator's eyes only
    restored_media = tmp_path / "restored-media"
    call_command("restore", str(archive), database_url=drill_url(drill_db), media_root=restored_media)

    source_counts, drill_counts = row_counts(source_db), row_counts(drill_db)
    assert drill_counts == source_counts
    assert source_counts["cases_case"] == 2
    assert source_counts["cases_document"] == 3
    assert source_counts["cases_caseevent"] >= 5
    assert file_checksums(restored_media) == file_checksums(source_data)
    # Each restored row still points at its file, and the file is the one it was registered with.
    conn = psycopg2.connect(**libpq_params(drill_db))
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT file, checksum FROM cases_document ORDER BY id")
            documents = cursor.fetchall()
    finally:
        conn.close()
    assert len(documents) == 3
    for name, checksum in documents:
        assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == checksum


def test_the_manifest_counts_every_table_and_hashes_every_file(source_data, tmp_path):
    archive = tmp_path / "backup"

    call_command("backup", output=archive)

    manifest = json.loads((archive / "manifest.json").read_text())
    assert manifest["tables"] == row_counts(connection.settings_dict["NAME"])
    assert {name: entry["sha256"] for name, entry in manifest["media"].items()} == file_checksums(source_data)
    assert manifest["dump"]["sha256"] == hashlib.sha256((archive / "database.dump").read_bytes()).hexdigest()
    assert manifest["migrations"]["cases"].startswith("0")
    assert manifest["django"] == "5.2.19"


def _flip_one_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _tamper(archive: Path, what: str, media_root: Path) -> None:
    if what == "dump in a directory":
        _flip_one_byte(archive / "database.dump", 200)
    elif what == "media file in a directory":
        victim = next(path for path in sorted((archive / "media").rglob("*")) if path.is_file())
        _flip_one_byte(victim, 10)
    elif what == "media file in a tar":
        secret = next(path for path in media_root.rglob("*") if path.is_file() and b"hemlig" in path.read_bytes())
        offset = archive.read_bytes().index(secret.read_bytes())
        _flip_one_byte(archive, offset + 20)
    elif what == "extra file in a directory":
        (archive / "media" / "handlingar" / "smuggled.pdf").write_bytes(b"%PDF-1.4")
    elif what == "manifest without its checksums":
        manifest = json.loads((archive / "manifest.json").read_text())
        del manifest["dump"]
        (archive / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("what", "message"),
    [
        ("dump in a directory", "database.dump har fel kontrollsumma"),
        ("media file in a directory", "mediafilen handlingar/.* har fel kontrollsumma"),
        ("media file in a tar", "mediafilen handlingar/.*Skrivelse.* har fel kontrollsumma"),
        ("extra file in a directory", "mediafilen handlingar/smuggled.pdf står inte i manifestet"),
        ("manifest without its checksums", "manifest.json känns inte igen"),
    ],
)
def test_it_refuses_a_tampered_archive_and_changes_nothing(source_data, drill_db, tmp_path, what, message):
    archive = tmp_path / ("backup.tar" if "tar" in what else "backup")
    call_command("backup", output=archive)
    _tamper(archive, what, source_data)
    restored_media = tmp_path / "restored-media"

    with pytest.raises(CommandError, match=message) as refused:
        call_command("restore", str(archive), database_url=drill_url(drill_db), media_root=restored_media, yes=True)

    assert "ngenting har" in str(refused.value)  # "ingenting har återställts" / "Ingenting har ändrats"

    assert not database_exists(drill_db)
    assert not restored_media.exists()


def test_it_refuses_to_overwrite_a_database_with_data_unless_told_yes(source_data, drill_db, tmp_path):
    archive = tmp_path / "backup"
    call_command("backup", output=archive)
    restored_media = tmp_path / "restored-media"
    call_command("restore", str(archive), database_url=drill_url(drill_db), media_root=restored_media)
    expected = row_counts(drill_db)
    conn = psycopg2.connect(**libpq_params(drill_db))
    with conn, conn.cursor() as cursor:
        cursor.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('drill', 'changed', now())")
    conn.close()

    with pytest.raises(CommandError, match="innehåller redan data"):
        call_command("restore", str(archive), database_url=drill_url(drill_db), media_root=tmp_path / "elsewhere")
    assert row_counts(drill_db)["django_migrations"] == expected["django_migrations"] + 1  # refused: untouched
    assert not (tmp_path / "elsewhere").exists()

    call_command("restore", str(archive), database_url=drill_url(drill_db), media_root=restored_media, yes=True)
    assert row_counts(drill_db) == expected
    assert file_checksums(restored_media) == file_checksums(source_data)


def test_it_refuses_to_overwrite_a_media_directory_with_files_unless_told_yes(source_data, drill_db, tmp_path):
    archive = tmp_path / "backup"
    call_command("backup", output=archive)
    restored_media = tmp_path / "restored-media"
    (restored_media / "handlingar").mkdir(parents=True)
    (restored_media / "handlingar" / "later.pdf").write_bytes(b"%PDF-1.4 uploaded after the backup")

    with pytest.raises(CommandError, match="Mediakatalogen .* innehåller redan filer"):
        call_command("restore", str(archive), database_url=drill_url(drill_db), media_root=restored_media)
    assert not database_exists(drill_db)

    call_command("restore", str(archive), database_url=drill_url(drill_db), media_root=restored_media, yes=True)
    restored = file_checksums(restored_media)
    assert restored.pop("handlingar/later.pdf")  # never deleted: it may be an upload the backup missed
    assert restored == file_checksums(source_data)


def test_it_will_not_overwrite_an_existing_archive(source_data, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", output=archive)
    before = archive.read_bytes()

    with pytest.raises(CommandError, match="finns redan"):
        call_command("backup", output=archive)

    assert archive.read_bytes() == before
    assert tarfile.is_tarfile(archive)


def test_an_external_server_is_reached_with_the_url_parameters_and_no_password_on_a_command_line():
    db = Database.from_url("postgres://alingsas:hemligt%40lösen@db.kommun.example:5433/alingsas?sslmode=require")

    env = db.env()

    assert (db.name, db.label) == ("alingsas", "alingsas (db.kommun.example)")
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"]) == ("db.kommun.example", "5433", "alingsas")
    assert (env["PGPASSWORD"], env["PGSSLMODE"], env["PGDATABASE"]) == ("hemligt@lösen", "require", "alingsas")
    assert "hemligt" not in db.label


def test_a_restore_to_this_installation_empties_the_cache_drawn_from_the_data_it_replaced(settings):
    from io import StringIO

    from django.core.cache import cache, caches

    from alingsas_ale.management.commands.restore import Command

    cache.set("user-options:version", 41)  # the handläggare lists; the kept pages are keys alike
    redis = caches["default"]._cache.get_client(write=True)
    redis.rpush("celery-test-queue", b"a task")  # the broker's queue, in the same Redis database
    out = StringIO()
    Command(stdout=out).clear_cache()
    assert cache.get("user-options:version") is None and "Cachen är tömd" in out.getvalue()
    assert redis.lpop("celery-test-queue") == b"a task"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    out = StringIO()
    Command(stdout=out).clear_cache()  # Redis down: the restore is done all the same, with what to do
    assert "redis-cli FLUSHDB" in out.getvalue()
