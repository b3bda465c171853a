"""The official's desk (issue 14): reviewer comments anchored to text, and the PDF preview marked UTKAST."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.http import AuthedRequest
from cases.pdf import pdf_request
from cases.permissions import diarium_user_required
from cases.services import CaseError

from .comments import comment_add, comment_resolve
from .forms import CommentForm
from .models import ReviewComment
from .permissions import can_comment, can_preview_pdf, can_resolve_comment, get_draft_for_user


@diarium_user_required
@require_POST
def draft_comment(request: AuthedRequest, draft: str) -> HttpResponse:
    """The reviewing head comments on the words they marked in one part of the paper."""
    obj = get_draft_for_user(request.user, draft)
    if not can_comment(obj, request.user):
        raise Http404
    form = CommentForm(obj, request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("papers:review", draft=obj.uuid)
    try:
        comment_add(obj, by=request.user, **form.cleaned_data)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Kommentaren är sparad vid texten."))
    return redirect("papers:review", draft=obj.uuid)


@diarium_user_required
@require_POST
def comment_resolved(request: AuthedRequest, comment: str) -> HttpResponse:
    found = ReviewComment.objects.select_related("draft").filter(uuid=comment).first()
    if found is None:
        raise Http404
    draft = get_draft_for_user(request.user, str(found.draft.uuid))
    if not can_resolve_comment(draft, found.author_id, request.user):
        raise Http404
    try:
        found = comment_resolve(found, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    if request.htmx:
        return render(request, "papers/_comment_resolved.html", {"comment": found})
    return redirect("papers:edit", draft=draft.uuid)


@diarium_user_required
@require_POST
def draft_preview(request: AuthedRequest, draft: str) -> HttpResponse:
    """The paper as last saved, as a PDF marked UTKAST; rendered by the worker like every PDF."""
    obj = get_draft_for_user(request.user, draft)
    if not can_preview_pdf(obj, request.user):
        raise Http404
    pdf = pdf_request(municipality=request.municipality, kind="draft-preview", key=str(obj.uuid))
    if request.htmx:
        return render(request, "cases/_pdf_status.html", {"pdf": pdf})
    messages.success(request, _("Förhandsgranskningen skapas."))
    return redirect("papers:review", draft=obj.uuid)
