from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cases.models import Case
from cases.permissions import acting_user

from .models import DecisionProposal, Draft
from .permissions import can_create_draft


def case_annotations() -> dict[str, Any]:
    """Whether the case has förslag till beslut, computed in the query that fetches the page's case."""
    return {"papers_has_proposals": Exists(DecisionProposal.objects.filter(case=OuterRef("pk")))}


def drafts_panel(request: HttpRequest, case: Case) -> SafeString | None:
    """The case page's section on its papers and its förslag till beslut."""
    drafts = list(Draft.objects.filter(case=case).select_related("template", "author").order_by("-updated_at"))
    has_proposals = getattr(case, "papers_has_proposals", None)  # computed with the case (CASE_ANNOTATIONS)
    if has_proposals is None:
        has_proposals = DecisionProposal.objects.filter(case=case).exists()
    can_write = can_create_draft(acting_user(request), case)  # the case page is behind the diarium door
    if not drafts and not can_write and not has_proposals:
        return None
    html = render_to_string(
        "papers/_case_panel.html",
        {"case": case, "drafts": drafts, "can_write": can_write, "has_proposals": has_proposals},
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escapes
