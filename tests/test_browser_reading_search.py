"""A förtroendevald, on a phone and at a desk, searches the handlingar for a word that occurs only
inside an attached PDF and finds it highlighted, then has the worker build the meeting package and
downloads it: every item's papers in agenda order, a bookmark per item, the secret handling left
out. A real Celery worker builds the package; axe-core checks every page; none scrolls sideways."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .browser import assert_accessible, assert_no_sideways_scroll, sign_in
from .pdftext import assert_in_order, pdftotext
from .reading_search_setup import DOCX_WORD, ODT_WORD, SECRET_WORD, searchable_meeting
from .reading_setup import PDF_WORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town():
    from .conftest import _make_town

    return _make_town("ale", "Ale kommun", "{series}.{year}.{number}")


def check(page) -> None:
    assert_accessible(page)
    assert_no_sideways_scroll(page)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_a_member_searches_the_handlingar_and_downloads_the_package(
    page, live_server, town, worker, tmp_path, width, height
):
    found = searchable_meeting(town)
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server.url, town.politician.username, lands="**/lasesal/")

    page.get_by_label("Sök i handlingarna").fill(PDF_WORD.lower())
    page.get_by_role("button", name="Sök").click()
    hits = page.locator(".search-hit")
    expect(hits).to_have_count(1)
    expect(hits.locator("mark")).to_have_text(PDF_WORD)
    expect(hits).to_contain_text("Karta över skolskjutsarna")
    check(page)

    page.get_by_label("Sök i handlingarna").fill(SECRET_WORD)
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("main")).to_contain_text("Inga handlingar innehåller det du sökte efter.")
    check(page)

    page.get_by_label("Sök i handlingarna").fill(PDF_WORD)
    page.get_by_role("button", name="Sök").click()
    page.locator(".search-hit").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ny skolskjutsplan")
    page.get_by_role("link", name=f"Utbildningsnämnden {found.reading.meeting.starts_at:%-d}", exact=False).click()
    page.get_by_role("link", name="Sammanträdespaketet som en PDF").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sammanträdespaket")
    check(page)
    page.get_by_role("button", name="Skapa sammanträdespaketet").click()
    link = page.get_by_role("link", name="Ladda ned sammanträdespaketet (PDF)")
    expect(link).to_be_visible(timeout=120_000)
    check(page)
    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / "paket.pdf"
    download_info.value.save_as(path)

    with town.scope():
        items = [f"{item.ordering}. {item.title}" for item in found.reading.meeting.items.order_by("ordering")]
    text = pdftotext(path)
    ours = f"Punkt {found.reading.item.ordering}: Ny skolskjutsplan"
    assert_in_order(text, ["Kallelse", *[f"Punkt {i.replace('. ', ': ', 1)}" for i in items], PDF_WORD, DOCX_WORD])
    assert_in_order(text, [ours, PDF_WORD, DOCX_WORD, ODT_WORD])
    assert SECRET_WORD not in text
    assert "Sekretess (OSL 26 kap. 1 §) – du har inte behörighet att läsa handlingen." in text
    titles = [entry.title for entry in PdfReader(Path(path)).outline if not isinstance(entry, list)]
    assert titles == ["Kallelse och föredragningslista", *items]
