"""The protocol and its extracts as PDF, in the municipality's layout (rendered by the worker)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Document, Municipality, User
from cases.pdf import Renderer
from cases.permissions import can_use_diarium

from .attendance import protocol_people
from .models import AgendaItem, Ballot, Meeting, SeatKind
from .numbering import paragraph_range


def protocol_context(meeting: Meeting, *, public: bool = False) -> dict[str, Any]:
    """What the protocol shows. ``public``: the version for the anslagstavla, where a § under sekretess
    shows only its number, 'Sekretess' and the OSL provision."""
    items = list(
        meeting.items.select_related("case")
        .prefetch_related(
            "yrkanden__mover",
            "reservations__person",
            "recusals__person",
            "recusals__substitute",
            Prefetch("votes__ballots", queryset=Ballot.objects.select_related("person").order_by("person__last_name")),
        )
        .order_by("ordering")
    )
    attendance = list(meeting.attendance.select_related("person", "serving_for", "from_item", "to_item"))
    rank = {"ordförande": 0, "1:e vice ordförande": 1, "2:e vice ordförande": 2}
    attendance.sort(
        key=lambda a: (
            a.kind == SeatKind.OTHER,
            rank.get(a.role_text, 3),
            a.person.last_name if a.person else a.ordering,
        )
    )
    paragraphs = [i.paragraph for i in items if i.paragraph]
    context: dict[str, Any] = {
        "meeting": meeting,
        "municipality": meeting.body.municipality,
        "day": timezone.localtime(meeting.starts_at),
        "items": items,
        "signatures": list(meeting.signatures.select_related("person")),
        "paragraph_range": paragraph_range(meeting, paragraphs),
        "corrections": list(meeting.corrections.all()),
        "digest": protocol_digest_shown(meeting),
        "public": public,
    }
    context.update(protocol_people(meeting, items, attendance))
    return context


def protocol_digest_shown(meeting: Meeting) -> str:
    """The digest the protocol shows: the one every signer signed once justerat, the text's current
    one while under justering, none while it is still being written."""
    from .integrity import protocol_digest
    from .models import MeetingStatus

    if meeting.status == MeetingStatus.JUSTERAT:
        return meeting.protocol_hash
    if meeting.status == MeetingStatus.JUSTERING:
        return protocol_digest(meeting)
    return ""


def _meeting(key: str) -> Meeting:
    return Meeting.objects.select_related("body", "body__municipality", "chair", "secretary").get(uuid=key)


def protocol_html(municipality: Municipality, key: str) -> str:
    return render_to_string("meetings/protocol_pdf.html", protocol_context(_meeting(key)))


def public_protocol_html(municipality: Municipality, key: str) -> str:
    return render_to_string("meetings/protocol_pdf.html", protocol_context(_meeting(key), public=True))


def protocol_file_name(municipality: Municipality, key: str) -> str:
    meeting = _meeting(key)
    return f"Protokoll {meeting.body.short_name} {timezone.localtime(meeting.starts_at):%Y-%m-%d}.pdf"


def extract_html(municipality: Municipality, key: str) -> str:
    item = AgendaItem.objects.select_related("meeting").get(uuid=key)
    context = protocol_context(_meeting(str(item.meeting.uuid)))
    context["items"] = [i for i in context["items"] if i.pk == item.pk]
    context["extract"] = True
    return render_to_string("meetings/protocol_pdf.html", context)


def extract_file_name(municipality: Municipality, key: str) -> str:
    item = AgendaItem.objects.select_related("meeting__body").get(uuid=key)
    return f"Protokollsutdrag {item.meeting.body.short_name} § {item.paragraph}.pdf"


def kallelse_html(municipality: Municipality, key: str) -> str:
    meeting = _meeting(key)
    items = list(
        meeting.items.select_related("case", "draft", "draft__template")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("sequence")))
        .order_by("ordering")
    )
    called = list(meeting.attendance.filter(called=True).select_related("person").order_by("kind", "ordering"))
    from papers.pdf import paper_context

    from .agenda import kallelse_revisions

    papers = [paper_context(item.draft) for item in items if item.draft is not None]
    return render_to_string(
        "meetings/kallelse_pdf.html",
        {
            "meeting": meeting,
            "municipality": meeting.body.municipality,
            "day": timezone.localtime(meeting.starts_at),
            "items": items,
            "called": called,
            "papers": papers,
            "revisions": kallelse_revisions(meeting),
        },
    )


def kallelse_file_name(municipality: Municipality, key: str) -> str:
    meeting = _meeting(key)
    return f"Kallelse {meeting.body.short_name} {timezone.localtime(meeting.starts_at):%Y-%m-%d}.pdf"


def can_view(user: User, key: str) -> bool:
    return can_use_diarium(user)


def protocol_finish(municipality: Municipality, key: str, pdf: bytes) -> bytes:
    """A justerat protocol is signed (PAdES) with the municipality's certificate, if one is configured."""
    from .models import MeetingStatus
    from .signing import pades_sign, signing_configured

    meeting = _meeting(key)
    if meeting.status != MeetingStatus.JUSTERAT or not signing_configured(municipality):
        return pdf
    return pades_sign(municipality, pdf, reason=f"Justerat protokoll, {meeting.body.name}")


PROTOCOL_RENDERER = Renderer(
    html=protocol_html, file_name=protocol_file_name, can_view=can_view, finish=protocol_finish
)
PUBLIC_PROTOCOL_RENDERER = Renderer(
    html=public_protocol_html, file_name=protocol_file_name, can_view=can_view, finish=protocol_finish
)
EXTRACT_RENDERER = Renderer(html=extract_html, file_name=extract_file_name, can_view=can_view)
KALLELSE_RENDERER = Renderer(html=kallelse_html, file_name=kallelse_file_name, can_view=can_view)
