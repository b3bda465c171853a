"""The anslag: the notice on the public anslagstavla that a protocol is justerat.

Putting it up is a legal act of the secretary (kommunallagen 8 kap. 12 §: at the latest on the second
day after justering), with its own date: the appeal period (13 kap. 5 §, three weeks) and the day it
comes down run from that day, moved past weekends and holidays (lag 1930:173). A daily sweep
(meetings.tasks.sweep_anslag, on the beat schedule) records every day each notice was up, logs the
day it came down, and alerts the secretary and the chair once when a justerat protocol's anslag is
not up by the second day after justering.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alingsas_ale.hotpath import execute_prepared
from cases import clock, workdays
from cases.models import Body, BodyKind, Municipality, RenderedPdf, User
from cases.services import CaseError
from cases.services.notifications import notify

from .models import AgendaItem, AnslagDay, ExtractStatus, ImmediateExtract, Meeting, MeetingEvent, MeetingStatus
from .permissions import can_manage_meeting

ANSLAG_DEADLINE = timedelta(days=2)  # kommunallagen 8 kap. 12 §: senast andra dagen efter justeringen


def log(meeting: Meeting, action: str, *, by: User | None, **data: Any) -> MeetingEvent:
    return MeetingEvent.objects.create(
        municipality_id=meeting.municipality_id, meeting=meeting, action=action, actor=by, data=data
    )


def anslag_dates(posted_on: date) -> tuple[date, date]:
    """(last day to appeal, earliest day the notice may come down): KL 13 kap. 5 § and 8 kap. 12 §."""
    appeal_ends = workdays.appeal_period_ends(posted_on)
    return appeal_ends, appeal_ends + timedelta(days=1)


def justerat_on(meeting: Meeting) -> date | None:
    return timezone.localdate(meeting.justerat_at) if meeting.justerat_at else None


def anslag_deadline(meeting: Meeting) -> date | None:
    """The last day the anslag may go up."""
    day = justerat_on(meeting)
    return day + ANSLAG_DEADLINE if day else None


def anslag_default_day(meeting: Meeting, today: date | None = None) -> date:
    """The day the form suggests: the day of justering, or today if that has passed."""
    today = today or clock.today()
    return max(justerat_on(meeting) or today, today)


def anslag_publish(meeting: Meeting, *, on: date, by: User) -> Meeting:
    """The secretary puts the anslag up on ``on``: today, or a later day up to the legal deadline.
    Never a day in the past: the anslagstavla cannot have shown it then."""
    if not can_manage_meeting(by, meeting):
        raise CaseError(_("Bara nämndsekreteraren kan sätta upp anslaget."))
    today = clock.today()
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("body__municipality").get(pk=meeting.pk)
        )
        if meeting.status != MeetingStatus.JUSTERAT or meeting.entered_afterwards:
            raise CaseError(_("Anslaget sätts upp när protokollet är justerat."))
        if meeting.anslag_on is not None:
            raise CaseError(_("Anslaget är redan uppsatt %(on)s.") % {"on": meeting.anslag_on.isoformat()})
        if on < today:
            raise CaseError(_("Anslaget kan inte sättas upp en dag som redan har varit."))
        latest = max(today, anslag_deadline(meeting) or today)
        if on > latest:
            raise CaseError(
                _("Anslaget ska vara uppe senast andra dagen efter justeringen (%(d)s), kommunallagen 8 kap. 12 §.")
                % {"d": latest.isoformat()}
            )
        meeting.anslag_on = on
        meeting.appeal_ends_on, meeting.anslag_removed_on = anslag_dates(on)
        meeting.save(update_fields=["anslag_on", "appeal_ends_on", "anslag_removed_on"])
        log(
            meeting,
            "anslag.posted",
            by=by,
            on=on.isoformat(),
            appeal_ends=meeting.appeal_ends_on.isoformat(),
            removed=meeting.anslag_removed_on.isoformat(),
        )
        if on == today:
            _record_day(meeting, None, today)
        from cases.pdf import pdf_request

        from .services import PUBLIC_PROTOCOL

        # The ANSLAG/BEVIS block of both protocols now carries the dates.
        pdf_request(municipality=meeting.body.municipality, kind="protocol", key=str(meeting.uuid))
        pdf_request(municipality=meeting.body.municipality, kind=PUBLIC_PROTOCOL, key=str(meeting.uuid))
    return meeting


# What is up on the anslagstavla --------------------------------------------------------------------


def protocols_up(today: date) -> QuerySet[Meeting]:
    return Meeting.objects.filter(status=MeetingStatus.JUSTERAT, anslag_on__lte=today, anslag_removed_on__gt=today)


def extracts_up(today: date) -> QuerySet[ImmediateExtract]:
    """Immediately justerade §§ whose own anslag is up: each keeps its own appeal period, also once
    the whole protocol's anslag is up beside it."""
    return ImmediateExtract.objects.filter(
        status=ExtractStatus.JUSTERAT, anslag_on__lte=today, anslag_removed_on__gt=today
    )


