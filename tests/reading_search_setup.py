"""Handlingar with text for the search and package tests: the reading room's meeting (a public PDF
with PDF_WORD, a picture, a secret handling) plus a secret PDF with SECRET_WORD, a DOCX and an ODT,
every text extracted as the worker does at registration."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Document
from cases.textextract import DOCX, ODT, document_text_extract

from .helpers import register_document
from .reading_setup import Reading, called_meeting, pdf_bytes

SECRET_WORD = "Hemligstämpel"
DOCX_WORD = "Busshållplatsflytt"
ODT_WORD = "Vinterväghållning"


def docx_bytes(text: str) -> bytes:
    """A minimal Word document with one heading and one paragraph."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Yttrande</w:t></w:r></w:p>'
        f"<w:p><w:r><w:t>{text} inför hösten.</w:t></w:r></w:p></w:body></w:document>"
    )
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr("word/document.xml", document)
    return out.getvalue()


def odt_bytes(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    doc = OpenDocumentText()
    doc.text.addElement(P(text=f"{text} på kommunens gator."))
    out = BytesIO()
    doc.write(out)
    return out.getvalue()


@dataclass
class Searchable:
    reading: Reading
    secret_pdf: Document
    docx: Document
    odt: Document


def searchable_meeting(town) -> Searchable:
    reading = called_meeting(town)
    case = reading.item.case
    secret_pdf = register_document(
        town,
        case,
        secret=True,
        description="Utredning om en elev",
        upload=SimpleUploadedFile("elev.pdf", pdf_bytes(SECRET_WORD), content_type="application/pdf"),
    )
    docx = register_document(
        town,
        case,
        description="Yttrande från trafikenheten",
        upload=SimpleUploadedFile("yttrande.docx", docx_bytes(DOCX_WORD), DOCX),
    )
    odt = register_document(
        town,
        case,
        description="Skrivelse om vintern",
        upload=SimpleUploadedFile("vinter.odt", odt_bytes(ODT_WORD), ODT),
    )
    with town.scope():
        for document in (reading.pdf, reading.image, secret_pdf, docx, odt):
            document_text_extract(document.pk)
        for document in (reading.pdf, secret_pdf, docx, odt):
            document.refresh_from_db()
    return Searchable(reading=reading, secret_pdf=secret_pdf, docx=docx, odt=odt)
