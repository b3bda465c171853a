"""The transactional outbox: side effects that survive a lost message, a dead Redis, a database
blip or a killed worker.

``outbox_enqueue(task, pk, municipality_id=…)`` writes a row in the caller's transaction and, once
that commits, tries to publish the task to Redis. The worker marks the row done in the transaction
that does the work (TenantTask). ``outbox_sweep`` (Celery beat, every 15 s) publishes again every
row that is not done ``OUTBOX_RETRY_AFTER`` seconds after it was last published, and gives up on a
row after ``OUTBOX_MAX_ATTEMPTS`` publications (the task's ``give_up`` hook then leaves a visible
failed state). The broker message is a prompt to start early; the row is the promise.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.context import current_actor

from .models import OutboxMessage

logger = logging.getLogger(__name__)


def _message(task: Any, pk: int, *, municipality_id: int | None) -> OutboxMessage:
    """An unsaved row recording the intent to run ``task(pk)`` on behalf of whoever acts now."""
    actor = current_actor()
    return OutboxMessage(
        municipality_id=municipality_id,
        on_behalf_of_id=actor.user_id or actor.on_behalf_of_id,
        task=task.name,
        args=[pk],
        object_id=pk,
        available_at=timezone.now() + timedelta(seconds=settings.OUTBOX_RETRY_AFTER),
    )


def outbox_enqueue(task: Any, pk: int, *, municipality_id: int | None) -> OutboxMessage:
    """Record the intent to run ``task(pk)`` in the current transaction; publish after commit."""
    message = _message(task, pk, municipality_id=municipality_id)
    message.save(force_insert=True)
    transaction.on_commit(lambda: outbox_publish(message))
    return message


def outbox_enqueue_many(
    task: Any, pks: list[int], *, municipality_id: int | None, prompt_first_only: bool = False
) -> list[OutboxMessage]:
    """``outbox_enqueue`` for several objects in one INSERT (a notification per person).

    ``prompt_first_only``: publish only the first row, for a task that does the others' work too and
    marks their rows done (the routing of a send's remisser); the others are published by the sweep
    only if that has not happened ``OUTBOX_RETRY_AFTER`` seconds later."""
    if not pks:
        return []
    messages = OutboxMessage.objects.bulk_create([_message(task, pk, municipality_id=municipality_id) for pk in pks])
    prompts = messages[:1] if prompt_first_only else messages

    def publish() -> None:
        for message in prompts:
            outbox_publish(message)

    transaction.on_commit(publish)
    return messages


def outbox_publish(message: OutboxMessage) -> bool:
    """Hand the row to the broker. A broker that cannot be reached is logged, never raised: the row
    is committed and the sweep publishes it when the broker is back."""
    from .taskbase import ON_BEHALF_KWARG, OUTBOX_KWARG

    task = current_app.tasks[message.task]
    try:
        task.apply_async(
            args=message.args,
            kwargs={OUTBOX_KWARG: message.pk, ON_BEHALF_KWARG: message.on_behalf_of_id},
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        )
    except Exception as error:  # noqa: BLE001 - whatever the broker raises, the row stays for the sweep
        logger.warning("outbox %s (%s%s) not published: %s", message.pk, message.task, message.args, error)
        OutboxMessage.objects.filter(pk=message.pk).update(last_error=f"kö: {error}"[:500])
        if message.object_id is not None and hasattr(task, "on_queue_unavailable"):
            task.on_queue_unavailable(message.object_id)
        return False
    return True


def outbox_done(message_id: int) -> None:
    """Called by the worker inside the transaction that does the work."""
    OutboxMessage.objects.filter(pk=message_id, done_at=None).update(done_at=timezone.now(), last_error="")


def outbox_postpone(message_id: int, *, seconds: float, error: str) -> None:
    """A retry is scheduled: keep the sweep from publishing the row again meanwhile (best effort)."""
    try:
        OutboxMessage.objects.filter(pk=message_id, done_at=None).update(
            available_at=timezone.now() + timedelta(seconds=seconds + settings.OUTBOX_RETRY_AFTER), last_error=error
        )
    except Exception:  # noqa: BLE001 - the database may be the thing that failed
        logger.warning("outbox %s: could not postpone", message_id)


def outbox_failed(message_id: int, *, error: str) -> None:
    OutboxMessage.objects.filter(pk=message_id, done_at=None).update(failed_at=timezone.now(), last_error=error)


def outbox_sweep(*, limit: int = 500) -> dict[str, int]:
    """Publish again what was not done in time; give up on what has been tried too often; forget
    rows done more than ``OUTBOX_KEEP_DAYS`` ago."""
    now = timezone.now()
    counts = {"published": 0, "failed": 0, "unpublished": 0}
    old = OutboxMessage.objects.filter(done_at__lt=now - timedelta(days=settings.OUTBOX_KEEP_DAYS))
    OutboxMessage.objects.filter(pk__in=old.values("pk")[:limit]).delete()
    with transaction.atomic():
        due = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(done_at=None, failed_at=None, available_at__lte=now)
            .order_by("available_at")[:limit]
        )
        retry = [m for m in due if m.attempts < settings.OUTBOX_MAX_ATTEMPTS]
        exhausted = [m for m in due if m.attempts >= settings.OUTBOX_MAX_ATTEMPTS]
        for message in retry:
            message.attempts += 1
            message.available_at = now + timedelta(seconds=settings.OUTBOX_RETRY_AFTER)
        OutboxMessage.objects.bulk_update(retry, ["attempts", "available_at"])
    for message in exhausted:
        reason = f"gav upp efter {message.attempts} försök: {message.last_error}".strip().rstrip(":")
        current_app.tasks[message.task].give_up_on(message.object_id, reason, message.pk)
        counts["failed"] += 1
    for message in retry:
        if outbox_publish(message):
            counts["published"] += 1
        else:
            counts["unpublished"] += 1
    return counts
