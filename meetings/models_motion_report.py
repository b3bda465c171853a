"""The report on undecided motions (KL 5 kap. 35 §) as an item on a KS or KF agenda: imported by
models.py so Django knows it; kept apart so the meetings models stay one concern per module."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Document, TenantModel


class MotionReportStatus(models.TextChoices):
    PENDING = "pending", _("skapas")
    DONE = "done", _("registrerad")
    FAILED = "failed", _("misslyckades")


class MotionReport(TenantModel):
    """The report per a cut-off date on a meeting's agenda: the item, the body's report case it stands
    in, and the PDF registered in that case as the item's beslutsunderlag (by the worker)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cutoff = models.DateField(_("per datum"))
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="motion_reports")
    item = models.OneToOneField(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="motion_report", verbose_name=_("punkt")
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name=_("ärende"))
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("handling")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MotionReportStatus.choices, default=MotionReportStatus.PENDING
    )
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("redovisning av ej avgjorda motioner")
        verbose_name_plural = _("redovisningar av ej avgjorda motioner")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "cutoff"], name="motion_report_once_per_meeting_and_cutoff")
        ]

    def __str__(self) -> str:
        return f"{self.case.diarienummer} per {self.cutoff.isoformat()}"
