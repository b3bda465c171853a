"""The report on undecided motions (KL 5 kap. 35 §) on kommunstyrelsen's or fullmäktige's agenda.

The secretary chooses a planned meeting of KS or KF and a cut-off date. In one transaction the
body's report case of the year is found or registered (in the body's own diarium series, so the
body's agenda takes it), the item is added and the worker is asked (outbox) to render the report,
register the PDF in the case and make it the item's beslutsunderlag."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import clock
from cases import services as case_services
from cases.models import Body, BodyKind, Case, CaseStatus, User
from cases.outbox import outbox_enqueue
from cases.services import CaseError
from motions.pdf import report_title
from motions.report import report_case_title, report_document_register

from .agenda import agenda_add_case, agenda_item_update
from .models import Meeting, MeetingStatus, MotionReport, MotionReportStatus
from .permissions import can_edit_protocol
from .services import ensure_may_manage

REPORT_BODIES = (BodyKind.BOARD, BodyKind.COUNCIL)
OPEN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.CALLED)


def meetings_for_motion_report(user: User) -> list[Meeting]:
    """Coming meetings of KS and KF, planned or called, whose agenda the user may change."""
    start_of_today = timezone.make_aware(datetime.combine(clock.today(), time.min))
    meetings = (
        Meeting.objects.filter(body__kind__in=REPORT_BODIES, status__in=OPEN_STATUSES, starts_at__gte=start_of_today)
        .select_related("body")
        .order_by("starts_at", "pk")
    )
    return [m for m in meetings if can_edit_protocol(user, m)]


def _report_case(body: Body, *, by: User) -> Case:
    """The body's case for this year's reports, registered on first use (one per body and year)."""
    Body.objects.select_for_update().filter(pk=body.pk).first()  # two first uses at once register one case
    year = clock.today().year
    earlier = (
        MotionReport.objects.filter(case__body=body, case__year=year, case__status=CaseStatus.OPEN)
        .select_related("case")
        .order_by("pk")
        .first()
    )
    if earlier is not None:
        return earlier.case
    return case_services.case_register(municipality=body.municipality, title=report_case_title(year), body=body, by=by)


def _already_on_agenda(cutoff: date) -> CaseError:
    return CaseError(
        _("Redovisningen per %(date)s finns redan på föredragningslistan till det här sammanträdet.")
        % {"date": cutoff.isoformat()}
    )


def motion_report_to_agenda(meeting: Meeting, *, cutoff: date, by: User) -> MotionReport:
    """Put the report per ``cutoff`` on the meeting's agenda; the worker registers its PDF."""
    from .tasks import motion_report_file

    ensure_may_manage(meeting, by=by)
    if meeting.body.kind not in REPORT_BODIES:
        raise CaseError(_("Redovisningen av ej avgjorda motioner går till kommunstyrelsen eller fullmäktige."))
    if meeting.status not in OPEN_STATUSES:
        raise CaseError(_("Välj ett sammanträde som är planerat eller kallat och ännu inte har hållits."))
    title = report_title(cutoff)
    try:
        with transaction.atomic():
            if MotionReport.objects.filter(meeting=meeting, cutoff=cutoff).exists():
                raise _already_on_agenda(cutoff)
            other = MotionReport.objects.filter(meeting=meeting).first()
            if other is not None:
                raise CaseError(
                    _("Sammanträdet har redan redovisningen per %(date)s på föredragningslistan.")
                    % {"date": other.cutoff.isoformat()}
                )
            case = _report_case(meeting.body, by=by)
            item = agenda_add_case(meeting, case=case, by=by)
            item = agenda_item_update(item, title=title, by=by)
            report = MotionReport.objects.create(
                municipality_id=meeting.municipality_id,
                cutoff=cutoff,
                meeting=meeting,
                item=item,
                case=case,
                requested_by=by,
            )
            case_services.event_record(
                case,
                action="motion_report.on_agenda",
                by=by,
                date=cutoff.isoformat(),
                body=meeting.body.name,
                meeting=timezone.localtime(meeting.starts_at).date().isoformat(),
            )
            outbox_enqueue(motion_report_file, report.pk, municipality_id=meeting.municipality_id)
    except IntegrityError as error:  # the same report put on the same meeting at the same moment
        raise _already_on_agenda(cutoff) from error
    return report


def motion_report_register(report_id: int) -> bool:
    """Worker step: render the report, register the PDF in the case and make it the item's
    beslutsunderlag. Idempotent: a report whose document is registered is left as it is."""
    with transaction.atomic():
        report = (
            MotionReport.objects.select_for_update(of=("self",))
            .select_related("case__municipality", "item__meeting__body", "requested_by")
            .get(pk=report_id)
        )
        if report.document_id is not None:
            return False
        document = report_document_register(report.case, cutoff=report.cutoff, by=report.requested_by)
        item = report.item
        agenda_item_update(
            item,
            title=item.title,
            description=item.description,
            secrecy=item.secrecy,
            documents=[*item.documents.all(), document],
            by=report.requested_by,
        )
        report.document = document
        report.status = MotionReportStatus.DONE
        report.error = ""
        report.save(update_fields=["document", "status", "error"])
    return True


def motion_report_failed(report_id: int, reason: str) -> None:
    """The worker gave up: the report page says so, with the reason, instead of waiting forever."""
    MotionReport.objects.filter(pk=report_id, document=None).update(status=MotionReportStatus.FAILED, error=reason)
