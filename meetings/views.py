from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_scopes import scope

from cases.models import Municipality, Person, RenderedPdf, Role
from cases.pdf import pdf_request
from cases.permissions import acting_user, diarium_user_required
from cases.services import CaseError

from . import services
from .forms import AttendanceForm, ItemForm, MeetingForm, VoteForm
from .models import AgendaItem, Meeting, MeetingStatus


def _meeting_for(request: HttpRequest, uuid: str) -> Meeting:
    meeting = Meeting.objects.select_related("body", "chair", "secretary").filter(uuid=uuid).first()
    if meeting is None:
        raise Http404
    return meeting


def _secretary_only(request: HttpRequest) -> None:
    if not request.user.has_role(Role.SECRETARY):  # type: ignore[union-attr]
        raise Http404


@diarium_user_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        _secretary_only(request)
        if form.is_valid():
            data = form.cleaned_data
            starts_at = timezone.make_aware(datetime.combine(data["day"], data["time"] or time(18, 0)))
            try:
                meeting = services.meeting_create(
                    body=data["body"], starts_at=starts_at, place=data["place"], by=acting_user(request)
                )  # type: ignore[arg-type]
            except CaseError as error:
                form.add_error(None, str(error))
            else:
                return redirect("meetings:detail", meeting=meeting.uuid)
    meetings = Meeting.objects.select_related("body").order_by("-starts_at")[:100]
    return render(
        request,
        "meetings/meeting_list.html",
        {"meetings": meetings, "form": form, "is_secretary": request.user.has_role(Role.SECRETARY)},  # type: ignore[union-attr]
    )


@diarium_user_required
def meeting_detail(request: HttpRequest, meeting: str) -> HttpResponse:
    obj = _meeting_for(request, meeting)
    items = list(obj.items.select_related("case", "draft").order_by("ordering"))
    attendance = list(obj.attendance.select_related("person", "serving_for"))
    pdf = RenderedPdf.objects.filter(kind="protocol", key=str(obj.uuid)).first()
    is_secretary = request.user.has_role(Role.SECRETARY)  # type: ignore[union-attr]
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": obj,
            "items": items,
            "attendance": attendance,
            "candidates": services.agenda_candidates(obj) if is_secretary and not obj.is_locked else [],
            "proposal_cases": services.proposal_candidates(obj) if is_secretary and not obj.is_locked else [],
            "is_secretary": is_secretary,
            "attendance_form": AttendanceForm(meeting=obj) if is_secretary and not obj.is_locked else None,
            "pdf": pdf,
            "signatures": list(obj.signatures.select_related("person")),
            "events": obj.events.select_related("actor").order_by("-at")[:50],
        },
    )


@diarium_user_required
@require_POST
def meeting_act(request: HttpRequest, meeting: str, action: str) -> HttpResponse:
    obj = _meeting_for(request, meeting)
    user = acting_user(request)
    try:
        if action == "sign":
            services.protocol_sign(obj, by=user)
            messages.success(request, _("Du har justerat protokollet."))
            return redirect("meetings:sign", meeting=obj.uuid)
        _secretary_only(request)
        if action == "call":
            services.meeting_call(obj, by=user)
            messages.success(request, _("Kallelsen är skickad."))
        elif action == "add":
            draft = next((d for d in services.agenda_candidates(obj) if str(d.uuid) == request.POST.get("draft")), None)
            if draft is None:
                raise CaseError(_("Välj ett ärende i listan."))
            services.agenda_add(obj, draft=draft, by=user)
        elif action == "add-case":
            case = next((c for c in services.proposal_candidates(obj) if c.ref == request.POST.get("case")), None)
            if case is None:
                raise CaseError(_("Välj ett ärende i listan."))
            services.agenda_add_case(obj, case=case, by=user)
        elif action in ("up", "down"):
            item = get_object_or_404(AgendaItem, meeting=obj, uuid=request.POST.get("item"))
            services.agenda_move(item, up=action == "up", by=user)
        elif action == "attendance":
            form = AttendanceForm(request.POST, meeting=obj)
            if not form.is_valid():
                raise CaseError(" ".join(str(e) for errors in form.errors.values() for e in errors))
            services.attendance_record(obj, by=user, **form.result())
            messages.success(request, _("Närvaron är sparad."))
        elif action == "close":
            services.protocol_close(obj, by=user)
            messages.success(request, _("Protokollet har fått paragrafnummer och är skickat för justering."))
        elif action == "pdf":
            pdf_request(municipality=request.municipality, kind="protocol", key=str(obj.uuid))  # type: ignore[attr-defined]
        elif action == "correct":
            services.correction_add(obj, text=request.POST.get("text", ""), by=user)
            messages.success(request, _("Rättelsen är införd."))
        else:
            raise Http404
    except CaseError as error:
        messages.error(request, str(error))
    return redirect("meetings:detail", meeting=obj.uuid)


