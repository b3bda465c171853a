"""Thin Celery wrappers: take primary keys, find the tenant, call the service.

Acknowledgement is late for every task (settings: CELERY_TASK_ACKS_LATE, ..._REJECT_ON_WORKER_LOST),
so a task whose worker dies is run again; the services make a second run change nothing.
"""

from __future__ import annotations

from celery import shared_task

from .models import Notification, Remiss, RenderedPdf, each_municipality, run_in_tenant


@shared_task
def route_remiss(remiss_id: int) -> bool:
    from .services.remiss import remiss_route

    return bool(run_in_tenant(Remiss, remiss_id, remiss_route))


@shared_task
def route_remiss_answer(remiss_id: int) -> bool:
    from .services.remiss import remiss_route_answer

    return bool(run_in_tenant(Remiss, remiss_id, remiss_route_answer))


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def notification_email(notification_id: int) -> bool:
    from .services.notifications import notification_email_send

    return bool(run_in_tenant(Notification, notification_id, notification_email_send))


@shared_task
def check_remiss_deadlines() -> dict[str, int]:
    """Celery beat, daily: reminders before deadlines and försenad after them, per municipality."""
    from .services.remiss import remiss_deadlines_check

    totals = {"reminded": 0, "overdue": 0}
    for _municipality in each_municipality():
        for key, value in remiss_deadlines_check().items():
            totals[key] += value
    return totals


@shared_task
def render_pdf(pdf_id: int) -> bool:
    from .pdf import pdf_render

    return bool(run_in_tenant(RenderedPdf, pdf_id, pdf_render))
