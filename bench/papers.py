"""Benchmarks for drafting: autosave over real HTTP (gunicorn), and PDF rendering of the two seeds.

    .venv/bin/python bench/papers.py [--saves 400] [--threads 4]

Creates a fresh database (bench_papers) with the demo data, starts gunicorn on a free port, signs
in as Ale's handläggare and autosaves a realistic draft (the KS.2017.407 seed, ~3 kB of HTML in 12
parts) from several threads, each save changing one section. Then renders each seed paper's PDF
five times in this process (WeasyPrint, PDF/A-3a) and reports the median time and peak memory.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alingsas_ale.settings")
DB = "bench_papers"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=400)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--tiny", action="store_true", help="20 saves on 2 threads: the smoke run in scripts/test")
    args = parser.parse_args()
    if args.tiny:
        args.saves, args.threads = 20, 2

    from alingsas_ale import embedded
    from bench.common import fresh_database

    os.environ["DATABASE_URL"] = fresh_database(DB)
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"  # the demo's PDF tasks run in-process here
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

    import django

    django.setup()
    from django.core.management import call_command
    from django_scopes import scope

    from cases.models import Municipality
    from papers.models import Draft

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    ale = Municipality.objects.get(slug="ale")
    with scope(municipality=ale):
        draft = Draft.objects.get(case__diarienummer="KS.2017.407")
        from cases.models import User
        from papers.services import draft_create, draft_reopen, draft_save

        author = User.objects.get(username="ale.handlaggare")
        draft_reopen(draft, by=author)
        draft.refresh_from_db()
        # One draft per thread: officials autosave their own papers; one shared draft would measure conflicts.
        drafts = []
        for _ in range(args.threads):
            copy = draft_create(draft.case, template=draft.template, by=author, title=draft.title)
            drafts.append(draft_save(copy, base_version=copy.version, content=draft.content, by=author))

    port = embedded.free_port()
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "true"}
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "alingsas_ale.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/konto/logga-in/", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.1)
        latencies, elapsed, conflicts = autosave_load(base, drafts, args.saves)
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(10)
    latencies.sort()
    print(
        f"autosave: {len(latencies)} saves, {args.threads} officials each on their own draft, in {elapsed:.2f} s -> {len(latencies) / elapsed:.0f} saves/s"
    )
    print(
        f"          median {statistics.median(latencies):.1f} ms, p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms, "
        f"max {latencies[-1]:.1f} ms; refused as conflicts: {conflicts}"
    )

    from cases.pdf import html_to_pdf
    from papers.pdf import draft_html

    with scope(municipality=ale):
        ale_key = str(draft.uuid)
    alingsas = Municipality.objects.get(slug="alingsas")
    with scope(municipality=alingsas):
        alingsas_key = str(Draft.objects.get(template__kind="yttrande").uuid)
    for label, municipality, key in (("Ale KS.2017.407", ale, ale_key), ("Alingsås yttrande", alingsas, alingsas_key)):
        with scope(municipality=municipality):
            html = draft_html(municipality, key)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            pdf = html_to_pdf(html)
            times.append((time.perf_counter() - started) * 1000)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"pdf {label:<20} median {statistics.median(times):6.0f} ms  ({len(pdf) / 1024:.0f} kB), process peak RSS {peak:.0f} MiB"
        )


def autosave_load(base: str, drafts, saves: int):  # type: ignore[no-untyped-def]
    """Each thread signs in as the handläggare and autosaves its own draft, keeping the version it got back."""
    latencies: list[float] = []
    conflicts = 0
    lock = threading.Lock()
    threads = len(drafts)
    per_thread = saves // threads

    def session():  # type: ignore[no-untyped-def]
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{base}/konto/logga-in/").read().decode()  # noqa: S310
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]  # type: ignore[index]
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "ale.handlaggare", "password": "demo-2026"}
        )
        opener.open(urllib.request.Request(f"{base}/konto/logga-in/", data=body.encode(), headers={"Referer": base}))  # noqa: S310
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        return opener, csrf

    def fields(draft, n: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
        data = {
            "title": draft.title,
            "paper_date": "2017-12-13",
            "addressee": str(draft.addressee_id),
            "proposal": "\n".join(draft.content["proposal"]),
            "signatories": "\n".join(f"{s['name']}, {s['title']}" for s in draft.content["signatories"]),
            "dispatch": "\n".join(draft.content["dispatch"]),
            "basis-extra": "\n".join(b["text"] for b in draft.content["basis"]),
        }
        for key, html in draft.content["sections"].items():
            data[f"section-{key}"] = html
        data["section-bedomning"] = draft.content["sections"]["bedomning"] + f"<p>Tillägg {n}.</p>"
        return data

    def work(t: int) -> None:
        nonlocal conflicts
        opener, csrf = session()
        draft = drafts[t]
        base_version = draft.version
        for i in range(per_thread):
            data = {**fields(draft, i), "base_version": str(base_version)}
            request = urllib.request.Request(
                f"{base}/utlatanden/{draft.uuid}/redigera/",
                data=urllib.parse.urlencode(data).encode(),
                headers={"HX-Request": "true", "X-CSRFToken": csrf, "Referer": base},
            )
            started = time.perf_counter()
            reply = opener.open(request).read().decode()  # noqa: S310
            took = (time.perf_counter() - started) * 1000
            match = re.search(r'id="base_version" value="(\d+)"', reply)
            if match:
                base_version = int(match[1])
            with lock:
                latencies.append(took)
                if "medan du skrev" in reply:
                    conflicts += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return latencies, time.perf_counter() - started, conflicts


if __name__ == "__main__":
    main()
