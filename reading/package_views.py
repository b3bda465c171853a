"""The meeting package: ask for it, watch its progress (htmx polling), download it (reading/package.py)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from cases.http import AuthedRequest
from cases.models import PdfStatus

from . import permissions
from .models import MeetingPackage
from .package import package_request
from .views import reader_required


@require_http_methods(["GET", "POST"])
@reader_required
def package(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = permissions.get_meeting_for_reader(request.user, meeting)
    if request.method == "POST":
        package_request(obj, by=request.user)
        if not request.htmx:
            return redirect("reading:package", obj.uuid)
    current = MeetingPackage.objects.filter(meeting=obj, user=request.user).first()
    template = "reading/_package_status.html" if request.htmx else "reading/package.html"
    return render(request, template, {"meeting": obj, "package": current})


@require_GET
@reader_required
@require_safe
def package_file(request: AuthedRequest, meeting: str, package: str) -> FileResponse:
    """One's own finished package, as long as one still reads the meeting."""
    obj = permissions.get_meeting_for_reader(request.user, meeting)
    current = MeetingPackage.objects.filter(meeting=obj, user=request.user, uuid=package).first()
    if current is None or current.status != PdfStatus.DONE or not current.file:
        raise Http404
    name = current.file.name.rsplit("/", 1)[-1]
    response = FileResponse(current.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response
