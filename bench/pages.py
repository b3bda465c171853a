"""Benchmark: the pages people use, over HTTP under load, beside a bare Django reference, in one run.

Fills a database of its own (bench_pages) on the embedded PostgreSQL (or DATABASE_URL's server):
the demo data, then — copied in SQL from rows the application made (bench/clone.py) — N cases in
Ale (default 1,000,000; N/10 more in Alingsås, which must not matter), five documents per case, a
case with 50 documents, 2,000 users, N/20 remisser, five years of meetings and a meeting of 40
items. Then it starts the application under gunicorn as scripts/run does, and a bare reference: the
same settings and middleware with one view that lists 25 rows of the same cases table. wrk drives
both with the same load. For each page it prints requests/s, p50/p95/p99 latency, the queries one
request makes and the ratio of its requests/s to the reference's.

A signed-in user's page is kept in Redis until the next write, in their municipality, to a table
the page read (alingsas_ale/pagecache.py). The pages are measured twice: as kept (nothing written meanwhile: a
user going back to a list, several opening the same case) and, on a second server started with
KEPT_PAGES=false, rendered on every request (what the first view after each write costs). The
reference is measured between every two pages, and each page is compared with the reference runs
on either side of it (the machine drifts by more than the pages differ).

    .venv/bin/python bench/pages.py                      # 1,000,000 cases, 10 s per page, 16 connections
    .venv/bin/python bench/pages.py --tiny               # 1,000 cases, 2 s per page: the smoke run
    .venv/bin/python bench/pages.py --cases 100000 --keep   # keep a filled database between runs

Numbers, not assertions; the one failure is a page that does not answer 200 to every request.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alingsas_ale.settings")

DB = "bench_pages"
PY = sys.executable

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, '
    .. '"errors": %d, "non2xx": %d}\\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class Page:
    label: str
    path: str
    user: str | None  # username, or None for an anonymous visitor
    queries: int = 0  # when rendered
    kept_queries: int = 0  # when kept (the same as ``queries`` for a page that is never kept)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers, for both servers")
    parser.add_argument("--keep", action="store_true", help="reuse bench_pages if it holds as many cases")
    parser.add_argument("--tiny", action="store_true", help="1,000 cases, 1 s per page, 2 connections")
    parser.add_argument("--only", help="run only the pages whose label contains this text")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="instead of the load: N requests per page through Django's test client under cProfile, "
        "and where the time goes",
    )
    args = parser.parse_args()
    if args.tiny:
        args.cases, args.duration, args.connections, args.threads, args.workers = 1000, 1, 2, 1, 2
    if not shutil.which("wrk"):
        sys.exit("wrk saknas: installera Debianpaketet wrk (scripts/bench gör det).")

    from alingsas_ale import embedded
    from bench.common import fresh_database

    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = existing_database(DB) if args.keep else None
        url = url or fresh_database(DB)
    os.environ["DATABASE_URL"] = url
    os.environ["DATABASE_CONN_MAX_AGE"] = os.environ.get("DATABASE_CONN_MAX_AGE", "60")
    redis_port = embedded.free_port()
    redis = embedded.start_redis(redis_port, data_dir=ROOT / "var" / "bench-redis")
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    try:
        import django

        django.setup()
        fill(args.cases)
        pages, cookies = prepare_pages()
        if args.only:
            pages = [p for p in pages if args.only in p.label]
        if args.profile:
            profile(pages, cookies, args.profile)
        else:
            run(args, pages, cookies)
    finally:
        redis.terminate()


def existing_database(name: str) -> str | None:
    import psycopg2

    from alingsas_ale import embedded

    base = os.environ.get("DATABASE_URL") or embedded.postgres_url()
    conn = psycopg2.connect(base)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cur.fetchone()
    conn.close()
    if not found:
        return None
    return base.replace("/postgres?", f"/{name}?") if "/postgres?" in base else base.rsplit("/", 1)[0] + f"/{name}"


def fill(cases: int) -> None:  # noqa: PLR0915 - one step per kind of row, in order
    from django.core.management import call_command
    from django.db import connection, transaction
    from django_scopes import scopes_disabled

    from audit.chain import seal
    from audit.schema import TRIGGER
    from bench.clone import clone
    from cases.models import Body, Case, Document, Municipality, Remiss, User
    from meetings.models import AgendaItem, Meeting

    call_command("migrate", verbosity=0)
    with scopes_disabled():
        ale = Municipality.objects.filter(slug="ale").first()
        if ale and Case.objects.filter(municipality=ale).count() >= cases:
            print(f"Databasen har redan {cases:,} ärenden i Ale.", flush=True)
            return
    call_command("load_demo")
    started = time.perf_counter()
    print(f"Fyller databasen: {cases:,} ärenden, {5 * cases:,} handlingar …", flush=True)
    words = "{budget,motion,förskola,integration,detaljplan,remiss,avtal,upphandling,bygglov,skola,äldreomsorg,kultur}"
    # The years of history come in as an import from an earlier system would: without a row in the
    # audit trail for each (the trigger is off inside this transaction only, so no other session
    # ever writes unlogged). Logged, they would be 6 million rows to link into the chain first
    # (audit_seal, 0.26 ms a row); a running system has linked all but its last ten seconds.
    cloned = ("cases_user", "cases_case", "cases_document", "cases_remiss", "meetings_meeting", "meetings_agendaitem")
    with scopes_disabled(), transaction.atomic():
        with connection.cursor() as cur:
            for table in cloned:
                cur.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER {TRIGGER}')
        ale = Municipality.objects.get(slug="ale")
        alingsas = Municipality.objects.get(slug="alingsas")
        official = User.objects.get(username="ale.handlaggare")
        first_user, last_user = clone(
            "cases_user",
            template_id=official.pk,
            count=2000,
            vary={
                "username": "'bench.' || g",
                "email": "'bench.' || g || '@ale.se'",
                "last_name": "'Användare ' || g",
                "calendar_token": "gen_random_uuid()",
            },
        )
        for municipality, n, offset in ((ale, cases, 0), (alingsas, cases // 10, 0)):
            template = Case.objects.filter(municipality=municipality).order_by("pk").first()
            assert template is not None
            bodies = list(Body.objects.filter(municipality=municipality).values_list("pk", "diarium_series"))
            body_ids = "ARRAY[" + ",".join(str(pk) for pk, _ in bodies) + "]"
            series = "ARRAY[" + ",".join(f"'{s}'" for _, s in bodies) + "]"
            handlers = f"{first_user} + (g % 2000)" if municipality == ale else f"{template.handler_id or 'NULL'}"
            year = "2000 + (g % 25)"
            number = f"{100000 + offset} + g"
            series_expr = f"({series})[1 + g % {len(bodies)}]"
            diarienummer = sql_format(municipality.diarienummer_format, series_expr, year, number)
            first_case, _ = clone(
                "cases_case",
                template_id=template.pk,
                count=n,
                vary={
                    "series": series_expr,
                    "year": year,
                    "number": number,
                    "diarienummer": diarienummer,
                    "body_id": f"({body_ids})[1 + g % {len(bodies)}]",
                    "handler_id": handlers,
                    "status": "CASE WHEN g % 5 = 0 THEN 'closed' ELSE 'open' END",
                    "registered_on": "date '2000-01-01' + (g % 9000)",
                    "title": f"'Ärende ' || g || ' om ' || ('{words}'::text[])[1 + g % 12] || ' och ' || "
                    f"('{words}'::text[])[1 + (g / 7) % 12] || CASE WHEN g % 100000 = 7 THEN ' sällsyntordet' ELSE '' END",
                },
            )
            if municipality == ale:
                ale_first_case = first_case
        document = Document.objects.filter(municipality=ale, secrecy_provision="").order_by("pk").first()
        assert document is not None
        clone(
            "cases_document",
            template_id=document.pk,
            count=5 * cases,
            vary={
                "case_id": f"{ale_first_case} + (g - 1) / 5",
                "sequence": "1 + (g - 1) % 5",
                "uuid": "gen_random_uuid()",
                "description": f"'Handling ' || g || ' om ' || ('{words}'::text[])[1 + g % 12]",
            },
        )
        big_case = Case.objects.get(pk=ale_first_case + 1)
        clone(
            "cases_document",
            template_id=document.pk,
            count=45,
            vary={"case_id": str(big_case.pk), "sequence": "100 + g", "uuid": "gen_random_uuid()"},
        )
        remiss = Remiss.objects.filter(municipality=ale).order_by("pk").first()
        if remiss is not None:
            clone(
                "cases_remiss",
                template_id=remiss.pk,
                count=max(20, cases // 20),
                vary={
                    "case_id": f"{ale_first_case} + 100 + g",
                    "uuid": "gen_random_uuid()",
                    "deadline": "current_date + (g % 60) - 20",
                    "response_case_id": "NULL",
                },
            )
        meeting = Meeting.objects.filter(items__isnull=False).distinct().order_by("-starts_at", "pk").first()
        assert meeting is not None, "the demo has a meeting with items"
        clone(
            "meetings_meeting",
            template_id=meeting.pk,
            count=5 * 8 * 10,
            vary={"uuid": "gen_random_uuid()", "starts_at": "now() - g * interval '4 days 3 hours'"},
        )
        item = AgendaItem.objects.filter(meeting=meeting).order_by("ordering").last()
        assert item is not None
        missing = max(0, 40 - AgendaItem.objects.filter(meeting=meeting).count())
        clone(
            "meetings_agendaitem",
            template_id=item.pk,
            count=missing,
            vary={
                "uuid": "gen_random_uuid()",
                "ordering": f"{item.ordering} + g",
                "paragraph": "NULL",
                "title": "'Ärende ' || g || ' på dagordningen'",
            },
        )
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred key checks, before the ALTER
            for table in cloned:
                cur.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER {TRIGGER}')
    seal()  # the demo's own rows: linked, as the beat task would have done
    with connection.cursor() as cur:
        # VACUUM too, as autovacuum would within minutes: the visibility map (index-only scans) and no
        # autovacuum of six million new rows running under the first pages measured (the first
        # page right after a fill measured 0.35 of the reference, and 0.44 on the same data later).
        cur.execute("VACUUM (ANALYZE)")
    print(f"… klart på {time.perf_counter() - started:.0f} s", flush=True)


def sql_format(fmt: str, series: str, year: str, number: str) -> str:
    """The municipality's diarienummer format (``{series} {year}.{number}``) as an SQL expression."""
    parts: list[str] = []
    rest = fmt
    for _ in range(10):
        start = rest.find("{")
        if start < 0:
            break
        if start:
            parts.append("'" + rest[:start].replace("'", "''") + "'")
        end = rest.index("}", start)
        parts.append(
            {"series": series, "year": f"({year})::text", "number": f"({number})::text"}[rest[start + 1 : end]]
        )
        rest = rest[end + 1 :]
    if rest:
        parts.append("'" + rest.replace("'", "''") + "'")
    return " || ".join(parts)


