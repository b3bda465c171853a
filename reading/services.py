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
    _visit("id", meeting.pk, by=by, at=at)


def meeting_visit_record_by_uuid(meeting: object, *, by: User) -> None:
    """:func:`meeting_visit_record` by the meeting's uuid, for a page served as kept
    (alingsas_ale.pagecache): the kept page was rendered for this reader after the door let them in,
    and any change to what the door reads since would have made it a new page."""
    _visit("uuid", str(meeting), by=by)


def _visit(column: str, value: int | str, *, by: User, at: datetime | None = None) -> None:
    table, meetings = MeetingVisit._meta.db_table, Meeting._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (municipality_id, user_id, meeting_id, seen_at) "  # noqa: S608 - the models' tables
            f"SELECT municipality_id, %s, id, %s FROM {meetings} WHERE {column} = %s "
            "ON CONFLICT (user_id, meeting_id) DO UPDATE SET seen_at = EXCLUDED.seen_at",
            [by.pk, at or timezone.now(), value],
        )
