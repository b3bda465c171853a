"""An official drafts the Ale tjänsteutlåtande KS.2017.407 in Chromium, autosaves, sends it for
review; the head approves; the worker renders the PDF, which holds the seed in order. And two
officials edit one draft at once: the second save is refused, merged, and both texts survive."""

from __future__ import annotations

import os
from datetime import date

import pytest
from playwright.sync_api import expect

from alingsas_ale import seeds
from cases import services
from cases.models import PdfStatus, RenderedPdf
from papers.defaults import install_default_templates
from papers.models import Draft, DraftStatus
from papers.sanitize import plain_text

from .browser import assert_accessible, sign_in
from .pdftext import assert_in_order, pdftotext

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


def _ale():
    from .conftest import _make_town

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    town.department.name = "Sektor kommunstyrelsen"
    town.department.save()
    town.official.first_name, town.official.last_name = "Gunilla", "Dörner Buskas"
    town.official.title, town.official.email = "Utvecklingschef", "gunilla.dorner-buskas@ale.se"
    town.official.save()
    town.head.first_name, town.head.last_name, town.head.title = "Björn", "Järbur", "Kommunchef"
    town.head.save()
    with town.scope():
        install_default_templates(town.municipality)
        case = services.case_import(
            municipality=town.municipality,
            series="KS",
            year=2017,
            number=407,
            title=seeds.ALE_TITLE,
            body=town.ks,
            by=town.registrar,
            handler=town.official,
            registered_on=date(2017, 9, 1),
        )
    return town, case


def _editor(page, key):
    return page.locator(f".paper-editor[data-input='section-{key}'] .paper-content")


def _type_paragraphs(page, editor, paragraphs):
    """Type as a person would: a paragraph, Enter, the next."""
    editor.click()
    for number, paragraph in enumerate(paragraphs):
        if number:
            page.keyboard.press("Enter")
        editor.press_sequentially(paragraph)
    typed = editor.evaluate("e => [...e.querySelectorAll('p')].map(p => p.textContent)")
    assert typed[: len(paragraphs)] == paragraphs


