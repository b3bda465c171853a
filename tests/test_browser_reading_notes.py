"""Notes in the reading room, in the browser: a förtroendevald highlights a sentence of the item's
paper and a word of its PDF with the keyboard, writes notes, and finds them placed again after a
reload; after a new version of the paper one highlight is placed and one is listed as "Kunde inte
placeras"; with the meeting stored on the device the browser goes offline, the meeting and its PDF
still open, a note written offline is sent exactly once when the browser is online again, and
signing out clears what was stored. axe-core checks the pages; none scrolls sideways."""

from __future__ import annotations

import os
import uuid

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from papers.services import draft_approve, draft_reopen, draft_save, draft_submit
from reading.models import Note, NoteSource
from reading.notes import Highlight, note_save

from .browser import assert_accessible, assert_no_sideways_scroll, sign_in
from .reading_setup import PDF_WORD, called_meeting

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = "Förvaltningen avstyrker."

# Select ``phrase`` inside the first element matching ``selector``, as a reader's mouse would.
SELECT = """([selector, phrase]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const at = node.data.indexOf(phrase);
    if (at === -1) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + phrase.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return true;
  }
  return false;
}"""


@pytest.fixture
def town():
    from .conftest import _make_town

    return _make_town("ale", "Ale kommun", "{series}.{year}.{number}")


def check(page) -> None:
    assert_accessible(page)
    assert_no_sideways_scroll(page)


def notes_in_db() -> list[Note]:
    with scopes_disabled():
        return list(Note.objects.order_by("created_at"))


def highlight_with_keyboard(page, selector: str, phrase: str, note: str) -> None:
    assert page.evaluate(SELECT, [selector, phrase])
    button = page.get_by_role("button", name="Anteckna markerad text")
    expect(button).to_be_visible()
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-note-quote-text]")).to_have_text(phrase)
    expect(page.get_by_label("Anteckning", exact=True)).to_be_focused()
    page.keyboard.type(note)
    page.get_by_role("button", name="Spara anteckning").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-notes-sync]")).to_have_text("Alla anteckningar är sparade.")


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_a_member_highlights_a_sentence_and_a_pdf_word_and_finds_the_notes_after_a_reload(
    page, live_server, town, width, height
):
    reading = called_meeting(town)
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server.url, town.politician.username, lands="**/lasesal/")
    page.get_by_role("link", name="Utbildningsnämnden").click()
    page.get_by_role("link", name="Ny skolskjutsplan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ny skolskjutsplan")
    viewer = page.locator(f'[data-pdf-src$="/{reading.pdf.uuid}/"]')
    expect(viewer).to_have_attribute("data-rendered", "true", timeout=30_000)
    expect(page.get_by_role("main")).to_contain_text("Vem kan läsa mina anteckningar?")
    check(page)

    highlight_with_keyboard(page, '[data-note-source="paper"]', SENTENCE, "Varför avstyrker de?")
    highlight_with_keyboard(page, ".pdf-viewer .textLayer", PDF_WORD, "Se kartan")
    notes = notes_in_db()
    assert [(n.source, n.exact, n.text, n.shared) for n in notes] == [
        (NoteSource.PAPER, SENTENCE, "Varför avstyrker de?", False),
        (NoteSource.DOCUMENT, PDF_WORD, "Se kartan", False),
    ]
    assert notes[1].document == reading.pdf and notes[0].author == town.politician

    page.reload()
    expect(viewer).to_have_attribute("data-rendered", "true", timeout=30_000)
    paper_mark = page.locator('[data-note-source="paper"] mark.note-mark')
    expect(paper_mark).to_have_text(SENTENCE)
    expect(viewer.locator("mark.note-mark")).to_have_text(PDF_WORD)
    cards = page.locator("[data-notes-list] > li")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("Varför avstyrker de?")
    expect(cards.first).to_contain_text("Privat")
    expect(page.locator("[data-notes-unplaced]")).to_be_hidden()
    check(page)
    cards.first.get_by_role("link", name="Visa i texten").click()
    expect(paper_mark).to_be_focused()

    page.get_by_role("link", name="Sammanställning av mina anteckningar").click()
    expect(page.get_by_role("main")).to_contain_text("Varför avstyrker de?")
    expect(page.get_by_role("main")).to_contain_text(PDF_WORD)
    check(page)


