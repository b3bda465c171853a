"""A meeting of a body, its agenda, what was decided under each §, and the protocol's legal life."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, can_proceed, transition

from cases.models import Body, Case, Document, Person, TenantModel
from papers.models import Draft


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planerat")
    CALLED = "called", _("kallat")
    HELD = "held", _("genomfört, protokoll skrivs")
    JUSTERING = "justering", _("under justering")
    JUSTERAT = "justerat", _("justerat")
    CANCELLED = "cancelled", _("inställt")


class ChairRole(models.TextChoices):
    """Who chairs: the ordförande, a vice, an ålderspresident (the longest-serving member, in
    fullmäktige before a chair is elected) or a member chosen for the meeting."""

    CHAIR = "ordforande", _("ordförande")
    VICE_CHAIR = "vice_ordforande", _("1:e vice ordförande")
    SECOND_VICE_CHAIR = "2_vice_ordforande", _("2:e vice ordförande")
    ALDERSPRESIDENT = "alderspresident", _("ålderspresident")
    ACTING = "tjanstgorande", _("tjänstgörande ordförande")


class Meeting(TenantModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("organ"))
    starts_at = models.DateTimeField(_("tid"))
    place = models.CharField(_("plats"), max_length=200)
    status = FSMField(_("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    chair = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ordförande")
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sekreterare")
    )
    justering_place_time = models.CharField(_("justeringens plats och tid"), max_length=200, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    justerat_at = models.DateTimeField(null=True, blank=True)
    anslag_on = models.DateField(_("anslaget"), null=True, blank=True)
    anslag_removed_on = models.DateField(_("anslaget tas ned tidigast"), null=True, blank=True)
    appeal_ends_on = models.DateField(_("sista dag för överklagande"), null=True, blank=True)
    storage = models.CharField(_("förvaringsplats för protokollet"), max_length=200, blank=True)
    protocol_hash = models.CharField(
        _("kontrollsumma (SHA-256)"), max_length=64, blank=True, help_text="The digest every signer signed."
    )
    kungorelse_exception = models.TextField(_("skäl att hålla sammanträdet utan kungörelse en vecka före"), blank=True)
    chair_role = models.CharField(_("ordförande som"), max_length=20, choices=ChairRole.choices, blank=True)
    end_time = models.TimeField(_("sammanträdet avslutades"), null=True, blank=True)
    cancel_reason = models.TextField(_("skäl till att sammanträdet ställdes in"), blank=True)
    entered_afterwards = models.BooleanField(
        _("inmatat i efterhand"),
        default=False,
        db_default=False,
        help_text="A historic protocol brought over from an earlier system (meetings/historic.py).",
    )

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.body} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    @property
    def is_locked(self) -> bool:
        return self.status == MeetingStatus.JUSTERAT

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    # The lifecycle, in one place (django-fsm-2). The services call these inside their transaction,
    # after their own checks, and save the status with the fields that go with it.

    @transition(field=status, source=MeetingStatus.PLANNED, target=MeetingStatus.CALLED)
    def call(self) -> None:
        """The kallelse goes out once, before anything else happens to the meeting."""

    @transition(
        field=status,
        source=[MeetingStatus.PLANNED, MeetingStatus.CALLED, MeetingStatus.HELD],
        target=MeetingStatus.JUSTERING,
    )
    def close(self) -> None:
        """The protocol goes to justering once; after that only the signers act on it."""

    @transition(field=status, source=MeetingStatus.JUSTERING, target=MeetingStatus.JUSTERAT)
    def justera(self) -> None:
        """The last signer has approved: the protocol is locked."""

    @transition(field=status, source=MeetingStatus.JUSTERING, target=MeetingStatus.HELD)
    def withdraw(self) -> None:
        """The secretary takes the protocol back from justering: every signature given is withdrawn."""

    @transition(field=status, source=[MeetingStatus.PLANNED, MeetingStatus.CALLED], target=MeetingStatus.CANCELLED)
    def cancel(self) -> None:
        """Inställt, with a reason: the meeting will not be held. Nothing happens to it afterwards."""

    def can_call(self) -> bool:
        return can_proceed(self.call)

    def can_close(self) -> bool:
        return can_proceed(self.close)

    def can_cancel(self) -> bool:
        return can_proceed(self.cancel)


class SeatKind(models.TextChoices):
    MEMBER = "ledamot", _("ledamot")
    DEPUTY = "ersattare", _("ersättare")
    OTHER = "ovrig", _("övrig närvarande")


class Attendance(TenantModel):
    """Who was called and who came: ledamöter, tjänstgörande ersättare (for whom, which §§), others."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    name = models.CharField(max_length=200, blank=True, help_text="For others present who are not registered persons.")
    role_text = models.CharField(max_length=120, blank=True)
    party = models.CharField(max_length=10, blank=True)
    kind = models.CharField(max_length=10, choices=SeatKind.choices)
    called = models.BooleanField(default=True)
    present = models.BooleanField(default=False)
    serving_for = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Present (and, for an ersättare, serving) from this item to that one, both included; None at
    # either end means from the start or to the end of the meeting. Items, not § numbers, because
    # the numbers are given when the protocol goes to justering.
    from_item = models.ForeignKey(
        "AgendaItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("från och med")
    )
    to_item = models.ForeignKey(
        "AgendaItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("till och med")
    )
    is_justerare = models.BooleanField(default=False)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "kind", "ordering", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return str(self.person) if self.person_id else self.name

    @property
    def is_partial(self) -> bool:
        return self.from_item_id is not None or self.to_item_id is not None

    def span(self) -> tuple[float, float]:
        """The agenda positions (``AgendaItem.ordering``) the row covers, both ends included."""
        low = self.from_item.ordering if self.from_item is not None else float("-inf")
        high = self.to_item.ordering if self.to_item is not None else float("inf")
        return low, high

    def covers(self, item: AgendaItem) -> bool:
        """Present (for an ersättare: serving) during ``item``."""
        low, high = self.span()
        return self.present and low <= item.ordering <= high


