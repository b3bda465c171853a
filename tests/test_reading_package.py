"""The meeting package: kallelse, föredragningslista and every item's handlingar as one PDF with a
bookmark per item, built by the worker; a secret handling only for a reader who may open it."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from cases import services as case_services
from cases.models import OutboxMessage, PdfStatus
from cases.textextract import document_text_extract
from meetings import services
from reading.models import MeetingPackage
from reading.package import package_build, package_request

from .helpers import register_document
from .pdftext import assert_in_order, pdftotext
from .reading_search_setup import DOCX_WORD, ODT_WORD, SECRET_WORD, searchable_meeting
from .reading_setup import PDF_WORD, called_meeting, pdf_bytes
from .test_meetings_protocol import approved_draft

SECOND_WORD = "Lekplatsbesiktning"


def second_item(town, meeting):
    """A second case on the agenda, with a PDF of its own."""
    with town.scope():
        case = case_services.case_register(
            municipality=town.municipality, title="Lekplatser i centrum", body=town.un, by=town.registrar
        )
        doc = register_document(
            town,
            case,
            description="Besiktningsprotokoll",
            upload=SimpleUploadedFile("besiktning.pdf", pdf_bytes(SECOND_WORD), content_type="application/pdf"),
        )
        document_text_extract(doc.pk)
        draft = approved_draft(town, case, "Utbildningsnämnden noterar besiktningen.")
        return services.agenda_add(meeting, draft=draft, by=town.secretary)


def built(town, meeting, user) -> MeetingPackage:
    with town.scope():
        package = package_request(meeting, by=user)
        assert package_build(package.pk) is True
        package.refresh_from_db()
    return package


def outline(path: Path) -> list[tuple[str, list[str]]]:
    reader = PdfReader(path)
    result: list[tuple[str, list[str]]] = []
    for entry in reader.outline:
        if isinstance(entry, list):
            result[-1][1].extend(child.title for child in entry)
        else:
            result.append((entry.title, []))
    return result


def test_the_package_holds_every_items_papers_in_agenda_order_with_bookmarks(ale):
    found = searchable_meeting(ale)
    meeting = found.reading.meeting
    second = second_item(ale, meeting)
    package = built(ale, meeting, ale.politician)
    assert package.status == PdfStatus.DONE
    assert len(package.checksum) == 64
    text = pdftotext(package.file.path)
    with ale.scope():
        items = list(meeting.items.order_by("ordering"))
        second_dnr = second.case.diarienummer
    assert_in_order(
        text,
        [
            "Kallelse",
            f"Punkt {items[0].ordering}",
            f"Punkt {found.reading.item.ordering}: Ny skolskjutsplan",
            PDF_WORD,
            DOCX_WORD,
            ODT_WORD,
            f"Punkt {second.ordering}: Lekplatser i centrum",
            SECOND_WORD,
        ],
    )
    bookmarks = outline(Path(package.file.path))
    assert [title for title, _children in bookmarks] == ["Kallelse och föredragningslista"] + [
        f"{item.ordering}. {item.title}" for item in items
    ]
    children = dict(bookmarks)[f"{found.reading.item.ordering}. Ny skolskjutsplan"]
    assert [c.split(" ", 1)[1] for c in children] == [
        "Karta över skolskjutsarna",
        "Foto av hållplatsen",
        "Yttrande från trafikenheten",
        "Skrivelse om vintern",
    ]
    assert dict(bookmarks)[f"{second.ordering}. Lekplatser i centrum"] == [f"{second_dnr}-1 Besiktningsprotokoll"]


def test_a_secret_handling_is_left_out_for_a_reader_without_the_right_and_the_item_says_so(ale):
    found = searchable_meeting(ale)
    package = built(ale, found.reading.meeting, ale.politician)
    text = pdftotext(package.file.path)
    assert SECRET_WORD not in text
    assert "Utredning om en elev" not in text and "Ansökan från vårdnadshavare" not in text
    assert text.count("Sekretess (OSL 26 kap. 1 §) – du har inte behörighet att läsa handlingen.") == 2


def test_the_registrar_who_was_granted_it_gets_the_secret_handling_in_their_package(ale):
    found = searchable_meeting(ale)
    package = built(ale, found.reading.meeting, ale.registrar)
    text = pdftotext(package.file.path)
    assert SECRET_WORD in text
    assert "Utredning om en elev" in text


def test_asking_for_a_package_queues_the_build_and_a_second_run_changes_nothing(ale):
    found = searchable_meeting(ale)
    with ale.scope():
        package = package_request(found.reading.meeting, by=ale.politician)
        assert OutboxMessage.objects.filter(task="reading.tasks.build_meeting_package", object_id=package.pk).exists()
        assert package_build(package.pk) is True
        package.refresh_from_db()
        checksum = package.checksum
        assert package_build(package.pk) is False
        package.refresh_from_db()
        assert package.checksum == checksum


def test_the_package_page_shows_progress_and_the_download(client, ale):
    found = searchable_meeting(ale)
    meeting = found.reading.meeting
    url = reverse("reading:package", args=[meeting.uuid])
    client.force_login(ale.politician)
    assert "Inget paket är skapat ännu." in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    with ale.scope():
        package = MeetingPackage.objects.get(meeting=meeting, user=ale.politician)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Paketet skapas" in fragment and f'hx-get="{url}"' in fragment
    with ale.scope():
        package_build(package.pk)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    file_url = reverse("reading:package-file", args=[meeting.uuid, package.uuid])
    assert file_url in fragment and "hx-get" not in fragment
    response = client.get(file_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert PdfReader(BytesIO(b"".join(response.streaming_content))).outline


def test_others_get_404_for_the_package_pages(client, ale, outsider):
    found = searchable_meeting(ale)
    meeting = found.reading.meeting
    package = built(ale, meeting, ale.politician)
    file_url = reverse("reading:package-file", args=[meeting.uuid, package.uuid])
    page_url = reverse("reading:package", args=[meeting.uuid])
    client.force_login(ale.registrar)  # reads the meeting, but the package is the politician's
    assert client.get(file_url).status_code == 404
    from .factories import UserFactory

    with ale.scope():
        seatless = UserFactory(municipality=ale.municipality, roles=["fortroendevald"])
    for user in (seatless, outsider):
        client.force_login(user)
        assert client.get(page_url).status_code == 404
        assert client.post(page_url).status_code == 404
        assert client.get(file_url).status_code == 404


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_package_page_takes_only_get_and_post(client, ale, method):
    found = searchable_meeting(ale)
    client.force_login(ale.politician)
    assert getattr(client, method)(reverse("reading:package", args=[found.reading.meeting.uuid])).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_by_the_polling_page_while_the_build_transaction_is_still_open():
    from django.db import DEFAULT_DB_ALIAS, connections, transaction

    from reading.package import Progress

    from .conftest import _make_town

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    reading = called_meeting(town)
    with town.scope():
        package = package_request(reading.meeting, by=town.politician)
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with transaction.atomic():  # as the outbox runs the task
            progress = Progress(package.pk, 5)
            progress(2)
            progress.close()
            with other.cursor() as cursor:
                cursor.execute("SELECT steps_done, steps_total FROM reading_meetingpackage WHERE id = %s", [package.pk])
                assert cursor.fetchone() == (2, 5)
    finally:
        other.close()
