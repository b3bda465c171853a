"""Thin Celery wrappers: take primary keys and call the service; TenantTask (taskbase.py) finds the
tenant, retries transient errors and, when a task finally fails, leaves a visible failed state.

Acknowledgement is late for every task (settings: CELERY_TASK_ACKS_LATE, ..._REJECT_ON_WORKER_LOST),
and every object task is also an outbox row (outbox.py) that the sweep publishes again until a
worker marks it done; the services make a second run change nothing.
"""

from __future__ import annotations

from celery import shared_task

from .models import Document, Notification, Remiss, RenderedPdf
from .taskbase import TenantTask


@shared_task(
    base=TenantTask,
    model=Remiss,
    give_up="cases.services.remiss.remiss_routing_failed",
    queue_unavailable="cases.services.remiss.remiss_awaiting_queue",
)
def route_remiss(remiss_id: int) -> bool:
    from .services.remiss import remiss_route

    return remiss_route(remiss_id)


@shared_task(base=TenantTask, model=Remiss, give_up="cases.services.remiss.remiss_answer_routing_failed")
def route_remiss_answer(remiss_id: int) -> bool:
    from .services.remiss import remiss_route_answer

    return remiss_route_answer(remiss_id)


@shared_task(base=TenantTask, model=Notification, give_up="cases.services.notifications.notification_email_failed")
def notification_email(notification_id: int) -> bool:
    from .services.notifications import notification_email_send

    return notification_email_send(notification_id)


@shared_task(base=TenantTask, bind=True)
def check_remiss_deadlines(self: TenantTask) -> dict[str, int]:
    """Celery beat, daily: reminders before deadlines and försenad after them, per municipality."""
    from .services.remiss import remiss_deadlines_check

    totals = {"reminded": 0, "overdue": 0}
    for _municipality in self.municipalities():
        for key, value in remiss_deadlines_check().items():
            totals[key] += value
    return totals


@shared_task(base=TenantTask, model=RenderedPdf, give_up="cases.pdf.pdf_render_failed")
def render_pdf(pdf_id: int) -> bool:
    from .pdf import pdf_render

    return pdf_render(pdf_id)


@shared_task(base=TenantTask, model=Document, give_up="cases.textextract.document_text_failed")
def extract_document_text(document_id: int) -> bool:
    """At registration: the handling's text for search, and a PDF for a DOCX or ODT file."""
    from .textextract import document_text_extract

    return document_text_extract(document_id)


@shared_task(base=TenantTask)
def outbox_sweep() -> dict[str, int]:
    """Celery beat, every 15 s: publish again every outbox row not done in time (outbox.py)."""
    from .outbox import outbox_sweep as sweep

    return sweep()
