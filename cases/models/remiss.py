"""Remisser: a body asks another body for its yttrande on a case, by a deadline."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .diarium import Case, Document
from .organisation import Body
from .tenancy import TenantModel, scoped_manager


class RemissStatus(models.TextChoices):
    SENT = "sent", _("skickad")
    RECEIVED = "received", _("mottagen")
    ANSWERED = "answered", _("besvarad")
    OVERDUE = "overdue", _("försenad")
    WITHDRAWN = "withdrawn", _("återkallad")
    FAILED = "failed", _("kunde inte skickas")


PENDING = (RemissStatus.SENT, RemissStatus.RECEIVED, RemissStatus.OVERDUE)


class RemissQuerySet(models.QuerySet["Remiss"]):
    def pending(self) -> RemissQuerySet:
        return self.filter(status__in=PENDING)

    def for_board(self) -> RemissQuerySet:
        return self.select_related("case", "from_body", "to_body", "response_case", "answer")


class Remiss(TenantModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="remisser", verbose_name=_("ärende"))
    from_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="remisser_sent", verbose_name=_("remitterande organ")
    )
    to_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="remisser_received", verbose_name=_("remissinstans")
    )
    deadline = models.DateField(_("svarsdatum"))
    cover_note = models.TextField(_("missiv"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RemissStatus.choices, default=RemissStatus.SENT)
    sent_at = models.DateTimeField(_("skickad"), default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    response_case = models.OneToOneField(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remiss_received",
        verbose_name=_("mottagarens ärende"),
    )
    answer_source = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("svarshandling hos remissinstansen"),
    )
    answer_attachments = models.ManyToManyField(
        Document,
        blank=True,
        related_name="+",
        help_text="Further handlingar of the receiving case sent with the answer (the yttrande itself beside "
        "the protokollsutdrag); each lands in the sending case too.",
    )
    answer = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("remissvar i ursprungsärendet"),
    )
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True)
    # Set when the worker gave up routing: shown to the sender beside "kunde inte skickas".
    failure_reason = models.TextField(_("orsak"), blank=True)
    # Committed but not yet handed to the queue (Redis unreachable): "köad, skickas när systemet är tillbaka".
    awaiting_queue = models.BooleanField(default=False)

    objects: ClassVar[Any] = scoped_manager(RemissQuerySet)

    class Meta:
        verbose_name = _("remiss")
        verbose_name_plural = _("remisser")
        ordering = ["deadline", "to_body__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "to_body"],
                condition=~models.Q(status__in=["withdrawn", "failed"]),
                name="remiss_one_active_per_body",
            ),
            models.CheckConstraint(condition=~models.Q(from_body=models.F("to_body")), name="remiss_not_to_self"),
        ]
        indexes = [
            # The routing step's queue: the remisser sent and not routed yet (cases.services.remiss.remiss_route).
            models.Index(
                fields=["municipality", "id"],
                condition=models.Q(response_case__isnull=True, status__in=["sent", "overdue"]),
                name="remiss_unrouted",
            ),
        ]

    def __str__(self) -> str:
        return f"Remiss {self.case.diarienummer} till {self.to_body}"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    def can_be_answered(self) -> bool:
        return self.status in (RemissStatus.RECEIVED, RemissStatus.OVERDUE) and self.answer_source_id is None
