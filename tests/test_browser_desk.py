"""The official's desk in Chromium (issue 14.2 and 14.3): autosave that never lies when the network
goes or the session ends mid-edit; tables, lists and a paste from Word; a reviewer's comment at its
words; all of it axe-clean at desktop and phone width without sideways scroll."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from papers.models import Draft, DraftStatus, PaperTemplate, ReviewComment
from papers.sanitize import plain_text
from papers.services import draft_create, draft_save, draft_submit

from .browser import assert_accessible, assert_no_sideways_scroll, sign_in
from .servers import wait_for
from .test_browser_drafting import _ale

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


def _draft(town, case, content=None):
    with town.scope():
        draft = draft_create(case, template=PaperTemplate.objects.get(name="Tjänsteutlåtande"), by=town.official)
        if content is not None:
            draft = draft_save(draft, base_version=1, content=content, by=town.official)
    return draft


def _editor(page, key):
    return page.locator(f".paper-editor[data-input='section-{key}'] .paper-content")


def _saved(town, draft, key):
    with town.scope():
        return Draft.objects.get(pk=draft.pk).content["sections"].get(key, "")


def _flush_sessions():
    from django.contrib.sessions.models import Session

    deleted, _ = Session.objects.all().delete()
    assert deleted >= 1


def test_no_word_is_lost_when_the_network_goes_and_the_session_ends_mid_edit(context, page, live_server):
    town, case = _ale()
    draft = _draft(town, case)
    base = live_server.url
    sign_in(page, base, town.official.username)
    page.goto(f"{base}/utlatanden/{draft.uuid}/redigera/")
    status = page.locator("#save-status")
    expect(status).to_contain_text("Ändringar sparas automatiskt")
    editor = _editor(page, "bakgrund")

    # 1. Online: saved, and the status says so.
    editor.click()
    page.keyboard.type("Första stycket skrevs med nät.")
    expect(status).to_contain_text("Sparat kl.", timeout=15000)
    assert "Första stycket skrevs med nät." in _saved(town, draft, "bakgrund")

    # 2. The network goes mid-edit: the status says so at once and never claims a save.
    context.set_offline(True)
    page.keyboard.press("Enter")
    page.keyboard.type("Andra stycket skrevs utan nät.")
    expect(status).to_contain_text("Kunde inte spara: ingen kontakt med servern.", timeout=15000)
    expect(status).not_to_contain_text("Sparat")
    assert status.get_attribute("data-state") == "offline"
    kept = page.evaluate(f"JSON.stringify(Object.entries(localStorage).filter(([k]) => k.includes('{draft.uuid}')))")
    assert "Andra stycket skrevs utan nät." in kept
    assert page.evaluate("!window.dispatchEvent(new Event('beforeunload', {cancelable: true}))")
    assert "Andra stycket" not in _saved(town, draft, "bakgrund")
    assert_accessible(page)

    # 3. Back online: the kept text is sent again by itself.
    context.set_offline(False)
    expect(status).to_contain_text("Sparat kl.", timeout=30000)
    assert "Andra stycket skrevs utan nät." in _saved(town, draft, "bakgrund")

    # 4. The session ends on the server mid-edit: the save lands on the sign-in page, and the status
    #    says that, with a link to sign in again in another tab.
    _flush_sessions()
    page.keyboard.press("Enter")
    page.keyboard.type("Tredje stycket skrevs efter utloggningen.")
    expect(status).to_contain_text("du är inte längre inloggad", timeout=15000)
    expect(status).not_to_contain_text("Sparat")
    assert status.get_attribute("data-state") == "signed-out"
    expect(status.get_by_role("link", name="Logga in igen (öppnas i en ny flik)")).to_be_visible()
    assert_accessible(page)
    assert "Tredje stycket" not in _saved(town, draft, "bakgrund")
    # More words while signed out are kept too.
    page.keyboard.type(" Och några ord till.")
    expect(status).to_contain_text("du är inte längre inloggad", timeout=15000)

    # 5. Signing in again in another tab (a new CSRF token): the first tab sends its text again.
    other = context.new_page()
    sign_in(other, base, town.official.username)
    other.close()
    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(status).to_contain_text("Sparat kl.", timeout=30000)

    # 6. The session cookie itself is deleted in the browser mid-edit: the same honest path.
    context.clear_cookies(name="sessionid")
    page.keyboard.press("Enter")
    page.keyboard.type("Fjärde stycket efter att kakan försvann.")
    expect(status).to_contain_text("du är inte längre inloggad", timeout=15000)
    other = context.new_page()
    sign_in(other, base, town.official.username)
    other.close()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(status).to_contain_text("Sparat kl.", timeout=30000)

    typed = editor.inner_text()
    saved = _saved(town, draft, "bakgrund")
    assert plain_text(saved).split("\n") == [
        "Första stycket skrevs med nät.",
        "Andra stycket skrevs utan nät.",
        "Tredje stycket skrevs efter utloggningen. Och några ord till.",
        "Fjärde stycket efter att kakan försvann.",
    ]
    assert plain_text(saved).split("\n") == [line for line in typed.split("\n") if line.strip()]
    assert page.evaluate(f"Object.keys(localStorage).filter(k => k.includes('{draft.uuid}'))") == []
    assert page.evaluate("window.dispatchEvent(new Event('beforeunload', {cancelable: true}))")


# What Word puts on the clipboard for a paragraph, a 2×2 table and a two-item bulleted list.
WORD_HTML = (Path(__file__).parent / "clipboard" / "word-paste.html").read_text()


def _paste(page, editor, html):
    editor.evaluate(
        """(e, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "plain fallback");
            e.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_an_official_builds_a_table_and_a_list_and_pastes_from_word(page, live_server, width):
    town, case = _ale()
    draft = _draft(town, case)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, town.official.username)
    page.goto(f"{live_server.url}/utlatanden/{draft.uuid}/redigera/")
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    status = page.locator("#save-status")

    # A comparison table from the toolbar: three by three with a header row, one more row.
    ekonomi = _editor(page, "ekonomi")
    ekonomi.click()
    toolbar = page.locator("#part-ekonomi .paper-toolbar")
    toolbar.get_by_role("button", name="Tabell", exact=True).click()
    page.keyboard.type("Alternativ")
    page.keyboard.press("Tab")
    page.keyboard.type("Kostnad")
    page.keyboard.press("Tab")
    page.keyboard.type("Tid")
    page.keyboard.press("Tab")
    page.keyboard.type("Egen regi")
    toolbar.get_by_role("button", name="Ny rad").click()
    # A bulleted list after the table.
    page.evaluate("window.paperEditors.get('section-ekonomi').commands.focus('end')")
    toolbar.get_by_role("button", name="Punktlista").click()
    page.keyboard.type("Billigast")
    page.keyboard.press("Enter")
    page.keyboard.type("Snabbast")
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    # Paste from Word into another part.
    bedomning = _editor(page, "bedomning")
    bedomning.click()
    _paste(page, bedomning, WORD_HTML)
    expect(bedomning.locator("table td")).to_have_count(4)
    expect(bedomning.locator("ul li")).to_have_count(2)
    expect(status).to_contain_text("Sparat kl.", timeout=15000)
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    wait_for(lambda: "Snabbast" in _saved(town, draft, "ekonomi"), timeout=20, what="the ekonomi part saved")
    ekonomi_html = _saved(town, draft, "ekonomi")
    assert ekonomi_html.count("<table>") == 1
    assert ekonomi_html.count("<tr>") == 4  # three rows and the one added
    assert "<th" in ekonomi_html and "Alternativ" in ekonomi_html and "Egen regi" in ekonomi_html
    assert "<ul><li><p>Billigast</p></li><li><p>Snabbast</p></li></ul>" in ekonomi_html

    # "Sparat" may still be the status of the ekonomi part's save: wait for the pasted part's own.
    wait_for(lambda: "<table>" in _saved(town, draft, "bedomning"), timeout=20, what="the pasted part saved")
    pasted = _saved(town, draft, "bedomning")
    assert "<table>" in pasted and pasted.count("<td") == 4
    assert "Tolkning" in pasted and "120 000 kr" in pasted
    assert "<ul><li><p>Första punkten</p></li><li><p>Andra punkten</p></li></ul>" in pasted
    assert "Kostnaderna fördelas så här:" in pasted
    for dropped in ("mso-", "style", "class", "<span", "o:p", "Symbol", "·", "<!--", "font", "width"):
        assert dropped not in pasted, dropped