def test_after_a_new_version_of_the_paper_one_highlight_is_placed_and_one_could_not_be(page, live_server, town):
    reading = called_meeting(town)
    with town.scope():
        for exact, prefix, text in (
            (SENTENCE, "", "Stämmer det?"),
            ("Motionen gäller en arbetsgrupp.", "", "Vilken arbetsgrupp?"),
        ):
            note_save(
                reading.meeting,
                uuid=uuid.uuid4(),
                text=text,
                item=reading.item,
                highlight=Highlight(source=NoteSource.PAPER, exact=exact, prefix=prefix),
                by=town.politician,
            )
        draft = draft_reopen(reading.item.draft, by=town.head)
        content = {
            "sections": {
                "arendebeskrivning": "<p>Ärendet gäller skolskjutsar på landsbygden.</p>",
                "yttrande": f"<p>Efter en ny utredning: {SENTENCE}</p>",
            },
            "proposal": ["Utbildningsnämnden fastställer skolskjutsplanen."],
            "dispatch": ["Kommunstyrelsens arbetsutskott"],
            "signatories": [{"name": "Åsa Holmstrand", "title": "Tf förvaltningschef"}],
        }
        draft = draft_save(draft, base_version=draft.version, content=content, by=town.official)
        draft_submit(draft, by=town.official)
        draft_approve(draft, by=town.head)

    sign_in(page, live_server.url, town.politician.username, lands="**/lasesal/")
    page.goto(live_server.url + reverse("reading:item", args=[reading.meeting.uuid, reading.item.uuid]))
    expect(page.get_by_role("main")).to_contain_text("skolskjutsar på landsbygden")
    expect(page.locator('[data-note-source="paper"] mark.note-mark')).to_have_text(SENTENCE)
    placed = page.locator("[data-notes-list] > li")
    expect(placed).to_have_count(1)
    expect(placed).to_contain_text("Stämmer det?")
    lost = page.locator("[data-notes-unplaced]")
    expect(lost).to_be_visible()
    expect(lost.get_by_role("heading", name="Kunde inte placeras")).to_be_visible()
    expect(lost.locator("li")).to_have_count(1)
    expect(lost.locator("li")).to_contain_text("Motionen gäller en arbetsgrupp.")
    expect(lost.locator("li")).to_contain_text("Vilken arbetsgrupp?")
    check(page)


def stored_caches(page) -> list[str]:
    return page.evaluate("async () => (await caches.keys()).filter(name => name.startsWith('lasesal-'))")


def test_a_stored_meeting_is_read_offline_and_a_note_written_there_is_sent_once(page, context, live_server, town):
    reading = called_meeting(town)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, town.politician.username, lands="**/lasesal/")
    meeting_url = live_server.url + reverse("reading:meeting", args=[reading.meeting.uuid])
    item_url = live_server.url + reverse("reading:item", args=[reading.meeting.uuid, reading.item.uuid])
    page.goto(meeting_url)
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    expect(page.locator("[data-connection]")).to_have_text("Ansluten.")
    expect(page.get_by_role("button", name="Ta bort från enheten")).to_be_hidden()
    page.get_by_role("button", name="Ladda ned för läsning offline").click()
    expect(page.locator("[data-offline-state]")).to_contain_text("Sparat på den här enheten", timeout=30_000)
    expect(page.locator("[data-offline-state]")).to_contain_text("sidor och 2 filer")
    assert stored_caches(page) == [f"lasesal-{reading.meeting.uuid}"]
    check(page)

    context.set_offline(True)
    expect(page.locator("[data-connection]")).to_contain_text("Du är offline")
    page.goto(meeting_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utbildningsnämnden")
    page.get_by_role("link", name="Ny skolskjutsplan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ny skolskjutsplan")
    viewer = page.locator(f'[data-pdf-src$="/{reading.pdf.uuid}/"]')
    expect(viewer).to_have_attribute("data-rendered", "true", timeout=30_000)
    expect(viewer.locator(".textLayer")).to_contain_text(PDF_WORD)
    expect(page.get_by_role("img", name="Foto av hållplatsen")).to_be_visible()
    expect(page.locator("[data-connection]")).to_contain_text("Du är offline")

    page.get_by_label("Anteckning", exact=True).fill("Skriven på tåget")
    page.get_by_role("button", name="Spara anteckning").click()
    sync = page.locator("[data-notes-sync]")
    expect(sync).to_have_text("1 anteckning väntar på att skickas. Den skickas när du är ansluten.")
    expect(page.locator("[data-notes-list]")).to_contain_text("Väntar på att skickas")
    check(page)
    page.goto(item_url)  # still offline: the note waits on the device, not lost
    expect(page.locator("[data-notes-list]")).to_contain_text("Skriven på tåget")
    assert notes_in_db() == []

    context.set_offline(False)
    expect(sync).to_have_text("Alla anteckningar är sparade.", timeout=15_000)
    assert [n.text for n in notes_in_db()] == ["Skriven på tåget"]
    page.reload()
    expect(page.locator("[data-notes-list] > li")).to_have_count(1)
    expect(sync).to_have_text("Alla anteckningar är sparade.")
    assert [n.text for n in notes_in_db()] == ["Skriven på tåget"]
    assert page.evaluate("localStorage.getItem('lasesal-pending-notes')") == "{}"

    page.goto(live_server.url + reverse("reading:home"))
    stored = page.locator("[data-offline-list]")
    expect(stored).to_contain_text("Utbildningsnämnden")
    check(page)
    page.goto(meeting_url)
    page.get_by_role("button", name="Ta bort från enheten").click()
    expect(page.locator("[data-offline-state]")).to_have_text("Sammanträdet är inte sparat på den här enheten.")
    expect(page.get_by_role("button", name="Ta bort från enheten")).to_be_hidden()
    assert stored_caches(page) == []


def test_signing_out_clears_the_meetings_stored_on_the_device(page, live_server, town):
    reading = called_meeting(town)
    sign_in(page, live_server.url, town.politician.username, lands="**/lasesal/")
    page.goto(live_server.url + reverse("reading:meeting", args=[reading.meeting.uuid]))
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    page.get_by_role("button", name="Ladda ned för läsning offline").click()
    expect(page.locator("[data-offline-state]")).to_contain_text("Sparat på den här enheten", timeout=30_000)
    assert len(stored_caches(page)) == 1
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/konto/logga-in/**")
    page.wait_for_function(
        "async () => (await caches.keys()).every(name => !name.startsWith('lasesal-'))"
        " && localStorage.getItem('lasesal-stored-meetings') === null"
    )
    assert stored_caches(page) == []
