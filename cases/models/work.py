"""Infrastructure rows of the core: notifications, routing idempotency keys and rendered PDFs."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tenancy import TenantModel, scoped_manager


class Notification(TenantModel):
    """One message to one person about one event: the in-app inbox, and the e-mail sent for it.

    ``key`` names the event (``remiss:12:received``); the unique constraint makes a second
    notification of the same person about the same event impossible, so a task that runs
    twice never floods anyone.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=120)
    subject = models.CharField(_("ämne"), max_length=200)
    body = models.TextField(_("meddelande"))
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Why the e-mail could not be sent after the last retry (empty while sending or sent).
    email_error = models.TextField(blank=True)

    objects: ClassVar[Any] = scoped_manager()

    class Meta:
        verbose_name = _("avisering")
        verbose_name_plural = _("aviseringar")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return self.subject


class RoutingStep(models.Model):
    """An idempotency key per routing step, claimed in the same transaction as the step's work.

    A task that runs twice (redelivered after a worker died) finds its key taken and does nothing.
    """

    key = models.CharField(max_length=120, unique=True)
    done_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key


class PdfStatus(models.TextChoices):
    PENDING = "pending", _("skapas")
    DONE = "done", _("klar")
    FAILED = "failed", _("misslyckades")


class RenderedPdf(TenantModel):
    """A PDF rendered by the worker. Re-rendered only when the HTML it comes from changes."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=120, help_text="What the PDF is of, e.g. a case ref or a report date.")
    status = models.CharField(max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING)
    source_hash = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to="pdf/%Y/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_count = models.PositiveIntegerField(default=0)

    objects: ClassVar[Any] = scoped_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "kind", "key"], name="rendered_pdf_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
