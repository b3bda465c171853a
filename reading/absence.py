"""Anmäl förhinder: a member reports that they cannot attend, the secretary calls an ersättare in.

A member reports förhinder for the whole meeting or for some items (jäv, for instance); the
meeting's secretary is told (inbox and e-mail) and sees the report on the meeting's förhinder page
with the ersättare the system proposes: the body's ersättare on the meeting's day, those of the
absent member's party first, each group in its inkallelseordning (``Membership.deputy_order``).
When the secretary calls one in, the ersättare is notified (inbox, and e-mail by the worker) with
a link to the meeting in the reading room, which their own seat lets them read.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Case, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Membership, Person, SeatRole, User
from cases.services import CaseError
from cases.services.notifications import notify
from meetings.models import AgendaItem, Meeting, MeetingStatus
from meetings.permissions import can_manage_meeting
from meetings.services import log

from .models import Absence

OPEN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.CALLED)


def meeting_day(meeting: Meeting) -> object:
    return timezone.localtime(meeting.starts_at).date()


def seat_for_absence(meeting: Meeting, user: User, seats: Sequence[Membership] | None = None) -> Membership | None:
    """The user's seat in the meeting's body on its day (an ordinary seat before an ersättare's), or
    None; ``seats`` from reading.permissions.seats_in, if already read."""
    if seats is not None:
        return min(seats, key=lambda seat: (seat.role == SeatRole.DEPUTY, seat.pk), default=None)
    held = Membership.objects.held_on(meeting.body, meeting_day(meeting)).filter(person__user=user)
    return held.select_related("person").order_by(Case(When(role=SeatRole.DEPUTY, then=1), default=0), "pk").first()


def item_label(item: AgendaItem) -> str:
    return _("punkt %(n)s %(title)s") % {"n": item.ordering, "title": item.title}


@transaction.atomic
def absence_report(meeting: Meeting, *, items: Sequence[AgendaItem] = (), reason: str = "", by: User) -> Absence:
    """The member ``by`` cannot attend ``meeting`` (or the given ``items`` of it). Reporting again
    replaces the earlier report, but keeps an ersättare already called in."""
    seat = seat_for_absence(meeting, by)
    if seat is None:
        raise CaseError(_("Du har ingen plats i %(body)s den dagen.") % {"body": meeting.body.name})
    if meeting.status not in OPEN_STATUSES:
        raise CaseError(_("Sammanträdet har redan hållits."))
    if any(item.meeting_id != meeting.pk for item in items):
        raise CaseError(_("Punkten hör inte till sammanträdet."))
    absence, _created = Absence.objects.update_or_create(
        meeting=meeting,
        person=seat.person,
        defaults={
            "whole_meeting": not items,
            "reason": reason.strip()[:200],
            "reported_at": timezone.now(),
            "reported_by": by,
        },
        create_defaults={
            "municipality_id": meeting.municipality_id,
            "whole_meeting": not items,
            "reason": reason.strip()[:200],
            "reported_by": by,
        },
    )
    absence.items.set(items)
    labels = [item_label(item) for item in sorted(items, key=lambda i: i.ordering)]
    log(meeting, "absence.reported", by=by, person=str(seat.person), items=labels, reason=absence.reason)
    what = ", ".join(labels) if labels else _("hela sammanträdet")
    notify(
        [meeting.secretary],
        key=f"absence:{absence.uuid}:{absence.reported_at.isoformat()}",
        subject=_("Förhinder: %(person)s, %(meeting)s") % {"person": seat.person, "meeting": meeting},
        body=_("%(person)s (%(party)s) har anmält förhinder för %(what)s. Kalla in en ersättare.")
        % {"person": seat.person, "party": seat.party, "what": what},
        url=reverse("reading:absences", args=[meeting.uuid]),
        municipality_id=meeting.municipality_id,
    )
    return absence


def absent_person_ids(meeting: Meeting) -> set[int]:
    return set(Absence.objects.filter(meeting=meeting).values_list("person_id", flat=True))


def substitute_proposals(absence: Absence) -> list[Membership]:
    """The ersättare who may be called in for ``absence``: not absent themselves and not already
    called in for someone else, the absent member's party first, each in inkallelseordning."""
    meeting = absence.meeting
    day = meeting_day(meeting)
    party = (
        Membership.objects.held_on(meeting.body, day)
        .filter(person_id=absence.person_id)
        .values_list("party", flat=True)
        .first()
    )
    taken = absent_person_ids(meeting) | set(
        Absence.objects.filter(meeting=meeting, substitute__isnull=False)
        .exclude(pk=absence.pk)
        .values_list("substitute_id", flat=True)
    )
    deputies = [
        seat
        for seat in Membership.objects.held_on(meeting.body, day)
        .filter(role=SeatRole.DEPUTY)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
        if seat.person_id not in taken
    ]
    return sorted(deputies, key=lambda s: (s.party != party, s.deputy_order is None, s.deputy_order or 0))


@transaction.atomic
def absence_call_substitute(absence: Absence, *, substitute: Person, by: User) -> Absence:
    """The secretary calls ``substitute`` in; they are notified and read the meeting by their seat."""
    meeting = absence.meeting
    if not can_manage_meeting(by, meeting):
        raise CaseError(_("Bara nämndsekreteraren kan kalla in ersättare."))
    if meeting.status not in OPEN_STATUSES:
        raise CaseError(_("Sammanträdet har redan hållits."))
    if substitute.pk not in {seat.person_id for seat in substitute_proposals(absence)}:
        raise CaseError(_("%(person)s kan inte kallas in som ersättare här.") % {"person": substitute})
    absence.substitute = substitute
    absence.called_at = timezone.now()
    absence.called_by = by
    absence.save(update_fields=["substitute", "called_at", "called_by"])
    log(meeting, "absence.substitute_called", by=by, person=str(absence.person), substitute=str(substitute))
    labels = [item_label(item) for item in absence.items.order_by("ordering")]
    what = ", ".join(labels) if labels else _("hela sammanträdet")
    day = timezone.localtime(meeting.starts_at)
    if substitute.user is not None:
        notify(
            [substitute.user],
            key=f"absence:{absence.uuid}:called:{substitute.pk}",
            subject=_("Du är inkallad: %(meeting)s") % {"meeting": meeting},
            body=_(
                "Du kallas in som ersättare för %(person)s vid %(body)s sammanträde %(day)s, %(place)s (%(what)s). "
                "Handlingarna finns i läsesalen."
            )
            % {
                "person": absence.person,
                "body": meeting.body.name,
                "day": f"{day:%Y-%m-%d %H:%M}",
                "place": meeting.place,
                "what": what,
            },
            url=reverse("reading:meeting", args=[meeting.uuid]),
            municipality_id=meeting.municipality_id,
        )
    return absence


def absences_of(meeting: Meeting) -> list[tuple[Absence, list[Membership]]]:
    """The meeting's förhinder, each with the ersättare proposed for it (first one first)."""
    absences = list(
        Absence.objects.filter(meeting=meeting)
        .select_related("person", "substitute", "meeting__body")
        .prefetch_related("items")
    )
    return [(a, [] if a.substitute_id else substitute_proposals(a)) for a in absences]


def absence_links(meeting: Meeting, user: User, seats: Sequence[Membership] | None = None) -> dict[str, object]:
    """What the meeting page offers: reporting förhinder (a seat, a meeting not yet held) and, for
    the secretary, the list of förhinder."""
    manages = can_manage_meeting(user, meeting)
    return {
        "may_report_absence": meeting.status in OPEN_STATUSES and seat_for_absence(meeting, user, seats) is not None,
        "manages": manages,
        "absence_count": Absence.objects.filter(meeting=meeting).count() if manages else 0,
    }
