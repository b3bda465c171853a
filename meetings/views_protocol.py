"""Views of the protocol's legal life: putting up the anslag, the public anslagstavla and its PDFs
(410 Gone once a notice has come down), omedelbar justering of a §, and historic protocols."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseGone
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_scopes import scope

from alingsas_ale.pagecache import public_page
from cases import clock
from cases.forms import error_text
from cases.http import AuthedRequest
from cases.models import BodyKind, Municipality, RenderedPdf, User
from cases.permissions import diarium_user_required
from cases.services import CaseError

from . import anslag, historic, immediate
from .forms import ConfirmForm
from .forms_protocol import AnslagPublishForm, HistoricMeetingForm
from .models import AgendaItem, ExtractSignature, ImmediateExtract, Meeting, MeetingStatus
from .permissions import can_create_meeting, can_manage_meeting, get_managed_meeting, get_meeting_for_user
from .services import PUBLIC_PROTOCOL


def protocol_panel(user: User, meeting: Meeting, items: list[AgendaItem]) -> dict[str, Any]:
    """What the meeting page shows of the anslag, the evidence log and omedelbar justering
    (``items``: the meeting's items in order, already loaded by the page)."""
    manages = can_manage_meeting(user, meeting)
    today = clock.today()
    # Only a § the meeting decided to justera omedelbart can have an extract, and such a § stays so
    # once sent (immediate.ensure_item_open): without one, there is nothing to ask for.
    extracts = (
        list(
            ImmediateExtract.objects.filter(item__meeting=meeting)
            .select_related("item")
            .prefetch_related(Prefetch("signatures", queryset=ExtractSignature.objects.select_related("person")))
            .order_by("item__ordering")
        )
        if any(item.immediately_justerad for item in items)
        else []
    )
    extracted = {extract.item_id for extract in extracts}
    open_meeting = meeting.status in (MeetingStatus.PLANNED, MeetingStatus.CALLED, MeetingStatus.HELD)
    pending = [
        item for item in items if manages and open_meeting and item.immediately_justerad and item.pk not in extracted
    ]
    can_publish = (
        manages
        and meeting.status == MeetingStatus.JUSTERAT
        and meeting.anslag_on is None
        and not meeting.entered_afterwards
    )
    return {
        "anslag_form": AnslagPublishForm(initial={"on": anslag.anslag_default_day(meeting, today)})
        if can_publish
        else None,
        "anslag_deadline": anslag.anslag_deadline(meeting),
        "anslag_state": anslag.anslag_state(meeting, today),
        "evidence": list(meeting.anslag_days.select_related("item").order_by("item__ordering", "day"))
        if manages
        else [],
        "extracts": extracts,
        "extract_pending": pending,
    }


# The anslag -------------------------------------------------------------------------------------


@diarium_user_required
@require_POST
def anslag_publish(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = AnslagPublishForm(request.POST)
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        anslag.anslag_publish(obj, on=form.cleaned_data["on"], by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Anslaget är uppsatt."))
    return redirect("meetings:detail", meeting=obj.uuid)


# The public anslagstavla (no sign-in) ----------------------------------------------------------


@require_safe
def anslagstavla(request: HttpRequest, municipality: str) -> HttpResponse:
    """Justerade protokoll and omedelbart justerade §§ during their time on the anslagstavla, and kungörelser.

    Everyone sees the same page: it is kept in the shared cache under a fingerprint of every row it
    shows (anslag.board_fingerprint, alingsas_ale/pagecache.py), so it is rendered once per change."""
    today, now = timezone.localdate(), timezone.now()
    found = anslag.board_fingerprint(municipality, today, now)
    if found is None:
        raise Http404
    place_id, fingerprint = found

    def context() -> dict[str, Any]:
        place = Municipality.objects.get(pk=place_id)
        with scope(municipality=place):
            protocols = list(
                anslag.protocols_up(today)
                .select_related("body", "municipality")
                .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.order_by("ordering")))
                .order_by("-anslag_on")
            )
            extracts = list(
                anslag.extracts_up(today)
                .select_related("item__meeting__body", "item__meeting__municipality")
                .order_by("-anslag_on", "item__paragraph")
            )
            notices = list(
                Meeting.objects.filter(status=MeetingStatus.CALLED, body__kind=BodyKind.COUNCIL, starts_at__gte=now)
                .select_related("body")
                .order_by("starts_at")
            )
            pdfs = {
                p.key: p
                for p in RenderedPdf.objects.filter(kind=PUBLIC_PROTOCOL, key__in=[str(m.uuid) for m in protocols])
            }
        rows = [(m, pdfs.get(str(m.uuid))) for m in protocols]
        return {"place": place, "rows": rows, "extracts": extracts, "notices": notices, "today": today}

    return public_page(request, (place_id, today, fingerprint), "meetings/anslagstavla.html", context)


@require_safe
def anslag_pdf(request: HttpRequest, municipality: str, meeting: str) -> HttpResponseBase:
    """The public protocol while its anslag is up; 410 Gone once it has come down, 404 before."""
    place = get_object_or_404(Municipality, slug=municipality)
    with scope(municipality=place):
        obj = Meeting.objects.filter(uuid=meeting).first()
        state = anslag.anslag_state(obj, timezone.localdate()) if obj else "none"
        if state == "removed":
            return HttpResponseGone(
                _("Anslaget är nedtaget och protokollet finns inte längre på anslagstavlan. Det finns på %(where)s.")
                % {"where": obj.storage if obj else ""},
                content_type="text/plain; charset=utf-8",
            )
        pdf = RenderedPdf.objects.filter(kind=PUBLIC_PROTOCOL, key=meeting).first() if state == "up" else None
        if pdf is None or not pdf.file:
            raise Http404
        return FileResponse(pdf.file.open("rb"), filename=pdf.file_name, content_type="application/pdf")


# Omedelbar justering of a § ----------------------------------------------------------------------


def _extract_item(user: User, meeting: str, item: str) -> tuple[Meeting, AgendaItem]:
    obj = get_meeting_for_user(user, meeting)
    agenda_item = AgendaItem.objects.filter(meeting=obj, uuid=item).first()
    if agenda_item is None:
        raise Http404
    agenda_item.meeting = obj
    return obj, agenda_item


@diarium_user_required
@require_POST
def extract_send(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    obj, agenda_item = _extract_item(request.user, meeting, item)
    if not can_manage_meeting(request.user, obj):
        raise Http404
    try:
        if not ConfirmForm(request.POST).is_valid():
            raise CaseError(_("Kryssa i att du förstår att steget inte kan göras ogjort."))
        immediate.extract_send(agenda_item, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Paragrafen är skickad till ordföranden och justerarna."))
    return redirect("meetings:detail", meeting=obj.uuid)


def _may_see_extract(user: User, meeting: Meeting, extract: ImmediateExtract | None) -> bool:
    if can_manage_meeting(user, meeting):
        return True
    return extract is not None and extract.signatures.filter(person__user=user).exists()


@diarium_user_required
@require_safe
def extract_page(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    """The chair's and the justerare's page for one § justerad omedelbart: read it, approve it."""
    obj, agenda_item = _extract_item(request.user, meeting, item)
    extract = immediate.extract_for(agenda_item)
    if extract is None or not _may_see_extract(request.user, obj, extract):
        raise Http404
    return render(
        request,
        "meetings/extract.html",
        {
            "meeting": obj,
            "item": agenda_item,
            "extract": extract,
            "signatures": list(extract.signatures.select_related("person")),
            "mine": extract.signatures.filter(person__user=request.user).first(),
            "can_sign": immediate.can_sign_extract(request.user, extract),
            "digest": immediate.extract_digest(agenda_item),
        },
    )


@diarium_user_required
@require_POST
def extract_sign(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    obj, agenda_item = _extract_item(request.user, meeting, item)
    extract = immediate.extract_for(agenda_item)
    if extract is None or not extract.signatures.filter(person__user=request.user).exists():
        raise Http404
    try:
        if not ConfirmForm(request.POST).is_valid():
            raise CaseError(_("Kryssa i att du förstår att steget inte kan göras ogjort."))
        immediate.extract_sign(extract, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Du har justerat paragrafen."))
    return redirect("meetings:extract", meeting=obj.uuid, item=agenda_item.uuid)


# Historic protocols ------------------------------------------------------------------------------


@diarium_user_required
@require_http_methods(["GET", "POST"])
def historic_enter(request: AuthedRequest) -> HttpResponse:
    if not can_create_meeting(request.user):
        raise Http404
    form = HistoricMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(datetime.combine(data["day"], data["time"] or time(18, 0)))
        try:
            meeting = historic.meeting_enter_afterwards(
                body=data["body"],
                starts_at=starts_at,
                place=data["place"],
                items=historic.historic_items_parse(data["items"]),
                justerat_on=data["justerat_on"],
                anslag_on=data["anslag_on"],
                by=request.user,
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Protokollet är infört i efterhand."))
            return redirect("meetings:detail", meeting=meeting.uuid)
    return render(request, "meetings/historic.html", {"form": form})
