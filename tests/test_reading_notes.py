"""Private notes in the reading room: saved once under the browser's id, private unless shared with
the own party group, never readable by staff, never in an event's payload; the summary; the
offline package and the service worker."""

from __future__ import annotations

import json
import re
import uuid
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.models import Role, SeatRole
from reading.models import Note, NoteEvent

from .factories import UserFactory
from .reading_setup import called_meeting
from .test_meetings_protocol import seat

SECRET_TEXT = "Fråga om kostnaden för linje sju"
SHARED_TEXT = "Gruppen bör yrka återremiss"
JSON = {"HTTP_ACCEPT": "application/json"}


def save_url(reading, note_id) -> str:
    return reverse("reading:note-save", args=[reading.meeting.uuid, note_id])


def notes_url(reading) -> str:
    return reverse("reading:notes", args=[reading.meeting.uuid])


def member_of(town, party: str, username: str):
    user = UserFactory(username=username, municipality=town.municipality, roles=[Role.POLITICIAN])
    with town.scope():
        seat(town, town.un, username.title(), "Ledamot", party, SeatRole.MEMBER, user=user)
    return user


def write(client, reading, text, *, shared=False, highlight=None, note_id=None):
    data = {"text": text, "item": str(reading.item.uuid)}
    if shared:
        data["shared"] = "on"
    if highlight:
        data.update(highlight)
    return client.post(save_url(reading, note_id or uuid.uuid4()), data, **JSON)


