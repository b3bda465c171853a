"""The inbox of notifications, and the status and download of rendered PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from ..http import AuthedRequest
from ..models import Notification, PdfStatus, RenderedPdf
from ..pdf import RENDERERS
from ..permissions import diarium_user_required

INBOX_SIZE = 100


@diarium_user_required
@require_safe
def inbox(request: AuthedRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")[:INBOX_SIZE]
    return render(request, "cases/inbox.html", {"notifications": notifications})


@diarium_user_required
@require_POST
def inbox_mark_read(request: AuthedRequest) -> HttpResponse:
    updated = Notification.objects.filter(recipient=request.user, read_at=None).update(read_at=timezone.now())
    messages.success(request, _("%(n)s aviseringar markerade som lästa.") % {"n": updated})
    return redirect("cases:inbox")


def _pdf_for_user(request: AuthedRequest, pdf_uuid: str) -> RenderedPdf:
    pdf = RenderedPdf.objects.filter(uuid=pdf_uuid).first()
    if pdf is None or pdf.kind not in RENDERERS or not RENDERERS[pdf.kind].can_view(request.user, pdf.key):
        raise Http404
    return pdf


@diarium_user_required
@require_safe
def pdf_status(request: AuthedRequest, pdf: str) -> HttpResponse:
    """An htmx fragment that polls itself until the worker has rendered the PDF."""
    obj = _pdf_for_user(request, pdf)
    return render(request, "cases/_pdf_status.html", {"pdf": obj})


@never_cache  # protocols, reports and papers before they are public: no copy in any cache
@diarium_user_required
@require_safe
def pdf_download(request: AuthedRequest, pdf: str) -> FileResponse:
    obj = _pdf_for_user(request, pdf)
    if obj.status != PdfStatus.DONE or not obj.file:
        raise Http404
    return FileResponse(
        obj.file.open("rb"), as_attachment=False, filename=obj.file_name, content_type="application/pdf"
    )
