"""§ numbering: per body and calendar year, in meeting date order, in the municipality's format.

A meeting's §§ are numbered when it goes to justering (or earlier, when a § is justerad omedelbart
at the meeting). Numbers follow the meetings' dates, not the order their protocols were closed: a
meeting closed before an earlier one is renumbered when the earlier one closes, so the later meeting
never keeps the lower numbers. A protocol whose numbers are fixed (justerat, a § in it justerad
omedelbart, or entered afterwards from an earlier system) is never renumbered; if date order would
require it, closing the earlier meeting is refused with the reason.

A renumbered protocol still under justering has every signature given withdrawn (the signers
approved a text that no longer exists) and its signers are asked again.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Body, Municipality, User
from cases.services import CaseError
from cases.services.notifications import notify
from cases.services.organisation import organisation_event_record

from .models import (
    AgendaItem,
    ExtractStatus,
    ItemKind,
    Meeting,
    MeetingEvent,
    MeetingStatus,
    ParagraphCounter,
    StandingAgenda,
)

FORMATS = ("§ {number}", "§ {number}/{yy}")


def format_paragraph(number: int, *, fmt: str, year: int) -> str:
    return fmt.format(number=number, yy=f"{year % 100:02d}", year=year)


def paragraph_label(item: AgendaItem) -> str:
    if item.paragraph is None:
        return ""
    meeting = item.meeting
    year = timezone.localtime(meeting.starts_at).year
    return format_paragraph(item.paragraph, fmt=meeting.municipality.paragraph_format, year=year)


def paragraph_range(meeting: Meeting, numbers: list[int]) -> str:
    """``§§ 12–18`` (or ``§ 12/24–§ 18/24``) for the protocol's first page; blank when unnumbered."""
    if not numbers:
        return ""
    fmt, year = meeting.municipality.paragraph_format, timezone.localtime(meeting.starts_at).year
    if fmt == "§ {number}":
        return f"§§ {min(numbers)}–{max(numbers)}"
    return f"{format_paragraph(min(numbers), fmt=fmt, year=year)}–{format_paragraph(max(numbers), fmt=fmt, year=year)}"


