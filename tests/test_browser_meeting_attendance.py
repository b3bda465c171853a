"""The meeting as a kommun runs it, in Chromium: an administrator sets up a nämnd with 11 ledamöter and
6 ersättare from CSV; the secretary calls a meeting, records a ledamot leaving after the third §, an
ersättare serving for that ledamot for the rest, an official present for one §, an ajournering, a vote
and a reservation; the protocol's first page (read back with pdftotext) carries all of it. axe-core
checks every page; the meeting page and the attendance page fit a 390 px phone."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .browser import assert_accessible, assert_no_sideways_scroll, sign_in
from .pdftext import assert_in_order, pdftotext
from .test_administration import ELEVEN_AND_SIX

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBERS = [
    ("Anna Ordförande", "S"),
    ("Bo Vice", "M"),
    ("Cecilia Andra", "C"),
    *[(f"Ledamot Nummer{n}", "SM"[n % 2]) for n in range(4, 12)],
]


@pytest.fixture
def town():
    from cases.models import Role

    from .conftest import _make_town
    from .factories import UserFactory

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    UserFactory(username="ale.admin", municipality=town.municipality, roles=[Role.ADMIN])
    return town


def times() -> tuple[str, str, str, str, str]:
    """Start, ajournering, end: a meeting that began three hours ago (today, so it can be called)."""
    now = timezone.localtime()
    start = max(now - timedelta(hours=3), now.replace(hour=0, minute=0, second=0, microsecond=0))
    start = start.replace(minute=start.minute - start.minute % 5, second=0, microsecond=0)

    def hm(t: datetime) -> str:
        return f"{t:%H:%M}"

    return (
        hm(start),
        hm(start + timedelta(minutes=40)),
        hm(start + timedelta(minutes=55)),
        hm(start + timedelta(hours=2)),
        start.date().isoformat(),
    )


def set_up_the_body(page, base: str, town, tmp_path) -> None:
    sign_in(page, base, "ale.admin", lands="**/administration/")
    page.get_by_role("link", name="Nytt organ").click()
    page.get_by_label("Namn").fill("Miljö- och byggnadsnämnden")
    page.get_by_label("Förkortning").fill("MBN")
    page.get_by_label("Typ").select_option(label="nämnd")
    page.get_by_label("Diarieserie").fill("MBN")
    page.get_by_label("Förvaringsplats för protokoll").fill("Sektor samhällsbyggnad, Alafors")
    page.get_by_label(str(town.secretary)).check()
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**/administration/organ/MBN/")
    csv_file = tmp_path / "uppdrag.csv"
    csv_file.write_text(ELEVEN_AND_SIX)
    page.get_by_role("link", name="Läs in uppdrag från CSV").click()
    page.get_by_label("CSV-fil").set_input_files(str(csv_file))
    page.get_by_role("button", name="Granska filen").click()
    page.get_by_role("button", name="Läs in 17 uppdrag").click()
    expect(page.get_by_role("status")).to_contain_text("17 uppdrag är inlästa.")
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut").click()


def present(page, name: str, state: str = "närvarande") -> None:
    page.get_by_role("group", name=f"Närvaro för {name}", exact=True).get_by_label(state, exact=True).check()


def test_a_secretary_records_the_meeting_as_real_protocols_do(page, live_server, town, tmp_path):
    from cases import services as case_services
    from cases.models import Body
    from cases.pdf import html_to_pdf
    from meetings.models import Meeting
    from meetings.pdf import protocol_html

    from .test_meetings_protocol import approved_draft

    base = live_server.url
    set_up_the_body(page, base, town, tmp_path)
    with town.scope():
        mbn = Body.objects.get(short_name="MBN")
        case = case_services.case_register(
            municipality=town.municipality, title="Detaljplan för Alafors centrum", body=mbn, by=town.registrar
        )
        approved_draft(town, case, "Miljö- och byggnadsnämnden antar detaljplanen.")
    start, adj_from, adj_to, end, day = times()

    sign_in(page, base, town.secretary.username)
    page.goto(f"{base}/sammantraden/")
    page.get_by_label("Organ").select_option(label="Miljö- och byggnadsnämnden")
    page.get_by_label("Datum").fill(day)
    page.get_by_label("Klockslag").fill(start)
    page.get_by_label("Plats").fill("Kommunhuset, Alafors")
    page.get_by_role("button", name="Skapa sammanträde").click()
    page.wait_for_url("**/sammantraden/*-*/")
    meeting_url = page.url
    page.get_by_role("link", name="Ändra föredragningslistan").click()
    assert_accessible(page)
    page.get_by_label("Ärende med godkänt tjänsteutlåtande eller yttrande till organet").select_option(index=1)
    page.get_by_role("button", name="Lägg till ärendet").click()
    page.goto(meeting_url)
    page.get_by_label("Jag förstår att kallelsen skickas").check()
    page.get_by_role("button", name="Skicka kallelse").click()
    expect(page.get_by_role("status").first).to_contain_text("Kallelsen är skickad.")
    assert_accessible(page)

    page.get_by_role("link", name="Närvaro, ordförande, ajourneringar och justering").click()
    assert_accessible(page)

    for name, _party in MEMBERS:
        present(page, name)
    present(page, "Ledamot Nummer4", "del av sammanträdet")
    page.get_by_label("Till och med (Ledamot Nummer4)").select_option(index=3)  # leaves after the third §
    present(page, "Ersättare Nummer2", "del av sammanträdet")
    page.get_by_label("Från och med (Ersättare Nummer2)").select_option(index=4)
    tjg = page.get_by_label("Tjg för (Ersättare Nummer2)")
    expect(tjg).to_have_value("")  # starts empty
    tjg.select_option(label="Anna Ordförande (S)")  # wrong: she is present
    page.get_by_label("Bo Vice justerar").check()
    page.get_by_role("button", name="Spara närvaro").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Ersättare Nummer2 kan inte tjänstgöra för Anna Ordförande under punkterna 4–6: "
        "Anna Ordförande är närvarande då."
    )
    assert_accessible(page)
    for name, _party in MEMBERS:  # nothing was saved: the form starts again from the stored state
        present(page, name)
    present(page, "Ledamot Nummer4", "del av sammanträdet")
    page.get_by_label("Till och med (Ledamot Nummer4)").select_option(index=3)
    present(page, "Ersättare Nummer2", "del av sammanträdet")
    page.get_by_label("Från och med (Ersättare Nummer2)").select_option(index=4)
    page.get_by_label("Tjg för (Ersättare Nummer2)").select_option(label="Ledamot Nummer4 (S)")
    page.get_by_label("Bo Vice justerar").check()
    page.get_by_role("button", name="Spara närvaro").click()
    expect(page.get_by_role("status").first).to_contain_text("Närvaron är sparad.")
    page.get_by_label("Sammanträdet avslutades kl.").fill(end)
    page.get_by_label("Justeringens plats och tid").fill("Kommunhuset, Alafors, 2026-12-02 kl. 10.00")
    page.get_by_role("button", name="Spara tid, ordförande och justering").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Tid, ordförande, protokollförare och justering är sparade."
    )

    page.get_by_label("Namn").fill("Gunilla Handläggare")
    page.get_by_label("Titel", exact=True).fill("Planarkitekt")
    page.get_by_label("Från och med", exact=True).select_option(index=6)
    page.get_by_label("Till och med", exact=True).select_option(index=6)
    page.get_by_role("button", name="Lägg till övrig närvarande").click()
    page.get_by_label("Ajournering från kl.").fill(adj_from)
    page.get_by_label("till kl.").fill(adj_to)
    page.get_by_role("button", name="För in ajournering").click()
    expect(page.get_by_role("status").first).to_contain_text("Ajourneringen är införd.")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Gunilla Handläggare, Planarkitekt, punkt 6")
    expect(main).to_contain_text("11 av 11 ledamöter tjänstgör – beslutför")
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 900})
    assert_no_sideways_scroll(page)
    page.goto(meeting_url)
    assert_no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Detaljplan för Alafors centrum").click()
    page.get_by_label("Ja betyder").fill("bifall till förvaltningens förslag")
    page.get_by_label("Nej betyder").fill("avslag")
    voters = [m for m in MEMBERS if m[0] != "Ledamot Nummer4"] + [("Ersättare Nummer2", "S")]
    for name, party in voters:
        choice = "nej" if name in ("Ledamot Nummer5", "Ledamot Nummer7") else "ja"
        page.get_by_role("group", name=f"{name} ({party})").get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Registrera omröstning").click()
    expect(page.get_by_role("main")).to_contain_text("9 ja, 2 nej, 0 avstår.")
    page.get_by_label("Reservation av").select_option(label="Ledamot Nummer5")
    page.get_by_role("button", name="Lägg till reservation").click()
    expect(page.get_by_role("main")).to_contain_text("Ledamot Nummer5 reserverar sig.")
    assert_accessible(page)

    page.goto(meeting_url)
    page.get_by_label("Jag förstår att protokollet får paragrafnummer").check()
    page.get_by_role("button", name="Skicka protokollet för justering").click()
    expect(page.get_by_role("status").first).to_contain_text("skickat för justering")
    assert_accessible(page)

    with town.scope():
        meeting = Meeting.objects.get(body=mbn)
        path = tmp_path / "protokoll.pdf"
        path.write_bytes(html_to_pdf(protocol_html(town.municipality, str(meeting.uuid))))
    first = pdftotext(path, first=1, last=1)
    assert_in_order(
        first,
        [
            "Miljö- och byggnadsnämnden",
            "Plats och tid",
            "Kommunhuset, Alafors",
            f"kl. {start.replace(':', '.')}–{end.replace(':', '.')}",
            f"Ajournering kl. {adj_from.replace(':', '.')}–{adj_to.replace(':', '.')}",
            "Beslutande",
        ],
    )
    for fact in (
        "Anna Ordförande (S), ordförande",
        "Ledamot Nummer4 (S), §§ 1–3",
        "Ersättare Nummer2 (S) tjg för Ledamot Nummer4, §§ 4–6",
        "Gunilla Handläggare, Planarkitekt, § 6",
        "Maria Sekreterare, sekreterare",
        "11 av 11 ledamöter tjänstgör, beslutför",
    ):
        assert fact in first, fact
    assert_in_order(
        first,
        [
            "Utses att justera",
            "Bo Vice",
            "Justeringens plats och tid",
            "Kommunhuset, Alafors, 2026-12-02 kl. 10.00",
            "Paragrafer",
            "§§ 1–6",
            "Underskrifter",
            "Sekreterare: Maria Sekreterare",
            "Ordförande: Anna Ordförande",
            "Justerare: Bo Vice",
            "ANSLAG/BEVIS",
            "Förvaringsplats för protokollet",
        ],
    )
    second = pdftotext(path, first=2, last=2)
    assert "§ 1 Upprop" in second and "§ 5 Meddelanden" in second  # empty standing items share a page
    text = pdftotext(path)
    assert_in_order(
        text,
        [
            "§ 6 Detaljplan för Alafors centrum",
            "Omröstning",
            "9 ja, 2 nej, 0 avstår. Bifall till förvaltningens förslag.",
            "Reservationer",
            "Ledamot Nummer5 (M) reserverar sig mot beslutet.",
        ],
    )