@pytest.mark.worker
def test_an_official_drafts_ks_2017_407_and_the_head_approves_it(page, live_server, worker):
    town, case = _ale()
    base = live_server.url
    sign_in(page, base, town.official.username)
    page.goto(f"{base}/arenden/{case.ref}/")
    page.get_by_role("link", name="Skriv tjänsteutlåtande eller yttrande").click()
    assert_accessible(page)
    page.get_by_label("Tjänsteutlåtande").check()
    page.get_by_role("button", name="Börja skriva").click()
    page.wait_for_url("**/redigera/")
    assert_accessible(page)

    page.get_by_label("Datum").fill("2017-12-13")
    sections = seeds.ALE_CONTENT["sections"]
    for key in ("sammanfattning", "bakgrund", "samrad", "ekonomi", "barn", "miljo", "funktionshinder", "bedomning"):
        _type_paragraphs(page, _editor(page, key), plain_text(sections[key]).split("\n"))
    page.get_by_label("Förvaltningens beslutsförslag till kommunstyrelsen").fill(seeds.ALE_CONTENT["proposal"][0])
    page.get_by_label("Underskrifter").fill("Björn Järbur, Kommunchef\nGunilla Dörner Buskas, Utvecklingschef")
    page.get_by_label("Övriga underlag, ett per rad").fill("\n".join(seeds.ALE_BASIS))
    page.get_by_label("Ärendet expedieras efter beslut till:").fill("\n".join(seeds.ALE_CONTENT["dispatch"]))
    expect(page.locator("#save-status")).to_contain_text("Sparat kl.", timeout=15000)
    assert_accessible(page)

    with town.scope():
        draft = Draft.objects.get()
        assert draft.version > 1
        assert "tvärsektoriellt arbetssätt" in draft.content["sections"]["bedomning"]

    page.get_by_role("link", name="Förhandsgranska och skicka för granskning").click()
    assert_accessible(page)
    page.get_by_role("button", name="Skicka för granskning").click()
    expect(page.get_by_role("status").first).to_contain_text("Skickat för granskning.")

    page.get_by_role("button", name="Logga ut").click()
    sign_in(page, base, town.head.username)
    page.goto(f"{base}/inkorg/")
    page.get_by_role("link", name=f"Att granska: tjänsteutlåtande {seeds.ALE_TITLE}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Godkänn och underteckna").click()
    expect(page.get_by_role("link", name="Öppna Tjänsteutlåtande")).to_be_visible(timeout=30000)
    assert_accessible(page)
    page.get_by_role("link", name="Versionshistorik").click()
    assert_accessible(page)

    with town.scope():
        pdf = RenderedPdf.objects.get(kind="draft")
        assert pdf.status == PdfStatus.DONE
        assert Draft.objects.get().status == DraftStatus.APPROVED
    text = pdftotext(pdf.file.path)
    expected = ["TJÄNSTEUTLÅTANDE", "Sektor kommunstyrelsen", "Diarienummer: KS.2017.407", "Datum: 2017-12-13"]
    expected += ["Utvecklingschef Gunilla Dörner Buskas", seeds.ALE_TITLE]
    expected += plain_text(sections["sammanfattning"]).split("\n")
    expected += ["Förvaltningens beslutsförslag till kommunstyrelsen", seeds.ALE_CONTENT["proposal"][0]]
    expected += ["Beslutsunderlag", *seeds.ALE_BASIS, "Ärendet expedieras efter beslut till:"]
    for key, heading in (
        ("bakgrund", "Bakgrund"),
        ("samrad", "Samråd/samverkan"),
        ("ekonomi", "Ekonomisk bedömning/konsekvens"),
        ("barn", "Barnperspektivet"),
        ("miljo", "Miljöperspektivet"),
        ("funktionshinder", "Funktionshinderperspektivet"),
        ("bedomning", "Förvaltningens bedömning och motivering"),
    ):
        expected += [heading, *plain_text(sections[key]).split("\n")]
    assert_in_order(text, expected)


def test_two_officials_edit_at_once_and_both_texts_survive(browser, live_server):
    town, case = _ale()
    with town.scope():
        from papers.models import PaperTemplate
        from papers.services import draft_create

        services.case_assign_handler(case, handler=town.official, by=town.registrar)
        draft = draft_create(case, template=PaperTemplate.objects.get(name="Tjänsteutlåtande"), by=town.official)
        colleague = town.head  # a second writer with the right to edit: the handler's grant
        from guardian.shortcuts import assign_perm

        assign_perm("cases.handle_case", colleague, case)
    base = live_server.url
    first, second = browser.new_context().new_page(), browser.new_context().new_page()
    sign_in(first, base, town.official.username)
    sign_in(second, base, colleague.username)
    url = f"{base}/utlatanden/{draft.uuid}/redigera/"
    first.goto(url)
    second.goto(url)

    _editor(first, "bakgrund").click()
    first.keyboard.insert_text("Gunillas bakgrundstext om integrationsforum.")
    expect(first.locator("#save-status")).to_contain_text("Sparat kl.", timeout=15000)

    _editor(second, "ekonomi").click()
    second.keyboard.insert_text("Björns text om ekonomiska konsekvenser.")
    status = second.locator("#save-status")
    expect(status).to_contain_text("medan du skrev", timeout=15000)
    assert_accessible(second)
    status.get_by_role("link", name="Jämför och sammanfoga").click()
    expect(second.get_by_role("main")).to_contain_text("Ni ändrade olika delar")
    assert_accessible(second)
    second.get_by_role("button", name="Spara sammanfogad version").click()
    second.wait_for_url("**/redigera/")

    with town.scope():
        saved = Draft.objects.get(pk=draft.pk)
        from papers.models import DraftVersion

        refused = DraftVersion.objects.filter(draft=saved, refused=True).count()
    assert "Gunillas bakgrundstext om integrationsforum." in saved.content["sections"]["bakgrund"]
    assert "Björns text om ekonomiska konsekvenser." in saved.content["sections"]["ekonomi"]
    assert refused >= 1


