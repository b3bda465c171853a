"""A registrar registers a case and a document in Chromium, finds it in the diarium and opens it.
axe-core checks every page visited."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from .browser import assert_accessible, axe_violations, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town():
    from .conftest import _make_town

    return _make_town("ale", "Ale kommun", "{series}.{year}.{number}")


def test_a_registrar_registers_a_case_and_a_document_and_finds_them(page, live_server, town, tmp_path):
    base = live_server.url
    sign_in(page, base, town.registrar.username)
    assert_accessible(page)

    page.get_by_role("link", name="Registrera ärende").click()
    assert_accessible(page)
    # Submitting empty gives the error summary, which must be accessible too.
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_role("alert")).to_contain_text("Detta fält måste fyllas i.")
    assert_accessible(page)

    page.get_by_label("Ärendemening").fill("Integrationsplan för Ale kommun 2018-2021")
    page.get_by_label("Ansvarigt organ").select_option(label="Kommunstyrelsen")
    page.get_by_label("Handläggare").select_option(label=str(town.official))
    page.get_by_role("button", name="Registrera").click()
    page.wait_for_url("**/arenden/KS-*/")
    assert "är registrerat" in page.content()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "Integrationsplan för Ale kommun 2018-2021" in heading
    diarienummer = heading.split()[0]
    assert diarienummer.startswith("KS.") and diarienummer.endswith(".1")
    assert_accessible(page)

    page.get_by_role("link", name="Registrera handling").click()
    assert_accessible(page)
    page.get_by_label("inkommande").check()
    page.get_by_label("Avsändare eller mottagare").fill("Omsorgs- och arbetsmarknadsnämnden")
    page.get_by_label("Kort beskrivning av innehållet").fill("Protokollsutdrag: nämnden ställer sig bakom planen")
    pdf = tmp_path / "utdrag.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label("Fil", exact=True).set_input_files(str(pdf))
    page.get_by_role("button", name="Registrera handling").click()
    page.wait_for_url("**/arenden/KS-*/")
    assert "Protokollsutdrag: nämnden ställer sig bakom planen" in page.content()
    assert_accessible(page)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Diarium").click()
    assert_accessible(page)
    page.get_by_label("Sök i ärendemening eller diarienummer").fill("integrationsplan")
    page.get_by_role("button", name="Sök").click()
    link = page.get_by_role("link", name=diarienummer)
    link.wait_for()
    assert_accessible(page)
    link.click()
    page.wait_for_url("**/arenden/KS-*/")
    assert "utdrag.pdf" in page.content()
    assert "Handling 1 registrerades." in page.content()


def test_the_axe_check_can_fail(page, live_server):
    """A negative control: a page with an unlabelled input and an image without alt text."""
    page.set_content('<html lang="sv"><title>x</title><body><main><img src="x.png"><input></main></body></html>')
    ids = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label"} <= ids