def board_fingerprint(slug: str, today: date, now: Any) -> tuple[int, str] | None:
    """(the municipality's id, a fingerprint of every row its anslagstavla shows on ``today`` at
    ``now``), in one statement; None for no such municipality.

    The rows are what the page reads (meetings.views_protocol.anslagstavla): the municipality, the
    protocols up (protocols_up) with their items, bodies and public PDFs, the omedelbart justerade
    §§ up (extracts_up) with their items, meetings and bodies, and the kungörelser (fullmäktige
    meetings called and not yet begun). Each row counts with its id and ``xmin``, which every
    committed write of the row changes: an equal fingerprint is an equal page (alingsas_ale/pagecache.py).
    A page that comes to read another table must have its rows added here (tests/test_anslagstavla_cache.py).
    """
    from .services import PUBLIC_PROTOCOL  # services imports this module at its end

    with connection.cursor() as cursor:
        execute_prepared(
            cursor,
            "meetings_board_fingerprint",
            _board_sql(),
            {
                "slug": slug,
                "today": today,
                "now": now,
                "justerat": MeetingStatus.JUSTERAT,
                "called": MeetingStatus.CALLED,
                "extract_justerat": ExtractStatus.JUSTERAT,
                "council": BodyKind.COUNCIL,
                "pdf_kind": PUBLIC_PROTOCOL,
            },
        )
        place_id, fingerprint = cursor.fetchone()
    return None if place_id is None else (place_id, fingerprint)


@functools.cache
def _board_sql() -> str:
    t = {
        "municipality": Municipality._meta.db_table,
        "meeting": Meeting._meta.db_table,
        "item": AgendaItem._meta.db_table,
        "extract": ImmediateExtract._meta.db_table,
        "body": Body._meta.db_table,
        "pdf": RenderedPdf._meta.db_table,
    }
    return f"""
        WITH place AS (SELECT id, xmin FROM {t["municipality"]} WHERE slug = %(slug)s),
        up AS (
            SELECT m.id, m.xmin, m.body_id, m.uuid FROM {t["meeting"]} m, place
            WHERE m.municipality_id = place.id AND m.status = %(justerat)s
              AND m.anslag_on <= %(today)s AND m.anslag_removed_on > %(today)s
        ),
        extracts AS (
            SELECT e.id, e.xmin, e.item_id FROM {t["extract"]} e, place
            WHERE e.municipality_id = place.id AND e.status = %(extract_justerat)s
              AND e.anslag_on <= %(today)s AND e.anslag_removed_on > %(today)s
        ),
        extract_items AS (
            SELECT i.id, i.xmin, i.meeting_id FROM {t["item"]} i WHERE i.id IN (SELECT item_id FROM extracts)
        ),
        extract_meetings AS (
            SELECT m.id, m.xmin, m.body_id FROM {t["meeting"]} m WHERE m.id IN (SELECT meeting_id FROM extract_items)
        ),
        notices AS (
            SELECT m.id, m.xmin, m.body_id FROM {t["meeting"]} m JOIN {t["body"]} b ON b.id = m.body_id, place
            WHERE m.municipality_id = place.id AND m.status = %(called)s AND b.kind = %(council)s
              AND m.starts_at >= %(now)s
        ),
        seen (kind, id, version) AS (
            SELECT 'municipality', id, xmin FROM place
            UNION ALL SELECT 'protocol', id, xmin FROM up
            UNION ALL SELECT 'item', i.id, i.xmin FROM {t["item"]} i WHERE i.meeting_id IN (SELECT id FROM up)
            UNION ALL SELECT 'pdf', p.id, p.xmin FROM {t["pdf"]} p, place
                WHERE p.municipality_id = place.id AND p.kind = %(pdf_kind)s AND p.key IN (SELECT uuid::text FROM up)
            UNION ALL SELECT 'extract', id, xmin FROM extracts
            UNION ALL SELECT 'extract item', id, xmin FROM extract_items
            UNION ALL SELECT 'extract meeting', id, xmin FROM extract_meetings
            UNION ALL SELECT 'notice', id, xmin FROM notices
            UNION ALL SELECT 'body', b.id, b.xmin FROM {t["body"]} b WHERE b.id IN (
                SELECT body_id FROM up UNION SELECT body_id FROM extract_meetings UNION SELECT body_id FROM notices
            )
        )
        SELECT (SELECT id FROM place), md5(string_agg(kind || ':' || id || ':' || version::text, ',' ORDER BY kind, id))
        FROM seen
    """  # noqa: S608 - table names from the models, values are parameters


