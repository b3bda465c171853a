"""What the reading room remembers: when a reader last looked at a meeting, the meeting packages
built for readers, and the förhinder members report."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import PdfStatus, Person, TenantModel
from meetings.models import AgendaItem, Meeting


class MeetingVisit(TenantModel):
    """A reader's last look at a meeting, so Mina sammanträden can say what is new since."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="visits")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "meeting"], name="meeting_visit_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.meeting_id} {self.seen_at:%Y-%m-%d %H:%M}"


class MeetingPackage(TenantModel):
    """One reader's meeting package: kallelse, föredragningslista and every item's handlingar in one
    PDF with a bookmark per item, built by the worker (reading/package.py). It is per reader because
    it holds only the secret handlingar that reader may read."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packages")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="sammantradespaket/%Y/", blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "meeting"], name="meeting_package_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.user_id} {self.status}"

    @property
    def percent(self) -> int:
        return int(100 * self.steps_done / self.steps_total) if self.steps_total else 0


class Absence(TenantModel):
    """Anmält förhinder: a member cannot attend the whole meeting or some of its items (e.g. for jäv).
    The secretary calls an ersättare in, who is notified and reads the meeting (reading/absence.py)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="absences")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    whole_meeting = models.BooleanField(default=True)
    items = models.ManyToManyField(AgendaItem, blank=True, related_name="+")
    reason = models.CharField(_("orsak"), max_length=200, blank=True)
    reported_at = models.DateTimeField(default=timezone.now)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    substitute = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    called_at = models.DateTimeField(null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["reported_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="absence_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.meeting_id}"


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
