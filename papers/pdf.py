"""The PDF of a paper in the municipality's layout (the Ale and Alingsås seeds), for the core's
renderer registry. Rendered by the worker; WeasyPrint never runs in a request."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.template.loader import render_to_string

from cases import services as case_services
from cases.models import Document, Municipality, User
from cases.pdf import Renderer
from cases.permissions import can_use_diarium

from .models import Draft, DraftStatus


def paper_context(draft: Draft, *, documents: list[Document] | None = None) -> dict[str, object]:
    """What the paper's template draws. ``documents``: the case's handlingar, when the caller has them."""
    if documents is None:
        documents = list(Document.objects.filter(case=draft.case_id))
    by_uuid = {str(d.uuid): d for d in documents}
    paper = draft.paper
    basis = [{"text": item.text, "document": by_uuid.get(item.document or "")} for item in paper.basis]
    return {
        "draft": draft,
        "municipality": draft.case.municipality,
        "sections": list(draft.template.sections.all()),
        "content": paper,
        "basis": basis,
    }


def _draft(key: str) -> Draft:
    return Draft.objects.select_related(
        "case", "case__municipality", "template", "department", "addressee", "author"
    ).get(uuid=key)


def draft_html(municipality: Municipality, key: str) -> str:
    return render_to_string("papers/paper_pdf.html", paper_context(_draft(key)))


def draft_preview_html(municipality: Municipality, key: str) -> str:
    """The paper as it stands now, at any stage, marked UTKAST on every page (issue 14.3)."""
    return render_to_string("papers/paper_pdf.html", {**paper_context(_draft(key)), "preview": True})


def draft_preview_file_name(municipality: Municipality, key: str) -> str:
    return "UTKAST " + draft_file_name(municipality, key)


def draft_pdf_register(municipality: Municipality, key: str, content: bytes) -> bytes:
    """The approved paper's PDF becomes the file of the handling its approval registered (issue 14.4).

    Runs in the worker's transaction that stores the rendered PDF. A handling's file never changes
    once set: a paper opened and approved again registers a new handling, which gets its own file."""
    draft = Draft.objects.select_related("case", "document").get(uuid=key)
    document = draft.document
    if draft.status != DraftStatus.APPROVED or document is None or document.file:
        return content
    name = draft_file_name(municipality, key)
    document.file.save(name, ContentFile(content), save=False)
    document.file_name = name
    document.content_type = "application/pdf"
    document.file_size = len(content)
    document.checksum = hashlib.sha256(content).hexdigest()
    document.save(update_fields=["file", "file_name", "content_type", "file_size", "checksum"])
    case_services.event_record(
        draft.case, action="draft.pdf_registered", by=None, draft=str(draft.uuid), document=document.sequence
    )
    return content


def draft_file_name(municipality: Municipality, key: str) -> str:
    draft = Draft.objects.select_related("case", "template").get(uuid=key)
    kind = draft.template.get_kind_display().capitalize()
    return f"{kind} {draft.case.diarienummer.replace('/', '-')} {draft.paper_date.isoformat()}.pdf"


def draft_can_view(user: User, key: str) -> bool:
    return can_use_diarium(user) and Draft.objects.filter(uuid=key).exists()


DRAFT_RENDERER = Renderer(
    html=draft_html, file_name=draft_file_name, can_view=draft_can_view, finish=draft_pdf_register
)
PREVIEW_RENDERER = Renderer(html=draft_preview_html, file_name=draft_preview_file_name, can_view=draft_can_view)
