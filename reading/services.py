"""The reading room's one write: remembering when a reader looked at a meeting.

No MeetingEvent is written: a visit is the reader's own bookmark, not a change to the meeting, and
the meeting's log stays the record of what was done to it."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from cases.models import User
from meetings.models import Meeting

from .models import MeetingVisit


def meeting_visit_record(meeting: Meeting, *, by: User, at: datetime | None = None) -> MeetingVisit:
    visit, _ = MeetingVisit.objects.update_or_create(
        user=by,
        meeting=meeting,
        defaults={"seen_at": at or timezone.now()},
        create_defaults={"seen_at": at or timezone.now(), "municipality_id": meeting.municipality_id},
    )
    return visit