def prepare_pages() -> tuple[list[Page], dict[str, str]]:
    """The pages with real addresses, each opened once through Django to count its queries, and a
    signed-in session cookie per user."""
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django_scopes import scopes_disabled

    from cases.models import Body, Case, Municipality, User
    from meetings.models import Meeting

    with scopes_disabled():
        ale = Municipality.objects.get(slug="ale")
        big_case = (
            Case.objects.filter(municipality=ale, number__gt=100000)
            .annotate(n=Count("documents"))
            .order_by("-n")
            .first()
        )
        cases = Case.objects.filter(municipality=ale).count()
        deep = Case.objects.filter(municipality=ale).order_by("-pk").values_list("pk", flat=True)[cases // 2]
        body = Body.objects.filter(municipality=ale).order_by("pk").first()
        meeting = Meeting.objects.annotate(n=Count("items")).order_by("-n").first()
        some = Case.objects.filter(municipality=ale, number__gt=100000).order_by("pk")[3]
        assert big_case and body and meeting
        staff = "ale.registrator"
        politician = (
            User.objects.filter(person__memberships__body=meeting.body).values_list("username", flat=True).first()
        )
        assert politician, "the 40-item meeting's body has a member who is a user"
    pages = [
        Page("diariet, första sidan", "/diarium/", staff),
        Page("diariet, sida mitt i", f"/diarium/?efter={deep}", staff),
        Page("diariet, filter organ", f"/diarium/?body={body.pk}", staff),
        Page("diariet, filter status+år", "/diarium/?status=open&year=2017", staff),
        Page("diariet, filter handläggare", f"/diarium/?handler={big_case.handler_id}", staff),
        Page("sök: vanligt ord", "/diarium/?q=f%C3%B6rskola", staff),
        Page("sök: två vanliga ord", "/diarium/?q=budget+avtal", staff),
        Page("sök: sällsynt ord", "/diarium/?q=s%C3%A4llsyntordet", staff),
        Page("sök: ord som saknas", "/diarium/?q=finnsinte", staff),
        Page("sök: diarienummer", "/diarium/?q=" + urllib.request.quote(some.diarienummer), staff),
        Page("ärende med 50 handlingar", f"/arenden/{big_case.ref}/", staff),
        Page("mina ärenden", "/arenden/mina/", "ale.handlaggare"),
        Page("remissbevakning", "/remissbevakning/", staff),
        Page("sammanträde, 40 punkter", f"/sammantraden/{meeting.uuid}/", f"{meeting.municipality.slug}.sekreterare"),
        Page("läsesalen, sammanträdet", f"/lasesal/{meeting.uuid}/", politician),
        Page("anslagstavlan (publik)", f"/{meeting.municipality.slug}/anslagstavla/", None),
    ]
    cookies: dict[str, str] = {}
    for username in {p.user for p in pages if p.user}:
        client = Client(HTTP_HOST="127.0.0.1")
        with scopes_disabled():
            client.force_login(User.objects.get(username=username))
        cookies[username] = client.cookies["sessionid"].value
    for page in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        if page.user:
            client.cookies["sessionid"] = cookies[page.user]
        client.get(page.path)  # warm: the session's first request writes it
        with override_settings(KEPT_PAGES=False), CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
        if response.status_code != 200:
            raise SystemExit(f"{page.label}: {page.path} svarade {response.status_code}")
        page.queries = len(queries)
        client.get(page.path)  # rendered and kept
        with CaptureQueriesContext(connection) as queries:
            client.get(page.path)
        page.kept_queries = len(queries)
    return pages, cookies


def profile(pages: list[Page], cookies: dict[str, str], n: int) -> None:
    """Each page ``n`` times in this process: its milliseconds a request without and with the
    profiler, and the functions it spends them in (own time, then cumulative for the project's code)."""
    import cProfile
    import pstats

    from django.test import Client

    for page in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        if page.user:
            client.cookies["sessionid"] = cookies[page.user]
        for _ in range(5):
            client.get(page.path)
        started = time.perf_counter()
        for _ in range(n):
            client.get(page.path)
        plain = (time.perf_counter() - started) / n
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(n):
            client.get(page.path)
        profiler.disable()
        print(f"\n==> {page.label}: {plain * 1000:.1f} ms a request in process ({page.queries} queries)")
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(20)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("cumulative").print_stats(re.escape(str(ROOT)) + r"/(?!\.venv)", 30)


def serve(settings: str, port: int, workers: int, **environ: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, "PYTHONPATH": str(ROOT), **environ}
    proc = subprocess.Popen(  # noqa: S603
        [PY, "-m", "gunicorn", "alingsas_ale.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/konto/logga-in/", timeout=2)  # noqa: S310
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(
                    f"gunicorn ({settings}) startade inte: {proc.stderr.read().decode()[-2000:]}"
                ) from None
            time.sleep(0.2)
    raise SystemExit("gunicorn svarade inte inom 60 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def wrk(
    args: argparse.Namespace, url: str, cookie: str | None, script: Path, *, warm: bool = False
) -> dict[str, float]:
    # The warm-up opens the connections and fills the caches; three seconds do it.
    seconds = min(args.duration, 3) if warm else args.duration
    command = [
        "wrk",
        "-t",
        str(args.threads),
        "-c",
        str(args.connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "30s",
    ]
    command += ["-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    if warm:
        return result
    if result["non2xx"] or (result["errors"] and result["errors"] >= result["requests"]):
        raise SystemExit(f"{url}: {result['non2xx']} svar utan 2xx, {result['errors']} fel av {result['requests']}")
    # A request still running when the time is up is not counted: on a loaded machine at the tiny
    # size a slow page may finish none, which shows as 0 req/s, not as a crash.
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def run(args: argparse.Namespace, pages: list[Page], cookies: dict[str, str]) -> None:
    """The reference and the pages taken in turns: reference, page, reference, page, …, reference.
    Each page is compared with the mean of the reference runs just before and just after it, ten
    seconds away, not with one figure for the whole run: on this shared machine the same reference
    has measured 456 and 921 req/s in two runs an hour apart, and drifted by a third within one."""
    from alingsas_ale import embedded

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "report.lua"
        script.write_text(WRK_SCRIPT)
        rendered = [page for page in pages if page.kept_queries < page.queries]
        ports = {name: embedded.free_port() for name in ("reference", "kept", "rendered")}
        # All three servers up for the whole run; an idle gunicorn worker costs nothing.
        servers = [serve("bench.bare_settings", ports["reference"], args.workers)]
        try:
            servers.append(serve("alingsas_ale.settings", ports["kept"], args.workers))
            if rendered:
                servers.append(serve("alingsas_ale.settings", ports["rendered"], args.workers, KEPT_PAGES="false"))
            reference_url = f"http://127.0.0.1:{ports['reference']}/"
            wrk(args, reference_url, None, script, warm=True)
            references = [wrk(args, reference_url, None, script)]
            measured: list[tuple[str, Page, dict[str, float]]] = []
            for kind, chosen in (("kept", pages), ("rendered", rendered)):
                for page in chosen:
                    cookie = cookies.get(page.user) if page.user else None
                    url = f"http://127.0.0.1:{ports[kind]}{page.path}"
                    wrk(args, url, cookie, script, warm=True)  # caches, connections
                    measured.append((kind, page, wrk(args, url, cookie, script)))
                    references.append(wrk(args, reference_url, None, script))
        finally:
            for server in servers:
                stop(server)
    print_table(args, references, measured)


def print_table(
    args: argparse.Namespace,
    references: list[dict[str, float]],
    measured: list[tuple[str, Page, dict[str, float]]],
) -> None:
    cores = os.cpu_count()
    print(
        f"\n{args.cases:,} ärenden · wrk {args.threads} trådar, {args.connections} anslutningar, {args.duration} s per sida · "
        f"gunicorn {args.workers} arbetare · {cores} kärnor\n"
        "Varje sida jämförs med medelvärdet av referensen (ren Django, 25 rader) strax före och strax efter den.\n"
    )
    header = (
        f"{'sida':<30} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'frågor':>7} "
        f"{'ref. req/s':>10} {'mot ref.':>9}"
    )

    def row(label: str, r: dict[str, float], queries: str, reference: float) -> None:
        ratio = f"{r['rps'] / reference:.2f}" if reference else "–"
        print(
            f"{label:<30} {r['rps']:8.1f} {r['p50'] / 1000:8.1f} {r['p95'] / 1000:8.1f} {r['p99'] / 1000:8.1f} "
            f"{queries:>7} {reference:10.1f} {ratio:>9}"
        )

    ratios: dict[str, list[float]] = {"kept": [], "rendered": []}
    for index, (kind, page, r) in enumerate(measured):
        if index == 0 or kind != measured[index - 1][0]:
            title = (
                "sparade sidor (ingenting skrivet sedan sidan ritades)"
                if kind == "kept"
                else "samma sidor ritade vid varje visning (KEPT_PAGES=false: den första visningen efter en ändring)"
            )
            print(f"\n{title}\n{header}\n{'-' * len(header)}")
        reference = statistics.mean([references[index]["rps"], references[index + 1]["rps"]])
        row(page.label, r, str(page.kept_queries if kind == "kept" else page.queries), reference)
        if reference:
            ratios[kind].append(r["rps"] / reference)
    rps = [r["rps"] for r in references]
    p95 = [r["p95"] / 1000 for r in references]
    print(
        f"\nreferensen, {len(references)} mätningar: {min(rps):.0f}–{max(rps):.0f} req/s "
        f"(median {statistics.median(rps):.0f}), p95 {min(p95):.1f}–{max(p95):.1f} ms"
    )
    for kind, label in (("kept", "sparade"), ("rendered", "ritade")):
        if ratios[kind]:
            values = ratios[kind]
            print(
                f"{label}: median mot referensen {statistics.median(values):.2f}; lägsta {min(values):.2f}; "
                f"{sum(v >= 0.40 for v in values)} av {len(values)} når 0,40"
            )


if __name__ == "__main__":
    main()
