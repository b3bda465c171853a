"""A routing step costs at most ten statements, however many remisser it routes and people it tells
(issue 15).

The statements of one ``remiss_route``, which routes every remiss of the send not routed yet
(docs/performance.md): the remisser with the origin case, its municipality, both bodies, the sender
and the recipient's department (locked, one SELECT); the idempotency keys; the diarienummer; the
receiving cases; their handlingar; the events; the remisser; the people to tell; their
notifications; the outbox rows of their e-mails.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from cases import services, workdays
from cases.models import Body, BodyKind, Department, Notification, OutboxMessage, Remiss, RemissStatus, Role
from cases.services.remiss import remiss_route

from .factories import UserFactory
from .helpers import register_case

DEADLINE = workdays.next_working_day(date.today() + timedelta(days=30))
MAX_QUERIES = 10


def _body_with_people(town, n: int, *, name: str, short: str) -> tuple[Body, list]:
    """A nämnd served by a department of its own with ``n`` registrars and heads, all with e-mail."""
    with scopes_disabled():
        body = Body.objects.create(
            municipality=town.municipality, name=name, short_name=short, kind=BodyKind.COMMITTEE, diarium_series="MN"
        )
        department = Department.objects.create(municipality=town.municipality, name=f"Förvaltning för {name}")
        department.bodies.set([body])
        people = [
            UserFactory(
                municipality=town.municipality, roles=[Role.REGISTRAR if i % 2 else Role.HEAD], department=department
            )
            for i in range(n)
        ]
    return body, people


def _send(town, *bodies: Body) -> list[Remiss]:
    case = register_case(town)
    with town.scope():
        return services.remiss_send(
            case, from_body=town.ksau, to_bodies=list(bodies), deadline=DEADLINE, by=town.secretary
        )


def _route_counted(town, remiss: Remiss) -> int:
    with town.scope(), CaptureQueriesContext(connection) as ctx:
        assert remiss_route(remiss.pk) is True
    return len(ctx.captured_queries)


def test_routing_one_remiss_takes_at_most_ten_queries_and_does_all_its_work(ale, django_assert_max_num_queries):
    body, people = _body_with_people(ale, 2, name="Miljönämnden", short="MN")
    (remiss,) = _send(ale, body)
    with ale.scope(), django_assert_max_num_queries(MAX_QUERIES):
        assert remiss_route(remiss.pk) is True
    with ale.scope():
        remiss.refresh_from_db()
        step = remiss.response_case
        assert remiss.status == RemissStatus.RECEIVED and step is not None
        assert step.body == body and step.department.name == "Förvaltning för Miljönämnden"
        assert step.diarienummer == f"MN.{date.today().year}.1" and step.origin_id == remiss.case_id
        (letter,) = step.documents.all()
        assert letter.sequence == 1 and letter.counterpart == ale.ksau.name and "Svar senast" in letter.description
        assert list(step.events.values_list("action", flat=True)) == [
            "case.registered",
            "document.registered",
            "remiss.received_from",
        ]
        assert remiss.case.events.filter(action="remiss.received", data__response=step.diarienummer).count() == 1
        told = Notification.objects.filter(key=f"remiss:{remiss.pk}:received")
        assert sorted(told.values_list("recipient_id", flat=True)) == sorted(p.pk for p in people)
    mails = OutboxMessage.objects.filter(task="cases.tasks.notification_email")
    assert sorted(m.object_id for m in mails) == sorted(told.values_list("pk", flat=True))


@pytest.mark.parametrize("told", [1, 5])
def test_the_count_is_the_same_whether_one_or_five_people_are_told(ale, told):
    one, _people = _body_with_people(ale, 1, name="Nämnd med en", short="N1")
    many, _people = _body_with_people(ale, told, name="Nämnd med flera", short="NF")
    (first,) = _send(ale, one)
    first_count = _route_counted(ale, first)  # before the next send: a step also takes what waits
    (second,) = _send(ale, many)
    counts = {first_count, _route_counted(ale, second)}
    assert len(counts) == 1 and counts.pop() <= MAX_QUERIES
    with ale.scope():
        assert Notification.objects.filter(key=f"remiss:{second.pk}:received").count() == told


def test_a_send_to_five_bodies_is_routed_in_one_step_that_costs_what_a_send_to_one_does(ale):
    lone = _body_with_people(ale, 2, name="Ensam nämnd", short="EN")[0]
    bodies = [_body_with_people(ale, 2, name=f"Nämnd {i}", short=f"N{i}")[0] for i in range(5)]
    (alone,) = _send(ale, lone)
    alone_count = _route_counted(ale, alone)  # before the next send: a step also takes what waits
    remisser = _send(ale, *bodies)
    rows = OutboxMessage.objects.filter(task="cases.tasks.route_remiss", object_id__in=[r.pk for r in remisser])
    assert rows.filter(done_at=None).count() == 5
    assert alone_count == _route_counted(ale, remisser[2]) <= MAX_QUERIES
    assert not rows.filter(done_at=None).exists()  # the sweep will not publish the others' rows
    with ale.scope():
        routed = Remiss.objects.filter(pk__in=[r.pk for r in remisser]).select_related("response_case", "to_body")
        assert all(r.status == RemissStatus.RECEIVED for r in routed)
        # Numbered in the order the remisser were sent, after the lone one, in the series they share.
        assert sorted((r.pk, r.response_case.diarienummer) for r in routed) == [
            (r.pk, f"MN.{date.today().year}.{i + 2}") for i, r in enumerate(remisser)
        ]
        for remiss in remisser:
            told = Notification.objects.filter(key=f"remiss:{remiss.pk}:received").count()
            assert told == 2
    # The other remisser's own tasks then find nothing to do.
    with ale.scope():
        assert [remiss_route(r.pk) for r in remisser] == [False] * 5


def test_a_body_whose_departments_have_nobody_tells_the_municipalitys_registrars_and_heads(ale):
    (remiss,) = _send(ale, ale.un)  # no department serves Utbildningsnämnden in the fixture
    assert _route_counted(ale, remiss) <= MAX_QUERIES
    with ale.scope():
        told = set(Notification.objects.filter(key=f"remiss:{remiss.pk}:received").values_list("recipient", flat=True))
    assert told == {ale.registrar.pk, ale.head.pk}


def test_a_routed_remiss_routed_again_does_nothing_in_one_query(ale, django_assert_num_queries):
    body, _people = _body_with_people(ale, 2, name="Byggnadsnämnden", short="BN")
    (remiss,) = _send(ale, body)
    _route_counted(ale, remiss)
    with ale.scope():
        before = Notification.objects.count(), OutboxMessage.objects.count(), remiss.case.events.count()
    with ale.scope(), django_assert_num_queries(1):  # the remisser of its send still to route: none
        assert remiss_route(remiss.pk) is False
    with ale.scope():
        assert (Notification.objects.count(), OutboxMessage.objects.count(), remiss.case.events.count()) == before
        assert Remiss.objects.filter(response_case__isnull=False).count() == 1


def test_a_step_whose_own_remiss_is_done_still_routes_what_it_claims(ale):
    """A task whose remiss another step routed, run when a later send of the same case is not
    routed yet, routes that one (the regression: it claimed the key, marked the row done and left)."""
    body, _people = _body_with_people(ale, 1, name="Kulturnämnden", short="KN")
    other, _people = _body_with_people(ale, 1, name="Fritidsnämnden", short="FN")
    case = register_case(ale)
    with ale.scope():
        (first,) = services.remiss_send(case, from_body=ale.ksau, to_bodies=[body], deadline=DEADLINE, by=ale.secretary)
        assert remiss_route(first.pk) is True
        (later,) = services.remiss_send(
            case, from_body=ale.ksau, to_bodies=[other], deadline=DEADLINE, by=ale.secretary
        )
        assert remiss_route(first.pk) is False  # its own remiss was done already …
        later.refresh_from_db()
        assert later.status == RemissStatus.RECEIVED and later.response_case is not None  # … the later one is too


def test_single_sends_waiting_in_the_queue_are_routed_in_one_step_its_own_first(ale, alingsas, settings):
    """A queue of single sends deeper than the worker's pace is routed in batches (issue 15): the
    step takes its own send's remisser, then the oldest waiting in the municipality, never another
    municipality's, up to REMISS_ROUTING_BATCH."""
    bodies = [_body_with_people(ale, 1, name=f"Nämnd {i}", short=f"Q{i}")[0] for i in range(4)]
    waiting = [_send(ale, body)[0] for body in bodies]  # four cases, one remiss each
    (elsewhere,) = _send(alingsas, alingsas.un)
    settings.REMISS_ROUTING_BATCH = 3
    with ale.scope(), CaptureQueriesContext(connection) as ctx:
        assert remiss_route(waiting[3].pk) is True  # the newest task runs first
    assert len(ctx.captured_queries) <= MAX_QUERIES
    with scopes_disabled():
        found = Remiss.objects.filter(pk__in=[r.pk for r in waiting]).select_related("response_case")
        routed = {r.pk: r for r in found}
        assert [routed[r.pk].status for r in waiting] == [RemissStatus.RECEIVED] * 2 + [RemissStatus.SENT] + [
            RemissStatus.RECEIVED
        ]  # its own, then the two oldest: three
        assert routed[waiting[0].pk].response_case.origin_id == waiting[0].case_id  # each from its own case
        # Numbered in the order they were sent, though the newest's task took them.
        numbers = [routed[r.pk].response_case.number for r in (waiting[0], waiting[1], waiting[3])]
        assert numbers == sorted(numbers)
        assert Remiss.objects.get(pk=elsewhere.pk).status == RemissStatus.SENT  # Alingsås's is not Ale's to route
    rows = OutboxMessage.objects.filter(task="cases.tasks.route_remiss", object_id__in=[r.pk for r in waiting])
    assert set(rows.filter(done_at=None).values_list("object_id", flat=True)) == {waiting[2].pk}
    with ale.scope():
        assert remiss_route(waiting[0].pk) is False  # its task finds it routed
        assert Notification.objects.filter(key=f"remiss:{waiting[0].pk}:received").count() == 1


def test_without_batching_a_step_routes_its_own_send_only(ale, settings):
    settings.REMISS_ROUTING_BATCH = 0
    body, other = (_body_with_people(ale, 1, name=f"Nämnd {i}", short=f"B{i}")[0] for i in range(2))
    (first,) = _send(ale, body)
    (second,) = _send(ale, other)
    with ale.scope():
        assert remiss_route(second.pk) is True
        first.refresh_from_db()
    assert first.status == RemissStatus.SENT
