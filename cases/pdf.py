"""PDFs rendered by WeasyPrint in the worker, stored with a checksum, re-rendered only on change.

Apps register a renderer per kind: a function that builds the HTML for a key, and a predicate
that says who may read the result. The core knows nothing of motions or protocols.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import Municipality, PdfStatus, RenderedPdf, User


@dataclass(frozen=True)
class Renderer:
    html: Callable[[Municipality, str], str]
    file_name: Callable[[Municipality, str], str]
    can_view: Callable[[User, str], bool]
    # Optional last step on the rendered bytes, e.g. a PAdES signature of a justerat protocol.
    finish: Callable[[Municipality, str, bytes], bytes] | None = None


RENDERERS: dict[str, Renderer] = {}


def register_renderer(kind: str, renderer: Renderer) -> None:
    RENDERERS[kind] = renderer


@transaction.atomic
def pdf_request(*, municipality: Municipality, kind: str, key: str) -> RenderedPdf:
    """Ask the worker for a fresh PDF. It will render only if the HTML changed since last time."""
    from .outbox import outbox_enqueue
    from .tasks import render_pdf

    if kind not in RENDERERS:
        raise ValueError(f"no renderer for {kind!r}")
    pdf, _created = RenderedPdf.objects.select_for_update().get_or_create(municipality=municipality, kind=kind, key=key)
    pdf.status = PdfStatus.PENDING
    pdf.requested_at = timezone.now()
    pdf.error = ""
    pdf.save(update_fields=["status", "requested_at", "error"])
    outbox_enqueue(render_pdf, pdf.pk, municipality_id=municipality.pk)
    return pdf


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported in the worker only: it costs half a second

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    # PDF/A-3a: archivable (PDF/A) and tagged for accessibility (the "a" level requires the structure tree).
    return bytes(document.write_pdf(pdf_variant="pdf/a-3a"))


def pdf_render(pdf_id: int) -> bool:
    """Worker step. Returns True when a new file was written, False when the content was unchanged."""
    with transaction.atomic():
        pdf = RenderedPdf.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=pdf_id)
        renderer = RENDERERS[pdf.kind]
        html = renderer.html(pdf.municipality, pdf.key)  # an error here ends in pdf_render_failed
        source_hash = hashlib.sha256(html.encode()).hexdigest()
        if source_hash == pdf.source_hash and pdf.file:
            pdf.status = PdfStatus.DONE
            pdf.save(update_fields=["status"])
            return False
        content = html_to_pdf(html)
        if renderer.finish is not None:
            content = renderer.finish(pdf.municipality, pdf.key, content)
        name = renderer.file_name(pdf.municipality, pdf.key)
        pdf.file.save(name, ContentFile(content), save=False)
        pdf.file_name = name
        pdf.checksum = hashlib.sha256(content).hexdigest()
        pdf.source_hash = source_hash
        pdf.status = PdfStatus.DONE
        pdf.rendered_at = timezone.now()
        pdf.render_count += 1
        pdf.save()
    return True


def pdf_render_failed(pdf_id: int, reason: str) -> None:
    """The worker gave up: the page shows "misslyckades" with the reason instead of waiting forever."""
    RenderedPdf.objects.filter(pk=pdf_id, status=PdfStatus.PENDING).update(status=PdfStatus.FAILED, error=reason)
