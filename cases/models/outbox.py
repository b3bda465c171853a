"""The transactional outbox: every side effect is first a row, written in the same transaction as
the change that asks for it. The broker message is only a hint to start early; the row is the
promise. See cases/outbox.py and docs/background.md."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .tenancy import Municipality


class OutboxMessage(models.Model):
    """One task to run, until a worker marks it done in the transaction that does its work.

    Not scoped: the sweep reads across municipalities; the task itself activates the scope.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    task = models.CharField(max_length=120)
    args = models.JSONField(default=list)
    object_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The sweep publishes the row again once this has passed without the row being done.
    available_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # The person whose action enqueued the task: the worker acts on their behalf (docs/audit.md).
    on_behalf_of_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["available_at"],
                condition=models.Q(done_at=None, failed_at=None),
                name="outbox_open_idx",
            ),
            models.Index(fields=["task", "object_id"], name="outbox_object_idx"),
            models.Index(fields=["done_at"], name="outbox_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{self.args}"
