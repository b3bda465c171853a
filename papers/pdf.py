"""The PDF of a paper in the municipality's layout (the Ale and Alingsås seeds), for the core's
renderer registry. Rendered by the worker; WeasyPrint never runs in a request."""

from __future__ import annotations

from django.template.loader import render_to_string

from cases.models import Document, Municipality, User
from cases.pdf import Renderer
from cases.permissions import can_use_diarium

from .models import Draft


def paper_context(draft: Draft) -> dict[str, object]:
    documents = {str(d.uuid): d for d in Document.objects.filter(case=draft.case_id)}
    paper = draft.paper
    basis = [{"text": item.text, "document": documents.get(item.document or "")} for item in paper.basis]
    return {
        "draft": draft,
        "municipality": draft.case.municipality,
        "sections": list(draft.template.sections.all()),
        "content": paper,
        "basis": basis,
    }


def draft_html(municipality: Municipality, key: str) -> str:
    draft = Draft.objects.select_related(
        "case", "case__municipality", "template", "department", "addressee", "author"
    ).get(uuid=key)
    return render_to_string("papers/paper_pdf.html", paper_context(draft))


def draft_file_name(municipality: Municipality, key: str) -> str:
    draft = Draft.objects.select_related("case", "template").get(uuid=key)
    kind = draft.template.get_kind_display().capitalize()
    return f"{kind} {draft.case.diarienummer.replace('/', '-')} {draft.paper_date.isoformat()}.pdf"


def draft_can_view(user: User, key: str) -> bool:
    return can_use_diarium(user) and Draft.objects.filter(uuid=key).exists()


DRAFT_RENDERER = Renderer(html=draft_html, file_name=draft_file_name, can_view=draft_can_view)
