"""Benchmark: the diarium list at a million cases.

Fills a separate database on the embedded (or DATABASE_URL) server with N cases in one
municipality (plus N/10 in another, which must not matter), then times the list's queries
as the view issues them: first page, a deep keyset page, a filtered page, free-text search
(common word and a rare one), a diarienummer look-up and the bounded count.

    .venv/bin/python bench/diarium_list.py            # 1,000,000 cases
    .venv/bin/python bench/diarium_list.py --cases 100000

Prints the median and p95 of 30 runs per query, in milliseconds. Numbers, not assertions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alingsas_ale.settings")

BENCH_DB = "bench_diarium"


def setup_database(cases: int) -> None:
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = BENCH_DB  # before django.setup(): everything uses the bench DB
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from cases.models import Case

    call_command("migrate", verbosity=0)
    with scopes_disabled():
        if Case.objects.count() >= cases:
            return
    print(f"Fyller databasen med {cases:,} ärenden …", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cur:
        # The append-only logs refuse TRUNCATE except in a session that says it means it (as the tests' flush).
        cur.execute("SET meetings.allow_truncate = 'on'")
        cur.execute("SET audit.allow_truncate = 'on'")
        cur.execute("TRUNCATE cases_case, cases_municipality, cases_body, cases_user CASCADE")
        cur.execute(
            "INSERT INTO cases_municipality (name, slug, diarienummer_format, email_domain) VALUES "
            "('Bänkkommun', 'bank', '{series}.{year}.{number}', ''), ('Annan kommun', 'annan', '{series} {year}/{number}', '')"
        )
        cur.execute("SELECT id FROM cases_municipality ORDER BY id")
        (m1,), (m2,) = cur.fetchall()
        for m in (m1, m2):
            cur.execute(
                "INSERT INTO cases_body (municipality_id, name, short_name, kind, diarium_series, is_active, ordering) "
                "SELECT %s, 'Nämnd ' || g, 'N' || g, 'namnd', 'N' || g, true, g FROM generate_series(1, 8) g",
                [m],
            )
            cur.execute(
                "INSERT INTO cases_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
                "is_active, date_joined, municipality_id, roles, title, calendar_token) SELECT '', false, "
                "'u' || %s || '_' || g, 'Förnamn', 'Efternamn ' || g, '', false, true, now(), %s, "
                "ARRAY['handlaggare'], '', gen_random_uuid() "
                "FROM generate_series(1, 50) g",
                [m, m],
            )
        words = (
            "{budget,motion,förskola,integration,detaljplan,remiss,avtal,upphandling,bygglov,skola,äldreomsorg,kultur}"
        )
        for m, n in ((m1, cases), (m2, cases // 10)):
            cur.execute(
                """
                INSERT INTO cases_case (municipality_id, series, year, number, diarienummer, title, body_id,
                    handler_id, status, registered_on, registered_by_id)
                SELECT %(m)s, 'N' || (1 + g %% 8), 2000 + (g %% 25), g, 'N' || (1 + g %% 8) || '.' || (2000 + g %% 25) || '.' || g,
                    'Ärende ' || g || ' om ' || (%(words)s::text[])[1 + g %% 12] || ' och ' || (%(words)s::text[])[1 + (g / 7) %% 12]
                    || CASE WHEN g %% 100000 = 7 THEN ' sällsyntordet' ELSE '' END,
                    (SELECT id FROM cases_body WHERE municipality_id = %(m)s ORDER BY id LIMIT 1 OFFSET g %% 8),
                    (SELECT id FROM cases_user WHERE municipality_id = %(m)s ORDER BY id LIMIT 1 OFFSET g %% 50),
                    CASE WHEN g %% 5 = 0 THEN 'closed' ELSE 'open' END, date '2000-01-01' + (g %% 9000),
                    (SELECT id FROM cases_user WHERE municipality_id = %(m)s ORDER BY id LIMIT 1)
                FROM generate_series(1, %(n)s) g
                """,  # noqa: S608 - constant SQL
                {"m": m, "n": n, "words": words},
            )
        cur.execute("ANALYZE")
    print(f"… klart på {time.perf_counter() - started:.0f} s", flush=True)


def timed(label: str, fn, runs: int = 30) -> None:
    fn()  # warm
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<48} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--tiny", action="store_true", help="1,000 cases: the smoke run in scripts/test")
    args = parser.parse_args()
    if args.tiny:
        args.cases = 1000
    ensure_database()
    setup_database(args.cases)

    from django_scopes import scope

    from cases.models import Body, Case, Municipality, User
    from cases.queries import diarium_filter, keyset_page

    municipality = Municipality.objects.get(slug="bank")
    with scope(municipality=municipality):
        base = Case.objects.all().for_list()
        total = Case.objects.count()
        print(
            f"\n{total:,} ärenden i kommunen (plus {Case.objects.with_scopes_disabled().count() - total:,} i en annan)\n"
        )
        deep_cursor = Case.objects.order_by("-pk").values_list("pk", flat=True)[total // 2]
        body = Body.objects.first()
        handler = User.in_municipality.first()

        def page(data=None, after=None):
            return keyset_page(diarium_filter(base, municipality, data or {}), after=after, before=None)

        timed("första sidan (25 rader + begränsat antal)", lambda: page())
        timed("sida mitt i listan (keyset)", lambda: page(after=deep_cursor))
        timed("filter: organ + status + år", lambda: page({"body": body, "status": "open", "year": 2017}))
        timed("filter: handläggare", lambda: page({"handler": handler}))
        timed("fritext, vanligt ord (”förskola”)", lambda: page({"q": "förskola"}))
        timed("fritext, två ord (”budget avtal”)", lambda: page({"q": "budget avtal"}))
        timed("fritext, sällsynt ord", lambda: page({"q": "sällsyntordet"}))
        timed("fritext, ord som saknas", lambda: page({"q": "finnsinte"}))
        timed("diarienummer (N2.2001.1)", lambda: page({"q": "N2.2001.1"}))


def ensure_database() -> None:
    import psycopg2

    from alingsas_ale import embedded

    url = os.environ.get("DATABASE_URL") or embedded.postgres_url()
    os.environ["DATABASE_URL"] = url
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        if not cur.fetchone():
            cur.execute(f"CREATE DATABASE {BENCH_DB}")
    conn.close()


if __name__ == "__main__":
    main()
