"""The handläggare option lists, kept in the shared cache (cases/user_options.py): the same markup
as from the database, one query fewer once kept, never served after a user change that alters it,
and written from the database when the cache is away."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from alingsas_ale import embedded
from cases.models import Role

from .factories import UserFactory
from .helpers import register_case

URL = reverse("cases:diarium")


def handler_select(html: str) -> str:
    return re.search(r'<select name="handler"[^>]*>(.*?)</select>', html, re.S).group(1)


def handler_options(html: str) -> list[str]:
    return re.findall(r"<option[^>]*>([^<]*)</option>", handler_select(html))


def users_queries(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if q["sql"].startswith('SELECT "cases_user"."id" AS "pk"'))


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_kept_lists_cost_one_query_less_and_read_the_same(client, ale, settings):
    settings.KEPT_PAGES = False  # the diarium rendered both times, the second with the kept list
    client.force_login(ale.registrar)
    with CaptureQueriesContext(connection) as first:
        written = client.get(URL).content.decode()
    with CaptureQueriesContext(connection) as second:
        kept = client.get(URL).content.decode()
    assert users_queries(first) == 1 and users_queries(second) == 0
    assert len(second.captured_queries) == len(first.captured_queries) - 1
    assert handler_options(kept) == handler_options(written)
    assert handler_options(kept)[0] == "Alla" and str(ale.official.get_full_name()) in handler_options(kept)


def test_a_renamed_or_new_handlaggare_shows_at_once_and_a_sign_in_changes_nothing(
    client, ale, django_capture_on_commit_callbacks
):
    client.force_login(ale.registrar)
    client.get(URL)
    version = cache.get("user-options:version")
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        ale.official.last_login = ale.official.date_joined
        ale.official.save(update_fields=["last_login"])  # what a sign-in saves
    assert cache.get("user-options:version") == version
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        ale.official.last_name = "Nyberg-Lind"
        ale.official.save()
        UserFactory(municipality=ale.municipality, roles=[Role.OFFICIAL], first_name="Ny", last_name="Handläggare")
    options = handler_options(client.get(URL).content.decode())
    assert f"{ale.official.first_name} Nyberg-Lind" in options and "Ny Handläggare" in options


def test_the_chosen_handlaggare_is_marked_and_a_stranger_is_refused(client, ale, alingsas):
    client.force_login(ale.registrar)
    client.get(URL)  # the list is kept
    select = handler_select(client.get(URL, {"handler": ale.official.pk}).content.decode())
    assert f'<option value="{ale.official.pk}" selected>' in select
    assert select.count(" selected>") == 1
    refused = client.get(URL, {"handler": alingsas.official.pk})
    assert "Välj en handläggare i listan." in refused.content.decode()


def test_without_the_cache_the_list_comes_from_the_database(client, ale):
    dead = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{embedded.free_port()}/0",  # nobody listens there
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    register_case(ale, title="Ärende med handläggare", handler=ale.official)
    client.force_login(ale.registrar)
    with override_settings(CACHES={"default": dead, "local": local}):
        response = client.get(URL)
    assert response.status_code == 200
    assert str(ale.official.get_full_name()) in handler_options(response.content.decode())
