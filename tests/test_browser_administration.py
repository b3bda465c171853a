"""A municipal administrator sets up a new nämnd with 11 ledamöter and 6 ersättare from CSV, in
Chromium, at desktop and phone width; axe-core checks every page."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from .browser import assert_accessible, assert_no_sideways_scroll, sign_in
from .test_administration import ELEVEN_AND_SIX

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town():
    from cases.models import Role

    from .conftest import _make_town
    from .factories import UserFactory

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    UserFactory(username="ale.admin", municipality=town.municipality, roles=[Role.ADMIN])
    return town


@pytest.mark.parametrize("width", [1366, 390])
def test_an_administrator_sets_up_a_body_and_its_seats_from_csv(page, live_server, town, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url
    sign_in(page, base, "ale.admin", lands="**/administration/")
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name="Nytt organ").click()
    page.get_by_role("button", name="Spara").click()  # empty: the error summary names each field
    expect(page.get_by_role("alert")).to_contain_text("Detta fält måste fyllas i.")
    assert_accessible(page)
    page.get_by_label("Namn").fill("Miljö- och byggnadsnämnden")
    page.get_by_label("Förkortning").fill("MBN")
    page.get_by_label("Typ").select_option(label="nämnd")
    page.get_by_label("Diarieserie").fill("MBN")
    page.get_by_label("Förvaringsplats för protokoll").fill("Sektor samhällsbyggnad, Alafors")
    page.get_by_label(str(town.secretary)).check()
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**/administration/organ/MBN/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Miljö- och byggnadsnämnden (MBN)")
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    csv_file = tmp_path / "uppdrag.csv"
    csv_file.write_text(
        ELEVEN_AND_SIX.replace("Ersättare Nummer4;S;ersättare;2023-01-01", "Ersättare Nummer4;S;talman;2023-01-01")
    )
    page.get_by_role("link", name="Läs in uppdrag från CSV").click()
    page.get_by_label("CSV-fil").set_input_files(str(csv_file))
    page.get_by_role("button", name="Granska filen").click()
    expect(page.get_by_role("alert").last).to_contain_text("Filen har 1 fel.")
    expect(page.locator("tr.row-error")).to_contain_text("Rollen ”talman” är okänd")
    expect(page.get_by_role("button", name="Läs in 17 uppdrag")).to_have_count(0)
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    csv_file.write_text(ELEVEN_AND_SIX)
    page.get_by_label("CSV-fil").set_input_files(str(csv_file))
    page.get_by_role("button", name="Granska filen").click()
    expect(page.get_by_role("status").last).to_contain_text("17 rader är klara att läsas in.")
    assert_accessible(page)
    page.get_by_role("button", name="Läs in 17 uppdrag").click()
    page.wait_for_url("**/administration/organ/MBN/")
    expect(page.get_by_role("status")).to_contain_text("17 uppdrag är inlästa.")
    assert page.locator("tbody tr").count() >= 17
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name="Ändringslogg").click()
    expect(page.locator("main")).to_contain_text("17 uppdrag lästes in från CSV till Miljö- och byggnadsnämnden.")
    assert_accessible(page)
    assert_no_sideways_scroll(page)
