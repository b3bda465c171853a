"""The error pages (400, 403, 404, 413, 500) and the outage page (503) are Swedish, in the site's
layout, and the 500 and 503 pages are drawn without the database."""

from __future__ import annotations

import kombu.exceptions
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import path, reverse

from alingsas_ale import errors
from alingsas_ale.urls import urlpatterns as site_urlpatterns

SKIP_LINK = '<a class="skip-link" href="#main">Hoppa till innehållet</a>'
HEADER = '<header class="site-header">'


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError('connection to server on socket "/tmp/.s.PGSQL.5432" failed')


def database_gone(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def broker_down(request: HttpRequest) -> HttpResponse:
    try:
        raise ConnectionRefusedError(111, "Connection refused")
    except ConnectionRefusedError as error:
        raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6390") from error


# This module is also the URLconf of the tests marked below: the site plus views that fail on purpose.
urlpatterns = [
    path("test-fel/bugg/", boom),
    path("test-fel/databas/", database_down),
    path("test-fel/anslutning/", database_gone),
    path("test-fel/ko/", broker_down),
    *site_urlpatterns,
]
handler400 = "alingsas_ale.errors.bad_request"
handler403 = "alingsas_ale.errors.permission_denied"
handler404 = "alingsas_ale.errors.page_not_found"
handler500 = "alingsas_ale.errors.server_error"


def assert_in_layout(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in html
    assert SKIP_LINK in html
    assert HEADER in html
    assert '<main id="main"' in html
    assert "Traceback" not in html


def test_a_missing_page_is_a_swedish_404_in_the_layout(client):
    response = client.get("/det-har-finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_layout(html)
    assert "<h1>Sidan hittades inte</h1>" in html
    assert "<title>Sidan hittades inte – Ärendehantering</title>" in html


def test_a_missing_case_shows_the_404_with_the_members_menu(client, ale):
    client.force_login(ale.official)
    response = client.get(reverse("cases:detail", args=["KS-2017-999"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_layout(html)
    assert "Sidan hittades inte" in html
    assert "Ale kommun" in html and "Mina ärenden" in html  # the signed-in layout with its menu


def test_a_politician_asking_to_register_a_case_gets_the_swedish_403(client, ale):
    client.force_login(ale.politician)
    response = client.get(reverse("cases:register"))
    assert response.status_code == 403
    html = response.content.decode()
    assert_in_layout(html)
    assert "Du har inte behörighet till sidan" in html


def test_a_request_for_a_foreign_host_is_a_swedish_400(client, db):
    response = client.get("/konto/logga-in/", HTTP_HOST="angripare.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert_in_layout(html)
    assert "<h1>Felaktig begäran</h1>" in html


def test_form_data_over_the_limit_is_answered_in_swedish_with_413(client, ale, settings):
    client.force_login(ale.registrar)
    title = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(reverse("cases:register"), {"title": title, "body": ale.ks.pk})
    assert response.status_code == 413
    html = response.content.decode()
    assert_in_layout(html)
    assert "Det du skickade var för stort" in html
    assert "högst 5 MB formulärdata" in html


@pytest.mark.urls(__name__)
def test_a_bug_is_a_swedish_500_in_the_layout(client, db):
    client.raise_request_exception = False
    response = client.get("/test-fel/bugg/")
    assert response.status_code == 500
    html = response.content.decode()
    assert_in_layout(html)
    assert "Ett fel har inträffat i systemet" in html


def test_the_500_and_503_pages_are_drawn_without_the_database(django_db_blocker):
    request = RequestFactory().get("/arenden/mina/")
    with django_db_blocker.block():  # any query would raise here
        try:
            raise RuntimeError("a bug")
        except RuntimeError:
            server_error = errors.server_error(request)
        try:
            raise OperationalError("the database is down")
        except OperationalError:
            outage = errors.server_error(request)
    assert server_error.status_code == 500
    assert "Ett fel har inträffat i systemet" in server_error.content.decode()
    assert_in_layout(server_error.content.decode())
    assert outage.status_code == 503
    assert "Systemet är tillfälligt otillgängligt" in outage.content.decode()
    assert_in_layout(outage.content.decode())


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/test-fel/databas/", "/test-fel/anslutning/", "/test-fel/ko/"])
def test_a_database_or_broker_failure_in_a_view_is_the_swedish_503(client, db, url):
    response = client.get(url)  # answered by the middleware: no exception reaches the client
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    html = response.content.decode()
    assert_in_layout(html)
    assert "<h1>Systemet är tillfälligt otillgängligt</h1>" in html


@pytest.mark.urls(__name__)
def test_an_htmx_request_gets_a_short_503_fragment(client, db):
    response = client.get("/test-fel/databas/", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    html = response.content.decode()
    assert "<html" not in html and HEADER not in html
    assert 'role="alert"' in html
    assert "Systemet är tillfälligt otillgängligt" in html


def test_a_database_failure_before_any_view_runs_is_the_503_too(client, ale, monkeypatch):
    """The session middleware reads the database before the view: that failure reaches handler500."""
    client.force_login(ale.official)

    def unreachable(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(SessionStore, "load", unreachable)
    client.raise_request_exception = False
    response = client.get(reverse("cases:mine"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    html = response.content.decode()
    assert_in_layout(html)
    assert "Systemet är tillfälligt otillgängligt" in html
    assert "Mina ärenden" not in html  # drawn without the user, the session or the menu


# A real outage: the app runs in its own process (runserver) on its own PostgreSQL, which is then
# stopped with pg_ctl. Every page, including those that fail before a view runs, answers 503.

SEED = """
import json
from datetime import date
from django_scopes import scope, scopes_disabled
from cases import services
from cases.models import Body, BodyKind, Municipality, Role, User
with scopes_disabled():
    ale = Municipality.objects.create(name="Ale kommun", slug="ale", diarienummer_format="{series}.{year}.{number}")
    ks = Body.objects.create(municipality=ale, name="Kommunstyrelsen", short_name="KS", kind=BodyKind.BOARD,
                             diarium_series="KS")
    ksau = Body.objects.create(municipality=ale, name="Arbetsutskottet", short_name="KSAU",
                               kind=BodyKind.COMMITTEE_OF_BOARD, diarium_series="KS", parent=ks)
    sn = Body.objects.create(municipality=ale, name="Socialnämnden", short_name="SN", kind=BodyKind.COMMITTEE,
                             diarium_series="SN")
    registrar = User.objects.create_user(
        username="ale.registrator", password="losen-for-test-1", municipality=ale, roles=[Role.REGISTRAR]
    )
with scope(municipality=ale):
    case = services.case_register(municipality=ale, title="Integrationsplan", body=ks, by=registrar,
                                  registered_on=date(2017, 12, 13))
print(json.dumps({"ref": case.ref, "from_body": ksau.pk, "to_body": sn.pk}))
"""


CREDENTIALS = {"username": "ale.registrator", "password": "losen-for-test-1"}


class Browser:
    """urllib with a cookie jar; answers every status without raising."""

    def __init__(self, base_url: str) -> None:
        import http.cookiejar
        import urllib.request

        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, dict, str]:
        import urllib.error
        import urllib.parse
        import urllib.request

        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base_url + path, data=body, headers=headers or {})  # noqa: S310 - loopback
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)


@pytest.fixture
def app_on_its_own_database(tmp_path, monkeypatch):
    """(browser, seeded, stop_database): runserver on a PostgreSQL of its own, and a Redis URL where
    nothing listens (the broker is down from the start)."""
    import json
    import os
    import shutil
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    import pgserver

    from alingsas_ale import embedded

    from .servers import ROOT, wait_for

    # Not in tmp_path: pgserver runs PostgreSQL as its own user, and pytest keeps its temporary root
    # private (0700) to other users, even after pgserver opened it.
    embedded.var_dir().mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="outage-", dir=embedded.var_dir()))
    data_dir = scratch / "pg"
    data_dir.mkdir()
    server = pgserver.get_server(data_dir, cleanup_mode=None)
    pg_ctl = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl"

    def stop_database() -> subprocess.CompletedProcess[bytes]:
        # pg_ctl refuses to run as root; pgserver then runs PostgreSQL as its own system user.
        return subprocess.run(
            [str(pg_ctl), "stop", "-D", str(data_dir), "-m", "fast", "-w"],
            check=False,
            capture_output=True,
            user=server.system_user,
        )

    env = {
        **os.environ,
        "DATABASE_URL": server.get_uri(),
        "DEBUG": "false",
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": f"redis://127.0.0.1:{embedded.free_port()}/0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    web = None
    try:
        subprocess.run([*manage, "migrate", "--no-input"], env=env, check=True, capture_output=True, timeout=300)
        seed = subprocess.run([*manage, "shell", "-c", SEED], env=env, check=True, capture_output=True, timeout=120)
        seeded = json.loads(seed.stdout.decode().strip().splitlines()[-1])
        port = embedded.free_port()
        web = subprocess.Popen(
            [*manage, "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        browser = Browser(f"http://127.0.0.1:{port}")
        wait_for(lambda: embedded.redis_is_up(port), timeout=60, what="runserver")
        yield browser, seeded, stop_database
    finally:
        if web is not None:
            web.terminate()
            web.wait(10)
        stop_database()
        server.cleanup()
        shutil.rmtree(scratch, ignore_errors=True)


def test_outages_of_the_broker_and_the_database_are_told_in_swedish(app_on_its_own_database):
    import re
    from datetime import date, timedelta

    from cases import workdays

    browser, seeded, stop_database = app_on_its_own_database
    status, _, html = browser.request("/konto/logga-in/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    status, headers, _ = browser.request("/konto/logga-in/", {"csrfmiddlewaretoken": token, **CREDENTIALS})
    assert status == 302, "signed in while the database is up"
    assert browser.request("/arenden/mina/")[0] == 200
    assert browser.request("/ale/anslagstavla/")[0] == 200
    # Over real HTTP, form data over 5 MB is read to the end and answered: no connection reset.
    status, _, html = browser.request("/konto/logga-in/", {"csrfmiddlewaretoken": token, "q": "x" * (6 * 1024 * 1024)})
    assert status == 413
    assert "Det du skickade var för stort" in html

    # The broker is down: the send is committed with its outbox row, and the sender is told in Swedish
    # that it is queued (before the outbox this was a 500, then a 503, and the remiss was never routed).
    deadline = workdays.next_working_day(date.today() + timedelta(days=30))
    form = {"from_body": seeded["from_body"], "to_bodies": seeded["to_body"], "deadline": deadline.isoformat()}
    status, headers, html = browser.request(
        f"/arenden/{seeded['ref']}/remiss/", {"csrfmiddlewaretoken": browser.cookie("csrftoken"), **form}
    )
    assert status == 302
    status, _, html = browser.request(headers["Location"])
    assert status == 200
    assert "är sparad och köad. Den skickas när systemet är tillbaka." in html
    assert "köad, skickas när systemet är tillbaka" in html

    stopped = stop_database()
    assert stopped.returncode == 0, stopped.stderr

    # Signed in: the session and tenant middleware read the database before any view runs.
    for url in ["/", "/konto/logga-in/", "/arenden/mina/"]:
        status, headers, html = browser.request(url)
        assert status == 503, url
        assert headers["Retry-After"] == "30"
        assert "<h1>Systemet är tillfälligt otillgängligt</h1>" in html
        assert SKIP_LINK in html and HEADER in html
    # The public anslagstavla, no session at all: the view's own query fails.
    anonymous = Browser(browser.base_url)
    status, headers, html = anonymous.request("/ale/anslagstavla/")
    assert status == 503
    assert "Systemet är tillfälligt otillgängligt" in html and SKIP_LINK in html
    # Signing in while the database is down: the form post is answered the same way.
    status, _, html = anonymous.request("/konto/logga-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    status, _, html = anonymous.request("/konto/logga-in/", {"csrfmiddlewaretoken": token, **CREDENTIALS})
    assert status == 503
    assert "Systemet är tillfälligt otillgängligt" in html
    # An htmx request gets the short fragment.
    status, _, html = browser.request("/arenden/mina/", headers={"HX-Request": "true"})
    assert status == 503
    assert "<html" not in html and "Systemet är tillfälligt otillgängligt" in html