def test_a_trix_draft_opens_in_the_new_editor_with_its_words_unchanged(page, live_server):
    trix_html = (
        "<div>Första raden<br>andra raden i samma stycke</div><h3>Underrubrik</h3>"
        '<ul><li>Punkt ett</li><li>Punkt <strong>två</strong></li></ul><div><a href="https://ale.se">Ale</a></div>'
    )
    town, case = _ale()
    draft = _draft(town, case, content={"sections": {"bakgrund": trix_html}})
    sign_in(page, live_server.url, town.official.username)
    page.goto(f"{live_server.url}/utlatanden/{draft.uuid}/redigera/")
    editor = _editor(page, "bakgrund")
    expect(editor.locator("h3")).to_have_text("Underrubrik")
    expect(editor.locator("li")).to_have_count(2)
    expect(editor.locator("strong")).to_have_text("två")
    expect(editor.locator("a[href='https://ale.se']")).to_have_text("Ale")
    assert page.get_by_role("button", name="Återställ osparad text").count() == 0
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Slut.")
    expect(page.locator("#save-status")).to_contain_text("Sparat kl.", timeout=15000)
    saved = _saved(town, draft, "bakgrund")
    assert plain_text(saved).replace(" Slut.", "") == plain_text(trix_html)


def test_a_head_comments_on_words_and_the_official_sees_it_there_and_resolves_it(browser, live_server):
    town, case = _ale()
    draft = _draft(
        town, case, content={"sections": {"bakgrund": "<p>Planen gäller 2018–2021 och ska följas upp årligen.</p>"}}
    )
    with town.scope():
        for key in ("sammanfattning", "samrad", "ekonomi", "barn", "miljo", "funktionshinder", "bedomning"):
            draft.content["sections"][key] = "<p>Text.</p>"
        draft = draft_save(
            draft,
            base_version=draft.version,
            content={
                **draft.content,
                "proposal": ["Kommunstyrelsen antar planen."],
                "signatories": [{"name": "Gunilla Dörner Buskas", "title": "Utvecklingschef"}],
                "basis": [{"text": "Tjänsteutlåtande", "document": None}],
                "dispatch": ["Sektor kommunstyrelsen"],
            },
            by=town.official,
        )
        draft_submit(draft, by=town.official)
    base = live_server.url
    head = browser.new_context().new_page()
    sign_in(head, base, town.head.username)
    head.goto(f"{base}/utlatanden/{draft.uuid}/")
    assert_accessible(head)
    # The head marks the words in the paper; the form takes them as the comment's anchor.
    head.locator("[data-section='bakgrund'] p").evaluate(
        """p => {
            const text = p.firstChild; const start = text.data.indexOf("följas upp årligen");
            const range = document.createRange(); range.setStart(text, start); range.setEnd(text, start + 18);
            const sel = document.getSelection(); sel.removeAllRanges(); sel.addRange(range);
            p.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }"""
    )
    expect(head.get_by_label("Ord ur texten som kommentaren gäller")).to_have_value("följas upp årligen")
    expect(head.get_by_label("Del (obligatoriskt)", exact=True)).to_have_value("bakgrund")
    head.get_by_label("Kommentar (obligatoriskt)", exact=True).fill("Säg vem som följer upp och hur.")
    head.get_by_role("button", name="Spara kommentaren").click()
    expect(head.get_by_role("status").first).to_contain_text("Kommentaren är sparad vid texten.")
    assert_accessible(head)
    head.get_by_label("Vad behöver ändras?").fill("Se kommentaren om uppföljningen.")
    head.get_by_role("button", name="Skicka tillbaka med kommentar").click()

    official = browser.new_context().new_page()
    sign_in(official, base, town.official.username)
    official.goto(f"{base}/utlatanden/{draft.uuid}/redigera/")
    with town.scope():
        comment = ReviewComment.objects.get()
        assert Draft.objects.get(pk=draft.pk).status == DraftStatus.RETURNED
    mark = _editor(official, "bakgrund").locator(f"mark.comment-anchor[data-comment='{comment.uuid}']")
    expect(mark).to_have_text("följas upp årligen")
    box = official.locator(f"#part-bakgrund #comment-{comment.uuid}")
    expect(box).to_contain_text("Säg vem som följer upp och hur.")
    expect(official.get_by_role("navigation", name="Delar av utlåtandet")).to_contain_text("Bakgrund (1 kommentar)")
    assert_accessible(official)
    for width in (1366, 390):
        official.set_viewport_size({"width": width, "height": 900})
        assert_no_sideways_scroll(official)
    box.get_by_role("button", name="Markera som åtgärdad").click()
    expect(official.locator(f"#comment-{comment.uuid}")).to_contain_text("är åtgärdad")
    expect(mark).to_have_count(0)
    with town.scope():
        comment.refresh_from_db()
        assert comment.resolved_by == town.official and comment.resolved_at is not None
        # The comment never touched the paper's text.
        assert "<mark" not in Draft.objects.get(pk=draft.pk).content["sections"]["bakgrund"]