def test_a_note_sent_twice_under_one_id_is_one_note_with_one_event_and_no_text_in_it(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    note_id = uuid.uuid4()
    highlight = {
        "source": "paper",
        "exact": "Förvaltningen avstyrker.",
        "quote_prefix": "arbetsgrupp.",
        "quote_suffix": "",
    }
    first = write(client, reading, SECRET_TEXT, highlight=highlight, note_id=note_id)
    again = write(client, reading, SECRET_TEXT, highlight=highlight, note_id=note_id)
    assert (first.status_code, again.status_code) == (201, 200)
    with scopes_disabled():
        assert Note.objects.filter(uuid=note_id).count() == 1
        note = Note.objects.get(uuid=note_id)
        assert (note.author, note.item, note.exact, note.shared) == (
            ale.politician,
            reading.item,
            "Förvaltningen avstyrker.",
            False,
        )
        events = list(NoteEvent.objects.values())
    assert [e["action"] for e in events] == ["note.created"]
    assert SECRET_TEXT not in repr(events) and "avstyrker" not in repr(events)
    assert SECRET_TEXT not in str(note)
    with connection.cursor() as cursor:  # the audit trail records the write, never the note's words
        cursor.execute("SELECT data::text FROM audit_auditentry WHERE table_name = 'reading_note'")
        logged = " ".join(row for (row,) in cursor.fetchall())
    assert logged and SECRET_TEXT not in logged and "avstyrker" not in logged


def test_changing_the_text_and_sharing_writes_events_and_keeps_one_note(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    note_id = uuid.uuid4()
    write(client, reading, "Första", note_id=note_id)
    assert write(client, reading, "Andra", shared=True, note_id=note_id).status_code == 200
    with scopes_disabled():
        note = Note.objects.get(uuid=note_id)
        assert (note.text, note.shared, note.party) == ("Andra", True, "S")
        assert list(NoteEvent.objects.values_list("action", flat=True)) == [
            "note.created",
            "note.updated",
            "note.shared",
        ]


def test_a_shared_note_reaches_the_own_party_group_and_no_other_party(client, ale):
    reading = called_meeting(ale)
    same_party = member_of(ale, "S", "sara")
    other_party = member_of(ale, "M", "mats")
    client.force_login(ale.politician)
    write(client, reading, SHARED_TEXT, shared=True)
    write(client, reading, SECRET_TEXT)

    client.force_login(same_party)
    texts = [n["text"] for n in client.get(notes_url(reading)).json()["notes"]]
    assert texts == [SHARED_TEXT]
    client.force_login(other_party)
    body = client.get(notes_url(reading)).content.decode()
    assert SHARED_TEXT not in body and SECRET_TEXT not in body


def test_someone_elses_note_id_is_a_404_and_leaves_the_note_alone(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    note_id = uuid.uuid4()
    write(client, reading, SECRET_TEXT, note_id=note_id)
    client.force_login(member_of(ale, "S", "sara"))
    assert write(client, reading, "Överskrivet", note_id=note_id).status_code == 404
    delete = reverse("reading:note-delete", args=[reading.meeting.uuid, note_id])
    assert client.post(delete, **JSON).status_code == 404
    with scopes_disabled():
        assert Note.objects.get(uuid=note_id).text == SECRET_TEXT


def test_a_member_without_a_seat_in_the_body_gets_404_everywhere(client, ale):
    reading = called_meeting(ale)
    stranger = UserFactory(username="ale.stranger", municipality=ale.municipality, roles=[Role.POLITICIAN])
    with ale.scope():
        seat(ale, ale.sn, "Sven", "Socialnämnd", "S", user=stranger)
    client.force_login(stranger)
    meeting = reading.meeting.uuid
    for url in (
        notes_url(reading),
        reverse("reading:notes-summary", args=[meeting]),
        reverse("reading:offline-package", args=[meeting]),
    ):
        assert client.get(url).status_code == 404, url
    assert write(client, reading, "Försök").status_code == 404
    with scopes_disabled():
        assert Note.objects.count() == 0


def test_staff_may_not_share_and_a_highlight_on_a_document_of_another_case_is_refused(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.secretary)
    assert write(client, reading, "Sekreterarens egen", shared=True).status_code == 400
    client.force_login(ale.politician)
    response = write(
        client, reading, "Fel", highlight={"source": "document", "document": str(uuid.uuid4()), "exact": "x"}
    )
    assert response.status_code == 404
    with scopes_disabled():
        assert Note.objects.count() == 0


def test_a_note_written_without_script_is_saved_and_the_form_returns_to_the_page(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    page = reverse("reading:item", args=[reading.meeting.uuid, reading.item.uuid])
    response = client.get(page)
    # The page is kept: each response fills in its own id for the new note (alingsas_ale.pagecache).
    form_id = uuid.UUID(re.search(r'anteckningar/([0-9a-f-]{36})/"', response.content.decode()).group(1))
    assert form_id != response.context["new_note"]
    assert f'action="{save_url(reading, form_id)}"' in response.content.decode()
    posted = client.post(
        save_url(reading, form_id), {"text": "Utan skript", "item": str(reading.item.uuid), "next": page}
    )
    assert posted.status_code == 302 and posted["Location"] == page
    with scopes_disabled():
        assert Note.objects.get(uuid=form_id).text == "Utan skript"


def test_the_summary_lists_ones_own_notes_by_item_and_saves_as_text(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    write(client, reading, SECRET_TEXT, highlight={"source": "paper", "exact": "Förvaltningen avstyrker."})
    client.post(save_url(reading, uuid.uuid4()), {"text": "Om mötet i stort"}, **JSON)
    summary = reverse("reading:notes-summary", args=[reading.meeting.uuid])
    page = client.get(summary).content.decode()
    assert SECRET_TEXT in page and "Förvaltningen avstyrker." in page and "Om mötet i stort" in page
    assert page.index("Om mötet i stort") < page.index("Ny skolskjutsplan") < page.index(SECRET_TEXT)
    text = client.get(summary + "?format=txt")
    assert text["Content-Disposition"].startswith("attachment")
    assert SECRET_TEXT in text.content.decode()


def _links(html: str, base: str) -> list[str]:
    import re

    found = []
    for href in re.findall(r'href="([^"#]+)', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parsed = urlparse(url)
        if parsed.netloc in ("", "testserver") and not parsed.path.startswith("/static/"):
            found.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return found


def crawl(client, starts: list[str], limit: int = 400) -> dict[str, str]:
    """Every page reachable by links from ``starts`` (GET only, no sign-out): url → body."""
    seen: dict[str, str] = {}
    queue = deque(starts)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or "logga-ut" in url:
            continue
        response = client.get(url, follow=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[url] = body.decode("utf-8", errors="replace")
        if "html" in response.get("Content-Type", ""):
            queue.extend(_links(seen[url], "http://testserver" + url))
    return seen


@pytest.mark.parametrize("role", ["secretary", "admin", "official", "head", "registrar"])
def test_no_page_of_staff_or_the_administrator_shows_a_note(client, ale, role):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    write(client, reading, SECRET_TEXT, highlight={"source": "paper", "exact": "Förvaltningen avstyrker."})
    client.force_login(member_of(ale, "S", "sara"))
    write(client, reading, SHARED_TEXT, shared=True)

    if role == "admin":
        user = UserFactory(username="ale.admin", municipality=ale.municipality, roles=[Role.ADMIN])
    else:
        user = getattr(ale, role)
    client.force_login(user)
    meeting = reading.meeting.uuid
    starts = [
        "/",
        reverse("meetings:list"),
        reverse("meetings:detail", args=[meeting]) if _has("meetings:detail") else "/",
        reverse("reading:meeting", args=[meeting]),
        reverse("reading:item", args=[meeting, reading.item.uuid]),
        notes_url(reading),
        reverse("reading:notes-summary", args=[meeting]),
        reverse("reading:offline-package", args=[meeting]),
    ]
    pages = crawl(client, starts)
    assert len(pages) > 10
    for url, body in pages.items():
        assert SECRET_TEXT not in body and SHARED_TEXT not in body, url
    response = client.get(notes_url(reading))
    assert response.status_code == 404 if role == "admin" else response.json()["notes"] == []


def _has(name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name, args=[uuid.uuid4()])
    except NoReverseMatch:
        return False
    return True


def test_the_offline_package_holds_the_pages_and_readable_files_only(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    package = client.get(reverse("reading:offline-package", args=[reading.meeting.uuid])).json()
    meeting, item = reading.meeting.uuid, reading.item.uuid
    assert reverse("reading:meeting", args=[meeting]) in package["urls"]
    assert reverse("reading:item", args=[meeting, item]) in package["urls"]
    assert reverse("reading:document", args=[meeting, item, reading.pdf.uuid]) in package["urls"]
    assert reverse("reading:document", args=[meeting, item, reading.image.uuid]) in package["urls"]
    assert not any(str(reading.secret.uuid) in url for url in package["urls"])
    assert "/static/reading/sw.js" not in package["urls"]
    for url in package["urls"]:
        if url.startswith("/static/"):
            continue
        assert client.get(url).status_code == 200, url


def test_the_service_worker_is_served_at_the_root_with_its_code_from_static(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert 'importScripts("/static/reading/sw.js")' in response.content.decode()


def test_the_service_worker_is_served_under_the_manifest_storage_of_scripts_run(client, settings, tmp_path):
    # scripts/run and Docker serve hashed static names from a manifest, which has no entry for the
    # static root itself: the worker answered 500 there and the reading room had no offline copy.
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "hash": "x", "paths": {"reading/sw.js": "reading/sw.0123abcd.js"}})
    )
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    response = client.get("/sw.js")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'self.STATIC_URL = "/static/"' in body and 'importScripts("/static/reading/sw.0123abcd.js")' in body


def test_a_note_id_taken_in_another_municipality_is_refused_and_the_note_left_alone(client, ale, alingsas):
    reading = called_meeting(ale)
    theirs = called_meeting(alingsas)
    client.force_login(ale.politician)
    note_id = uuid.uuid4()
    write(client, reading, SECRET_TEXT, note_id=note_id)
    client.force_login(alingsas.politician)
    assert write(client, theirs, "Samma id", note_id=note_id).status_code == 400
    assert client.get(notes_url(theirs)).json()["notes"] == []
    with scopes_disabled():
        assert list(Note.objects.values_list("text", "municipality")) == [(SECRET_TEXT, ale.municipality.pk)]


def test_removing_a_note_twice_removes_it_once_and_every_code_written_has_a_swedish_label(client, ale):
    from cases.events import registered_codes

    reading = called_meeting(ale)
    client.force_login(ale.politician)
    note_id = uuid.uuid4()
    write(client, reading, SECRET_TEXT, shared=True, note_id=note_id)
    write(client, reading, SECRET_TEXT, note_id=note_id)
    delete = reverse("reading:note-delete", args=[reading.meeting.uuid, note_id])
    assert client.post(delete, **JSON).status_code == 200
    assert client.post(delete, **JSON).status_code == 200
    with scopes_disabled():
        assert not Note.objects.exists()
        actions = list(NoteEvent.objects.values_list("action", flat=True))
    assert actions == ["note.created", "note.shared", "note.unshared", "note.deleted"]
    assert set(actions) <= registered_codes()
