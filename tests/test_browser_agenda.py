"""A secretary builds a föredragningslista with a free item and a standing item, reorders it, closes one
item to the public, then takes minutes on two §§ with the keyboard alone: every save is an htmx swap
(a marker set in the page survives it, so the page never reloaded) and focus stays in the section, on
its confirmation.
1366 px for the whole run, 390 px for the minute-taking page; axe-core on every page."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from cases.models import SeatRole
from meetings import agenda, services

from .browser import assert_accessible, assert_no_sideways_scroll, sign_in
from .factories import UserFactory
from .test_meetings_protocol import at, seat

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser]

MARK = "window.__notReloaded = 'ja'"
MARKED = "window.__notReloaded === 'ja'"


def keyboard_choose_first(page, label: str) -> None:
    """Focus a select and pick its first real option with the arrow key (it starts empty)."""
    select = page.get_by_label(label, exact=True)
    select.focus()
    expect(select).to_have_value("")
    page.keyboard.press("ArrowDown")


def test_the_secretary_builds_the_agenda_and_takes_minutes_with_the_keyboard(page, live_server):
    from .conftest import _make_town

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    with town.scope():
        admin = UserFactory(username="ale.admin", municipality=town.municipality, roles=["admin"])
        agenda.standing_items_set(
            town.un,
            titles=["Val av justerare", "Godkännande av dagordning", "Informationsärenden"],
            numbered=True,
            by=admin,
        )
        seat(town, town.un, "Anna", "Ordförande", "S", SeatRole.CHAIR, user=town.politician)
        seat(town, town.un, "Bo", "Ledamot", "M")
        meeting = services.meeting_create(
            body=town.un, starts_at=at(date.today() + timedelta(days=3)), place="Sal A", by=town.secretary
        )
        # "Informationsärenden" is taken off this meeting; the secretary puts it back below.
        agenda.agenda_remove(meeting.items.get(title="Informationsärenden"), by=town.secretary)
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, base, town.secretary.username)

    page.goto(f"{base}/sammantraden/{meeting.uuid}/")
    assert_accessible(page)
    page.get_by_role("link", name="Ändra föredragningslistan").click()
    assert_accessible(page)

    page.get_by_label("Rubrik").fill("Val av ombud till förbundsstämman")
    page.get_by_role("button", name="Lägg till punkten").click()
    page.get_by_label("Stående punkt").select_option(label="Informationsärenden")
    page.get_by_role("button", name="Lägg till den stående punkten").click()
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows.nth(3)).to_contain_text("Val av ombud till förbundsstämman")
    expect(rows.nth(4)).to_contain_text("Informationsärenden")

    # Reorder: the free item to place 1, then "Informationsärenden" one step up.
    page.get_by_label("Till plats för Val av ombud till förbundsstämman").fill("1")
    page.get_by_role("button", name="Flytta Val av ombud till förbundsstämman", exact=True).click()
    page.get_by_role("button", name="Flytta Informationsärenden ett steg upp").click()
    expect(rows.nth(1)).to_contain_text("Val av ombud till förbundsstämman")
    expect(rows.nth(3)).to_contain_text("Informationsärenden")
    expect(rows.nth(4)).to_contain_text("Godkännande av dagordning")
    assert_accessible(page)

    # Close one item to the public.
    page.get_by_role("link", name="Informationsärenden", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Sekretess enligt").fill("OSL 26 kap. 1 §")
    page.get_by_role("button", name="Spara punkten").click()
    expect(page.get_by_role("status").first).to_contain_text("Punkten är sparad.")
    expect(rows.nth(3)).to_contain_text("Sekretess enligt OSL 26 kap. 1 §")

    # Minutes on the first §, keyboard only.
    page.get_by_role("link", name="Protokollför Val av ombud till förbundsstämman").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Val av ombud till förbundsstämman")
    assert_accessible(page)
    page.evaluate(MARK)

    keyboard_choose_first(page, "Yrkande av")  # Bo Ledamot, the first by surname
    page.keyboard.press("Tab")
    page.keyboard.type("Bo Ledamot föreslås som ombud.")
    page.keyboard.press("Tab")
    expect(page.locator("#yrkande-add")).to_be_focused()
    page.keyboard.press("Enter")
    yrkanden = page.locator("#yrkanden")
    expect(yrkanden).to_contain_text("Yrkandet är infört.")
    expect(yrkanden).to_contain_text("Bo Ledamot: Bo Ledamot föreslås som ombud.")
    expect(yrkanden.get_by_role("status")).to_be_focused()  # focus stays in the section, no jump to the top
    expect(page.get_by_label("Yrkande av", exact=True)).to_have_value("")  # the next choice starts empty again
    assert page.evaluate(MARKED), "the page reloaded"

    page.locator("#id_decision").focus()
    page.keyboard.type("Bo Ledamot väljs till ombud.")
    for _step in range(12):  # through the § form's fields to its button
        if page.evaluate("document.activeElement.id === 'item-save'"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#beslut")).to_contain_text("Paragrafen är sparad.")
    expect(page.locator("#beslut").get_by_role("status")).to_be_focused()
    page.keyboard.press("Tab")  # and the keyboard carries on inside the form
    expect(page.locator("#id_decision")).to_be_focused()
    assert page.evaluate(MARKED), "the page reloaded"
    assert_accessible(page)

    # The next §, still with the keyboard: a reservation recorded and taken back.
    page.get_by_role("link", name="Nästa:").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Val av justerare")
    page.evaluate(MARK)
    keyboard_choose_first(page, "Reservation av")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#reservation-add")).to_be_focused()
    page.keyboard.press("Enter")
    reservationer = page.locator("#reservationer")
    expect(reservationer).to_contain_text("Bo Ledamot reserverar sig.")
    page.get_by_role("button", name="Ta bort reservationen av Bo Ledamot").focus()
    page.keyboard.press("Enter")
    expect(reservationer).to_contain_text("Reservationen är borttagen.")
    expect(reservationer).not_to_contain_text("Bo Ledamot reserverar sig.")
    expect(reservationer.get_by_role("status")).to_be_focused()  # the button is gone: focus stays here
    assert page.evaluate(MARKED), "the page reloaded"
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    with town.scope():
        items = list(meeting.items.order_by("ordering"))
        assert [i.title for i in items][:2] == ["Val av ombud till förbundsstämman", "Val av justerare"]
        assert items[0].decision == "Bo Ledamot väljs till ombud."
        assert items[0].yrkanden.get().text == "Bo Ledamot föreslås som ombud."
        assert not items[1].reservations.exists()
        assert meeting.items.get(title="Informationsärenden").secrecy == "OSL 26 kap. 1 §"
