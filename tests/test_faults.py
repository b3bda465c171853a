"""Faults with a real worker, a real Redis and the real PostgreSQL: the database stopped mid-routing,
Redis killed during sends, the worker SIGKILLed three times. Each test has a negative control that
runs the same fault without the fix and shows work lost. The counts are logged (``cases.faults``):
run with ``-o log_cli=true --log-cli-level=INFO`` to see them.

The outbox sweep runs here from the test process (the same function Celery beat calls every 15 s;
beat itself reads its schedule from tables the transactional tests flush)."""

from __future__ import annotations

import logging
import os
import shlex
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from alingsas_ale import embedded
from cases import services
from cases.models import Body, BodyKind, Case, Remiss, RoutingStep, User
from cases.outbox import outbox_sweep

from .conftest import _make_town
from .servers import wait_for
from .test_outbox import broker
from .test_remiss_routing_worker import DEADLINE, _many_remisser, _routed_count

pytestmark = pytest.mark.worker
logger = logging.getLogger("cases.faults")


def _routed_by_sweep(n: int):
    def check() -> bool:
        outbox_sweep()
        return _routed_count() == n

    return check


def _assert_routed_exactly_once(cases: list[Case], n: int) -> None:
    with scopes_disabled():
        assert Case.objects.filter(origin__in=cases).count() == n
        assert Remiss.objects.exclude(response_case=None).values("response_case").distinct().count() == n
        assert RoutingStep.objects.filter(key__endswith=":route").count() == n


def _worker_in_transaction() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        )
        return cursor.fetchone()[0] > 0


def _drained(url: str) -> None:
    """Wait until the queue is empty and the worker idle, then a little longer."""
    r = redis.Redis.from_url(url)
    wait_for(lambda: r.llen("celery") == 0 and not _worker_in_transaction(), timeout=60, what="the queue to drain")
    time.sleep(3)
    assert r.llen("celery") == 0


# -- the database stopped mid-routing ---------------------------------------------------------------


def _pg_ctl(*args: str) -> None:
    import pgserver

    binary = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl"
    # pg_ctl refuses to run as root; pgserver then runs the server as its own system user.
    user = "pgserver" if os.geteuid() == 0 else None
    subprocess.run([str(binary), *args], check=True, capture_output=True, timeout=60, user=user)  # noqa: S603


def _database_outage(seconds: float = 3) -> None:
    """Once the worker is inside a routing transaction: stop PostgreSQL at once (as a crash would),
    keep it down for ``seconds``, start it again with the options it ran with."""
    wait_for(lambda: _routed_count() >= 3, what="a few remisser routed")
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        data_dir = Path(cursor.fetchone()[0])
    opts = shlex.split((data_dir / "postmaster.opts").read_text())[1:]
    at = opts.index("-D")
    options = shlex.join(opts[:at] + opts[at + 2 :])
    wait_for(_worker_in_transaction, interval=0.001, what="the worker inside a transaction")
    connection.close()
    _pg_ctl("-D", str(data_dir), "stop", "-m", "immediate", "-w")
    try:
        time.sleep(seconds)
    finally:
        _pg_ctl("-D", str(data_dir), "-o", options, "-l", str(data_dir / "restart.log"), "-w", "start")
    connection.close()  # the test process reconnects too


@pytest.mark.exclusive
def test_the_database_stopped_mid_routing_loses_nothing(worker_factory, settings):
    settings.OUTBOX_RETRY_AFTER = 5
    town, cases = _many_remisser(30, per_send=3)  # ten sends, each routed in one step
    # A step takes no more than its own send: with the queue taken in batches of 100 the first step
    # would route all 30 before the outage could come.
    worker_factory(REMISS_ROUTING_BATCH="3").start()
    _database_outage()
    routed_before_restart = _routed_count()
    assert routed_before_restart < 30, "the outage came too late to test anything"
    wait_for(_routed_by_sweep(30), timeout=120, interval=1, what="every remiss routed after the outage")
    _assert_routed_exactly_once(cases, 30)
    logger.info("database outage, with the fix: 30 sent, %s routed before the outage, 0 lost", routed_before_restart)