class Adjournment(TenantModel):
    """An ajournering: the meeting paused from one time to another."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="adjournments")
    starts = models.TimeField(_("från"))
    ends = models.TimeField(_("till"))

    class Meta:
        ordering = ["meeting", "starts"]

    def __str__(self) -> str:
        return f"{self.starts:%H.%M}–{self.ends:%H.%M}"


class ItemKind(models.TextChoices):
    STANDING = "standing", _("stående punkt")
    CASE = "case", _("ärende")
    FREE = "free", _("övrig punkt")


STANDING_ITEMS = [
    "Upprop",
    "Val av justerare",
    "Fastställande av föredragningslista",
    "Delegationsbeslut",
    "Meddelanden",
]


class StandingAgenda(TenantModel):
    """A body's standing items, added to each new meeting of the body (the administrator keeps them).
    A body without a row gets ``STANDING_ITEMS``."""

    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="standing_agenda")
    titles = models.JSONField(_("stående punkter"), default=list, blank=True)
    numbered = models.BooleanField(_("stående punkter får paragrafnummer"), default=True)

    def __str__(self) -> str:
        return f"{self.body}: {', '.join(self.titles)}"


class AgendaItem(TenantModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    ordering = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    title = models.CharField(_("rubrik"), max_length=255)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items")
    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items")
    paragraph = models.PositiveIntegerField(_("§"), null=True, blank=True)
    decision = models.TextField(_("beslut"), blank=True)
    proposition_order = models.TextField(_("propositionsordning"), blank=True)
    notes = models.TextField(_("protokollsanteckningar"), blank=True)
    dispatch = models.JSONField(default=list, blank=True)
    immediately_justerad = models.BooleanField(_("justeras omedelbart"), default=False)
    motion_outcome = models.CharField(
        _("beslut om motionen"), max_length=10, blank=True, help_text="bifall, avslag, besvarad or avskriven"
    )
    secrecy = models.CharField(
        _("sekretess enligt"),
        max_length=200,
        blank=True,
        help_text="The OSL provision that closes the § to the public; blank for a public §.",
    )
    description = models.TextField(_("ärendebeskrivning"), blank=True)
    documents = models.ManyToManyField(
        Document, blank=True, related_name="agenda_items", verbose_name=_("beslutsunderlag")
    )
    numbered = models.BooleanField(
        _("får paragrafnummer"), default=True, help_text="False for a standing item of a body that numbers none."
    )

    class Meta:
        ordering = ["meeting", "ordering"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "ordering"], name="agenda_item_order_unique", deferrable=models.Deferrable.DEFERRED
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph_label or '§ –'} {self.title}"

    @property
    def paragraph_label(self) -> str:
        """The § as the municipality writes it (``§ 12`` or ``§ 12/24``); blank before numbering."""
        from .numbering import paragraph_label

        return paragraph_label(self)


class FloorMotion(TenantModel):
    """A yrkande from the floor under a §."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="yrkanden")
    mover = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["item", "ordering", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class VoteChoice(models.TextChoices):
    YES = "ja", _("ja")
    NO = "nej", _("nej")
    ABSTAIN = "avstar", _("avstår")


class Vote(TenantModel):
    """An omröstning: what 'ja' and 'nej' mean, each member's vote, and the result."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    yes_means = models.CharField(max_length=300)
    no_means = models.CharField(max_length=300)
    result = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.yes_means


class Ballot(TenantModel):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    party = models.CharField(max_length=10, blank=True)
    choice = models.CharField(max_length=6, choices=VoteChoice.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "person"], name="ballot_once")]


class Reservation(TenantModel):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="reservations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    party = models.CharField(max_length=10, blank=True)
    text = models.TextField(blank=True, help_text="Skriftlig reservation, if any.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="reservation_once")]


class Recusal(TenantModel):
    """Jäv: the member stands aside for the §; a deputy may step in."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recusals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    substitute = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="recusal_once")]


class ParagraphCounter(TenantModel):
    """The last § given per body and calendar year, and the year's first (see meetings/numbering.py).
    The row is also the lock that serialises numbering of one body's year."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField()
    first_number = models.PositiveIntegerField(
        default=1, db_default=1, help_text="The year's first §, when numbering continues from an earlier system."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="paragraph_counter_unique")]


class Signature(TenantModel):
    """A signer's approval of the protocol in the browser: authenticated and timestamped."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="signatures")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)  # ordförande / justerare / sekreterare
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    protocol_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="signature_once")]


