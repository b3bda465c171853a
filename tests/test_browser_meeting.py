"""A secretary runs a meeting in Chromium with a vote and a reservation; two justerare approve; the
notice appears on the public anslagstavla. axe-core checks every page visited."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from cases import services as case_services
from cases.models import SeatRole
from meetings import services

from .browser import assert_accessible, sign_in
from .factories import UserFactory
from .test_meetings_protocol import approved_draft, at, seat

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_a_meeting_with_a_vote_and_a_reservation_ends_on_the_anslagstavla(page, live_server, worker):
    from .conftest import _make_town

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    with town.scope():
        seat(town, town.un, "Anna", "Ordförande", "S", SeatRole.CHAIR, user=town.politician)
        justerare_user = UserFactory(username="ale.justerare", municipality=town.municipality, roles=["fortroendevald"])
        seat(town, town.un, "Jonas", "Justerare", "M", user=justerare_user)
        seat(town, town.un, "Maja", "Ledamot", "C")
        case = case_services.case_register(
            municipality=town.municipality, title="Ny skolskjutsplan", body=town.un, by=town.registrar
        )
        approved_draft(town, case, "Utbildningsnämnden fastställer skolskjutsplanen.")
        meeting = services.meeting_create(
            body=town.un, starts_at=at(date.today() - timedelta(days=1)), place="Sal A", by=town.secretary
        )
    base = live_server.url
    sign_in(page, base, town.secretary.username)
    page.goto(f"{base}/sammantraden/{meeting.uuid}/")
    assert_accessible(page)
    page.get_by_role("link", name="Ändra föredragningslistan").click()
    page.get_by_label("Ärende med godkänt tjänsteutlåtande eller yttrande till organet").select_option(index=1)
    page.get_by_role("button", name="Lägg till ärendet").click()
    page.goto(f"{base}/sammantraden/{meeting.uuid}/")
    page.get_by_role("link", name="Närvaro, ordförande, ajourneringar och justering").click()
    for name in ("Anna Ordförande", "Jonas Justerare", "Maja Ledamot"):
        page.get_by_role("group", name=f"Närvaro för {name}", exact=True).get_by_label("närvarande", exact=True).check()
    page.get_by_label("Jonas Justerare justerar").check()
    page.get_by_role("button", name="Spara närvaro").click()
    expect(page.get_by_role("status").first).to_contain_text("Närvaron är sparad.")
    assert_accessible(page)
    page.get_by_role("link", name="Utbildningsnämnden").first.click()

    page.get_by_role("link", name="Ny skolskjutsplan").click()
    assert_accessible(page)
    page.get_by_label("Yrkande av").select_option(label="Maja Ledamot")
    page.get_by_label("Yrkande", exact=True).fill("Återremiss för att utreda kostnaderna.")
    page.get_by_role("button", name="Lägg till yrkande").click()
    page.get_by_label("Ja betyder").fill("bifall till förvaltningens förslag")
    page.get_by_label("Nej betyder").fill("bifall till Majas yrkande om återremiss")
    for name, choice in (("Anna Ordförande (S)", "ja"), ("Jonas Justerare (M)", "ja"), ("Maja Ledamot (C)", "nej")):
        page.get_by_role("group", name=name).get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Registrera omröstning").click()
    expect(page.get_by_role("main")).to_contain_text("2 ja, 1 nej, 0 avstår.")
    page.get_by_label("Reservation av").select_option(label="Maja Ledamot")
    page.get_by_role("button", name="Lägg till reservation").click()
    expect(page.get_by_role("main")).to_contain_text("Maja Ledamot reserverar sig.")
    assert_accessible(page)

    page.get_by_role("link", name="Utbildningsnämnden").first.click()
    page.get_by_label("Jag förstår att protokollet får paragrafnummer").check()
    page.get_by_role("button", name="Skicka protokollet för justering").click()
    expect(page.get_by_role("status").first).to_contain_text("skickat för justering")
    expect(page.get_by_role("main")).to_contain_text("Kontrollsumma (SHA-256)")
    assert_accessible(page)  # the page under justering: the digest and the withdraw form

    for signer in (town.politician, justerare_user):
        page.get_by_role("button", name="Logga ut").click()
        sign_in(page, base, signer.username, lands="**/lasesal/")  # politicians land in the reading room
        page.goto(f"{base}/sammantraden/{meeting.uuid}/justera/")
        assert_accessible(page)
        page.get_by_label("Jag förstår att").check()
        page.get_by_role("button", name="Justera som").click()
        expect(page.get_by_role("main")).to_contain_text("Du justerade protokollet")

    # The anslag is the secretary's own act, by default on the day of justering.
    page.get_by_role("button", name="Logga ut").click()
    sign_in(page, base, town.secretary.username)
    page.goto(f"{base}/sammantraden/{meeting.uuid}/")
    expect(page.get_by_label("Anslaget sätts upp")).to_have_value(date.today().isoformat())
    assert_accessible(page)
    page.get_by_label("Jag förstår att anslaget syns").check()
    page.get_by_role("button", name="Sätt upp anslaget").click()
    expect(page.get_by_role("status").first).to_contain_text("Anslaget är uppsatt.")

    page.get_by_role("button", name="Logga ut").click()
    page.goto(f"{base}/ale/anslagstavla/")
    expect(page.get_by_role("main")).to_contain_text("Utbildningsnämnden")
    row = page.get_by_role("row", name="Utbildningsnämnden")
    expect(row).to_contain_text(date.today().isoformat())
    assert_accessible(page)
    with town.scope():
        meeting.refresh_from_db()
    expect(row).to_contain_text(meeting.appeal_ends_on.isoformat())