@pytest.mark.exclusive
def test_negative_control_without_retries_or_sweep_the_outage_loses_remisser(worker_factory):
    town, _cases = _many_remisser(30)
    # Each step its own send only: a later step would otherwise route, from the queue, what an
    # earlier one lost, and the control would pass for a reason other than the retries and sweep.
    worker = worker_factory(TASK_MAX_RETRIES="0", REMISS_ROUTING_BATCH="0").start()
    _database_outage()
    _drained(worker.env["REDIS_URL"])
    lost = 30 - _routed_count()
    logger.info("database outage, negative control (no retry, no sweep): 30 sent, %s lost", lost)
    assert lost > 0


# -- Redis killed during sends ---------------------------------------------------------------------


@pytest.fixture
def own_redis(tmp_path):
    """A Redis of this test's own (the session one stays up for the others), restartable on its port."""
    port = embedded.free_port()
    data = tmp_path / "own-redis"
    procs = [embedded.start_redis(port, data_dir=data)]

    class OwnRedis:
        url = f"redis://127.0.0.1:{port}/0"

        def kill(self) -> None:
            procs[-1].kill()
            procs[-1].wait(5)

        def start(self) -> None:
            procs.append(embedded.start_redis(port, data_dir=data))

    yield OwnRedis()
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(5)


def _town_with_bodies(n: int, *, cases: int = 1):
    """A town with ``n`` nämnder and ``cases`` cases to send remisser from (a list)."""
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
            for i in range(n)
        ]
        sent_from = [
            services.case_register(
                municipality=town.municipality, title=f"Budget 2027, del {i + 1}", body=town.ks, by=town.registrar
            )
            for i in range(cases)
        ]
    return town, sent_from, bodies


def _send_through_redis_outage(client, own_redis, town, cases, bodies, *, before_restart=None) -> list[int]:
    """Send one remiss per nämnd from the browser, from the cases in turn: the first third with
    Redis up, the second with Redis killed, the last with Redis back. ``before_restart`` is called
    while Redis is still down. Returns the status codes."""
    client.force_login(town.secretary)
    client.raise_request_exception = False
    codes = []
    third = len(bodies) // 3
    for i, body in enumerate(bodies):
        if i == third:
            # The worker idle first: a step still running would take the case's next sends along.
            wait_for(lambda: _routed_count() >= third, what="the first third routed before the outage")
            own_redis.kill()
        if i == 2 * third:
            if before_restart is not None:
                before_restart()
            own_redis.start()
        data = {"from_body": town.ksau.pk, "to_bodies": [body.pk], "deadline": DEADLINE.isoformat(), "cover_note": ""}
        url = reverse("cases:remiss-send", args=[cases[i % len(cases)].ref])
        codes.append(client.post(url, data).status_code)
    return codes


def test_redis_killed_during_sends_loses_nothing_and_tells_the_user(client, worker_factory, own_redis, settings):
    settings.OUTBOX_RETRY_AFTER = 5
    town, cases, bodies = _town_with_bodies(15)
    (case,) = cases
    shown: dict[str, int] = {}

    def while_redis_is_down() -> None:
        # What the secretary sees during the outage. Once Redis is back, the next send's routing step
        # routes the queued remisser of the case at once, so this is the moment to look.
        with scopes_disabled():
            shown["queued"] = Remiss.objects.filter(awaiting_queue=True).count()
        page = client.get(reverse("cases:detail", args=[case.ref])).content.decode()
        shown["on the page"] = page.count("köad, skickas när systemet är tillbaka")

    worker_factory(REDIS_URL=own_redis.url).start()
    with broker(own_redis.url):
        codes = _send_through_redis_outage(client, own_redis, town, cases, bodies, before_restart=while_redis_is_down)
        assert codes == [302] * 15
        assert shown["queued"] == 5 and shown["on the page"] == 5  # the five sent during the outage
        wait_for(_routed_by_sweep(15), timeout=60, interval=1, what="every remiss routed after Redis is back")
    _assert_routed_exactly_once(cases, 15)
    with scopes_disabled():
        assert not Remiss.objects.filter(awaiting_queue=True).exists()
    logger.info(
        "Redis killed during sends, with the fix: 15 sent, 0 errors, %s shown as queued, 0 lost", shown["queued"]
    )


