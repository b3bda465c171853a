"""The reading room's one write: remembering when a reader looked at a meeting.

No MeetingEvent is written: a visit is the reader's own bookmark, not a change to the meeting, and
the meeting's log stays the record of what was done to it."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.utils import timezone

from cases.models import User
from meetings.models import Meeting

from .models import MeetingVisit


def meeting_visit_record(meeting: Meeting, *, by: User, at: datetime | None = None) -> None:
    """One statement, outside any transaction (INSERT … ON CONFLICT DO UPDATE): the reading room's
    page is opened far more often than anything else, and update_or_create cost it a transaction, a
    select and an update."""
    table = MeetingVisit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (municipality_id, user_id, meeting_id, seen_at) VALUES (%s, %s, %s, %s) "  # noqa: S608 - the table name is the model's
            "ON CONFLICT (user_id, meeting_id) DO UPDATE SET seen_at = EXCLUDED.seen_at",
            [meeting.municipality_id, by.pk, meeting.pk, at or timezone.now()],
        )
