"""What the reading room remembers: when a reader last looked at a meeting."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import TenantModel
from meetings.models import Meeting


class MeetingVisit(TenantModel):
    """A reader's last look at a meeting, so Mina sammanträden can say what is new since."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="visits")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "meeting"], name="meeting_visit_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.meeting_id} {self.seen_at:%Y-%m-%d %H:%M}"
