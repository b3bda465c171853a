"""The session, the signed-in user and the menu's facts, read with SQL built once per process
(alingsas_ale/hotpath.py, cases.context_processors.menu_facts): the same answers as the ORM's."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.sessions.models import Session
from django.db import DataError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from alingsas_ale.hotpath import SessionStore
from cases.context_processors import menu_facts
from cases.models import Membership, Notification, Person, User
from signin.backends import PasswordBackend

from .factories import UserFactory


def test_the_user_comes_as_the_orm_loads_it_with_the_municipality_in_one_query(ale):
    with CaptureQueriesContext(connection) as queries:
        user = PasswordBackend().get_user(ale.head.pk)
        municipality = user.municipality
    assert len(queries) == 1
    with scopes_disabled():
        expected = User.objects.select_related("municipality").get(pk=ale.head.pk)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(expected, field.attname), field.attname
    assert municipality == expected.municipality and municipality.name == expected.municipality.name
    assert user.roles == ale.head.roles and user.calendar_token == expected.calendar_token
    assert user._state.adding is False and user._state.db == "default"
    user.title = "Ny titel"
    user.save(update_fields=["title"])  # an instance that saves like any other
    with scopes_disabled():
        assert User.objects.get(pk=ale.head.pk).title == "Ny titel"


def test_no_user_an_inactive_user_and_a_user_without_municipality(ale, db):
    backend = PasswordBackend()
    assert backend.get_user(10**9) is None
    assert backend.get_user("not a number") is None
    inactive = UserFactory(municipality=ale.municipality, is_active=False)
    assert backend.get_user(inactive.pk) is None
    superuser = UserFactory(municipality=None, is_superuser=True)
    loaded = backend.get_user(superuser.pk)
    assert loaded == superuser and loaded.municipality is None


def test_a_session_is_read_until_it_expires(db):
    store = SessionStore()
    store["colour"] = "blå"
    store.create()
    key = store.session_key
    assert SessionStore(key)["colour"] == "blå"
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.get("colour") is None
    assert expired.session_key is None  # a new key would be made, as Django's own store does
    unknown = SessionStore("x" * 32)
    assert dict(unknown.items()) == {} and unknown.session_key is None


def test_the_menu_counts_only_my_unread_notices_here_and_a_seat_covering_today(ale, alingsas):
    day = date(2026, 11, 26)
    politician = ale.politician
    assert menu_facts(politician.pk, ale.municipality.pk, day) == (0, False)
    with ale.scope():
        for key, read_at in (("a", None), ("b", None), ("c", timezone.now())):
            Notification.objects.create(
                municipality=ale.municipality, recipient=politician, key=key, subject=key, body=key, read_at=read_at
            )
        Notification.objects.create(municipality=ale.municipality, recipient=ale.head, key="d", subject="d", body="d")
        person = Person.objects.create(municipality=ale.municipality, first_name="S", last_name="P", user=politician)
        seat = Membership.objects.create(
            municipality=ale.municipality, person=person, body=ale.ks, role="ledamot", party="S", starts_on=day
        )
    assert menu_facts(politician.pk, ale.municipality.pk, day) == (2, True)
    assert menu_facts(politician.pk, ale.municipality.pk, day - timedelta(days=1)) == (2, False)  # not yet begun
    assert menu_facts(politician.pk, alingsas.municipality.pk, day) == (0, False)  # another municipality
    with ale.scope():
        Membership.objects.filter(pk=seat.pk).update(ends_on=day)
    assert menu_facts(politician.pk, ale.municipality.pk, day) == (2, True)  # the last day still counts
    assert menu_facts(politician.pk, ale.municipality.pk, day + timedelta(days=1)) == (2, False)


def test_the_menu_comes_with_the_user_in_the_same_statement(client, ale, settings):
    settings.KEPT_PAGES = False  # a page drawn, menu and all
    with ale.scope():
        Notification.objects.create(
            municipality=ale.municipality, recipient=ale.registrar, key="a", subject="a", body="a"
        )
    user = PasswordBackend().get_user(ale.registrar.pk)
    assert user.also == (timezone.localdate(), 1, False)
    client.force_login(ale.registrar)
    client.get(reverse("cases:diarium"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("cases:diarium")).content.decode()
    assert 'class="nav-count">1<' in html
    assert not any("menu_facts" in query["sql"] for query in queries)  # no statement of its own


def test_a_prepared_statement_is_planned_once_per_connection_and_again_on_a_new_one(db):
    from alingsas_ale.hotpath import execute_prepared

    sql = "SELECT %(a)s::int + %(b)s::int, %(a)s::int"

    def run(db, a: int, b: int) -> tuple[tuple[int, int], str]:
        with CaptureQueriesContext(db) as queries, db.cursor() as cursor:
            execute_prepared(cursor, "test_sum", sql, {"a": a, "b": b})
            row = cursor.fetchone()
        assert len(queries) == 1  # prepared in the same round trip as its first run
        return row, queries[0]["sql"]

    first, first_sql = run(connection, 1, 2)
    second, second_sql = run(connection, 10, 20)
    assert first == (3, 1) and second == (30, 10)
    assert first_sql.startswith("PREPARE test_sum AS SELECT $1::int + $2::int, $1::int; EXECUTE test_sum(")
    assert second_sql.startswith("EXECUTE test_sum(")
    other = connections.create_connection("default")  # another session has nothing prepared
    try:
        third, third_sql = run(other, 5, 5)
    finally:
        other.close()
    assert third == (10, 5) and third_sql.startswith("PREPARE test_sum")
    # A first run that fails after its PREPARE took (no rollback undoes one) is found prepared.
    with CaptureQueriesContext(connection), connection.cursor() as cursor:
        try:
            with transaction.atomic():
                execute_prepared(cursor, "test_divide", "SELECT 10 / %(a)s::int", {"a": 0})
        except DataError:
            pass
        else:
            raise AssertionError("10 / 0")
        execute_prepared(cursor, "test_divide", "SELECT 10 / %(a)s::int", {"a": 5})  # prepared already: not again
        assert cursor.fetchone() == (2,)
        execute_prepared(cursor, "test_divide", "SELECT 10 / %(a)s::int", {"a": 2})
        assert cursor.fetchone() == (5,)


def test_a_prepared_statement_runs_on_one_generic_plan_from_its_first_run(ale):
    """Left to PostgreSQL, the data version was planned again on each run (0.8 ms of its 1.0): its
    generic plan's estimate was worse than the custom plans'. A generic plan names its parameters."""
    from audit import changes

    with transaction.atomic():  # a rollback does not take the setting with it
        changes.versions(ale.municipality.pk, ["cases_case", "cases_user"])
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN EXECUTE audit_changes_versions(%s, %s)", [ale.municipality.pk, ["cases_case"]])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "municipality_id = $1" in plan and "= ANY ($2)" in plan, plan


def test_without_prepared_statements_the_statement_is_sent_as_it_is(ale, settings):
    from alingsas_ale.hotpath import execute_prepared

    settings.DATABASE_PREPARED_STATEMENTS = False  # behind PgBouncer in transaction mode
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        execute_prepared(cursor, "test_plain", "SELECT %(a)s::int * 2", {"a": 21})
        assert cursor.fetchone() == (42,)
    assert queries[0]["sql"] == "SELECT 21::int * 2"
    assert PasswordBackend().get_user(ale.head.pk) == ale.head
    assert menu_facts(ale.head.pk, ale.municipality.pk, date(2026, 11, 26)) == (0, False)
