"""The public anslagstavla is kept in Redis under a fingerprint of every row it shows
(alingsas_ale/pagecache.py, meetings.anslag.board_fingerprint): served from there until anything it
shows changes, however it changes, and never to a signed-in user."""

from __future__ import annotations

import re
from datetime import date, timedelta

import time_machine
from django.db import connection, transaction
from django.middleware.csrf import _does_token_match
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.models import Body, Municipality, RenderedPdf
from cases.pdf import pdf_render
from meetings import anslag, services
from meetings.models import AgendaItem

from .protocol_setup import at
from .test_anslag import JUSTERING, justerat_meeting, moment

URL = reverse("meetings:anslagstavla", args=["ale"])


def nonce(response) -> str:
    return re.search(r'name="csp-nonce" content="([^"]+)"', response.content.decode()).group(1)


def token(response) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', response.content.decode()).group(1)


def published(town):
    meeting, cast = justerat_meeting(town)
    with town.scope(), time_machine.travel(moment(JUSTERING), tick=False):
        anslag.anslag_publish(meeting, on=JUSTERING, by=town.secretary)
    return meeting


def test_a_second_visit_is_the_kept_page_with_its_own_nonce_and_csrf_token(client, ale):
    published(ale)
    with time_machine.travel(moment(JUSTERING, 14), tick=False):
        first = client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(URL)
    assert first.status_code == second.status_code == 200
    assert len(queries) == 1  # the fingerprint; the page itself came from Redis
    assert "Utbildningsnämnden" in second.content.decode()
    # What differs per response is filled in: the nonce the policy header names, a valid CSRF token.
    assert nonce(second) != nonce(first)
    assert f"'nonce-{nonce(second)}'" in second["Content-Security-Policy"]
    assert _does_token_match(token(second), client.cookies["csrftoken"].value)
    assert first.content.decode().replace(nonce(first), "N").replace(
        token(first), "T"
    ) == second.content.decode().replace(nonce(second), "N").replace(token(second), "T")


def test_a_page_kept_by_another_release_is_not_served(client, ale, monkeypatch):
    published(ale)
    with time_machine.travel(moment(JUSTERING, 14), tick=False):
        client.get(URL)
        monkeypatch.setattr("alingsas_ale.pagecache.STARTED", "the next deploy")  # a restarted process
        with CaptureQueriesContext(connection) as queries:
            page = client.get(URL).content.decode()
    assert len(queries) > 1 and "Utbildningsnämnden" in page  # rendered by this code, not taken from the cache


def test_every_change_it_shows_is_shown_at_once_even_one_made_past_the_models(client, ale):
    meeting = published(ale)
    with time_machine.travel(moment(JUSTERING, 14), tick=False):
        assert "Skolskjuts för elever i Nödinge" in client.get(URL).content.decode()
        # Queryset updates send no signals: the rows' new versions change the fingerprint all the same.
        # Each write is its own (sub)transaction, as every committed write is in production: a row
        # version's xmin is the transaction that wrote it, and the test runs inside one transaction.
        with ale.scope(), transaction.atomic():
            AgendaItem.objects.filter(meeting=meeting, title="Skolskjuts för elever i Nödinge").update(
                title="Skolskjuts, ändrad rubrik"
            )
        assert "Skolskjuts, ändrad rubrik" in client.get(URL).content.decode()
        with scopes_disabled(), transaction.atomic():
            Body.objects.filter(pk=ale.un.pk).update(name="Barn- och utbildningsnämnden")
            Municipality.objects.filter(pk=ale.municipality.pk).update(name="Ale kommun, ny")
        page = client.get(URL).content.decode()
        assert "Barn- och utbildningsnämnden" in page and "Ale kommun, ny" in page
        # The public PDF, once rendered, is linked.
        pdf_url = reverse("meetings:anslag-pdf", args=["ale", meeting.uuid])
        assert pdf_url not in page
        with ale.scope():
            pdf_render(RenderedPdf.objects.get(kind=services.PUBLIC_PROTOCOL, key=str(meeting.uuid)).pk)
        assert pdf_url in client.get(URL).content.decode()
        # A kungörelse is shown once the meeting is called, and goes when it begins.
        with ale.scope():
            council = services.meeting_create(
                body=ale.kf, starts_at=at(JUSTERING + timedelta(days=10)), place="Ale Kulturhus", by=ale.secretary
            )
            services.meeting_call(council, by=ale.secretary, today=JUSTERING)
        assert "Ale Kulturhus" in client.get(URL).content.decode()
    with time_machine.travel(at(JUSTERING + timedelta(days=10)) + timedelta(minutes=1), tick=False):
        assert "Ale Kulturhus" not in client.get(URL).content.decode()
    # The day the anslag comes down it is gone from the page kept the day before.
    with time_machine.travel(moment(date(2026, 3, 24)), tick=False):
        assert "Barn- och utbildningsnämnden" not in client.get(URL).content.decode()


def test_a_signed_in_visitor_gets_their_own_page_and_the_kept_one_names_nobody(client, ale):
    published(ale)
    with time_machine.travel(moment(JUSTERING, 14), tick=False):
        client.force_login(ale.secretary)
        own = client.get(URL).content.decode()
        assert "Maria Sekreterare" in own and "Logga ut" in own
        client.logout()
        kept = client.get(URL).content.decode()
        kept_again = client.get(URL).content.decode()
    assert "Maria Sekreterare" not in kept and "Logga ut" not in kept and "Maria Sekreterare" not in kept_again


def test_without_redis_the_board_is_rendered_all_the_same(client, ale, settings):
    published(ale)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    with time_machine.travel(moment(JUSTERING, 14), tick=False):
        response = client.get(URL)
    assert response.status_code == 200 and "Utbildningsnämnden" in response.content.decode()
    assert client.get(reverse("meetings:anslagstavla", args=["finns-inte"])).status_code == 404
