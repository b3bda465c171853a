from __future__ import annotations

from celery import shared_task

from cases.models import each_municipality, run_in_tenant

from .models import AgendaItem, Meeting


@shared_task
def expedite_meeting(meeting_id: int) -> int:
    """Fan out: one task per § with a case."""
    from .expedite import meeting_items_to_expedite

    def items(pk: int) -> list[int]:
        return meeting_items_to_expedite(Meeting.objects.get(pk=pk))

    item_ids = run_in_tenant(Meeting, meeting_id, items) or []
    for item_id in item_ids:
        expedite_item.delay(item_id)
    return len(item_ids)


@shared_task
def expedite_item(item_id: int) -> bool:
    from .expedite import item_expedite

    return bool(run_in_tenant(AgendaItem, item_id, item_expedite))


@shared_task
def sweep_anslag() -> int:
    from .services import anslag_sweep

    return sum(anslag_sweep() for _municipality in each_municipality())
