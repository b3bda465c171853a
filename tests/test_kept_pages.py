"""A signed-in user's pages are kept in Redis under their municipality's data version, read from the
audit trail (alingsas_ale/pagecache.py kept_for_user, audit/changes.py): served from there until
any committed write of the municipality, through any path, and only ever to the user they were
rendered for."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest
from django.middleware.csrf import _does_token_match
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from alingsas_ale import pagecache
from alingsas_ale.hotpath import STATEMENTS
from alingsas_ale.pagecache import READ_BEFORE_THE_VIEW, _table_patterns, tables_read
from audit import changes
from audit.chain import seal
from audit.context import record_read
from cases.context_processors import menu_facts
from cases.models import Body, Case, Notification, Role, User
from meetings import services
from reading.models import MeetingVisit
from reading.services import meeting_visit_record

from .factories import CaseFactory, UserFactory
from .reading_setup import called_meeting

URL = reverse("cases:diarium")


def nonce(html: str) -> str:
    return re.search(r'name="csp-nonce" content="([^"]+)"', html).group(1)


def token(html: str) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)


def same_page(a: str, b: str) -> bool:
    return a.replace(nonce(a), "N").replace(token(a), "T") == b.replace(nonce(b), "N").replace(token(b), "T")


def new_case(town, title: str) -> Case:
    with scopes_disabled():
        return CaseFactory(body=town.ks, municipality=town.municipality, registered_by=town.registrar, title=title)


def test_a_second_view_is_the_kept_page_in_three_queries_with_its_own_nonce_and_token(client, ale):
    new_case(ale, "Detaljplan för Nödinge centrum")
    client.force_login(ale.registrar)
    first = client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL)
    assert first.status_code == second.status_code == 200
    assert len(queries) == 3, [q["sql"][:80] for q in queries]  # the session, the user, the data version
    html = second.content.decode()
    assert "Detaljplan för Nödinge centrum" in html and "Erik Registrator" in html
    assert nonce(html) != nonce(first.content.decode())
    assert f"'nonce-{nonce(html)}'" in second["Content-Security-Policy"]
    assert _does_token_match(token(html), client.cookies["csrftoken"].value)
    assert same_page(first.content.decode(), html)


def test_every_write_shows_at_once_through_any_path(client, ale):
    case = new_case(ale, "Detaljplan för Nödinge centrum")
    client.force_login(ale.registrar)
    assert "Detaljplan för Nödinge centrum" in client.get(URL).content.decode()
    # Through the models.
    new_case(ale, "Ny förskola i Surte")
    assert "Ny förskola i Surte" in client.get(URL).content.decode()
    # A queryset update, which sends no signal.
    with scopes_disabled():
        Case.objects.filter(pk=case.pk).update(title="Detaljplan, ändrad rubrik")
    assert "Detaljplan, ändrad rubrik" in client.get(URL).content.decode()
    # Past Django altogether.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET title = 'Rubrik satt i psql' WHERE id = %s", [case.pk])
    assert "Rubrik satt i psql" in client.get(URL).content.decode()
    # What the menu shows: a notification for the user.
    with scopes_disabled():
        Notification.objects.create(
            municipality=ale.municipality, recipient=ale.registrar, key="k", subject="Ny remiss", body="."
        )
    assert re.search(r'class="nav-count">1<', client.get(URL).content.decode())


def test_the_data_version_moves_on_with_each_write_across_sealing_and_only_for_its_municipality(ale, alingsas):
    mine = ale.municipality.pk
    seen = [changes.version(mine)]
    new_case(ale, "Ett")
    seen.append(changes.version(mine))
    seal()  # the rows are linked into the chain: the count of unlinked ones drops, the highest seq rises
    seen.append(changes.version(mine))
    new_case(ale, "Två")
    seen.append(changes.version(mine))
    seal()
    seen.append(changes.version(mine))
    assert len(set(seen)) == len(seen), seen
    # Another municipality's writes leave Ale's pages kept.
    new_case(alingsas, "Alingsås ärende")
    assert changes.version(mine) == seen[-1]
    # Nor do what no kept page shows: a reading room visit, a logged read.
    with ale.scope():
        meeting = services.meeting_create(
            body=ale.un, starts_at=timezone.now() + timedelta(days=5), place="Nödinge", by=ale.secretary
        )
    before = changes.version(mine)
    meeting_visit_record(meeting, by=ale.politician)
    record_read(table="cases_document", pk=1, data={})
    assert changes.version(mine) == before


def test_a_users_page_is_never_served_to_another_user(client, ale):
    new_case(ale, "Detaljplan för Nödinge centrum")
    client.force_login(ale.registrar)
    client.get(URL)
    client.get(URL)
    client.force_login(ale.official)
    html = client.get(URL).content.decode()
    assert "Gunilla Handläggare" in html and "Erik Registrator" not in html


def test_a_page_with_a_message_is_rendered_and_the_message_not_kept(client, ale):
    client.force_login(ale.registrar)
    client.get(URL)
    storage = CookieStorage(HttpRequest())
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Ärendet är registrerat.")])
    assert "Ärendet är registrerat." in client.get(URL).content.decode()
    with CaptureQueriesContext(connection) as queries:
        after = client.get(URL).content.decode()
    assert "Ärendet är registrerat." not in after
    assert len(queries) == 3  # the page kept before the message, served again


def test_the_htmx_fragment_and_the_whole_page_are_kept_apart(client, ale):
    client.force_login(ale.registrar)
    fragment = client.get(URL, headers={"HX-Request": "true"}).content.decode()
    whole = client.get(URL).content.decode()
    assert "<html" not in fragment and "<html" in whole


def test_switched_off_every_view_is_rendered(client, ale, settings):
    settings.KEPT_PAGES = False
    client.force_login(ale.registrar)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    assert len(queries) > 3


def test_without_redis_the_page_is_rendered_all_the_same(client, ale, settings):
    new_case(ale, "Detaljplan för Nödinge centrum")
    client.force_login(ale.registrar)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    response = client.get(URL)
    assert response.status_code == 200 and "Detaljplan för Nödinge centrum" in response.content.decode()


def test_a_kept_reading_room_page_still_records_the_visit(client, ale):
    reading = called_meeting(ale)
    url = reverse("reading:meeting", args=[reading.meeting.uuid])
    client.force_login(ale.politician)
    first = client.get(url).content.decode()
    with scopes_disabled():
        visit = MeetingVisit.objects.get(user=ale.politician, meeting=reading.meeting)
        MeetingVisit.objects.filter(pk=visit.pk).update(seen_at=visit.seen_at - timedelta(days=1))
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url).content.decode()
    # Within a minute of the visit the rendering recorded, a kept view is the same visit.
    assert len(queries) == 3, [q["sql"][:80] for q in queries]  # the session, the user, the version
    with scopes_disabled():
        assert MeetingVisit.objects.get(pk=visit.pk).seen_at == visit.seen_at - timedelta(days=1)
    redis, _ = pagecache._redis("")
    for key in redis.scan_iter("*:hit"):  # the minute is over
        redis.delete(key)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 4, [q["sql"][:80] for q in queries]  # the session, the user, the version, the visit
    # A note written without script needs an id of its own in each response, kept page or not.
    first_id, second_id = (re.search(r'data-placeholder="([0-9a-f-]{36})"', page).group(1) for page in (first, second))
    assert first_id != second_id and first_id not in second
    assert same_page(first.replace(first_id, "I"), second.replace(second_id, "I")) and reading.item.title in second
    with scopes_disabled():
        assert MeetingVisit.objects.get(pk=visit.pk).seen_at > visit.seen_at
    # Another politician, without a seat in the body, is turned away by the door as before.
    client.force_login(UserFactory(username="ale.ersattare", municipality=ale.municipality, roles=[Role.POLITICIAN]))
    assert client.get(url).status_code == 404


def test_a_write_to_a_table_the_page_does_not_read_leaves_it_kept(client, ale):
    new_case(ale, "Detaljplan för Nödinge centrum")
    client.force_login(ale.registrar)
    client.get(URL)  # rendered, kept under the whole municipality's version
    client.get(URL)  # served, and from now on kept under the version of the tables it read
    with ale.scope():  # a meeting: the diarium reads no meeting table
        services.meeting_create(
            body=ale.un, starts_at=timezone.now() + timedelta(days=5), place="Nödinge", by=ale.secretary
        )
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    assert len(queries) == 3
    new_case(ale, "Ny förskola i Surte")  # a case: it does
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL).content.decode()
    assert len(queries) > 3 and "Ny förskola i Surte" in html


def test_a_sign_in_leaves_the_pages_kept_and_a_change_to_a_user_does_not(client, ale):
    new_case(ale, "Detaljplan för Nödinge centrum")
    client.force_login(ale.registrar)
    client.get(URL)
    first = client.get(URL).content.decode()
    with scopes_disabled():
        before = changes.versions(ale.municipality.pk, ["cases_user"])
    Client().force_login(ale.official)  # a colleague signs in: their last_login is written, and logged
    with scopes_disabled():
        assert User.objects.get(pk=ale.official.pk).last_login is not None
        assert changes.versions(ale.municipality.pk, ["cases_user"]) == before
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL).content.decode()
    assert len(queries) == 3 and same_page(first, second)
    # The same update with any other column is a change.
    with scopes_disabled():
        User.objects.filter(pk=ale.official.pk).update(last_login=timezone.now(), first_name="Maja")
        assert changes.versions(ale.municipality.pk, ["cases_user"]) != before
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    assert len(queries) > 3


def test_the_version_is_read_from_its_partial_indexes(ale):
    """The version's condition (sign-ins left out) implies the indexes' as Django wrote them: were it
    not, PostgreSQL would not use them and each kept view would walk the whole log."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN " + changes._both_sql(), {"municipality": ale.municipality.pk, "tables": ["cases_case"]}
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_changes_sealed_idx" in plan and "audit_changes_table_sealed_idx" in plan, plan