def _tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_a_paper_can_be_drafted_with_the_keyboard_alone(page, live_server):
    town, case = _ale()
    with town.scope():
        from papers.models import PaperTemplate
        from papers.services import draft_create

        draft = draft_create(case, template=PaperTemplate.objects.get(name="Tjänsteutlåtande"), by=town.official)
    sign_in(page, live_server.url, town.official.username)
    page.goto(f"{live_server.url}/utlatanden/{draft.uuid}/redigera/")
    _tab_to(page, "#id_title")
    page.keyboard.press("Control+A")
    page.keyboard.type("Integrationsplan, skriven med tangentbordet")
    _tab_to(page, ".paper-editor[data-input='section-bakgrund'] .paper-content")
    page.keyboard.type("Bakgrunden skrevs utan mus.")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Sparat som version")
    with town.scope():
        saved = Draft.objects.get(pk=draft.pk)
    assert saved.title == "Integrationsplan, skriven med tangentbordet"
    assert "Bakgrunden skrevs utan mus." in saved.content["sections"]["bakgrund"]


def test_a_failed_autosave_is_shown_at_once_and_the_text_is_kept_and_restored(context, page, live_server):
    """Offline, the autosave fails: the status says so in Swedish (not 'sparas automatiskt'), the text
    stays in the browser, leaving asks first, and after a reload the text is offered back and saved."""
    town, case = _ale()
    with town.scope():
        from papers.models import PaperTemplate
        from papers.services import draft_create

        draft = draft_create(case, template=PaperTemplate.objects.get(name="Tjänsteutlåtande"), by=town.official)
    sign_in(page, live_server.url, town.official.username)
    page.goto(f"{live_server.url}/utlatanden/{draft.uuid}/redigera/")
    status = page.locator("#save-status")
    expect(status).to_contain_text("Ändringar sparas automatiskt")

    context.set_offline(True)
    _editor(page, "bakgrund").click()
    page.keyboard.insert_text("Texten som skrevs utan nät.")
    expect(status).to_contain_text("Kunde inte spara: ingen kontakt med servern.", timeout=15000)
    expect(status).not_to_contain_text("sparas automatiskt")
    assert status.get_attribute("role") == "status"
    assert_accessible(page)
    stored = page.evaluate(f"localStorage.getItem('papers:unsaved:{draft.uuid}:1')")
    assert stored and "Texten som skrevs utan nät." in stored
    warned = page.evaluate("!window.dispatchEvent(new Event('beforeunload', {cancelable: true}))")
    assert warned, "leaving with unsaved text does not ask first"

    # The tab is closed while still offline (else it would send the text again by itself as soon as the
    # network is back: tests/test_browser_desk.py); a new tab offers the kept text back.
    url = page.url
    page.close()
    context.set_offline(False)
    page = context.new_page()
    page.goto(url)
    status = page.locator("#save-status")
    restore = page.get_by_role("button", name="Återställ osparad text")
    expect(restore).to_be_visible()
    assert_accessible(page)
    expect(_editor(page, "bakgrund")).not_to_contain_text("Texten som skrevs utan nät.")
    restore.click()
    expect(_editor(page, "bakgrund")).to_contain_text("Texten som skrevs utan nät.")
    expect(status).to_contain_text("Sparat kl.", timeout=15000)
    with town.scope():
        saved = Draft.objects.get(pk=draft.pk)
    assert "Texten som skrevs utan nät." in saved.content["sections"]["bakgrund"]
    assert page.evaluate(f"Object.keys(localStorage).filter(k => k.includes('{draft.uuid}'))") == []
    assert page.evaluate("window.dispatchEvent(new Event('beforeunload', {cancelable: true}))")