class Correction(TenantModel):
    """A rättelse of a justerat protocol: visible and dated, never a rewrite."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="corrections")
    text = models.TextField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "made_at"]


class MeetingEvent(TenantModel):
    """The meeting's own log: calling, closing, each signature, the anslag going up and coming down,
    every write to the agenda, the attendance and the §§, and every refused attempt to change a
    protocol under justering or justerat. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE
    (migration 0005)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["meeting", "at", "pk"]


class ExtractStatus(models.TextChoices):
    JUSTERING = "justering", _("under justering")
    JUSTERAT = "justerat", _("justerat")


class ImmediateExtract(TenantModel):
    """A § justerad omedelbart: its own extract, signed at the meeting by the chair and the justerare
    for that § alone, posted on the anslagstavla and expedited at once (meetings/immediate.py)."""

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="extract")
    status = models.CharField(max_length=10, choices=ExtractStatus.choices, default=ExtractStatus.JUSTERING)
    sent_at = models.DateTimeField(default=timezone.now)
    justerat_at = models.DateTimeField(null=True, blank=True)
    digest = models.CharField(max_length=64, blank=True, help_text="The digest every signer of the extract signed.")
    anslag_on = models.DateField(_("anslaget"), null=True, blank=True)
    appeal_ends_on = models.DateField(_("sista dag för överklagande"), null=True, blank=True)
    anslag_removed_on = models.DateField(_("anslaget tas ned tidigast"), null=True, blank=True)

    @property
    def is_justerat(self) -> bool:
        return self.status == ExtractStatus.JUSTERAT


class ExtractSignature(TenantModel):
    extract = models.ForeignKey(ImmediateExtract, on_delete=models.CASCADE, related_name="signatures")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["extract", "pk"]
        constraints = [models.UniqueConstraint(fields=["extract", "person"], name="extract_signature_once")]


class AnslagDay(TenantModel):
    """The evidence log: one row for each day a notice (the protocol's anslag, or an immediately
    justerat §'s extract) was seen up on the public anslagstavla by the daily sweep or when posted.
    Never back-filled: a day nobody checked has no row."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="anslag_days")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="anslag_days")
    day = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "item", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "day"], condition=models.Q(item=None), name="anslag_day_protocol_once"
            ),
            models.UniqueConstraint(
                fields=["item", "day"], condition=models.Q(item__isnull=False), name="anslag_day_extract_once"
            ),
        ]


from .models_motion_report import MotionReport, MotionReportStatus  # noqa: E402,F401 - a model of this app
