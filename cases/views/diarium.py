from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from alingsas_ale.pagecache import kept_for_user
from audit.context import record_secret_read

from .. import permissions, services
from ..forms import AssignHandlerForm, CaseRegisterForm, DiariumFilterForm, DocumentRegisterForm, error_text
from ..http import AuthedRequest
from ..models import Remiss, User
from ..panels import case_panel_annotations, render_case_panels, render_desk_panels
from ..permissions import diarium_user_required
from ..queries import (
    SearchError,
    counted_page,
    desk_cases,
    diarium_filter,
    keyset_page,
    remisser_to_answer,
    search_is_common,
)


def _cursor(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@diarium_user_required
@kept_for_user
@require_safe
def mine(request: AuthedRequest) -> HttpResponse:
    remisser = (
        Remiss.objects.pending()
        .filter(case__handler=request.user)
        .select_related("case", "to_body")
        .order_by("deadline")[:50]
    )
    department_id = request.user.department_id
    queue_of = department_id if permissions.can_see_department_queue(request.user) else None
    cases, queue = desk_cases(request.user, department_queue_of=queue_of)
    return render(
        request,
        "cases/mine.html",
        {
            "cases": cases,
            "remisser": remisser,
            "to_answer": list(remisser_to_answer(request.user)[:50]),
            "queue": queue,
            "today": timezone.localdate(),
            "desk_panels": render_desk_panels(request),
        },
    )


@diarium_user_required
@kept_for_user
@require_safe
def diarium(request: AuthedRequest) -> HttpResponse:
    municipality = request.municipality
    form = DiariumFilterForm(request.GET or None, municipality=municipality)
    qs = permissions.cases_visible_to(request.user).for_list()
    search_error = None
    likely_many = False
    if form.is_bound and form.is_valid():
        try:
            qs = diarium_filter(qs, municipality, form.cleaned_data)
            likely_many = search_is_common(municipality, form.cleaned_data)
        except SearchError as error:
            search_error = str(error)
            form.add_error("q", search_error)
            qs = qs.none()
    elif form.is_bound:
        qs = qs.none()
    page = keyset_page(
        qs, after=_cursor(request.GET.get("efter")), before=_cursor(request.GET.get("fore")), likely_many=likely_many
    )
    query = request.GET.copy()
    query.pop("efter", None)
    query.pop("fore", None)
    template = "cases/_diarium_results.html" if request.htmx else "cases/diarium.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "query": query.urlencode(), "search_error": search_error},
    )


DOCUMENTS_PER_PAGE = 50


@diarium_user_required
@kept_for_user
@require_safe
def case_detail(request: AuthedRequest, ref: str) -> HttpResponse:
    user = request.user
    case = permissions.get_case_for_user(user, ref, annotate=case_panel_annotations())
    documents_page = counted_page(
        case.documents.select_related("secrecy_marked_by").order_by("sequence"),
        request.GET.get("handlingar"),
        DOCUMENTS_PER_PAGE,
    )
    documents = list(documents_page.object_list)
    readable = permissions.secret_documents_readable(user, documents)
    events = case.events.select_related("actor").order_by("-at", "-id")
    # The remisser this case sent and the one it answers (if it is a remiss's receiving case), in one query.
    related = Remiss.objects.filter(Q(case=case) | Q(response_case=case)).select_related(
        "case", "from_body", "to_body", "response_case", "answer"
    )
    remisser = sorted((r for r in related if r.case_id == case.pk), key=lambda r: r.to_body.name)
    answering = [r for r in related if r.response_case_id == case.pk]
    received = min(answering, key=lambda r: (r.deadline, r.to_body.name), default=None)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "documents": documents,
            "documents_page": documents_page,
            "readable_secret": readable,
            "events": events,
            "remisser": remisser,
            "withdrawable": {r.pk for r in remisser if permissions.can_withdraw_remiss(user, r)},
            "can_register_document": permissions.can_register_document(user, case),
            "can_send_remiss": permissions.can_send_remiss(user, case),
            "assign_form": AssignHandlerForm(initial={"handler": case.handler_id})
            if permissions.can_assign_handler(user, case)
            else None,
            "received": received,
            "panels": render_case_panels(request, case),
            "can_answer": received is not None and permissions.can_answer_remiss(user, received),
        },
    )


@diarium_user_required
@require_http_methods(["GET", "POST"])
def case_register(request: AuthedRequest) -> HttpResponse:
    if not permissions.can_register(request.user):
        raise PermissionDenied
    municipality = request.municipality
    form = CaseRegisterForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_register(municipality=municipality, by=request.user, **form.cleaned_data)
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ärendet %(dnr)s är registrerat.") % {"dnr": case.diarienummer})
            return redirect("cases:detail", ref=case.ref)
    return render(request, "cases/case_register.html", {"form": form})


@diarium_user_required
@require_http_methods(["GET", "POST"])
def document_register(request: AuthedRequest, ref: str) -> HttpResponse:
    case = permissions.get_case_for_user(request.user, ref, "register_document")
    form = DocumentRegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_register(
                case,
                by=request.user,
                direction=data["direction"],
                document_date=data["document_date"],
                counterpart=data["counterpart"],
                description=data["description"],
                upload=data.get("file"),
                secrecy_provision=data["secrecy_provision"],
                secrecy_marked_by=data.get("secrecy_marked_by"),
            )
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Handling %(nr)s är registrerad.") % {"nr": document.number})
            return redirect("cases:detail", ref=case.ref)
    return render(request, "cases/document_register.html", {"form": form, "case": case})


@never_cache  # a handling may be secret or personal: no copy in any cache
@diarium_user_required
@require_safe
def document_file(request: AuthedRequest, ref: str, document: str) -> FileResponse:
    case = permissions.get_case_for_user(request.user, ref)
    doc = permissions.get_document_for_user(request.user, case, document)
    if not doc.file:
        raise Http404
    record_secret_read(doc)
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.file_name, content_type=doc.content_type)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Where signing in lands: the work of the user's duty."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if permissions.lands_in_reading_room(cast(User, user)):
        return redirect("reading:home")  # a URL name; the reading room builds on cases
    if permissions.can_use_diarium(cast(User, user)):
        return redirect("cases:mine")
    if permissions.is_municipal_administrator(cast(User, user)):
        return redirect("administration:overview")  # a URL name; the administration app builds on cases
    if permissions.is_auditor(cast(User, user)):
        return redirect("audit:log")  # a URL name; the audit app builds on cases
    if user.is_superuser:
        return redirect("admin:index")
    raise PermissionDenied


@diarium_user_required
@require_http_methods(["POST"])
def case_assign(request: AuthedRequest, ref: str) -> HttpResponse:
    case = permissions.get_case_for_user(request.user, ref, "assign_handler")
    form = AssignHandlerForm(request.POST)
    if form.is_valid():
        services.case_assign_handler(case, handler=form.cleaned_data["handler"], by=request.user)
        messages.success(request, _("%(name)s är nu handläggare.") % {"name": form.cleaned_data["handler"]})
    else:
        messages.error(request, error_text(form))
    return redirect("cases:detail", ref=case.ref)
