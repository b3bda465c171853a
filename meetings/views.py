"""One view per action. Each fetches and authorises through ``meetings.permissions``, validates
with its own form, calls one service and turns a refusal into a message."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_scopes import scope

from cases.forms import error_text
from cases.http import AuthedRequest
from cases.models import BodyKind, Municipality, Person, RenderedPdf
from cases.permissions import diarium_user_required
from cases.services import CaseError

from . import services
from .forms import (
    AgendaAddCaseForm,
    AgendaAddForm,
    AgendaMoveForm,
    AttendanceForm,
    ConfirmForm,
    CorrectionForm,
    FloorMotionForm,
    ItemForm,
    KungorelseExceptionForm,
    MeetingForm,
    RecusalForm,
    ReservationForm,
    VoteForm,
    WithdrawForm,
)
from .models import AgendaItem, Meeting, MeetingStatus
from .pdf import protocol_digest_shown
from .permissions import (
    can_correct_protocol,
    can_create_meeting,
    can_edit_protocol,
    can_manage_meeting,
    can_sign,
    get_item_for_user,
    get_managed_meeting,
    get_meeting_for_user,
    is_signer,
)

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
@require_safe
def meeting_detail(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_meeting_for_user(request.user, meeting)
    can_edit = can_edit_protocol(request.user, obj)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": obj,
            "items": list(obj.items.select_related("case", "draft", "draft__template").order_by("ordering")),
            "attendance": list(obj.attendance.select_related("person", "serving_for")),
            "can_edit": can_edit,
            "can_call": can_edit and obj.can_call(),
            "can_close": can_edit and obj.can_close(),
            "can_correct": can_correct_protocol(request.user, obj),
            "can_withdraw": can_manage_meeting(request.user, obj) and obj.status == MeetingStatus.JUSTERING,
            "needs_kungorelse_reason": can_edit and obj.can_close() and obj.body.kind == BodyKind.COUNCIL,
            "digest": protocol_digest_shown(obj),
            "candidates": services.agenda_candidates(obj) if can_edit else [],
            "proposal_cases": services.proposal_candidates(obj) if can_edit else [],
            "attendance_form": AttendanceForm(meeting=obj) if can_edit else None,
            "pdf": RenderedPdf.objects.filter(kind="protocol", key=str(obj.uuid)).first(),
            "signatures": list(obj.signatures.select_related("person")),
            "events": obj.events.select_related("actor").order_by("-at")[:50],
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
def agenda_add(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = AgendaAddForm(request.POST, candidates=services.agenda_candidates(obj))
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.agenda_add(obj, draft=form.cleaned_data["draft"], by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    return _back(obj)


@diarium_user_required
@require_POST
def agenda_add_case(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = AgendaAddCaseForm(request.POST, candidates=services.proposal_candidates(obj))
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.agenda_add_case(obj, case=form.cleaned_data["case"], by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    return _back(obj)


def _agenda_move(request: AuthedRequest, meeting: str, *, up: bool) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = AgendaMoveForm(request.POST, meeting=obj)
    if not form.is_valid():
        raise Http404
    try:
        services.agenda_move(form.cleaned_data["item"], up=up, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    return _back(obj)


@diarium_user_required
@require_POST
def agenda_move_up(request: AuthedRequest, meeting: str) -> HttpResponse:
    return _agenda_move(request, meeting, up=True)


@diarium_user_required
@require_POST
def agenda_move_down(request: AuthedRequest, meeting: str) -> HttpResponse:
    return _agenda_move(request, meeting, up=False)


@diarium_user_required
@require_POST
def attendance_record(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = AttendanceForm(request.POST, meeting=obj)
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.attendance_record(obj, by=request.user, **form.result())
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Närvaron är sparad."))
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


# A § of the protocol ---------------------------------------------------------------------------


def _item_for(request: AuthedRequest, meeting: str, item: str) -> AgendaItem:
    return get_item_for_user(request.user, get_managed_meeting(request.user, meeting), item)


def _people(item: AgendaItem) -> QuerySet[Person]:
    """Those with an attendance row at the meeting: the people a § can name."""
    return Person.objects.filter(pk__in=item.meeting.attendance.exclude(person=None).values("person")).order_by(
        "last_name"
    )


def _item_page(
    request: AuthedRequest, item: AgendaItem, *, form: ItemForm | None = None, vote_form: VoteForm | None = None
) -> HttpResponse:
    return render(
        request,
        "meetings/item_edit.html",
        {
            "meeting": item.meeting,
            "item": item,
            "form": form or ItemForm(item=item),
            "vote_form": vote_form or VoteForm(voters=services.voters_of(item), prefix="vote"),
            "people": _people(item),
            "yrkanden": item.yrkanden.select_related("mover"),
            "votes": item.votes.prefetch_related("ballots__person"),
            "reservations": item.reservations.select_related("person"),
            "recusals": item.recusals.select_related("person", "substitute"),
        },
    )


def _to_item(item: AgendaItem) -> HttpResponseRedirect:
    return redirect("meetings:item", meeting=item.meeting.uuid, item=item.uuid)


# Before each action had its own URL, the § page's forms all posted here with action=…; a 307 keeps
# the method and the body, so an old form or bookmark still lands on the right view.
LEGACY_ITEM_ACTIONS = {
    "save": "meetings:item-save",
    "yrkande": "meetings:item-yrkande",
    "vote": "meetings:item-vote",
    "reservation": "meetings:item-reservation",
    "jav": "meetings:item-jav",
}


@diarium_user_required
@require_http_methods(["GET", "POST"])
def item_edit(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    if request.method == "POST":
        name = LEGACY_ITEM_ACTIONS.get(request.POST.get("action", "save"))
        if name is None:
            raise Http404
        return HttpResponseRedirect(reverse(name, args=[agenda_item.meeting.uuid, agenda_item.uuid]), status=307)
    return _item_page(request, agenda_item)


@diarium_user_required
@require_POST
def item_save(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    form = ItemForm(request.POST, item=agenda_item)
    if form.is_valid():
        try:
            services.item_record(agenda_item, by=request.user, **form.cleaned_data)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Paragrafen är sparad."))
            return _to_item(agenda_item)
    return _item_page(request, agenda_item, form=form)


@diarium_user_required
@require_POST
def floor_motion_add(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    form = FloorMotionForm(request.POST, people=_people(agenda_item))
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.floor_motion_add(
            agenda_item, mover=form.cleaned_data["mover"], text=form.cleaned_data["text"], by=request.user
        )
    except CaseError as error:
        messages.error(request, str(error))
    return _to_item(agenda_item)


@diarium_user_required
@require_POST
def vote_record(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    vote_form = VoteForm(request.POST, voters=services.voters_of(agenda_item), prefix="vote")
    if vote_form.is_valid():
        try:
            services.vote_record(agenda_item, by=request.user, **vote_form.result())
        except CaseError as error:
            messages.error(request, str(error))
        else:
            return _to_item(agenda_item)
    return _item_page(request, agenda_item, vote_form=vote_form)


@diarium_user_required
@require_POST
def reservation_add(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    form = ReservationForm(request.POST, people=_people(agenda_item))
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.reservation_add(
            agenda_item, person=form.cleaned_data["person"], text=form.cleaned_data["text"], by=request.user
        )
    except CaseError as error:
        messages.error(request, str(error))
    return _to_item(agenda_item)


@diarium_user_required
@require_POST
def recusal_add(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    form = RecusalForm(request.POST, people=_people(agenda_item))
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.recusal_add(
            agenda_item, person=form.cleaned_data["person"], substitute=form.cleaned_data["substitute"], by=request.user
        )
    except CaseError as error:
        messages.error(request, str(error))
    return _to_item(agenda_item)


# The public anslagstavla (no sign-in) ----------------------------------------------------------


def anslagstavla(request: HttpRequest, municipality: str) -> HttpResponse:
    """The public anslagstavla: justerade protokoll during their appeal period, and kungörelser."""
    place = get_object_or_404(Municipality, slug=municipality)
    today = timezone.localdate()
    with scope(municipality=place):
        protocols = list(
            Meeting.objects.filter(status=MeetingStatus.JUSTERAT, anslag_removed_on__gt=today)
            .select_related("body")
            .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.order_by("ordering")))
            .order_by("-anslag_on")
        )
        notices = list(
            Meeting.objects.filter(status=MeetingStatus.CALLED, body__kind="fullmaktige", starts_at__gte=timezone.now())
            .select_related("body")
            .order_by("starts_at")
        )
        pdfs = {
            p.key: p
            for p in RenderedPdf.objects.filter(kind=services.PUBLIC_PROTOCOL, key__in=[str(m.uuid) for m in protocols])
        }
        rows = [(m, pdfs.get(str(m.uuid))) for m in protocols]
        return render(
            request, "meetings/anslagstavla.html", {"place": place, "rows": rows, "notices": notices, "today": today}
        )


def anslag_pdf(request: HttpRequest, municipality: str, meeting: str) -> FileResponse:
    place = get_object_or_404(Municipality, slug=municipality)
    with scope(municipality=place):
        obj = Meeting.objects.filter(uuid=meeting, status=MeetingStatus.JUSTERAT).first()
        pdf = RenderedPdf.objects.filter(kind=services.PUBLIC_PROTOCOL, key=meeting).first() if obj else None
        if pdf is None or not pdf.file:
            raise Http404
        return FileResponse(pdf.file.open("rb"), filename=pdf.file_name, content_type="application/pdf")