def test_a_page_written_to_while_it_was_rendered_is_not_kept(client, ale):
    new_case(ale, "Detaljplan för Nödinge centrum")
    client.force_login(ale.registrar)
    wrote = []

    def meanwhile(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not wrote and '"cases_case"' in sql and sql.lstrip().startswith("SELECT"):
            wrote.append(sql)  # another user's write, committed while the list is drawn
            with scopes_disabled():
                Body.objects.filter(pk=ale.sn.pk).update(name="Socialnämnden, nytt namn")
        return result

    with connection.execute_wrapper(meanwhile):
        client.get(URL)
    assert wrote
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL).content.decode()
    assert len(queries) > 3  # drawn again: the page of the first view was not kept under the newer version
    assert "Socialnämnden, nytt namn" in html


def test_the_tables_a_page_read_include_prepared_statements_and_refuse_unwatched_ones(client, ale):
    menu_facts(ale.registrar.pk, ale.municipality.pk, timezone.localdate())  # prepares cases_menu_facts
    tables = tables_read(['SELECT "cases_case"."id" FROM "cases_case"', "EXECUTE cases_menu_facts(%s, %s, %s)"])
    assert {"cases_case", "cases_notification", "cases_membership", "cases_person"} <= set(tables)
    assert {"cases_user", "cases_municipality"} <= set(tables)  # read by the middleware, before the view
    assert "cases_caseevent" not in tables  # a table named only as the prefix of another's name is not read
    assert tables_read(['SELECT 1 FROM "cases_outboxmessage"']) is None