def numbered_items(meeting: Meeting) -> list[AgendaItem]:
    """The items that take a § in this meeting, in agenda order: stående punkter only if the body numbers them."""
    items = meeting.items.order_by("ordering").exclude(numbered=False)  # a standing item made unnumbered
    if not meeting.body.number_standing_items:
        items = items.exclude(kind=ItemKind.STANDING)
    return list(items)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _counter(body: Body, year: int) -> ParagraphCounter:
    """The body's counter row for the year, locked until the end of the transaction."""
    table = ParagraphCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (municipality_id, body_id, year, last_number, first_number)
            VALUES (%s, %s, %s, 0, 1) ON CONFLICT (body_id, year) DO NOTHING
            """,  # noqa: S608 - the table name comes from the model
            [body.municipality_id, body.pk, year],
        )
    counter: ParagraphCounter = ParagraphCounter.objects.select_for_update().get(body=body, year=year)
    return counter


def is_pinned(meeting: Meeting) -> bool:
    """A protocol whose §-numbers may never change again."""
    return (
        meeting.status == MeetingStatus.JUSTERAT
        or meeting.entered_afterwards
        or meeting.items.filter(extract__status=ExtractStatus.JUSTERAT).exists()
    )


def log(meeting: Meeting, action: str, *, by: User | None, **data: object) -> None:
    MeetingEvent.objects.create(
        municipality_id=meeting.municipality_id, meeting=meeting, action=action, actor=by, data=data
    )


def paragraphs_assign(meeting: Meeting, *, by: User | None = None) -> None:
    """Number ``meeting`` (inside the caller's transaction), and move later meetings of the same
    body and year that already have numbers so the numbers keep following the meetings' dates."""
    year = timezone.localtime(meeting.starts_at).year
    counter = _counter(meeting.body, year)
    start, end = _year_bounds(year)
    numbered = set(
        AgendaItem.objects.filter(
            meeting__body=meeting.body,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
            paragraph__isnull=False,
        ).values_list("meeting_id", flat=True)
    )
    meetings = (
        Meeting.objects.filter(
            body=meeting.body, starts_at__gte=start, starts_at__lt=end, pk__in=numbered | {meeting.pk}
        )
        .select_related("body")
        .order_by("starts_at", "pk")
    )
    last = counter.first_number - 1
    for other in meetings:
        if is_pinned(other):
            bounds = other.items.aggregate(lo=Min("paragraph"), hi=Max("paragraph"))
            if bounds["lo"] is not None and bounds["lo"] <= last:
                raise CaseError(
                    _(
                        "Paragraferna kan inte numreras i datumordning: protokollet från %(date)s har redan "
                        "§ %(lo)s–%(hi)s och dess nummer får inte ändras (det är justerat eller har en omedelbart "
                        "justerad paragraf)."
                    )
                    % {
                        "date": timezone.localtime(other.starts_at).date().isoformat(),
                        "lo": bounds["lo"],
                        "hi": bounds["hi"],
                    }
                )
            last = max(last, bounds["hi"] or last)
            if other.pk == meeting.pk:  # items added after a § was justerad omedelbart take the next numbers
                for item in numbered_items(meeting):
                    if item.paragraph is None:
                        last += 1
                        item.paragraph = last
                        item.save(update_fields=["paragraph"])
            continue
        items = numbered_items(other) if other.pk == meeting.pk else list(other.items.filter(paragraph__isnull=False))
        moved = []
        for item in items:
            last += 1
            if item.paragraph != last:
                moved.append([item.title, item.paragraph, last])
                item.paragraph = last
                item.save(update_fields=["paragraph"])
        if other.pk == meeting.pk:
            log(meeting, "paragraphs.numbered", by=by, first=items[0].paragraph if items else None, last=last)
        elif moved:
            _renumbered(other, moved=moved, by=by)
    counter.last_number = max(last, counter.last_number)
    counter.save(update_fields=["last_number"])


def _renumbered(meeting: Meeting, *, moved: list[list[object]], by: User | None) -> None:
    """A later meeting closed first moves up; under justering its signatures given so far are withdrawn."""
    from .models import Signature

    withdrawn: list[str] = []
    if meeting.status == MeetingStatus.JUSTERING:
        signed = list(meeting.signatures.filter(signed_at__isnull=False).select_related("person"))
        withdrawn = [str(s.person) for s in signed]
        Signature.objects.filter(meeting=meeting).update(user=None, signed_at=None, protocol_hash="")
        rounds = MeetingEvent.objects.filter(meeting=meeting, action="paragraphs.renumbered").count() + 1
        notify(
            [s.person.user for s in meeting.signatures.select_related("person__user") if s.person.user],
            key=f"meeting:{meeting.pk}:renumbered:{rounds}",
            subject=_("Paragraferna har numrerats om: %(body)s %(date)s")
            % {"body": meeting.body.name, "date": timezone.localtime(meeting.starts_at).date().isoformat()},
            body=_(
                "Ett tidigare sammanträde har fått sina paragrafer, så det här protokollets §-nummer har flyttats. "
                "Justera protokollet på nytt."
            ),
            url=reverse("meetings:sign", args=[meeting.uuid]),
            municipality_id=meeting.municipality_id,
        )
    log(meeting, "paragraphs.renumbered", by=by, moved=moved, withdrawn=withdrawn)
    if meeting.status == MeetingStatus.JUSTERING:
        from cases.pdf import pdf_request

        pdf_request(municipality=meeting.body.municipality, kind="protocol", key=str(meeting.uuid))


@transaction.atomic
def paragraph_format_set(municipality: Municipality, *, fmt: str, by: User) -> Municipality:
    """The municipal administrator chooses how §-numbers are written."""
    if fmt not in FORMATS:
        raise CaseError(_("Okänt format för paragrafnummer."))
    if municipality.paragraph_format != fmt:
        before = municipality.paragraph_format
        municipality.paragraph_format = fmt
        municipality.save(update_fields=["paragraph_format"])
        organisation_event_record(
            municipality, action="numbering.format", target=municipality.name, by=by, before=before, after=fmt
        )
    return municipality


@transaction.atomic
def paragraph_start_set(body: Body, *, year: int, first_number: int, by: User) -> ParagraphCounter:
    """Continue from an earlier system: the body's first § of ``year``. Only before any § of that
    year is given here, so no number ever changes meaning."""
    if first_number < 1:
        raise CaseError(_("Första paragrafnumret måste vara minst 1."))
    counter = _counter(body, year)
    start, end = _year_bounds(year)
    if AgendaItem.objects.filter(
        meeting__body=body, meeting__starts_at__gte=start, meeting__starts_at__lt=end, paragraph__isnull=False
    ).exists():
        raise CaseError(
            _("%(body)s har redan paragrafer %(year)s; startnumret kan bara sättas innan den första ges.")
            % {"body": body.name, "year": year}
        )
    counter.first_number = first_number
    counter.last_number = first_number - 1
    counter.save(update_fields=["first_number", "last_number"])
    organisation_event_record(
        body.municipality, action="numbering.start", target=body.name, by=by, year=year, first=first_number
    )
    return counter


@transaction.atomic
def standing_items_numbering_set(body: Body, *, numbered: bool, by: User) -> Body:
    if body.number_standing_items != numbered:
        body.number_standing_items = numbered
        body.save(update_fields=["number_standing_items"])
        # One decision, two pages (numbering and standing items): the body's list follows it.
        StandingAgenda.objects.filter(body=body).update(numbered=numbered)
        organisation_event_record(
            body.municipality, action="numbering.standing", target=body.name, by=by, numbered=numbered
        )
    return body
