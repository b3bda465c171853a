"""The text of a handling, for search, and a PDF to show a DOCX or ODT file as. Worker only.

A PDF's text comes from poppler's ``pdftotext`` (pypdf when poppler is missing). A DOCX file is
turned into HTML by mammoth, an ODT file by odfpy; that HTML gives the text and, through
WeasyPrint, the PDF the reading room shows. OCR is out of scope: a scanned PDF has no text.

The uploaded file is untrusted: the HTML is cleaned with nh3 and WeasyPrint may fetch nothing but
``data:`` URLs (pictures embedded in the document), so a handling cannot make the worker read a
local file or call a server.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
import subprocess  # noqa: S404 - pdftotext, with a fixed argument list
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import Document

logger = logging.getLogger(__name__)

# PostgreSQL's tsvector holds at most 1 MB; no handling needs more text than this to be found.
TEXT_LIMIT = 400_000
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
KINDS = {PDF: "pdf", DOCX: "docx", ODT: "odt"}
SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".odt": "odt"}
ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th",
    "strong", "em", "b", "i", "u", "sup", "sub", "br", "a", "img", "span", "div", "blockquote", "caption",
}  # fmt: skip


def kind_of(content_type: str, file_name: str) -> str | None:
    """ "pdf", "docx" or "odt" by the content type the browser sent, else by the file name."""
    if content_type in KINDS:
        return KINDS[content_type]
    suffix = file_name[file_name.rfind(".") :].lower() if "." in file_name else ""
    return SUFFIXES.get(suffix)


def clean_text(text: str) -> str:
    """NUL bytes out (PostgreSQL refuses them), whitespace collapsed per line, within TEXT_LIMIT."""
    text = text.replace("\x00", " ")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:TEXT_LIMIT]


def pdf_text(data: bytes) -> str:
    program = shutil.which("pdftotext")
    if program:
        result = subprocess.run(  # noqa: S603 - fixed program, the file on stdin
            [program, "-q", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, timeout=120, check=False
        )
        if result.returncode == 0:
            return result.stdout.decode("utf-8", "replace")
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)


def docx_html(data: bytes) -> str:
    import mammoth

    return str(mammoth.convert_to_html(BytesIO(data)).value)


def odt_html(data: bytes) -> str:
    from odf.odf2xhtml import ODF2XHTML

    converter = ODF2XHTML(generate_css=False, embedable=True)
    converter.load(BytesIO(data))
    return str(converter.xhtml())


def safe_html(markup: str) -> str:
    import nh3

    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes={"img": {"src", "alt"}, "a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
        url_schemes={"data", "http", "https"},
    )


def html_text(markup: str) -> str:
    """The text of the HTML, one line per block."""
    blocks = re.sub(r"(?i)<(br|/p|/h[1-6]|/li|/tr|/div|/td|/th)\b[^>]*>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", blocks))


def html_pdf(markup: str, *, title: str) -> bytes:
    """The document's HTML as an A4 PDF. Only ``data:`` pictures are fetched."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    page = (
        "<!doctype html><html lang='sv'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>@page {{ size: A4; margin: 2cm }} "
        "body { font-family: sans-serif; font-size: 11pt; line-height: 1.4 } img { max-width: 100% } "
        "table { border-collapse: collapse } td, th { border: 1px solid #999; padding: 2pt 4pt }</style></head>"
        f"<body>{markup}</body></html>"
    )
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    return bytes(HTML(string=page, url_fetcher=fetcher).write_pdf())


def extract(data: bytes, kind: str, *, title: str) -> tuple[str, bytes | None]:
    """The text, and for DOCX/ODT the PDF to show instead of the file."""
    if kind == "pdf":
        return clean_text(pdf_text(data)), None
    markup = safe_html(docx_html(data) if kind == "docx" else odt_html(data))
    return clean_text(html_text(markup)), html_pdf(markup, title=title)


def document_text_extract(document_id: int) -> bool:
    """Worker step at registration: the handling's text (and a PDF for DOCX/ODT). Runs once: a
    second run finds ``text_extracted_at`` set and changes nothing. Returns whether it did the work."""
    from .services.diarium import event_record

    with transaction.atomic():
        document = Document.objects.select_for_update(of=("self",)).select_related("case").get(pk=document_id)
        kind = kind_of(document.content_type, document.file_name)
        if document.text_extracted_at is not None or not document.file or kind is None:
            return False
        with document.file.open("rb") as handle:
            data = handle.read()
        text, pdf = extract(data, kind, title=document.file_name)
        document.text = text
        document.text_extracted_at = timezone.now()
        fields = ["text", "text_extracted_at"]
        if pdf is not None:
            stem = document.file_name.rsplit(".", 1)[0] or "handling"
            document.display_pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
            fields.append("display_pdf")
        document.save(update_fields=fields)
        event_record(
            document.case,
            action="document.text_extracted",
            by=None,
            document=str(document.uuid),
            sequence=document.sequence,
            characters=len(text),
            converted=pdf is not None,
        )
    return True


def document_text_failed(document_id: int, reason: str) -> None:
    """The worker gave up (a broken file): the handling stays, without text, and the log says why."""
    logger.warning("text extraction of document %s failed: %s", document_id, reason)
