from __future__ import annotations

from celery import shared_task

from cases.taskbase import TenantTask

from .models import AgendaItem, Meeting, MotionReport


@shared_task(base=TenantTask, model=Meeting, give_up="meetings.expedite.meeting_expedite_failed")
def expedite_meeting(meeting_id: int) -> int:
    """Fan out: one task per § with a case, each an outbox row committed with this task's done mark."""
    from cases.outbox import outbox_enqueue

    from .expedite import meeting_items_to_expedite

    meeting = Meeting.objects.get(pk=meeting_id)
    item_ids = meeting_items_to_expedite(meeting)
    for item_id in item_ids:
        outbox_enqueue(expedite_item, item_id, municipality_id=meeting.municipality_id)
    return len(item_ids)


@shared_task(base=TenantTask, model=AgendaItem, give_up="meetings.expedite.item_expedite_failed")
def expedite_item(item_id: int) -> bool:
    from .expedite import item_expedite

    return item_expedite(item_id)


@shared_task(base=TenantTask, model=AgendaItem, give_up="meetings.expedite.item_expedite_failed")
def mail_extract(item_id: int) -> bool:
    from .expedite import extract_mail_send

    return extract_mail_send(item_id)


@shared_task(base=TenantTask, bind=True)
def sweep_anslag(self: TenantTask) -> dict[str, int]:
    """Daily (beat schedule): the evidence that each notice is up, the day each came down, late anslag."""
    from .anslag import anslag_daily

    total = {"up": 0, "removed": 0, "late": 0}
    for _municipality in self.municipalities():
        for key, count in anslag_daily().items():
            total[key] += count
    return total


@shared_task(base=TenantTask, model=MotionReport, give_up="meetings.motion_report.motion_report_failed")
def motion_report_file(report_id: int) -> bool:
    """Render the report on undecided motions, register it in its case, attach it to the item."""
    from .motion_report import motion_report_register

    return motion_report_register(report_id)
