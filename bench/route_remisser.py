"""Benchmark: route 1,000 remisser through a real Celery worker on a real Redis.

Creates a fresh database (bench_routing) on the embedded PostgreSQL (or DATABASE_URL's server),
50 cases × 20 nämnder, sends the remisser (an outbox row each; one prompt per send is published on
commit, and one routing step routes the whole send), and times real workers until every remiss has
its receiving case. Also counts the database queries one routing step makes.

    .venv/bin/python -m bench.route_remisser [--remisser 1000] [--concurrency 2] [--per-send 20] [--profile 200]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alingsas_ale.settings")

DB = "bench_routing"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--remisser", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--per-send", type=int, default=20, help="remisser per send (one case sent to this many nämnder at once)"
    )
    parser.add_argument(
        "--queue-first",
        action="store_true",
        help="send every remiss before the worker starts, so that the sender does not share the cores with it",
    )
    parser.add_argument("--tiny", action="store_true", help="20 remisser: the smoke run in scripts/test")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="first route N remisser in this process (no broker, no worker) under cProfile and print where the time goes",
    )
    args = parser.parse_args()
    if args.tiny:
        args.remisser = 20

    from alingsas_ale import embedded
    from bench.common import fresh_database

    os.environ["DATABASE_URL"] = fresh_database(DB)
    port = embedded.free_port()
    redis_proc = embedded.start_redis(port, data_dir=ROOT / "var" / "bench-redis")
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Max, Min
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_scopes import scope, scopes_disabled

    from cases import services
    from cases.models import Body, BodyKind, CaseEvent, Department, Municipality, OutboxMessage, Remiss, Role, User
    from cases.tasks import route_remiss
    from cases.workdays import next_working_day

    call_command("migrate", verbosity=0)
    municipality = Municipality.objects.create(
        name="Bänkkommun", slug="bank", diarienummer_format="{series}.{year}.{number}"
    )
    per_case = args.per_send
    cases = max(1, args.remisser // per_case)
    with scope(municipality=municipality):
        ks = Body.objects.create(
            municipality=municipality, name="Kommunstyrelsen", short_name="KS", kind=BodyKind.BOARD, diarium_series="KS"
        )
        ksau = Body.objects.create(
            municipality=municipality,
            name="KSAU",
            short_name="KSAU",
            kind=BodyKind.COMMITTEE_OF_BOARD,
            diarium_series="KS",
            parent=ks,
        )
        bodies = [
            Body.objects.create(
                municipality=municipality,
                name=f"Nämnd {i}",
                short_name=f"N{i}",
                kind=BodyKind.COMMITTEE,
                diarium_series=f"N{i}",
            )
            for i in range(per_case)
        ]
        for i, body in enumerate(bodies):
            department = Department.objects.create(municipality=municipality, name=f"Förvaltning {i}")
            department.bodies.set([body])
            for role in (Role.REGISTRAR, Role.HEAD):
                User.objects.create(
                    username=f"{role}{i}", municipality=municipality, roles=[role], department=department, email=""
                )
        secretary = User.objects.create(username="sekr", municipality=municipality, roles=[Role.SECRETARY], email="")
        deadline = next_working_day(date.today() + timedelta(days=30))

        # Queries of one routing step, measured in-process on a remiss that is not enqueued.
        probe = services.case_register(municipality=municipality, title="Mätärende", body=ks, by=secretary)
        probe_remiss = Remiss.objects.create(
            municipality=municipality,
            case=probe,
            from_body=ksau,
            to_body=bodies[0],
            deadline=deadline,
            sent_by=secretary,
        )
        # The whole task as the worker runs it: tenant look-up, routing, the outbox row marked done.
        probe_row = OutboxMessage.objects.create(
            task=route_remiss.name, args=[probe_remiss.pk], object_id=probe_remiss.pk
        )
        with CaptureQueriesContext(connection) as ctx:
            route_remiss.apply(args=[probe_remiss.pk], kwargs={"outbox_id": probe_row.pk}).get()
        route_queries = len(ctx.captured_queries)
        step_sql = [q["sql"] for q in ctx.captured_queries]
        if args.profile:
            in_process = _profile_steps(
                args.profile,
                lambda n: services.case_register(municipality=municipality, title=f"Profil {n}", body=ks, by=secretary),
                ksau,
                bodies,
                deadline,
                secretary,
            )

        def send_all() -> tuple[float, int]:
            with CaptureQueriesContext(connection) as send_ctx:
                began = time.perf_counter()
                for n in range(cases):
                    case = services.case_register(municipality=municipality, title=f"Ärende {n}", body=ks, by=secretary)
                    services.remiss_send(case, from_body=ksau, to_bodies=bodies, deadline=deadline, by=secretary)
            return time.perf_counter() - began, len(send_ctx.captured_queries)

        started_at = timezone.now()
        if args.queue_first:
            enqueued, send_queries = send_all()
        workers = []
        env = {**os.environ, "CELERY_VISIBILITY_TIMEOUT": "60"}
        log = open(ROOT / "var" / "bench-worker.log", "wb")  # noqa: SIM115
        workers.append(
            subprocess.Popen(
                embedded.celery_worker_command(sys.executable, concurrency=args.concurrency, loglevel="WARNING"),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        time.sleep(3)  # let the worker connect before the clock starts
        started = time.perf_counter()
        if not args.queue_first:
            enqueued, send_queries = send_all()
        total = cases * per_case
        with scopes_disabled():
            while Remiss.objects.exclude(response_case=None).count() < total + 1 + args.profile:
                time.sleep(0.2)
                if time.perf_counter() - started > 600:
                    raise SystemExit("timed out")
        elapsed = time.perf_counter() - started
        # The worker alone, its start-up left out: from the first remiss routed to the last.
        with scopes_disabled():
            span = CaseEvent.objects.filter(action="remiss.received", at__gte=started_at).aggregate(
                first=Min("at"), last=Max("at"), n=Count("pk")
            )
        steady = (span["last"] - span["first"]).total_seconds()
        for proc in workers:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
    redis_proc.terminate()
    print(f"remisser routed:            {total}")
    print(f"worker concurrency:         {args.concurrency}")
    print(f"remisser per send:          {per_case} (a send's remisser are routed in one step)")
    print(
        f"send (request side):        {enqueued:.2f} s for {cases} cases ({send_queries / total:.1f} queries per remiss)"
    )
    if args.queue_first:  # the worker began during the 3 s it was given to connect: only its pace counts
        print("until all routed:           the queue was filled before the worker started: see its pace below")
    else:
        print(f"until all routed:           {elapsed:.2f} s  ->  {total / elapsed:.0f} remisser/s")
    if cases > 1 and steady > 0:
        print(
            f"first to last routed:       {steady:.2f} s  ->  {(span['n'] - 1) / steady:.0f} remisser/s "
            "(the worker's own pace, its start-up left out)"
        )
    else:  # one send is one step: its remisser share a transaction, so there is no pace to read
        print("first to last routed:       one send, one step: see the line above")
    print(
        f"queries per routing task:   {route_queries} (BEGIN, tenant look-up, the step's own {route_queries - 4}, "
        "outbox row done, COMMIT)"
    )
    for n, sql in enumerate(step_sql, 1):
        # A write carries the audit actor's set_config in the same round trip (audit/context.py).
        actor, _sep, write = sql.partition(";\n") if sql.startswith("SELECT set_config(") else ("", "", sql)
        print(f"  {n:2}. {' '.join(write.split())[:110]}{' (+ audit actor)' if actor else ''}")
    if args.profile:
        print(f"in process, no broker:      {in_process * 1000:.1f} ms per routing task (under cProfile)")


def _profile_steps(n: int, new_case, from_body, bodies, deadline, by) -> float:  # noqa: ANN001 - bench only
    """Route ``n`` remisser of ``probe`` in this process, as the worker's task body runs them, under
    cProfile; print the 30 most expensive functions. Returns the seconds per task."""
    import cProfile
    import pstats

    from cases.models import OutboxMessage, Remiss
    from cases.tasks import route_remiss

    rows = []
    for i in range(n):
        if i % len(bodies) == 0:  # one remiss per nämnd and case
            case = new_case(i)
        remiss = Remiss.objects.create(
            municipality_id=case.municipality_id,
            case=case,
            from_body=from_body,
            to_body=bodies[i % len(bodies)],
            deadline=deadline,
            sent_by=by,
        )
        rows.append(
            (remiss.pk, OutboxMessage.objects.create(task=route_remiss.name, args=[remiss.pk], object_id=remiss.pk))
        )
    # Half of them without the profiler, timing each statement of the step as the client sees it.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plain, rows = rows[: n // 2], rows[n // 2 :]
    per_position: dict[int, list[float]] = {}
    started = time.perf_counter()
    for pk, row in plain:
        with CaptureQueriesContext(connection) as ctx:
            route_remiss.apply(args=[pk], kwargs={"outbox_id": row.pk}).get()
        for i, q in enumerate(ctx.captured_queries):
            per_position.setdefault(i, []).append(float(q["time"]))
    if plain:
        wall = (time.perf_counter() - started) / len(plain)
        sql_total = sum(sum(v) for v in per_position.values()) / len(plain)
        print(f"in process, no profiler: {wall * 1000:.1f} ms per task, of which {sql_total * 1000:.1f} ms in SQL")
        for i, times in sorted(per_position.items()):
            print(f"  statement {i + 1:2}: {sum(times) / len(times) * 1000:6.2f} ms mean")
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for pk, row in rows:
        route_remiss.apply(args=[pk], kwargs={"outbox_id": row.pk}).get()
    profile.disable()
    elapsed = time.perf_counter() - started
    pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    pstats.Stats(profile).sort_stats("tottime").print_stats(15)
    return elapsed / max(1, len(rows))


if __name__ == "__main__":
    main()