@diarium_user_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, meeting: str, item: str) -> HttpResponse:
    obj = _meeting_for(request, meeting)
    _secretary_only(request)
    agenda_item = get_object_or_404(AgendaItem.objects.select_related("case", "draft"), meeting=obj, uuid=item)
    people = Person.objects.filter(pk__in=obj.attendance.exclude(person=None).values("person")).order_by("last_name")
    form = ItemForm(request.POST or None, item=agenda_item)
    vote_form = VoteForm(request.POST or None, voters=services.voters_of(agenda_item), prefix="vote")
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "save" and form.is_valid():
                services.item_record(agenda_item, by=acting_user(request), **form.cleaned_data)
                messages.success(request, _("Paragrafen är sparad."))
                return redirect("meetings:item", meeting=obj.uuid, item=agenda_item.uuid)
            if action == "yrkande":
                services.floor_motion_add(
                    agenda_item,
                    mover=get_object_or_404(people, pk=request.POST.get("mover")),
                    text=request.POST.get("text", ""),
                    by=acting_user(request),
                )
                return redirect("meetings:item", meeting=obj.uuid, item=agenda_item.uuid)
            if action == "vote" and vote_form.is_valid():
                services.vote_record(agenda_item, by=acting_user(request), **vote_form.result())
                return redirect("meetings:item", meeting=obj.uuid, item=agenda_item.uuid)
            if action == "reservation":
                services.reservation_add(
                    agenda_item,
                    person=get_object_or_404(people, pk=request.POST.get("person")),
                    text=request.POST.get("text", ""),
                    by=acting_user(request),
                )
                return redirect("meetings:item", meeting=obj.uuid, item=agenda_item.uuid)
            if action == "jav":
                substitute = request.POST.get("substitute")
                services.recusal_add(
                    agenda_item,
                    person=get_object_or_404(people, pk=request.POST.get("person")),
                    substitute=people.filter(pk=substitute).first() if substitute else None,
                    by=acting_user(request),
                )
                return redirect("meetings:item", meeting=obj.uuid, item=agenda_item.uuid)
        except CaseError as error:
            messages.error(request, str(error))
    return render(
        request,
        "meetings/item_edit.html",
        {
            "meeting": obj,
            "item": agenda_item,
            "form": form,
            "vote_form": vote_form,
            "people": people,
            "yrkanden": agenda_item.yrkanden.select_related("mover"),
            "votes": agenda_item.votes.prefetch_related("ballots__person"),
            "reservations": agenda_item.reservations.select_related("person"),
            "recusals": agenda_item.recusals.select_related("person", "substitute"),
        },
    )


@diarium_user_required
def sign(request: HttpRequest, meeting: str) -> HttpResponse:
    """The justerare's page: read the protocol, then approve it."""
    obj = _meeting_for(request, meeting)
    from .pdf import protocol_context

    context = protocol_context(obj)
    mine = obj.signatures.filter(person__user=acting_user(request)).first()
    context.update({"mine": mine, "pdf": RenderedPdf.objects.filter(kind="protocol", key=str(obj.uuid)).first()})
    return render(request, "meetings/sign.html", context)


def anslagstavla(request: HttpRequest, municipality: str) -> HttpResponse:
    """The public anslagstavla: justerade protokoll during their appeal period, and kungörelser."""
    place = get_object_or_404(Municipality, slug=municipality)
    today = timezone.localdate()
    with scope(municipality=place):
        protocols = list(
            Meeting.objects.filter(status=MeetingStatus.JUSTERAT, anslag_removed_on__gt=today)
            .select_related("body")
            .order_by("-anslag_on")
        )
        notices = list(
            Meeting.objects.filter(status=MeetingStatus.CALLED, body__kind="fullmaktige", starts_at__gte=timezone.now())
            .select_related("body")
            .order_by("starts_at")
        )
        pdfs = {p.key: p for p in RenderedPdf.objects.filter(kind="protocol", key__in=[str(m.uuid) for m in protocols])}
        rows = [(m, pdfs.get(str(m.uuid))) for m in protocols]
        return render(
            request, "meetings/anslagstavla.html", {"place": place, "rows": rows, "notices": notices, "today": today}
        )


def anslag_pdf(request: HttpRequest, municipality: str, meeting: str) -> FileResponse:

    place = get_object_or_404(Municipality, slug=municipality)
    with scope(municipality=place):
        obj = Meeting.objects.filter(uuid=meeting, status=MeetingStatus.JUSTERAT).first()
        pdf = RenderedPdf.objects.filter(kind="protocol", key=meeting).first() if obj else None
        if pdf is None or not pdf.file:
            raise Http404
        return FileResponse(pdf.file.open("rb"), filename=pdf.file_name, content_type="application/pdf")
