"""Routing through a real Celery worker on a real Redis, on the test database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import redis
from django.db import connection, transaction
from django_scopes import scopes_disabled

from cases import services, workdays
from cases.models import (
    Body,
    BodyKind,
    Case,
    Department,
    Direction,
    Notification,
    Remiss,
    RemissStatus,
    Role,
    RoutingStep,
)
from motions import services as motion_services
from motions.models import MotionStatus

from .conftest import _make_town
from .factories import UserFactory
from .servers import wait_for

pytestmark = pytest.mark.worker

DEADLINE = workdays.next_working_day(date.today() + timedelta(days=30))


def _staff_for(town, body: Body, name: str):
    department = Department.objects.create(municipality=town.municipality, name=name)
    department.bodies.set([body])
    registrar = UserFactory(municipality=town.municipality, roles=[Role.REGISTRAR], department=department)
    head = UserFactory(municipality=town.municipality, roles=[Role.HEAD], department=department)
    return registrar, head


def test_the_alingsas_motion_travels_to_two_namnder_and_both_answers_come_home(worker, smtp):
    town = _make_town("alingsas", "Alingsås kommun", "{series} {year}/{number}")
    with town.scope():
        sn_registrar, sn_head = _staff_for(town, town.sn, "Socialförvaltningen")
        un_registrar, un_head = _staff_for(town, town.un, "Utbildningsförvaltningen")
        from cases.models import Membership, Person

        mover = Person.objects.create(municipality=town.municipality, first_name="Staffan", last_name="Albinsson")
        Membership.objects.create(
            municipality=town.municipality,
            person=mover,
            body=town.kf,
            role="ledamot",
            party="C",
            starts_on=date(2015, 1, 1),
        )
        motion = motion_services.motion_register(
            municipality=town.municipality,
            title="Motion angående tillfällig parlamentarisk arbetsgrupp för kommunens integrationsinsatser",
            movers=[motion_services.Mover(person=mover, party="C")],
            att_satser=["en tillfällig parlamentarisk arbetsgrupp inrättas", "arbetsgruppen upphör i augusti 2018"],
            raised_in=town.kf,
            raised_on=date(2017, 11, 29),
            raised_paragraph=243,
            by=town.registrar,
        )
        motion_services.motion_refer(motion, by=town.secretary)
        services.remiss_send(
            motion.case, from_body=town.ksau, to_bodies=[town.sn, town.un], deadline=DEADLINE, by=town.secretary
        )

    def routed():
        with scopes_disabled():
            return Remiss.objects.filter(status=RemissStatus.RECEIVED).count() == 2

    wait_for(routed, what="both remisser to be routed")
    with town.scope():
        motion.refresh_from_db()
        assert motion.status == MotionStatus.IN_PREPARATION
        steps = {
            r.to_body.short_name: r.response_case for r in Remiss.objects.select_related("to_body", "response_case")
        }
        assert {s.body.short_name for s in steps.values()} == {"SN", "UN"}
        assert steps["UN"].diarienummer.startswith("UN ")
        assert steps["UN"].origin == motion.case
        assert steps["UN"].department.name == "Utbildningsförvaltningen"
        assert "Svar senast" in steps["UN"].documents.get().description
        assert Notification.objects.filter(recipient=un_head, key__endswith=":received").count() == 1

    wait_for(lambda: len(smtp.to(un_head.email)) == 1, what="the e-mail to UN's head")
    mail = smtp.to(un_head.email)[0]
    assert "Ny remiss till Utbildningsnämnden" in mail["Subject"]
    assert "Svar senast" in mail.get_content()

    # Each nämnd decides its yttrande; the protocol extract is registered and sent as the answer.
    with town.scope():
        for short, registrar in (("SN", sn_registrar), ("UN", un_registrar)):
            step = steps[short]
            extract = services.document_register(
                step,
                direction=Direction.INTERNAL,
                document_date=date.today(),
                description=f"Protokollsutdrag {short}: nämnden antar förvaltningens yttrande som sitt eget",
                by=registrar,
            )
            services.remiss_answer(Remiss.objects.get(response_case=step), document=extract, by=registrar)

    def answered():
        with scopes_disabled():
            return Remiss.objects.filter(status=RemissStatus.ANSWERED).count() == 2

    wait_for(answered, what="both answers to land in the motion's case")
    with town.scope():
        landed = list(
            motion.case.documents.filter(description__startswith="Remissvar från").values_list("description", flat=True)
        )
        assert len(landed) == 2
        assert any("Socialnämnden" in d for d in landed) and any("Utbildningsnämnden" in d for d in landed)
        actions = list(motion.case.events.values_list("action", flat=True))
        assert actions.count("remiss.answered") == 2
        assert Notification.objects.filter(recipient=town.secretary, key__endswith=":answered").count() == 2
    wait_for(lambda: len(smtp.to(town.secretary.email)) == 2, what="the secretary's two e-mails")


def _many_remisser(n: int, *, per_send: int = 1):
    """n remisser, ``per_send`` bodies at a time from a case each (a send's remisser are routed in
    one step, so one remiss per send keeps one task per remiss); nobody has an e-mail address, so
    the queue holds only routing tasks. Returns the town and the cases sent."""
    from cases.models import User

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    User.objects.update(email="")
    with town.scope():
        bodies = [
            Body.objects.create(
                municipality=town.municipality,
                name=f"Nämnd {i}",
                short_name=f"N{i}",
                kind=BodyKind.COMMITTEE,
                diarium_series=f"N{i}",
            )
            for i in range(per_send)
        ]
        cases = []
        for i in range(n // per_send):
            case = services.case_register(
                municipality=town.municipality, title=f"Budget 2027, del {i + 1}", body=town.ks, by=town.registrar
            )
            services.remiss_send(case, from_body=town.ksau, to_bodies=bodies, deadline=DEADLINE, by=town.secretary)
            cases.append(case)
    return town, cases


def _routed_count() -> int:
    with scopes_disabled():
        return Remiss.objects.exclude(response_case=None).count()


def _kill_mid_task(worker) -> None:
    """Wait until the worker has routed a few and is inside a routing transaction, then SIGKILL it."""
    wait_for(lambda: _routed_count() >= 3, what="a few remisser routed")
    with connection.cursor() as cursor:

        def worker_in_transaction():
            # Inside a routing step: its transaction has taken the remiss (the step's first statement,
            # SELECT … FOR UPDATE) or is writing the receiving case, and has not committed. Any open
            # transaction was not enough: a kill after the step's COMMIT loses nothing, even acked early.
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
                "AND (query ILIKE '%%FOR UPDATE%%' OR query ILIKE '%%INSERT INTO \"cases_%%') "
                "AND query NOT ILIKE '%%COMMIT%%'"
            )
            return cursor.fetchone()[0] > 0

        wait_for(worker_in_transaction, interval=0.001, what="the worker inside a transaction")
        worker.kill()


def test_a_worker_killed_mid_routing_loses_nothing_and_duplicates_nothing(worker_factory):
    town, cases = _many_remisser(30, per_send=3)  # ten sends, each routed in one step
    # A step takes no more than its own send: with the queue taken in batches of 100 the first step
    # would route all 30 before the kill could come.
    first = worker_factory(REMISS_ROUTING_BATCH="3").start()
    _kill_mid_task(first)
    assert _routed_count() < 30, "the kill came too late to test anything"
    worker_factory(REMISS_ROUTING_BATCH="3").start()
    wait_for(lambda: _routed_count() == 30, timeout=60, what="every remiss routed after the restart")
    with scopes_disabled():
        assert Case.objects.filter(origin__in=cases).count() == 30
        assert Remiss.objects.values("response_case").distinct().count() == 30
        assert RoutingStep.objects.filter(key__endswith=":route").count() == 30
        # Each remiss notified each of its people once, however often its task ran.
        keys = list(Notification.objects.values_list("recipient", "key"))
        assert len(keys) == len(set(keys))


def test_negative_control_with_early_acknowledgement_the_killed_task_is_lost(worker_factory):
    town, _cases = _many_remisser(30)
    # Each step its own send only: a later step would otherwise route, from the queue, what the
    # killed one lost, and the control would pass for a reason other than the late acknowledgement.
    first = worker_factory(CELERY_TASK_ACKS_LATE="false", REMISS_ROUTING_BATCH="0").start()
    _kill_mid_task(first)
    worker_factory(CELERY_TASK_ACKS_LATE="false", REMISS_ROUTING_BATCH="0").start()
    # Wait until the queue is drained and well past the visibility timeout (5 s).
    r = redis.Redis.from_url(first.env["REDIS_URL"])
    wait_for(lambda: r.llen("celery") == 0, timeout=60, what="the queue to drain")
    import time

    time.sleep(8)
    assert _routed_count() < 30


def test_a_transaction_that_fails_enqueues_nothing(transactional_db, redis_url):
    r = redis.Redis.from_url(redis_url)
    r.flushdb()
    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    with town.scope():
        case = services.case_register(
            municipality=town.municipality, title="Budget 2027", body=town.ks, by=town.registrar
        )
        with pytest.raises(RuntimeError), transaction.atomic():
            services.remiss_send(case, from_body=town.ksau, to_bodies=[town.un], deadline=DEADLINE, by=town.secretary)
            raise RuntimeError("something later in the same transaction fails")
        assert Remiss.objects.count() == 0
    assert r.llen("celery") == 0
    with town.scope():
        services.remiss_send(case, from_body=town.ksau, to_bodies=[town.un], deadline=DEADLINE, by=town.secretary)
    assert r.llen("celery") == 1  # the positive control: a committed send enqueues its routing
