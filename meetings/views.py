"""One view per action. Each fetches and authorises through ``meetings.permissions``, validates
with its own form, calls one service and turns a refusal into a message."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alingsas_ale.pagecache import kept_for_user
from cases.forms import error_text
from cases.http import AuthedRequest
from cases.models import BodyKind, RenderedPdf
from cases.permissions import diarium_user_required
from cases.services import CaseError

from . import services
from .forms import (
    ConfirmForm,
    CorrectionForm,
    KungorelseExceptionForm,
    MeetingForm,
    WithdrawForm,
)
from .models import Meeting, MeetingStatus
from .pdf import protocol_digest_shown
from .permissions import (
    can_correct_protocol,
    can_create_meeting,
    can_edit_protocol,
    can_manage_meeting,
    can_sign,
    get_managed_meeting,
    get_meeting_for_user,
    is_signer,
)
from .views_protocol import protocol_panel

# The meeting page ------------------------------------------------------------------------------


def _list_page(request: AuthedRequest, form: MeetingForm) -> HttpResponse:
    meetings = Meeting.objects.select_related("body").order_by("-starts_at")[:100]
    return render(
        request,
        "meetings/meeting_list.html",
        {"meetings": meetings, "form": form, "can_create": can_create_meeting(request.user)},
    )


@diarium_user_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: AuthedRequest) -> HttpResponseBase:
    if request.method == "POST":  # the form posted here before it had its own URL
        return meeting_create(request)
    return _list_page(request, MeetingForm())


@diarium_user_required
@require_POST
def meeting_create(request: AuthedRequest) -> HttpResponse:
    if not can_create_meeting(request.user):
        raise Http404
    form = MeetingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(datetime.combine(data["day"], data["time"] or time(18, 0)))
        try:
            meeting = services.meeting_create(
                body=data["body"], starts_at=starts_at, place=data["place"], by=request.user
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            return redirect("meetings:detail", meeting=meeting.uuid)
    return _list_page(request, form)


@diarium_user_required
@kept_for_user
@require_safe
def meeting_detail(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_meeting_for_user(request.user, meeting)
    can_edit = can_edit_protocol(request.user, obj)
    items = list(obj.items.select_related("case", "draft", "draft__template").order_by("ordering"))
    pdfs = {pdf.kind: pdf for pdf in RenderedPdf.objects.filter(kind__in=("protocol", "kallelse"), key=str(obj.uuid))}
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": obj,
            "items": items,
            "attendance": list(obj.attendance.select_related("person", "serving_for")),
            "can_edit": can_edit,
            "can_call": can_edit and obj.can_call(),
            "can_close": can_edit and obj.can_close(),
            "can_correct": can_correct_protocol(request.user, obj),
            "can_withdraw": can_manage_meeting(request.user, obj) and obj.status == MeetingStatus.JUSTERING,
            "needs_kungorelse_reason": can_edit and obj.can_close() and obj.body.kind == BodyKind.COUNCIL,
            "digest": protocol_digest_shown(obj),
            "pdf": pdfs.get("protocol"),
            "kallelse": pdfs.get("kallelse"),
            # Signatures are asked for when the protocol goes to justering, never before.
            "signatures": []
            if obj.status in (MeetingStatus.PLANNED, MeetingStatus.CALLED, MeetingStatus.HELD)
            else list(obj.signatures.select_related("person")),
            "events": obj.events.select_related("actor").order_by("-at")[:50],
            **protocol_panel(request.user, obj, items),
        },
    )


def _confirmed(request: AuthedRequest) -> None:
    """An irreversible step goes ahead only when the user ticked that they understand it."""
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        raise CaseError(error_text(form))


def _back(meeting: Meeting) -> HttpResponseRedirect:
    return redirect("meetings:detail", meeting=meeting.uuid)


# The secretary's actions on a meeting -----------------------------------------------------------


@diarium_user_required
@require_POST
def meeting_call(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    try:
        _confirmed(request)
        services.meeting_call(obj, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Kallelsen är skickad."))
    return _back(obj)


@diarium_user_required
@require_POST
def protocol_close(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    try:
        _confirmed(request)
        services.protocol_close(obj, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Protokollet har fått paragrafnummer och är skickat för justering."))
    return _back(obj)


@diarium_user_required
@require_POST
def protocol_withdraw(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.protocol_withdraw(obj, reason=form.cleaned_data["reason"], by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Protokollet är tillbaka hos sekreteraren. Underskrifterna är återkallade."))
    return _back(obj)


@diarium_user_required
@require_POST
def kungorelse_exception(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = KungorelseExceptionForm(request.POST)
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.kungorelse_exception_record(obj, reason=form.cleaned_data["reason"], by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Skälet är sparat."))
    return _back(obj)


@diarium_user_required
@require_POST
def protocol_pdf(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    try:
        services.protocol_render(obj, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    return _back(obj)


@diarium_user_required
@require_POST
def correction_add(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = CorrectionForm(request.POST)
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.correction_add(obj, text=form.cleaned_data["text"], by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Rättelsen är införd."))
    return _back(obj)


# Justering --------------------------------------------------------------------------------------


@diarium_user_required
@require_safe
def sign(request: AuthedRequest, meeting: str) -> HttpResponse:
    """The justerare's page: read the protocol, then approve it."""
    from .pdf import protocol_context

    obj = get_meeting_for_user(request.user, meeting)
    context = protocol_context(obj)
    context.update(
        {
            "mine": obj.signatures.filter(person__user=request.user).first(),
            "can_sign": can_sign(request.user, obj),
            "last_signer": obj.signatures.filter(signed_at=None).count() == 1,
            "pdf": RenderedPdf.objects.filter(kind="protocol", key=str(obj.uuid)).first(),
        }
    )
    return render(request, "meetings/sign.html", context)


@diarium_user_required
@require_POST
def protocol_sign(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_meeting_for_user(request.user, meeting)
    if not is_signer(request.user, obj):
        raise Http404
    try:
        _confirmed(request)
        services.protocol_sign(obj, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Du har justerat protokollet."))
    return redirect("meetings:sign", meeting=obj.uuid)
