from __future__ import annotations

from celery import shared_task
from django_scopes import scope, scopes_disabled

from .models import AgendaItem, Meeting


@shared_task
def expedite_meeting(meeting_id: int) -> int:
    """Fan out: one task per § with a case."""
    from .expedite import meeting_items_to_expedite

    with scopes_disabled():
        meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    with scope(municipality=meeting.municipality_id):
        items = meeting_items_to_expedite(meeting)
    for item_id in items:
        expedite_item.delay(item_id)
    return len(items)


@shared_task
def expedite_item(item_id: int) -> bool:
    from .expedite import item_expedite

    with scopes_disabled():
        municipality_id = AgendaItem.objects.filter(pk=item_id).values_list("municipality_id", flat=True).first()
    if municipality_id is None:
        return False
    with scope(municipality=municipality_id):
        return item_expedite(item_id)


@shared_task
def sweep_anslag() -> int:
    from cases.models import Municipality

    from .services import anslag_sweep

    total = 0
    for municipality in Municipality.objects.all():
        with scope(municipality=municipality):
            total += anslag_sweep()
    return total
