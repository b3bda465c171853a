"""Production hardening (docs/security.md): no known secret key, `check --deploy` clean with the
documented production settings, HSTS and SSL redirect from the environment, a Content Security
Policy without inline script, no cached copy of secret or personal downloads, session limits, and a
docker-compose that publishes nothing beyond the machine and creates no demo user unless asked."""

from __future__ import annotations

import os
import re
import secrets
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django_scopes import scope

from alingsas_ale import security
from cases.models import PdfStatus, RenderedPdf
from cases.pdf import pdf_render

from .helpers import register_case, register_document

ROOT = Path(__file__).resolve().parent.parent
KNOWN = "dev-only-insecure-key-change-me-in-production-0123456789"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_COOKIES": "true",
    "ALLOWED_HOSTS": "diarium.kommun.se",
}


UNSET = {"SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )


# The secret key ----------------------------------------------------------------------------------------


def key(tmp_path, **overrides):
    arguments = {
        "value": "",
        "key_file": "",
        "default_file": tmp_path / "var" / "secret_key",
        "debug": False,
        "database_url": "",
    }
    return security.secret_key(**{**arguments, **overrides})


def test_the_published_development_key_is_refused_without_debug(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY är en nyckel som står i källkoden"):
        key(tmp_path, value=KNOWN)
    assert key(tmp_path, value=KNOWN, debug=True) == KNOWN


def test_the_old_docker_compose_key_is_refused_too(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="must not be used with DEBUG=false"):
        key(tmp_path, value="compose-local-insecure-key-change-me-0123456789abcdef")


def test_a_networked_database_without_a_key_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY saknas"):
        key(tmp_path, database_url="postgres://diarium:hemligt@db.kommun.se:5432/diarium")
    assert not (tmp_path / "var" / "secret_key").exists()


def test_the_embedded_database_gets_a_random_key_kept_in_var(tmp_path):
    first = key(tmp_path)
    path = tmp_path / "var" / "secret_key"
    assert len(first) >= 50 and first not in security.KNOWN_KEYS
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key(tmp_path) == first  # kept: sessions survive a restart
    assert key(tmp_path, database_url="postgresql://postgres:@/postgres?host=/srv/var/pg") == first
    other = tmp_path / "elsewhere"
    assert key(other) != first  # random per installation, not a known value


def test_secret_key_file_is_read_or_generated_for_a_server_deployment(tmp_path):
    path = tmp_path / "secrets" / "secret_key"
    url = "postgres://diarium@db:5432/diarium"
    generated = key(tmp_path, key_file=str(path), database_url=url)
    assert path.read_text() == generated
    path.write_text("short")
    with pytest.raises(ImproperlyConfigured, match="för kort"):
        key(tmp_path, key_file=str(path), database_url=url)


def test_the_application_refuses_to_start_on_the_published_key():
    result = manage("check", env={"DEBUG": "false", "SECRET_KEY": KNOWN})
    assert result.returncode != 0
    assert "SECRET_KEY är en nyckel som står i källkoden" in result.stderr


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_without_them():
    """The negative control: the development defaults are what `check --deploy` complains about."""
    result = manage("check", "--deploy", env={"DEBUG": "false"})
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W008" in result.stderr  # no SSL redirect
    assert "security.W012" in result.stderr  # session cookie not secure


# Headers ----------------------------------------------------------------------------------------------


def test_hsts_and_ssl_redirect_follow_the_settings(client, settings, db):  # db: the sign-in page lists providers
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    secure = client.get(reverse("login"), secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def test_every_page_has_a_policy_without_inline_script(client, ale):
    client.force_login(ale.secretary)
    response = client.get(reverse("cases:board"))
    policy = csp(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    nonce = re.search(r"'nonce-([^']+)'", " ".join(policy["style-src"]))
    assert nonce and "'unsafe-inline'" not in response["Content-Security-Policy"]
    page = response.content.decode()
    assert f'<meta name="csp-nonce" content="{nonce.group(1)}">' in page  # Trix's editor styles
    assert f'"inlineStyleNonce": "{nonce.group(1)}"' in page  # htmx's indicator style
    assert client.get(reverse("cases:board"))["Content-Security-Policy"] != response["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_event_handler():
    offending = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offending.append(f"{path}: {tag}")
        offending += [f"{path}: {m}" for m in re.findall(r"<[^>]*\son[a-z]+\s*=[^>]*>", text)]
        offending += [f"{path}: {m}" for m in re.findall(r"\bhref\s*=\s*[\"']javascript:", text)]
    assert offending == []


# No cached copies of secret or personal downloads ------------------------------------------------------


def assert_not_stored(response):
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control, cache_control


def test_a_handling_download_is_never_stored(client, ale, pdf_upload):
    case = register_case(ale, handler=ale.official)
    document = register_document(ale, case, secret=True, upload=pdf_upload)
    client.force_login(ale.official)
    assert_not_stored(client.get(reverse("cases:document-file", args=[case.ref, document.uuid])))


def test_a_pdf_download_is_never_stored(client, ale):
    with scope(municipality=ale.municipality):
        pdf = RenderedPdf.objects.create(municipality=ale.municipality, kind="motion_report", key="2026-01-01")
        pdf_render(pdf.pk)
        assert RenderedPdf.objects.get(pk=pdf.pk).status == PdfStatus.DONE
    client.force_login(ale.secretary)
    assert_not_stored(client.get(reverse("cases:pdf", args=[pdf.uuid])))


def test_the_csv_export_and_the_calendar_feed_are_never_stored(client, ale):
    client.force_login(ale.secretary)
    assert_not_stored(client.get(reverse("cases:board"), {"view": "all", "format": "csv"}))
    client.logout()
    assert_not_stored(client.get(reverse("cases:calendar", args=[ale.secretary.calendar_token])))


# Session limits -----------------------------------------------------------------------------------------


def age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for field, ago in seconds_ago.items():
        session[getattr(security.SessionTimeoutMiddleware, field)] = now - ago
    session.save()


def test_an_idle_hour_signs_the_user_out(client, ale, settings):
    assert settings.SESSION_IDLE_TIMEOUT == 3600 and settings.SESSION_COOKIE_AGE == 8 * 3600
    mine = reverse("cases:mine")
    before = int(time.time())
    client.force_login(ale.official)
    assert client.session[security.SessionTimeoutMiddleware.STARTED] >= before  # the clocks start at sign-in
    assert client.get(mine).status_code == 200
    age_session(client, SEEN=3500, STARTED=3500)
    assert client.get(mine).status_code == 200  # 58 minutes: still signed in
    age_session(client, SEEN=3601)
    response = client.get(mine)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(mine).status_code == 302  # the session is gone, not just this request


def test_a_working_day_ends_the_session_however_busy(client, ale):
    mine = reverse("cases:mine")
    client.force_login(ale.official)
    assert client.get(mine).status_code == 200
    age_session(client, STARTED=8 * 3600 - 60, SEEN=10)
    assert client.get(mine).status_code == 200
    age_session(client, STARTED=8 * 3600 + 1, SEEN=10)
    assert client.get(mine).status_code == 302


def test_the_limits_come_from_the_environment(client, ale, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    mine = reverse("cases:mine")
    client.force_login(ale.official)
    assert client.get(mine).status_code == 200
    age_session(client, SEEN=61)
    assert client.get(mine).status_code == 302


# docker-compose ----------------------------------------------------------------------------------------


def test_docker_compose_publishes_only_on_loopback_and_loads_the_demo_only_when_asked():
    compose = (ROOT / "docker-compose.yml").read_text()
    ports = re.findall(r'^\s*-\s*"([^"]*:\d+)"\s*$', compose, flags=re.M)  # "host:container" entries
    assert ports, "no published ports found"
    assert all(p.startswith("${BIND_ADDRESS:-127.0.0.1}:") for p in ports), ports
    assert 'if [ "$${LOAD_DEMO:-false}" = true ]; then python manage.py load_demo; fi' in compose
    assert "LOAD_DEMO: ${LOAD_DEMO:-false}" in compose
    assert "insecure-key" not in compose
    # The kept pages in a cache that evicts; the broker's Redis never drops a task (docs/scaling.md).
    assert "CACHE_URL: redis://cache:6379/0" in compose
    assert '"--maxmemory-policy", "volatile-lru"' in compose and '"--maxmemory-policy", "noeviction"' in compose
    assert "SECRET_KEY_FILE: /data/secrets/secret_key" in compose


# In a real browser -------------------------------------------------------------------------------------

WATCH_CSP = """window.__csp = [];
document.addEventListener("securitypolicyviolation",
  e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));"""


@pytest.mark.browser
def test_the_editor_and_htmx_work_under_the_policy_and_an_injected_script_is_blocked(page, live_server):
    from playwright.sync_api import expect

    from papers.defaults import install_default_templates
    from papers.models import PaperTemplate
    from papers.services import draft_create

    from .browser import sign_in
    from .conftest import _make_town

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    case = register_case(town, handler=town.official)
    with town.scope():
        install_default_templates(town.municipality)
        draft = draft_create(case, template=PaperTemplate.objects.get(name="Tjänsteutlåtande"), by=town.official)
    page.add_init_script(WATCH_CSP)
    sign_in(page, live_server.url, town.official.username)
    page.goto(f"{live_server.url}/utlatanden/{draft.uuid}/redigera/")
    editor = page.locator(".paper-editor[data-input='section-bakgrund'] .paper-content")
    editor.click()
    page.keyboard.type("Skrivet under en Content Security Policy.")
    page.locator("#editor-form button[type=submit]").click()  # saved by htmx
    expect(page.get_by_role("status").first).to_contain_text("Sparat som version")
    assert page.evaluate("window.__csp") == []  # htmx's style carried the nonce; the editor adds none
    # The editor's rules come from app.css (Tiptap's own <style> is off): pre-wrap keeps typed spaces.
    assert editor.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"

    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.injected = 1";
                              document.body.append(s); }""")
    assert page.evaluate("window.injected") is None
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__csp")[0].startswith("script-src")
