"""Benchmark: the reading room, a 40-item meeting opened and 100,000 extracted handlingar searched.

Fills a database of its own (bench_reading) on the embedded (or DATABASE_URL) server: one
municipality, four nämnder, 10,000 cases of 10 handlingar each (every 20th secret), each handling
with 150 words of extracted text (a Swedish core vocabulary that most texts share, and 5,000 rarer
terms), and 250 meetings of 40 items each, one case per item. A politician holds a seat in one
nämnd, so reads a quarter of the meetings; a registrar reads them all. Then times, 30 runs each:
the meeting page and one item page of a 40-item meeting (the Django test client, the whole view),
and the search for a common word, a rarer term, two words, a word in two handlingar and a word
that is in none, as the politician and as the registrar.

    .venv/bin/python bench/reading.py            # 100,000 handlingar
    .venv/bin/python bench/reading.py --tiny     # 1,000 handlingar, to see that it runs
    .venv/bin/python bench/reading.py --reuse    # time again without filling the database again

Prints the median and p95 in milliseconds. Numbers, not assertions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alingsas_ale.settings")

from bench.common import fresh_database  # noqa: E402

DB = "bench_reading"
ITEMS = 40
PER_CASE = 10
CORE = (
    "{skola,förskola,elev,budget,kostnad,förvaltning,nämnd,beslut,utredning,förslag,verksamhet,kommun,"
    "barn,vårdnadshavare,lokal,personal,ekonomi,plan,uppföljning,yttrande,remiss,avtal,upphandling,"
    "trafik,buss,hållplats,gata,park,bygglov,detaljplan,miljö,kultur,fritid,äldreomsorg,hemtjänst,"
    "socialtjänst,integration,bostad,vatten,avlopp}"
)


def reuse() -> None:
    """Time again on the database the last run filled."""
    import django
    from django.conf import settings

    from alingsas_ale import embedded

    base = os.environ.get("DATABASE_URL") or embedded.postgres_url()
    os.environ["DATABASE_URL"] = (
        base.replace("/postgres?", f"/{DB}?") if "/postgres?" in base else base.rsplit("/", 1)[0] + f"/{DB}"
    )
    django.setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def build(documents: int) -> None:
    import django
    from django.conf import settings

    os.environ["DATABASE_URL"] = fresh_database(DB)
    django.setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scope

    from cases.models import Body, BodyKind, Case, Membership, Municipality, Person, SeatRole, User
    from meetings.models import AgendaItem, ItemKind, Meeting, MeetingStatus

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    cases = documents // PER_CASE
    meetings = max(1, cases // ITEMS)
    print(f"Fyller databasen: {documents:,} handlingar i {cases:,} ärenden, {meetings} sammanträden …", flush=True)
    municipality = Municipality.objects.create(
        name="Bänkkommun", slug="bank", diarienummer_format="{series}.{year}.{number}"
    )
    with scope(municipality=municipality):
        bodies = [
            Body.objects.create(
                municipality=municipality,
                name=f"Nämnd {n}",
                short_name=f"N{n}",
                kind=BodyKind.BOARD,
                diarium_series=f"N{n}",
            )
            for n in range(1, 5)
        ]

        def user(name: str, roles: list[str]) -> User:
            u = User(username=name, municipality=municipality, roles=roles, first_name=name.title(), last_name="Bänk")
            u.set_password("losen-for-bank-1")
            u.save()
            return u

        secretary = user("sekreterare", ["sekreterare"])
        registrar = user("registrator", ["registrator"])
        politician = user("politiker", ["fortroendevald"])
        person = Person.objects.create(
            municipality=municipality, first_name="Pia", last_name="Politiker", user=politician
        )
        Membership.objects.create(
            municipality=municipality,
            person=person,
            body=bodies[0],
            role=SeatRole.MEMBER,
            party="S",
            starts_on=date(2015, 1, 1),
        )
        Case.objects.bulk_create(
            [
                Case(
                    municipality=municipality,
                    series=bodies[(n // ITEMS) % 4].short_name,
                    year=2025,
                    number=n,
                    diarienummer=f"{bodies[(n // ITEMS) % 4].short_name}.2025.{n}",
                    title=f"Ärende {n}",
                    body=bodies[(n // ITEMS) % 4],
                    registered_by=registrar,
                )
                for n in range(cases)
            ],
            batch_size=2000,
        )
        case_ids = list(Case.objects.order_by("number").values_list("pk", flat=True))
        first_day = datetime(2025, 1, 7, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
        Meeting.objects.bulk_create(
            [
                Meeting(
                    municipality=municipality,
                    body=bodies[m % 4],
                    starts_at=first_day + timedelta(days=m),
                    place="Sal A",
                    status=MeetingStatus.CALLED,
                    secretary=secretary,
                )
                for m in range(meetings)
            ]
        )
        meeting_ids = list(Meeting.objects.order_by("starts_at").values_list("pk", flat=True))
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    municipality=municipality,
                    meeting_id=meeting_ids[m],
                    ordering=i + 1,
                    kind=ItemKind.CASE,
                    title=f"Ärende {m * ITEMS + i}",
                    case_id=case_ids[m * ITEMS + i],
                )
                for m in range(meetings)
                for i in range(ITEMS)
                if m * ITEMS + i < len(case_ids)
            ],
            batch_size=2000,
        )
        with connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO cases_document (municipality_id, uuid, case_id, sequence, direction, document_date,
                    counterpart, description, file, file_name, content_type, file_size, checksum,
                    secrecy_provision, secrecy_marked_on, secrecy_marked_by_id, registered_at, registered_by_id,
                    text, text_extracted_at, display_pdf)
                SELECT %(m)s, gen_random_uuid(), %(first_case)s + (g - 1) / %(per)s, 1 + (g - 1) %% %(per)s, 'in',
                    date '2025-01-01', 'Avsändare', 'Handling ' || g, '', 'handling.pdf', 'application/pdf', 1000, '',
                    CASE WHEN g %% 20 = 0 THEN 'OSL 26 kap. 1 §' ELSE '' END,
                    CASE WHEN g %% 20 = 0 THEN date '2025-01-01' END,
                    CASE WHEN g %% 20 = 0 THEN %(body)s END,
                    now(), %(registrar)s,
                    (SELECT string_agg(CASE WHEN (g * 31 + i * 17) %% 10 < 3
                                THEN (%(core)s::text[])[1 + (g * 7919 + i * 104729) %% 40]
                                ELSE 'term' || (1 + (g * 7907 + i * 1031) %% 5000) END, ' ')
                       FROM generate_series(1, 150) i)
                      || CASE WHEN g %% 50000 = 7 THEN ' sällsyntordet' ELSE '' END,
                    now(), ''
                FROM generate_series(1, %(n)s) g
                """,
                {
                    "m": municipality.pk,
                    "first_case": case_ids[0],
                    "per": PER_CASE,
                    "body": bodies[0].pk,
                    "registrar": registrar.pk,
                    "core": CORE,
                    "n": cases * PER_CASE,
                },
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
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(f"{label:<58} median {statistics.median(samples):8.2f} ms   p95 {p95:8.2f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--tiny", action="store_true", help="1,000 handlingar: a quick check that it runs")
    parser.add_argument("--reuse", action="store_true", help="time again on the database the last run filled")
    args = parser.parse_args()
    if args.reuse:
        reuse()
    else:
        build(1_000 if args.tiny else args.documents)

    from django.test import Client
    from django.urls import reverse
    from django_scopes import scope

    from cases.models import Document, Municipality, User
    from meetings.models import Meeting
    from reading.search import document_search

    municipality = Municipality.objects.get(slug="bank")
    with scope(municipality=municipality):
        politician = User.objects.get(username="politiker")
        registrar = User.objects.get(username="registrator")
        meeting = Meeting.objects.filter(body__short_name="N1").order_by("starts_at").first()
        assert meeting is not None
        item = meeting.items.order_by("ordering")[ITEMS // 2]
        total = Document.objects.count()
        print(f"\n{total:,} handlingar; sammanträdet har {meeting.items.count()} punkter\n")
    client = Client()
    client.force_login(politician)
    meeting_url = reverse("reading:meeting", args=[meeting.uuid])
    item_url = reverse("reading:item", args=[meeting.uuid, item.uuid])
    assert client.get(meeting_url).status_code == 200
    timed("läsesalen: sammanträdet (40 punkter)", lambda: client.get(meeting_url))
    timed("läsesalen: en punkt med 10 handlingar", lambda: client.get(item_url))
    searches = [
        ("vanligt ord (”skola”)", "skola"),
        ("ovanligare term (”term4711”)", "term4711"),
        ("två ord (”budget hållplats”)", "budget hållplats"),
        ("ord i två handlingar (”sällsyntordet”)", "sällsyntordet"),
        ("ord som saknas", "finnsinte"),
    ]
    for who, user in (("ledamot", politician), ("registrator", registrar)):
        with scope(municipality=municipality):
            for label, words in searches:
                timed(f"sök, {who}: {label}", lambda w=words, u=user: document_search(u, w))


if __name__ == "__main__":
    main()
