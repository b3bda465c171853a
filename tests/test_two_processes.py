"""Nothing relies on a single process (issue 15, docs/scaling.md): two gunicorn web processes and two
Celery workers on one database and one Redis, as production runs them on several hosts.

A user signs in on one web process and goes on through the other; a file registered through one
process is served by the other from the shared MEDIA_ROOT; remisser sent through one are routed by
whichever worker takes them, and what the workers made is seen through both web processes.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django_scopes import scopes_disabled

from alingsas_ale import embedded
from cases import services, workdays
from cases.models import Remiss, RemissStatus

from .helpers import register_case, register_document
from .servers import database_url, wait_for

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parent.parent


class Web:
    """One gunicorn process (one sync worker) on the test database."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = embedded.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("wb") as handle:
            self.proc = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "gunicorn", "alingsas_ale.wsgi", "--bind", f"127.0.0.1:{self.port}", "-w", "1"],
                cwd=ROOT,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self._answers, timeout=60, what=f"gunicorn on {self.port}")

    def _answers(self) -> bool:
        try:
            urllib.request.urlopen(f"{self.url}/konto/logga-in/", timeout=2)  # noqa: S310
        except OSError:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            return False
        return True

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(15)


@pytest.fixture
def webs(worker_factory, redis_url, settings, tmp_path) -> Iterator[tuple[Web, Web]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alingsas_ale.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    first, second = Web(env, tmp_path / "web-1.log"), Web(env, tmp_path / "web-2.log")
    yield first, second
    first.stop()
    second.stop()


class Browser:
    """A cookie jar and urllib: a user agent that any process may answer."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def sign_in(self, web: Web, username: str, password: str) -> tuple[int, bytes]:
        _status, page = self.get(f"{web.url}/konto/logga-in/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the sign-in page carries a CSRF token"
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": password}
        ).encode()
        request = urllib.request.Request(f"{web.url}/konto/logga-in/", data=data, headers={"Referer": web.url})  # noqa: S310
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.read()


def test_two_web_processes_and_two_workers_share_nothing_but_the_database(ale, webs, worker_factory, pdf_upload):
    first_web, second_web = webs
    workers = [worker_factory().start(), worker_factory().start()]
    for user in (ale.official, ale.registrar):  # the web processes know the production hashers, not the tests' MD5
        user.password = PBKDF2PasswordHasher().encode("losen-for-test-1", "saltsaltsalt")
        user.save(update_fields=["password"])
    with ale.scope():
        case = register_case(ale, handler=ale.official)
        document = register_document(ale, case, upload=pdf_upload)

    # Signed in through one process, recognised by the other: the session lives in the database.
    browser = Browser()
    browser.sign_in(first_web, ale.official.username, "losen-for-test-1")
    status, page = browser.get(f"{second_web.url}/arenden/mina/")
    assert status == 200 and "Gunilla Handläggare".encode() in page
    stranger = Browser()
    status, page = stranger.get(f"{second_web.url}/arenden/mina/")
    assert b'name="password"' in page and b"Gunilla" not in page  # sent to sign in, by either process

    # A file registered in one process (here the test's) is served by both web processes.
    pdf_upload.seek(0)
    original = pdf_upload.read()
    for web in webs:
        status, body = browser.get(f"{web.url}/arenden/{case.ref}/handlingar/{document.uuid}/fil/")
        assert status == 200 and body == original

    # Remisser sent once are routed by whichever worker takes them; every one exactly once.
    deadline = workdays.next_working_day(date.today() + timedelta(days=30))
    with ale.scope():
        services.remiss_send(case, from_body=ale.ksau, to_bodies=[ale.sn, ale.un], deadline=deadline, by=ale.secretary)

    def routed() -> bool:
        with scopes_disabled():
            return Remiss.objects.filter(status=RemissStatus.RECEIVED).count() == 2

    wait_for(routed, timeout=60, what="both remisser to be routed by the two workers")
    with scopes_disabled():
        steps = list(Remiss.objects.values_list("response_case__diarienummer", flat=True))
    assert len(set(steps)) == 2
    handled = [worker.log.read_text().count("cases.tasks.route_remiss[") for worker in workers]
    assert sum(1 for n in handled if n) >= 1 and all(w.proc and w.proc.poll() is None for w in workers)

    # What the workers made is seen through either web process.
    registrar = Browser()
    registrar.sign_in(second_web, ale.registrar.username, "losen-for-test-1")
    for web in webs:
        status, page = registrar.get(f"{web.url}/arenden/{case.ref}/")
        assert status == 200
        for diarienummer in steps:
            assert diarienummer.encode() in page
