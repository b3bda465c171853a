"""Benchmark: render a 60-§ protocol, and compare with WeasyPrint on the same HTML with no
application code around it.

    .venv/bin/python bench/protocol.py [--paragraphs 60]

Builds a meeting with 60 §§ (each with a yrkande, an omröstning of 11 members, a reservation and
a decision of a few paragraphs) in a fresh database (bench_protocol), then times, five runs each:
(a) the application path: protocol_html (queries and template) + html_to_pdf;
(b) bare WeasyPrint: HTML(string=...).write_pdf() on the HTML from (a).
Peak memory of each path is measured in a child process (ru_maxrss).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alingsas_ale.settings")
DB = "bench_protocol"
LOREM = (
    "Förvaltningen har utrett frågan och redovisar i tjänsteutlåtandet hur verksamheten påverkas, "
    "vilka kostnader förslaget medför och hur barnperspektivet har beaktats. "
)


def build(paragraphs: int) -> str:
    import django

    django.setup()
    from django.core.management import call_command
    from django_scopes import scope

    from cases.models import Body, BodyKind, Membership, Municipality, Person, SeatRole, User
    from meetings import services
    from meetings.models import AgendaItem, ItemKind

    call_command("migrate", verbosity=0)
    municipality = Municipality.objects.create(
        name="Bänkkommun", slug="bank", diarienummer_format="{series}.{year}.{number}"
    )
    with scope(municipality=municipality):
        body = Body.objects.create(
            municipality=municipality, name="Kommunstyrelsen", short_name="KS", kind=BodyKind.BOARD, diarium_series="KS"
        )
        secretary = User.objects.create(
            username="sekr",
            municipality=municipality,
            roles=["sekreterare"],
            first_name="Sara",
            last_name="Sekreterare",
        )
        people = []
        for i in range(11):
            person = Person.objects.create(
                municipality=municipality, first_name=f"Ledamot{i}", last_name=f"Efternamn{i}"
            )
            Membership.objects.create(
                municipality=municipality,
                person=person,
                body=body,
                role=SeatRole.CHAIR if i == 0 else SeatRole.MEMBER,
                party="SMCLKVD"[i % 7],
                starts_on=date(2023, 1, 1),
            )
            people.append(person)
        meeting = services.meeting_create(
            body=body,
            starts_at=datetime(2026, 3, 12, 13, tzinfo=ZoneInfo("Europe/Stockholm")),
            place="KS-salen",
            by=secretary,
        )
        rows = list(meeting.attendance.all())
        services.attendance_record(
            meeting, present=[r.pk for r in rows], justerare=[rows[1].pk], serving={}, by=secretary
        )
        for n in range(paragraphs - meeting.items.count()):
            item = AgendaItem.objects.create(
                municipality=municipality,
                meeting=meeting,
                ordering=100 + n,
                kind=ItemKind.CASE,
                title=f"Ärende {n + 1} om budget och verksamhetsplan",
                decision=(LOREM * 4 + "\n\n") * 2,
                dispatch=["Ekonomiavdelningen", "Kommunledningskontoret"],
            )
            services.floor_motion_add(item, mover=people[2], text="Bifall till förvaltningens förslag.", by=secretary)
            services.vote_record(
                item,
                yes_means="bifall till förslaget",
                no_means="avslag",
                ballots={p.pk: "ja" if i % 3 else "nej" for i, p in enumerate(people)},
                by=secretary,
            )
            services.reservation_add(item, person=people[3], by=secretary)
        services.protocol_close(meeting, by=secretary)
        return str(meeting.uuid)


def child(mode: str, key: str, html_path: str) -> None:
    """Run one path five times and print 'median_ms peak_mib'."""
    import django

    django.setup()
    from django_scopes import scope

    from cases.models import Municipality
    from cases.pdf import html_to_pdf

    times = []
    if mode == "app":
        from meetings.pdf import protocol_html

        municipality = Municipality.objects.get(slug="bank")
        for _ in range(5):
            started = time.perf_counter()
            with scope(municipality=municipality):
                html = protocol_html(municipality, key)
            pdf = html_to_pdf(html)
            times.append(time.perf_counter() - started)
        Path(html_path).write_text(html)
        Path(html_path + ".pdf").write_bytes(pdf)
    else:
        from weasyprint import HTML

        html = Path(html_path).read_text()
        for _ in range(5):
            started = time.perf_counter()
            HTML(string=html, base_url=str(ROOT)).write_pdf(pdf_variant="pdf/a-3a")
            times.append(time.perf_counter() - started)
    print(f"{statistics.median(times) * 1000:.0f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=60)
    parser.add_argument("--child", nargs=3)
    parser.add_argument("--tiny", action="store_true", help="5 §§: the smoke run in scripts/test")
    args = parser.parse_args()
    if args.tiny:
        args.paragraphs = 5
    if args.child:
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        child(*args.child)
        return

    from bench.common import fresh_database

    db_url = fresh_database(DB)
    os.environ["DATABASE_URL"] = db_url
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"  # the build enqueues a render; run it in-process
    key = build(args.paragraphs)
    html_path = str(ROOT / "var" / "bench-protocol.html")
    env = {**os.environ, "BENCH_DATABASE_URL": db_url}
    results = {}
    for mode in ("app", "bare"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, key, html_path],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        results[mode] = (float(out[-2]), float(out[-1]))
    pages = subprocess.run(["pdfinfo", html_path + ".pdf"], capture_output=True, text=True).stdout
    page_count = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
    (app_ms, app_mib), (bare_ms, bare_mib) = results["app"], results["bare"]
    print(f"protocol: {args.paragraphs} §§, {page_count} pages (PDF/A-3a, tagged)")
    print(f"application path (queries + template + WeasyPrint): median {app_ms:.0f} ms, peak RSS {app_mib:.0f} MiB")
    print(f"bare WeasyPrint on the same HTML:                    median {bare_ms:.0f} ms, peak RSS {bare_mib:.0f} MiB")
    print(f"ratio application / bare: time {app_ms / bare_ms:.2f}, memory {app_mib / bare_mib:.2f}")


if __name__ == "__main__":
    main()
