"""Thin Celery wrappers: take primary keys, find the tenant, call the service.

Acknowledgement is late for every task (settings: CELERY_TASK_ACKS_LATE, ..._REJECT_ON_WORKER_LOST),
so a task whose worker dies is run again; the services make a second run change nothing.
"""

from __future__ import annotations

from celery import shared_task
from django_scopes import scope, scopes_disabled

from .models import Municipality, Notification, Remiss


def _municipality_of(model: type, pk: int) -> int | None:
    with scopes_disabled():
        return model.objects.filter(pk=pk).values_list("municipality_id", flat=True).first()  # type: ignore[attr-defined,no-any-return]


@shared_task
def route_remiss(remiss_id: int) -> bool:
    from .services.remiss import remiss_route

    municipality_id = _municipality_of(Remiss, remiss_id)
    if municipality_id is None:
        return False
    with scope(municipality=municipality_id):
        return remiss_route(remiss_id)


@shared_task
def route_remiss_answer(remiss_id: int) -> bool:
    from .services.remiss import remiss_route_answer

    municipality_id = _municipality_of(Remiss, remiss_id)
    if municipality_id is None:
        return False
    with scope(municipality=municipality_id):
        return remiss_route_answer(remiss_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def notification_email(notification_id: int) -> bool:
    from .services.notifications import notification_email_send

    municipality_id = _municipality_of(Notification, notification_id)
    if municipality_id is None:
        return False
    with scope(municipality=municipality_id):
        return notification_email_send(notification_id)


@shared_task
def check_remiss_deadlines() -> dict[str, int]:
    """Celery beat, daily: reminders before deadlines and försenad after them, per municipality."""
    from .services.remiss import remiss_deadlines_check

    totals = {"reminded": 0, "overdue": 0}
    for municipality in Municipality.objects.all():
        with scope(municipality=municipality):
            for key, value in remiss_deadlines_check().items():
                totals[key] += value
    return totals


@shared_task
def render_pdf(pdf_id: int) -> bool:
    from .models import RenderedPdf
    from .pdf import pdf_render

    municipality_id = _municipality_of(RenderedPdf, pdf_id)
    if municipality_id is None:
        return False
    with scope(municipality=municipality_id):
        return pdf_render(pdf_id)
