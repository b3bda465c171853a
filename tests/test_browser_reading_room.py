"""A förtroendevald signs in on a phone and at a desk, lands on Mina sammanträden, opens the meeting
and reads the item: the paper as HTML, the PDF rendered by pdf.js with a text layer, the picture
inline, the secret handling withheld. axe-core checks every page; none scrolls sideways."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from .browser import assert_accessible, assert_no_sideways_scroll, sign_in
from .reading_setup import PDF_WORD, called_meeting

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town():
    from .conftest import _make_town

    return _make_town("ale", "Ale kommun", "{series}.{year}.{number}")


def check(page) -> None:
    assert_accessible(page)
    assert_no_sideways_scroll(page)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_a_member_reads_the_meeting_in_the_browser(page, live_server, town, width, height):
    reading = called_meeting(town)
    page.set_viewport_size({"width": width, "height": height})
    base = live_server.url
    sign_in(page, base, town.politician.username, lands="**/lasesal/")
    check(page)
    expect(page.get_by_role("main")).to_contain_text("Nytt sedan du tittade")

    page.get_by_role("link", name="Utbildningsnämnden").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utbildningsnämnden")
    check(page)

    page.get_by_role("link", name="Ny skolskjutsplan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ny skolskjutsplan")
    expect(page.get_by_role("main")).to_contain_text("Utbildningsnämnden fastställer skolskjutsplanen.")
    viewer = page.locator(f'[data-pdf-src$="/{reading.pdf.uuid}/"]')
    expect(viewer).to_have_attribute("data-rendered", "true", timeout=30_000)
    expect(viewer.locator("canvas")).to_have_count(1)
    expect(viewer.locator(".textLayer")).to_contain_text(PDF_WORD)
    expect(viewer.get_by_role("status")).to_have_text("1 sida.")
    image = page.get_by_role("img", name="Foto av hållplatsen")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 40
    expect(page.get_by_role("main")).to_contain_text(
        "Sekretess (OSL 26 kap. 1 §) – du har inte behörighet att läsa handlingen."
    )
    expect(page.get_by_role("main")).not_to_contain_text("Ansökan från vårdnadshavare")
    check(page)
    for link in page.locator("main .reading-link").all():
        if link.is_visible():
            box = link.bounding_box()
            assert box is not None and box["height"] >= 44, f"touch target too small: {link.inner_text()}"

    page.get_by_role("link", name="Föregående punkt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meddelanden")
    check(page)

    page.get_by_role("link", name="Mina sammanträden").first.click()
    expect(page.get_by_role("main")).not_to_contain_text("Nytt sedan du tittade")
