"""The reading room's door: who may read a meeting, its items and its handlingar.

A member reads the meetings of a body where they hold a seat (ledamot or ersättare, any seat role)
on the meeting's day; staff who work in the diarium read every meeting of their municipality. A
politician without a seat in that body gets a 404, as for a meeting that does not exist. Secret
handlingar are opened only through the core's door (``cases.permissions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Document, Membership, Role, User
from cases.permissions import get_document_for_user, secret_documents_readable
from meetings.models import AgendaItem, Meeting

from .models import Note

# The diarium's staff duties; a förtroendevald reads through their seats instead.
STAFF_READER_ROLES = (Role.OFFICIAL, Role.REGISTRAR, Role.SECRETARY, Role.HEAD)


def is_staff_reader(user: User) -> bool:
    return bool(user.is_authenticated and user.municipality_id and user.has_role(*STAFF_READER_ROLES))


def seats_of(user: User) -> list[Membership]:
    """Every seat the user's Person has held or holds (one query)."""
    if not user.is_authenticated or not user.municipality_id:
        return []
    return list(Membership.objects.filter(person__user=user).select_related("body"))


def holds_a_seat(user: User, on: date | None = None) -> bool:
    """Whether the user holds any seat today (or on ``on``): such a user is shown the reading room."""
    if not user.is_authenticated or not user.municipality_id:
        return False
    day = on or timezone.localdate()
    return (
        Membership.objects.filter(person__user=user, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .exists()
    )


def seat_filter(seats: list[Membership]) -> Q:
    """Meetings held by a body on a day the seat covered. Never matches when there are no seats."""
    condition = Q(pk__in=[])
    for seat in seats:
        held = Q(body_id=seat.body_id, starts_at__date__gte=seat.starts_on)
        if seat.ends_on is not None:
            held &= Q(starts_at__date__lte=seat.ends_on)
        condition |= held
    return condition


def can_read_meeting(user: User, meeting: Meeting, seats: Sequence[Membership] | None = None) -> bool:
    """Staff readers read every meeting; anyone else, those of a body they held a seat in on the
    meeting's day (``seats``: :func:`seats_in`, if already read)."""
    if not user.is_authenticated or not user.municipality_id:
        return False
    if is_staff_reader(user):
        return True
    if seats is not None:
        return bool(seats)
    day = timezone.localtime(meeting.starts_at).date()
    return Membership.objects.held_on(meeting.body, day).filter(person__user=user).exists()


def _meeting(uuid: str | UUID) -> Meeting | None:
    return Meeting.objects.select_related("body", "municipality").filter(uuid=uuid).first()


def get_meeting_for_reader(user: User, uuid: str | UUID) -> Meeting:
    meeting = _meeting(uuid)
    if meeting is None or not can_read_meeting(user, meeting):
        raise Http404
    return meeting


def get_meeting_and_seats_for_reader(user: User, uuid: str | UUID) -> tuple[Meeting, list[Membership]]:
    """:func:`get_meeting_for_reader`, and the reader's seats in its body on its day
    (:func:`seats_in`), read once for the door and for the page."""
    meeting = _meeting(uuid)
    seats = seats_in(user, meeting) if meeting is not None else []
    if meeting is None or not can_read_meeting(user, meeting, seats):
        raise Http404
    return meeting, seats


def get_item_for_reader(meeting: Meeting, uuid: str | UUID) -> AgendaItem:
    """An item of a meeting the reader was already let into."""
    item = AgendaItem.objects.select_related("case", "draft").filter(meeting=meeting, uuid=uuid).first()
    if item is None:
        raise Http404
    item.meeting = meeting
    return item


def readable_documents(user: User, documents: list[Document]) -> set[int]:
    """The ids among ``documents`` the reader may open: every public one, and the secret ones the
    core grants (the case's handläggare or an explicit grant)."""
    return {doc.pk for doc in documents if not doc.is_secret} | secret_documents_readable(user, documents)


def get_document_for_reader(user: User, item: AgendaItem, uuid: str | UUID) -> Document:
    """A handling of the item's case, through the core's door (404 for a secret one not granted)."""
    if item.case is None:
        raise Http404
    return get_document_for_user(user, item.case, str(uuid))


# Notes (reading/notes.py). A note is its author's own: nobody else reads it, whatever their duties,
# unless the author shared it with their party group; then the members of that body who sat for
# the same party on the meeting's day read it too. Staff have no party and read no one's notes.


def seats_in(user: User, meeting: Meeting) -> list[Membership]:
    """The user's seats in the meeting's body on its day, with their person, oldest first (one query)."""
    if not user.is_authenticated or not user.municipality_id:
        return []
    day = timezone.localtime(meeting.starts_at).date()
    return list(
        Membership.objects.held_on(meeting.body, day).filter(person__user=user).select_related("person").order_by("pk")
    )


def party_in(user: User, meeting: Meeting, seats: Sequence[Membership] | None = None) -> str:
    """The party the user sat for in the meeting's body on its day ("" for none); ``seats`` from
    :func:`seats_in`, if already read."""
    seats = seats_in(user, meeting) if seats is None else seats
    return seats[0].party if seats else ""


def notes_visible_to(user: User, meeting: Meeting) -> QuerySet[Note]:
    """The notes on ``meeting`` the user reads: their own, and those their party group shared."""
    visible = Q(author=user)
    party = party_in(user, meeting)
    if party:
        visible |= Q(shared=True, party=party)
    return Note.objects.filter(meeting=meeting).filter(visible).select_related("author", "item", "document")


def get_own_note(user: User, meeting: Meeting, uuid: str | UUID) -> Note | None:
    """The user's own note on the meeting. None if there is none yet; 404 if the id is someone else's
    (a browser-made id names nobody else's note)."""
    note = Note.objects.filter(uuid=uuid).first()
    if note is None:
        return None
    if note.author_id != user.pk or note.meeting_id != meeting.pk:
        raise Http404
    return note
