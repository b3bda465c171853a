"""A meeting before it is held: moved to another day, time or place, or cancelled (inställt) with a
reason, so no meeting is ever stuck. Those called follow the seats held on the meeting's day and stay
editable until the protocol goes to justering."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import clock
from cases.models import BodyKind, Membership, SeatRole, User
from cases.services import CaseError
from cases.services.notifications import notify

from .models import Attendance, Meeting, MeetingStatus, SeatKind
from .services import KUNGORELSE_DAYS, ensure_may_manage, ensure_writable, log


def _when(at: datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d kl. %H.%M")


def _called_users(meeting: Meeting) -> list[User]:
    rows = meeting.attendance.filter(called=True).select_related("person__user")
    return [a.person.user for a in rows if a.person and a.person.user]


def _sync_called(meeting: Meeting) -> tuple[list[str], list[str]]:
    """Make the called ledamöter and ersättare those holding a seat on the meeting's day: add the
    missing, drop those whose seat does not cover the day (unless already marked present)."""
    day = timezone.localtime(meeting.starts_at).date()
    seats = list(
        Membership.objects.held_on(meeting.body, day).select_related("person").order_by("role", "person__last_name")
    )
    rows = {a.person_id: a for a in meeting.attendance.exclude(kind=SeatKind.OTHER)}
    held = {s.person_id for s in seats}
    added, removed = [], []
    for order, seat in enumerate(seats):
        if seat.person_id in rows:
            continue
        Attendance.objects.create(
            municipality_id=meeting.municipality_id,
            meeting=meeting,
            person=seat.person,
            party=seat.party,
            role_text=seat.get_role_display(),
            kind=SeatKind.DEPUTY if seat.role == SeatRole.DEPUTY else SeatKind.MEMBER,
            ordering=len(rows) + order,
        )
        added.append(str(seat.person))
    for person_id, row in rows.items():
        if person_id not in held and not row.present:
            removed.append(row.display_name)
            Attendance.objects.filter(meeting=meeting, serving_for_id=person_id).update(serving_for=None)
            row.delete()
    return added, removed


@transaction.atomic
def called_sync(meeting: Meeting, *, by: User) -> tuple[list[str], list[str]]:
    """The secretary fetches those called again from the seats (after a change of seats)."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="attendance.called")
    added, removed = _sync_called(meeting)
    log(meeting, "attendance.called_synced", by=by, added=added, removed=removed)
    return added, removed


def meeting_move(meeting: Meeting, *, starts_at: datetime, place: str, by: User) -> Meeting:
    """Move a planned or called meeting. Those called follow the seats on the new day; if the
    kallelse has gone out, everyone called is told and the kallelse is rendered again."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="meeting.move")
    if not place.strip():
        raise CaseError(_("Ange plats."))
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("body__municipality").get(pk=meeting.pk)
        )
        if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.CALLED):
            raise CaseError(_("Bara ett sammanträde som inte har hållits kan flyttas."))
        day = timezone.localtime(starts_at).date()
        today = clock.today()
        if day < today:
            raise CaseError(_("Sammanträdet kan inte flyttas till en dag som har varit."))
        called = meeting.status == MeetingStatus.CALLED
        if called and meeting.body.kind == BodyKind.COUNCIL and (day - today).days < KUNGORELSE_DAYS:
            raise CaseError(
                _("Kungörelsen ska upp på anslagstavlan minst en vecka före fullmäktiges sammanträde (senast %(d)s).")
                % {"d": (day - timedelta(days=KUNGORELSE_DAYS)).isoformat()}
            )
        before, before_place = meeting.starts_at, meeting.place
        if (before, before_place) == (starts_at, place.strip()):
            raise CaseError(_("Ange en ny tid eller plats."))
        meeting.starts_at, meeting.place = starts_at, place.strip()
        meeting.save(update_fields=["starts_at", "place"])
        added, removed = _sync_called(meeting)
        log(
            meeting,
            "meeting.moved",
            by=by,
            before=_when(before),
            before_place=before_place,
            after=_when(starts_at),
            place=meeting.place,
            added=added,
            removed=removed,
        )
        if called:
            from cases.pdf import pdf_request

            pdf_request(municipality=meeting.body.municipality, kind="kallelse", key=str(meeting.uuid))
            moves = meeting.events.filter(action="meeting.moved").count()
            notify(
                _called_users(meeting),
                key=f"meeting:{meeting.pk}:moved:{moves}",
                subject=_("Sammanträdet är flyttat: %(body)s") % {"body": meeting.body.name},
                body=_("%(body)s sammanträder %(when)s i %(place)s (i stället för %(before)s i %(before_place)s).")
                % {
                    "body": meeting.body.name,
                    "when": _when(starts_at),
                    "place": meeting.place,
                    "before": _when(before),
                    "before_place": before_place,
                },
                url=reverse("meetings:detail", args=[meeting.uuid]),
                municipality_id=meeting.municipality_id,
            )
    return meeting


def meeting_cancel(meeting: Meeting, *, reason: str, by: User) -> Meeting:
    """Inställt: the meeting will not be held. If it was called, everyone called is told. Afterwards
    nothing can be done to it; it stays in the list, shown as inställt with the reason."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="meeting.cancel")
    if not reason.strip():
        raise CaseError(_("Ange varför sammanträdet ställs in."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
        if not meeting.can_cancel():
            raise CaseError(_("Ett sammanträde som har hållits kan inte ställas in."))
        was_called = meeting.status == MeetingStatus.CALLED
        meeting.cancel()
        meeting.cancel_reason = reason.strip()
        meeting.save(update_fields=["status", "cancel_reason"])
        log(meeting, "meeting.cancelled", by=by, reason=meeting.cancel_reason, called=was_called)
        if was_called:
            notify(
                _called_users(meeting),
                key=f"meeting:{meeting.pk}:cancelled",
                subject=_("Sammanträdet är inställt: %(body)s %(when)s")
                % {"body": meeting.body.name, "when": _when(meeting.starts_at)},
                body=_("%(body)s sammanträde %(when)s är inställt. Skäl: %(reason)s")
                % {"body": meeting.body.name, "when": _when(meeting.starts_at), "reason": meeting.cancel_reason},
                url=reverse("meetings:detail", args=[meeting.uuid]),
                municipality_id=meeting.municipality_id,
            )
    return meeting
