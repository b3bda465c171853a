"""Search in handlingar: text extracted at registration (PDF, DOCX, ODT), Swedish full-text search
across the meetings one may read, highlighted snippets, and never a secret text one may not read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import CaseEvent, OutboxMessage
from cases.textextract import document_text_extract, kind_of

from .reading_search_setup import DOCX_WORD, ODT_WORD, SECRET_WORD, searchable_meeting
from .reading_setup import PDF_WORD, called_meeting

SEARCH = reverse("reading:search")


def test_registering_a_pdf_queues_text_extraction_in_the_outbox(ale):
    reading = called_meeting(ale)
    with ale.scope():
        queued = OutboxMessage.objects.filter(task="cases.tasks.extract_document_text")
        assert list(queued.values_list("object_id", flat=True)) == [reading.pdf.pk]  # not the picture


def test_the_worker_step_extracts_pdf_docx_and_odt_text_and_makes_a_pdf_of_docx_and_odt(ale):
    found = searchable_meeting(ale)
    assert PDF_WORD in found.reading.pdf.text
    assert DOCX_WORD in found.docx.text and "Yttrande" in found.docx.text
    assert ODT_WORD in found.odt.text
    assert not found.reading.pdf.display_pdf
    for doc in (found.docx, found.odt):
        with doc.display_pdf.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    with ale.scope():
        events = CaseEvent.objects.filter(action="document.text_extracted", case=found.docx.case)
        assert events.count() == 4  # the picture has no text to extract
        # Idempotent: a second run changes nothing and writes no second event.
        assert document_text_extract(found.docx.pk) is False
        assert events.count() == 4


def test_kind_is_known_by_content_type_or_file_name():
    assert kind_of("application/pdf", "x.bin") == "pdf"
    assert kind_of("application/octet-stream", "Yttrande.DOCX") == "docx"
    assert kind_of("", "brev.odt") == "odt"
    assert kind_of("image/png", "foto.png") is None


def test_a_member_finds_a_word_that_occurs_only_inside_an_attached_pdf(client, ale):
    found = searchable_meeting(ale)
    client.force_login(ale.politician)
    response = client.get(SEARCH, {"q": PDF_WORD.lower()})
    assert response.status_code == 200
    hits = response.context["hits"]
    assert [hit.document.pk for hit in hits] == [found.reading.pdf.pk]
    page = response.content.decode()
    assert f"<mark>{PDF_WORD}</mark>" in page
    assert reverse("reading:item", args=[found.reading.meeting.uuid, found.reading.item.uuid]) in page


def test_swedish_stemming_finds_another_form_of_the_word(client, ale):
    searchable_meeting(ale)
    client.force_login(ale.politician)
    hits = client.get(SEARCH, {"q": "gatorna"}).context["hits"]  # the ODT says "gator"
    assert [hit.document.description for hit in hits] == ["Skrivelse om vintern"]


def test_docx_text_is_found_and_the_file_opens_as_the_pdf_made_of_it(client, ale):
    found = searchable_meeting(ale)
    client.force_login(ale.politician)
    hits = client.get(SEARCH, {"q": DOCX_WORD}).context["hits"]
    assert [hit.document.pk for hit in hits] == [found.docx.pk]
    reading = found.reading
    url = reverse("reading:document", args=[reading.meeting.uuid, reading.item.uuid, found.docx.uuid])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    page = client.get(reverse("reading:item", args=[reading.meeting.uuid, reading.item.uuid])).content.decode()
    assert f'data-pdf-src="{url}"' in page


def test_a_secret_handlings_text_never_appears_for_someone_without_the_right(client, ale):
    searchable_meeting(ale)
    client.force_login(ale.politician)
    assert client.get(SEARCH, {"q": SECRET_WORD}).context["hits"] == []
    # "läsåret" is in the public PDF and in the secret one: only the public one is a hit, and the
    # secret text shows up in no snippet.
    response = client.get(SEARCH, {"q": "läsåret"})
    assert [hit.document.description for hit in response.context["hits"]] == ["Karta över skolskjutsarna"]
    page = response.content.decode()
    assert SECRET_WORD not in page
    assert "Utredning om en elev" not in page


def test_the_registrar_who_was_granted_the_secret_handling_finds_it(client, ale):
    found = searchable_meeting(ale)
    client.force_login(ale.registrar)  # document_register grants the registrar who registered it
    hits = client.get(SEARCH, {"q": SECRET_WORD}).context["hits"]
    assert [hit.document.pk for hit in hits] == [found.secret_pdf.pk]
    client.force_login(ale.official)  # staff reader, not granted and not the handläggare
    assert client.get(SEARCH, {"q": SECRET_WORD}).context["hits"] == []


def test_a_politician_without_a_seat_and_another_municipality_find_nothing(client, ale, outsider):
    searchable_meeting(ale)
    from .factories import UserFactory

    with ale.scope():
        seatless = UserFactory(municipality=ale.municipality, roles=["fortroendevald"])
    client.force_login(seatless)
    assert client.get(SEARCH, {"q": PDF_WORD}).context["hits"] == []
    client.force_login(outsider)
    response = client.get(SEARCH, {"q": PDF_WORD})
    assert response.status_code == 200
    assert response.context["hits"] == []


@pytest.mark.parametrize("q", ["", "   ", "!!!", '"', "a & | b", "x" * 500])
def test_odd_searches_do_not_fail(client, ale, q):
    searchable_meeting(ale)
    client.force_login(ale.politician)
    assert client.get(SEARCH, {"q": q}).status_code == 200


def test_an_anonymous_visitor_is_sent_to_sign_in(client, ale):
    assert client.get(SEARCH, {"q": "x"}).status_code == 302
