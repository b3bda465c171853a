"""Reads for the reading room: one reader's meetings, each with what changed since they looked."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import CharField, DateTimeField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from cases.models import PdfStatus, RenderedPdf, User
from meetings.models import AgendaItem, Meeting, MeetingEvent, MeetingStatus

from .models import MeetingVisit
from .permissions import seat_filter, seats_of

# Events that are no change to what a reader reads.
QUIET_EVENTS = ("write.refused",)
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def with_reading_state(meetings: QuerySet[Meeting], user: User) -> QuerySet[Meeting]:
    """Annotate ``changed_at`` (the last change to the meeting, its agenda's papers or its kallelse),
    ``seen_at`` (the reader's last visit), ``kallelse_uuid`` (a rendered kallelse) and ``has_kallelse``."""
    kallelse = RenderedPdf.objects.filter(kind="kallelse", key=Cast(OuterRef("uuid"), CharField()))
    last_event = (
        MeetingEvent.objects.filter(meeting=OuterRef("pk"))
        .exclude(action__in=QUIET_EVENTS)
        .order_by("-at")
        .values("at")
    )
    last_paper = (
        AgendaItem.objects.filter(meeting=OuterRef("pk"), draft__isnull=False)
        .order_by("-draft__updated_at")
        .values("draft__updated_at")
    )
    never = Value(NEVER, output_field=DateTimeField())
    return meetings.annotate(
        changed_at=Greatest(
            Coalesce(Subquery(last_event[:1]), never),
            Coalesce(Subquery(last_paper[:1]), never),
            Coalesce(Subquery(kallelse.filter(status=PdfStatus.DONE).values("rendered_at")[:1]), never),
        ),
        seen_at=Subquery(MeetingVisit.objects.filter(meeting=OuterRef("pk"), user=user).values("seen_at")[:1]),
        kallelse_uuid=Subquery(kallelse.filter(status=PdfStatus.DONE).values("uuid")[:1]),
        has_kallelse=Exists(kallelse),
    )


def meetings_of(user: User) -> QuerySet[Meeting]:
    """The meetings of every body where the user held a seat on the meeting's day (two queries to list)."""
    return with_reading_state(Meeting.objects.filter(seat_filter(seats_of(user))), user).select_related("body")


def coming_and_past(user: User, *, past_limit: int = 20) -> tuple[list[Meeting], list[Meeting]]:
    """Coming: called, or planned with a kallelse. Past: those that have started and were called."""
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    mine = meetings_of(user)
    called = Q(status=MeetingStatus.CALLED) | Q(status=MeetingStatus.PLANNED, has_kallelse=True)
    coming = list(mine.filter(called, starts_at__gte=start_of_today).order_by("starts_at"))
    past = list(
        mine.filter(starts_at__lt=start_of_today)
        .exclude(status=MeetingStatus.PLANNED)
        .order_by("-starts_at")[:past_limit]
    )
    return coming, past


def is_new(meeting: Meeting) -> bool:
    """Something changed since the reader last looked (or they never have)."""
    seen = getattr(meeting, "seen_at", None)
    changed = getattr(meeting, "changed_at", None)
    return seen is None or (changed is not None and changed > seen)