def test_negative_control_with_plain_delay_on_commit_a_send_during_the_outage_fails_and_is_lost(
    client, worker_factory, own_redis, monkeypatch
):
    monkeypatch.setattr(
        "cases.services.remiss.outbox_enqueue_many",
        lambda task, pks, **kwargs: [task.delay_on_commit(pk) for pk in pks],
    )
    # A case per send, and each step its own send only: a later step would route what an earlier one lost.
    town, cases, bodies = _town_with_bodies(15, cases=15)
    worker_factory(REDIS_URL=own_redis.url, REMISS_ROUTING_BATCH="0").start()
    with broker(own_redis.url):
        codes = _send_through_redis_outage(client, own_redis, town, cases, bodies)
        _drained(own_redis.url)
    errors = sum(1 for code in codes if code >= 500)  # a 500, or the Swedish 503 page since the outage middleware
    lost = 15 - _routed_count()
    logger.info(
        "Redis killed during sends, negative control (delay_on_commit): 15 sent, %s errors, %s lost", errors, lost
    )
    assert errors > 0 and lost > 0


# -- the worker SIGKILLed three times -------------------------------------------------------------------


def _kill_three_times(worker_factory, **env: str) -> None:
    for _ in range(3):
        worker = worker_factory(**env).start()
        before = _routed_count()
        wait_for(lambda: _routed_count() >= before + 2, what="a few more remisser routed")  # noqa: B023
        wait_for(_worker_in_transaction, interval=0.001, what="the worker inside a transaction")
        worker.kill()


def test_a_worker_killed_three_times_routes_everything_once_within_a_minute(worker_factory, settings):
    settings.OUTBOX_RETRY_AFTER = 5
    town, cases = _many_remisser(60)
    # The production visibility timeout: without the sweep, a killed task would wait 300 s. Steps
    # of up to five remisser, from the queue too, so that the kills fall mid-queue and mid-batch.
    _kill_three_times(worker_factory, CELERY_VISIBILITY_TIMEOUT="300", REMISS_ROUTING_BATCH="5")
    assert _routed_count() < 60, "the kills came too late to test anything"
    worker_factory(CELERY_VISIBILITY_TIMEOUT="300", REMISS_ROUTING_BATCH="5").start()
    started = time.monotonic()
    wait_for(_routed_by_sweep(60), timeout=60, interval=1, what="every remiss routed within a minute")
    _assert_routed_exactly_once(cases, 60)
    logger.info(
        "worker SIGKILL x3, with the fix: 60 sent, 0 lost, all routed %.0f s after restart", time.monotonic() - started
    )


def test_negative_control_without_the_sweep_killed_tasks_wait_for_the_visibility_timeout(worker_factory):
    town, _cases = _many_remisser(60)
    # Each step its own send only: a later step would otherwise route what a killed one left.
    _kill_three_times(worker_factory, CELERY_VISIBILITY_TIMEOUT="300", REMISS_ROUTING_BATCH="0")
    worker = worker_factory(CELERY_VISIBILITY_TIMEOUT="300", REMISS_ROUTING_BATCH="0").start()
    _drained(worker.env["REDIS_URL"])
    stuck = 60 - _routed_count()
    logger.info("worker SIGKILL x3, negative control (no sweep): 60 sent, %s not routed after the queue drained", stuck)
    assert stuck > 0
