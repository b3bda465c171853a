"""Benchmark: what the audit trail costs. Registers N cases (each a case, its event and a number
allocation, in one transaction, as the registrar's request does) with the audit triggers on and
with them off, in rounds that alternate, on a fresh database of its own.

    .venv/bin/python bench/audit.py             # 1,000 cases per round, 2 rounds each
    .venv/bin/python bench/audit.py --cases 200

Prints the time per round and per case, the log rows written, and the time audit_seal() (the beat
task) takes to link them into the chain afterwards. Numbers, not assertions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alingsas_ale.settings")
DB = "bench_audit"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--tiny", action="store_true", help="20 cases, one round: the smoke run in scripts/test")
    args = parser.parse_args()
    if args.tiny:
        args.cases, args.rounds = 20, 1
    from bench.common import fresh_database

    os.environ["DATABASE_URL"] = fresh_database(DB)
    os.environ.pop("DATABASE_OWNER_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scope, scopes_disabled

    from audit.context import Actor, acting, send_actor
    from audit.schema import TRIGGER, tables_with_trigger
    from cases import services
    from cases.models import Body, BodyKind, Municipality, Role, User

    call_command("migrate", verbosity=0)
    with scopes_disabled():
        municipality = Municipality.objects.create(
            name="Bänkkommun", slug="bank", diarienummer_format="{series}.{year}.{number}"
        )
        body = Body.objects.create(
            municipality=municipality, name="Kommunstyrelsen", short_name="KS", kind=BodyKind.BOARD, diarium_series="KS"
        )
        registrar = User.objects.create(username="bank.reg", municipality=municipality, roles=[Role.REGISTRAR])
    with connection.cursor() as cursor:
        tables = sorted(tables_with_trigger(cursor))

    def triggers(on: bool) -> None:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'ALTER TABLE "{table}" {"ENABLE" if on else "DISABLE"} TRIGGER {TRIGGER}')
        if on and send_actor not in connection.execute_wrappers:
            connection.execute_wrappers.append(send_actor)
        if not on and send_actor in connection.execute_wrappers:
            connection.execute_wrappers.remove(send_actor)

    def log_rows() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_auditentry")
            return int(cursor.fetchone()[0])

    def register(n: int) -> float:
        started = time.perf_counter()
        with scope(municipality=municipality), acting(Actor(user_id=registrar.pk, municipality_id=municipality.pk)):
            for i in range(n):
                services.case_register(
                    municipality=municipality,
                    title=f"Ärende {i}",
                    body=body,
                    by=registrar,
                    registered_on=date(2026, 1, 5),
                )
        return time.perf_counter() - started

    register(50)  # warm up
    results: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.rounds):
        for on in (False, True):
            triggers(on)
            before = log_rows()
            seconds = register(args.cases)
            results[on].append(seconds)
            print(
                f"{'med' if on else 'utan'} granskningslogg: {args.cases} ärenden på {seconds:.2f} s "
                f"({seconds / args.cases * 1000:.2f} ms/ärende), {log_rows() - before} loggrader",
                flush=True,
            )
    without, with_ = statistics.median(results[False]), statistics.median(results[True])
    print(f"median utan: {without:.2f} s, med: {with_:.2f} s, kostnad {100 * (with_ / without - 1):+.0f} %")
    from audit.chain import seal

    started = time.perf_counter()
    linked = seal()
    seconds = time.perf_counter() - started
    print(f"audit_seal: {linked} rader länkade på {seconds:.2f} s ({seconds / max(linked, 1) * 1000:.2f} ms/rad)")


if __name__ == "__main__":
    main()