def anslag_state(meeting: Meeting, today: date) -> str:
    """'up', 'removed' (its time on the anslagstavla is over) or 'none' (not up, or not yet)."""
    if meeting.status != MeetingStatus.JUSTERAT or meeting.anslag_on is None or meeting.anslag_on > today:
        return "none"
    assert meeting.anslag_removed_on is not None  # noqa: S101 - set together with anslag_on
    return "up" if today < meeting.anslag_removed_on else "removed"


# The daily sweep ------------------------------------------------------------------------------------


def _record_day(meeting: Meeting, item_id: int | None, day: date) -> bool:
    try:
        with transaction.atomic():
            AnslagDay.objects.create(municipality_id=meeting.municipality_id, meeting=meeting, item_id=item_id, day=day)
    except IntegrityError:
        return False
    return True


def anslag_evidence_record(today: date | None = None) -> int:
    """Record that each notice is up today (one row per notice and day; running twice adds none)."""
    today = today or clock.today()
    done = sum(_record_day(m, None, today) for m in protocols_up(today))
    for extract in extracts_up(today).select_related("item__meeting"):
        done += _record_day(extract.item.meeting, extract.item_id, today)
    return done


def anslag_sweep(today: date | None = None) -> int:
    """Record in each meeting's log the day its anslag came down (the evidence of how long
    the notice was up). Idempotent: a meeting gets one 'anslag.removed' entry."""
    today = today or clock.today()
    done = 0
    due = Meeting.objects.filter(status=MeetingStatus.JUSTERAT, anslag_removed_on__lte=today).exclude(
        events__action="anslag.removed"
    )
    for meeting in due:
        log(
            meeting,
            "anslag.removed",
            by=None,
            on=meeting.anslag_removed_on.isoformat(),
            up_since=meeting.anslag_on.isoformat(),
            days=meeting.anslag_days.filter(item=None).count(),
        )
        done += 1
    return done


def anslag_late_check(today: date | None = None) -> int:
    """From the third day after justering: a justerat protocol without its anslag up alerts the
    secretary and the chair, once (inbox and e-mail), and the meeting's log says so."""
    today = today or clock.today()
    done = 0
    candidates = (
        Meeting.objects.filter(status=MeetingStatus.JUSTERAT, entered_afterwards=False, justerat_at__isnull=False)
        .exclude(events__action="anslag.late")
        .select_related("body", "secretary", "chair__user")
    )
    for meeting in candidates:
        justerat = justerat_on(meeting)
        if justerat is None or today <= justerat + ANSLAG_DEADLINE:
            continue
        deadline = justerat + ANSLAG_DEADLINE
        if meeting.anslag_on is not None and meeting.anslag_on <= deadline:
            continue
        day = timezone.localtime(meeting.starts_at).date().isoformat()
        with transaction.atomic():
            log(meeting, "anslag.late", by=None, deadline=deadline.isoformat())
            users = [meeting.secretary] + ([meeting.chair.user] if meeting.chair and meeting.chair.user else [])
            notify(
                users,
                key=f"meeting:{meeting.pk}:anslag-late",
                subject=_("Anslaget är inte uppsatt: %(body)s %(date)s") % {"body": meeting.body.name, "date": day},
                body=_(
                    "Protokollet justerades %(justerat)s men anslaget om justeringen sattes inte upp "
                    "senast %(deadline)s (kommunallagen 8 kap. 12 §). "
                    "Sätt upp anslaget nu; överklagandetiden börjar först då."
                )
                % {"justerat": justerat.isoformat(), "deadline": deadline.isoformat()},
                url=reverse("meetings:detail", args=[meeting.uuid]),
                municipality_id=meeting.municipality_id,
            )
        done += 1
    return done


def anslag_daily(today: date | None = None) -> dict[str, int]:
    """What the beat task runs once a day in each municipality."""
    today = today or clock.today()
    return {
        "up": anslag_evidence_record(today),
        "removed": anslag_sweep(today),
        "late": anslag_late_check(today),
    }