@pytest.mark.parametrize("kind", ["diarium", "case", "mine", "board", "meeting", "reading", "item"])
def test_each_kept_page_is_served_kept_and_drawn_within_ten_queries(client, ale, kind):
    case = new_case(ale, "Detaljplan för Nödinge centrum")
    reading = called_meeting(ale)
    url, user = {
        "diarium": (URL, ale.registrar),
        "case": (reverse("cases:detail", args=[case.ref]), ale.registrar),
        "mine": (reverse("cases:mine"), ale.official),
        "board": (reverse("cases:board"), ale.secretary),
        "meeting": (reverse("meetings:detail", args=[reading.meeting.uuid]), ale.secretary),
        "reading": (reverse("reading:meeting", args=[reading.meeting.uuid]), ale.politician),
        "item": (reverse("reading:item", args=[reading.meeting.uuid, reading.item.uuid]), ale.politician),
    }[kind]
    client.force_login(user)
    with CaptureQueriesContext(connection) as drawn:
        first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        second = client.get(url).content.decode()
    with scopes_disabled():  # a change to what every page reads: the user's own row
        User.objects.filter(pk=user.pk).update(title="Ny titel")
    with CaptureQueriesContext(connection) as again:
        third = client.get(url).content.decode()
    assert len(kept) == 3, [q["sql"][:80] for q in kept]  # the reading room's visit: once a minute
    # Drawn again after a change: the page's own queries and the version, at most ten. (The very
    # first view may also fill the cache's handläggare list: tests/test_user_options.py.)
    assert len(again) <= 10, [q["sql"][:80] for q in again]
    assert len(drawn) >= len(again)
    assert len(again) > len(kept) and "Ny titel" in third and "Ny titel" not in second
    if kind not in ("reading", "item"):  # their new note's id is their own in each response
        assert same_page(first, second)


def test_the_tables_read_before_the_view_are_those_of_the_signed_in_users_statement(client, ale):
    client.force_login(ale.registrar)
    client.get(URL)
    statement = STATEMENTS[f"{User._meta.db_table}_with_municipality_menu"]
    named = set(_table_patterns()[0].findall(statement))
    assert named == set(READ_BEFORE_THE_VIEW)
