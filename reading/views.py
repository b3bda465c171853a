"""The reading room's pages: Mina sammanträden, a meeting and its items, a handling opened inline, the ICS feed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_scopes import scope

from alingsas_ale.pagecache import fresh_id, kept_for_user
from audit.context import record_secret_read
from cases.http import AuthedRequest
from cases.models import Document, PdfStatus, RenderedPdf, User
from meetings.models import AgendaItem, Meeting, MeetingStatus
from papers.pdf import paper_context

from . import permissions
from .absence import absence_links
from .notes import note_panel
from .queries import coming_and_past, is_new, meetings_of
from .services import meeting_visit_record, meeting_visit_record_by_uuid

INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")


def reader_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in as a member of a municipality; which meetings they read is the door's business."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "municipality", None) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@reader_required
@require_safe
def home(request: AuthedRequest) -> HttpResponse:
    coming, past = coming_and_past(request.user)
    return render(
        request,
        "reading/home.html",
        {
            "coming": [(m, is_new(m)) for m in coming],
            "past": [(m, is_new(m)) for m in past],
            "calendar_url": request.build_absolute_uri(reverse("reading:calendar", args=[request.user.calendar_token])),
        },
    )


def _kallelse(meeting: Meeting) -> RenderedPdf | None:
    return RenderedPdf.objects.filter(kind="kallelse", key=str(meeting.uuid), status=PdfStatus.DONE).first()


def _items(meeting: Meeting, *, papers: bool = False) -> list[AgendaItem]:
    items = meeting.items.select_related("case").order_by("ordering")
    if papers:
        items = items.select_related("draft", "draft__template", "draft__addressee")
    return list(items)


def _visited(request: AuthedRequest, meeting: str, item: str | None = None) -> None:
    """A kept view of the meeting or of one of its items is a visit to the meeting."""
    meeting_visit_record_by_uuid(meeting, by=request.user)


# Mina sammanträden marks what changed since the reader's last visit. A kept view of the meeting or
# of an item records it at most once a minute per reader and page (a write with its audit row was
# the costliest part of a kept view: 0.30 of the reference with it on every view). A change made in
# that minute may be marked new though it was seen, never the other way round.
VISIT_EVERY = 60


@reader_required
@kept_for_user(on_hit=_visited, on_hit_every=VISIT_EVERY)
@require_safe
def meeting(request: AuthedRequest, meeting: str) -> HttpResponse:
    # The seats: the door, the notes' party and the förhinder link.
    obj, seats = permissions.get_meeting_and_seats_for_reader(request.user, meeting)
    meeting_visit_record(obj, by=request.user)
    return render(
        request,
        "reading/meeting.html",
        {
            "meeting": obj,
            "items": _items(obj),
            "kallelse": _kallelse(obj),
            "statuses": MeetingStatus,
            **note_panel(request.user, obj, new_note=fresh_id(request), seats=seats),
        }
        | absence_links(obj, request.user, seats),
    )


def _paper(item: AgendaItem, documents: list[dict[str, Any]]) -> dict[str, object] | None:
    """The item's paper, drawn with the case's handlingar the page already loaded."""
    if item.draft is None:
        return None
    same_case = item.case_id is not None and item.draft.case_id == item.case_id
    return paper_context(item.draft, documents=[entry["doc"] for entry in documents] if same_case else None)


def _documents(user: User, item: AgendaItem) -> list[dict[str, Any]]:
    """The item's beslutsunderlag: the case's handlingar, each marked readable or not and how it opens."""
    if item.case is None:
        return []
    documents = list(item.case.documents.select_related("case", "secrecy_marked_by").order_by("sequence"))
    readable = permissions.readable_documents(user, documents)
    entries = []
    for number, doc in enumerate(documents, start=1):
        kind = "none"
        if doc.file and (doc.content_type == "application/pdf" or doc.display_pdf):
            kind = "pdf"  # a DOCX or ODT file is shown as the PDF the worker made of it
        elif doc.file:
            kind = "image" if doc.content_type in INLINE_TYPES else "file"
        entries.append({"doc": doc, "readable": doc.pk in readable, "kind": kind, "anchor": f"handling-{number}"})
    for before, after in zip(entries, entries[1:], strict=False):
        before["next"], after["previous"] = after["anchor"], before["anchor"]
    return entries


@reader_required
@kept_for_user(on_hit=_visited, on_hit_every=VISIT_EVERY)
@require_safe
def item(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    obj, seats = permissions.get_meeting_and_seats_for_reader(request.user, meeting)
    items = _items(obj, papers=True)
    position = next((i for i, it in enumerate(items) if str(it.uuid) == str(item)), None)
    if position is None:
        raise Http404
    current = items[position]
    if current.case is not None:
        current.case.municipality = obj.municipality
        if current.draft is not None and current.draft.case_id == current.case_id:
            current.draft.case = current.case
    documents = _documents(request.user, current)
    meeting_visit_record(obj, by=request.user)
    return render(
        request,
        "reading/item.html",
        {
            "meeting": obj,
            "items": items,
            "item": current,
            "previous": items[position - 1] if position > 0 else None,
            "next": items[position + 1] if position + 1 < len(items) else None,
            "paper": _paper(current, documents),
            "documents": documents,
            **note_panel(request.user, obj, new_note=fresh_id(request), seats=seats),
        },
    )


@reader_required
@require_safe
def document_inline(request: AuthedRequest, meeting: str, item: str, document: str) -> FileResponse:
    """The handling's file for the viewer in the page: inline for PDF and images, else a download."""
    obj = permissions.get_meeting_for_reader(request.user, meeting)
    current = permissions.get_item_for_reader(obj, item)
    doc: Document = permissions.get_document_for_reader(request.user, current, document)
    if not doc.file:
        raise Http404
    record_secret_read(doc)
    if doc.display_pdf and request.GET.get("original") is None:
        name = doc.file_name.rsplit(".", 1)[0] + ".pdf"
        response = FileResponse(doc.display_pdf.open("rb"), filename=name, content_type="application/pdf")
        response["Cache-Control"] = "private, no-store"
        return response
    inline = doc.content_type in INLINE_TYPES
    response = FileResponse(
        doc.file.open("rb"), as_attachment=not inline, filename=doc.file_name, content_type=doc.content_type
    )
    if doc.content_type.startswith("image/"):
        # Opened on its own, an uploaded image runs nothing. (Not for PDFs: Chromium will not show a
        # PDF in a sandboxed document, and the viewer fetches the file rather than framing it.)
        response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """One's meetings as an ICS feed. The secret token signs the calendar program in for this feed only."""
    from icalendar import Calendar, Event

    user = User.objects.filter(calendar_token=token, is_active=True).exclude(municipality=None).first()
    if user is None:
        raise Http404
    with scope(municipality=user.municipality_id):
        meetings = (
            meetings_of(user)
            .exclude(Q(status=MeetingStatus.PLANNED) & Q(has_kallelse=False))
            .filter(starts_at__gte=timezone.now() - timedelta(days=365))
            .order_by("starts_at")[:500]
        )
        cal = Calendar()
        cal.add("prodid", "-//Alingsås–Ale ärendehantering//läsesal//SV")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", _("Sammanträden – %(name)s") % {"name": user.get_full_name() or user.username})
        for m in meetings:
            event = Event()
            event.add("uid", f"meeting-{m.uuid}@alingsas-ale")
            event.add("summary", _("Sammanträde: %(body)s") % {"body": m.body.name})
            event.add("dtstart", m.starts_at)
            event.add("dtend", m.starts_at + timedelta(hours=3))
            event.add("dtstamp", timezone.now())
            event.add("location", m.place)
            event.add("url", request.build_absolute_uri(reverse("reading:meeting", args=[m.uuid])))
            cal.add_component(event)
    return HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
