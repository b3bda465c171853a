"""Historic protocols: a municipality brings its last years over from an earlier system.

The secretary enters a past meeting with its real §-numbers and the day its anslag went up; the
meeting is justerat from the start, marked as entered afterwards (on its page and in its log), and its
numbers are fixed: the body's numbering that year continues after them and never moves them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import clock
from cases.models import Body, User
from cases.services import CaseError

from .anslag import anslag_dates
from .integrity import protocol_digest
from .models import AgendaItem, ItemKind, Meeting, MeetingStatus
from .numbering import _counter, _year_bounds
from .permissions import can_create_meeting
from .services import log

LINE = re.compile(r"^\s*§?\s*(\d{1,5})\s+(.+?)\s*$")


@dataclass(frozen=True)
class HistoricItem:
    paragraph: int
    title: str


def historic_items_parse(text: str) -> list[HistoricItem]:
    """One § a line: its number and its title ('§ 12 Budget 2024' or '12 Budget 2024')."""
    items: list[HistoricItem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = LINE.match(line)
        if match is None:
            raise CaseError(
                _("Rad %(n)s: skriv paragrafnumret och sedan rubriken, t.ex. ”§ 12 Budget 2024”.") % {"n": number}
            )
        items.append(HistoricItem(int(match[1]), match[2][:255]))
    if not items:
        raise CaseError(_("Ange minst en paragraf."))
    numbers = [i.paragraph for i in items]
    if len(set(numbers)) != len(numbers):
        raise CaseError(_("Samma paragrafnummer står på flera rader."))
    return items


def meeting_enter_afterwards(
    *,
    body: Body,
    starts_at: datetime,
    place: str,
    items: list[HistoricItem],
    justerat_on: date,
    anslag_on: date,
    by: User,
) -> Meeting:
    if not can_create_meeting(by):
        raise CaseError(_("Bara nämndsekreteraren kan föra in tidigare protokoll."))
    today = clock.today()
    day = timezone.localtime(starts_at).date()
    if day >= today:
        raise CaseError(_("Ett protokoll som förs in i efterhand gäller ett sammanträde som redan har varit."))
    if not day <= justerat_on <= anslag_on <= today:
        raise CaseError(
            _("Datumen ska följa varandra: sammanträdet, justeringen, anslaget – och anslaget ska ha satts upp.")
        )
    if not place.strip():
        raise CaseError(_("Ange plats."))
    with transaction.atomic():
        counter = _counter(body, day.year)
        start, end = _year_bounds(day.year)
        taken = set(
            AgendaItem.objects.filter(
                meeting__body=body,
                meeting__starts_at__gte=start,
                meeting__starts_at__lt=end,
                paragraph__in=[i.paragraph for i in items],
            ).values_list("paragraph", flat=True)
        )
        if taken:
            raise CaseError(
                _("%(body)s har redan § %(numbers)s år %(year)s.")
                % {"body": body.name, "numbers": ", ".join(str(n) for n in sorted(taken)), "year": day.year}
            )
        appeal_ends, removed = anslag_dates(anslag_on)
        meeting = Meeting.objects.create(
            municipality_id=body.municipality_id,
            body=body,
            starts_at=starts_at,
            place=place.strip(),
            secretary=by,
            status=MeetingStatus.JUSTERAT,
            justerat_at=timezone.make_aware(datetime.combine(justerat_on, time(12))),
            anslag_on=anslag_on,
            appeal_ends_on=appeal_ends,
            anslag_removed_on=removed,
            storage=body.archive_location or body.name,
            entered_afterwards=True,
        )
        for order, entry in enumerate(sorted(items, key=lambda i: i.paragraph)):
            AgendaItem.objects.create(
                municipality_id=body.municipality_id,
                meeting=meeting,
                ordering=order,
                kind=ItemKind.CASE,
                title=entry.title,
                paragraph=entry.paragraph,
            )
        meeting.protocol_hash = protocol_digest(meeting)
        meeting.save(update_fields=["protocol_hash"])
        highest = meeting.items.aggregate(m=Max("paragraph"))["m"] or 0
        if highest > counter.last_number:
            counter.last_number = highest
            counter.save(update_fields=["last_number"])
        log(
            meeting,
            "meeting.entered_afterwards",
            by=by,
            paragraphs=[i.paragraph for i in items],
            justerat=justerat_on.isoformat(),
            on=anslag_on.isoformat(),
            appeal_ends=appeal_ends.isoformat(),
        )
    return meeting
