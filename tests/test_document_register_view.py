"""Registering an incoming document: the OSL 5 kap. 2 § fields, secrecy, uploads checked by content."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.models import CaseEvent, Document

from .helpers import register_case


@pytest.fixture
def case(ale):
    return register_case(ale, handler=ale.official)


def url(case):
    return reverse("cases:document-register", args=[case.ref])


def post(client, case, **overrides):
    data = {
        "direction": "in",
        "document_date": timezone.localdate().isoformat(),
        "counterpart": "Omsorgs- och arbetsmarknadsnämnden",
        "description": "Protokollsutdrag om integrationsplanen",
        **overrides,
    }
    return client.post(url(case), data)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def documents():
    with scopes_disabled():
        return Document.objects.count(), CaseEvent.objects.filter(action="document.registered").count()


def test_a_registrar_registers_an_incoming_document_with_a_file(client, ale, case, pdf_upload):
    client.force_login(ale.registrar)
    response = post(client, case, file=pdf_upload)
    assert response.status_code == 302
    with scopes_disabled():
        document = Document.objects.get()
    assert document.sequence == 1
    assert document.file_name == "Tjänsteutlåtande_2017-12-13.pdf"
    assert document.content_type == "application/pdf"
    assert len(document.checksum) == 64
    page = client.get(response["Location"]).content.decode()
    assert "Protokollsutdrag om integrationsplanen" in page
    assert "Omsorgs- och arbetsmarknadsnämnden" in page


def test_the_handler_may_register_in_the_case_handled(client, ale, case):
    client.force_login(ale.official)
    assert post(client, case, direction="internal", counterpart="").status_code == 302
    assert documents() == (1, 1)


def test_someone_neither_registrar_nor_handler_gets_404(client, ale, case):
    client.force_login(ale.politician)
    assert client.get(url(case)).status_code == 404
    assert post(client, case).status_code == 404
    assert documents() == (0, 0)


def test_a_secret_document_is_stored_with_its_marking(client, ale, case):
    client.force_login(ale.registrar)
    response = post(client, case, is_secret="on", secrecy_provision="OSL 26 kap. 1 §", secrecy_marked_by=ale.sn.pk)
    assert response.status_code == 302
    with scopes_disabled():
        document = Document.objects.get()
    assert document.is_secret
    assert document.secrecy_marked_by == ale.sn
    assert document.secrecy_marked_on == timezone.localdate()


BAD_INPUT = [
    ({"document_date": "2017-02-30"}, "Fyll i ett giltigt datum."),
    ({"direction": "sideways"}, "Välj ett giltigt alternativ."),
    ({"description": ""}, "Detta fält måste fyllas i."),
    ({"description": "x" * 501}, "som mest 500 tecken"),
    ({"counterpart": ""}, "Ange avsändare (inkommande) eller mottagare (utgående)"),
    ({"is_secret": "on", "secrecy_provision": ""}, "Ange vilken bestämmelse i OSL"),
    ({"is_secret": "on", "secrecy_provision": "hemligt"}, "OSL 26 kap. 1 §"),
    ({"is_secret": "on", "secrecy_provision": "OSL 26 kap. 1 §", "secrecy_marked_by": "99999"}, "finns inte i din"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUT)
def test_bad_input_is_answered_in_swedish_and_nothing_is_saved(client, ale, case, overrides, message):
    client.force_login(ale.registrar)
    response = post(client, case, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert documents() == (0, 0)


def test_a_date_in_the_future_is_refused(client, ale, case):
    client.force_login(ale.registrar)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post(client, case, document_date=tomorrow)
    assert "Datumet kan inte ligga i framtiden." in response.content.decode()
    assert documents() == (0, 0)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 this is a windows program", "Filtypen stöds inte"),
        ("bild.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "men innehållet är PNG"),
        ("tom.pdf", b"", "Den skickade filen är tom."),
        ("trasig.docx", b"PK\x03\x04 not really a zip", "Filtypen stöds inte"),
    ],
)
def test_a_file_is_judged_by_its_content(client, ale, case, name, content, message):
    client.force_login(ale.registrar)
    response = post(client, case, file=SimpleUploadedFile(name, content))
    assert message in response.content.decode()
    assert documents() == (0, 0)


def test_a_real_docx_is_accepted_and_an_oversized_file_refused(client, ale, case, settings):
    client.force_login(ale.registrar)
    assert post(client, case, file=SimpleUploadedFile("beslut.docx", docx_bytes())).status_code == 302
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("stor.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = post(client, case, file=big)
    assert "Filen är för stor" in response.content.decode()
    assert documents() == (1, 1)


def test_a_closed_case_takes_no_new_documents(client, ale, case):
    from cases import services

    with ale.scope():
        services.case_close(case, by=ale.registrar)
    client.force_login(ale.registrar)
    assert post(client, case).status_code == 404
    assert documents() == (0, 0)


def test_a_path_in_the_filename_is_stripped(client, ale, case):
    client.force_login(ale.registrar)
    upload = SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1.4\n%%EOF\n")
    assert post(client, case, file=upload).status_code == 302
    with scopes_disabled():
        document = Document.objects.get()
    assert document.file_name == "passwd.pdf"
    assert ".." not in document.file.name
