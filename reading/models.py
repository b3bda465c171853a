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


class NoteSource(models.TextChoices):
    """Where a highlight sits: nowhere (a note on the item or the meeting), the item's paper, a PDF."""

    NONE = "", "ingen markering"
    PAPER = "paper", "tjänsteutlåtande eller yttrande"
    DOCUMENT = "document", "handling"


class Note(TenantModel):
    """A förtroendevald's own note on a meeting, an item or a highlighted passage (reading/notes.py).

    Private to its author unless shared with the author's party group in the meeting's body. Not an
    allmän handling: never in the diarium, an export, the admin or a log (events name the note, not
    its text). The ``uuid`` is made by the browser, so a note written offline and sent twice is one
    note. A highlight is held as a W3C TextQuoteSelector (``exact`` with ``prefix`` and ``suffix``)
    and placed again in whatever version of the handling the page shows.
    """

    uuid = models.UUIDField(unique=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("meetings.AgendaItem", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=10, choices=NoteSource.choices, blank=True, default=NoteSource.NONE)
    document = models.ForeignKey("cases.Document", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    exact = models.TextField(blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    text = models.TextField(blank=True)
    shared = models.BooleanField(default=False)
    party = models.CharField(max_length=10, blank=True, help_text="The author's party in the body when shared.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(shared=True, party=""), name="note_shared_has_party"),
        ]

    def __str__(self) -> str:
        return f"note {self.uuid}"  # never the text: a str() may end up in a log


class NoteEvent(TenantModel):
    """That a note was written, changed, shared or removed: who, when, which note. Never its text."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    note = models.UUIDField()
    action = models.CharField(max_length=40)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.note}"
