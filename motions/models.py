"""Motions: proposals a KF member brings to kommunfullmäktige (Kommunallagen 5 kap. 35 §)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Body, Case, Person, TenantModel


class MotionStatus(models.TextChoices):
    RAISED = "raised", _("väckt")
    REFERRED = "referred", _("remitterad till KS för beredning")
    IN_PREPARATION = "preparing", _("under beredning")
    PREPARED = "prepared", _("beredd")
    DECIDED = "decided", _("avgjord")


class MotionOutcome(models.TextChoices):
    APPROVED = "bifall", _("bifall")
    REJECTED = "avslag", _("avslag")
    ANSWERED = "besvarad", _("besvarad")
    WRITTEN_OFF = "avskriven", _("avskriven")


# The lifecycle in one place: action -> (states it may start from, state it leads to).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "refer": (frozenset({MotionStatus.RAISED}), MotionStatus.REFERRED),
    "start_preparation": (frozenset({MotionStatus.REFERRED}), MotionStatus.IN_PREPARATION),
    "mark_prepared": (frozenset({MotionStatus.REFERRED, MotionStatus.IN_PREPARATION}), MotionStatus.PREPARED),
    "decide": (
        frozenset({MotionStatus.REFERRED, MotionStatus.IN_PREPARATION, MotionStatus.PREPARED}),
        MotionStatus.DECIDED,
    ),
}


class Motion(TenantModel):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="motion", verbose_name=_("ärende"))
    raised_in = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("väckt i"))
    raised_on = models.DateField(_("väckt den"))
    raised_paragraph = models.PositiveIntegerField(_("paragraf"), null=True, blank=True)
    # Fullmäktige's decision to leave the motion to kommunstyrelsen for beredning (often the meeting
    # where it was raised, sometimes a later one).
    referred_on = models.DateField(_("remitterad den"), null=True, blank=True)
    referred_paragraph = models.PositiveIntegerField(_("paragraf för remitteringen"), null=True, blank=True)
    expected_decision_on = models.DateField(
        _("beräknat beslut"),
        null=True,
        blank=True,
        help_text=_("När fullmäktige beräknas kunna avgöra motionen; visas i redovisningen."),
    )
    text = models.TextField(_("motionstext"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MotionStatus.choices, default=MotionStatus.RAISED)
    outcome = models.CharField(_("beslut"), max_length=10, choices=MotionOutcome.choices, blank=True)
    decided_on = models.DateField(_("avgjord den"), null=True, blank=True)
    decided_paragraph = models.PositiveIntegerField(_("paragraf för beslutet"), null=True, blank=True)
    preparation_note = models.TextField(
        _("beredningens läge"),
        blank=True,
        help_text=_("Var beredningen står och varför motionen inte är avgjord; visas i redovisningen till KF."),
    )

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motioner")
        ordering = ["raised_on"]

    def __str__(self) -> str:
        return self.case.title

    def can(self, action: str) -> bool:
        sources, _target = TRANSITIONS[action]
        return self.status in sources

    @property
    def is_decided(self) -> bool:
        return self.status == MotionStatus.DECIDED


class MotionMover(TenantModel):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="movers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("motionär"))
    party = models.CharField(_("parti"), max_length=10)
    ordering = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("motionär")
        verbose_name_plural = _("motionärer")
        ordering = ["ordering"]
        constraints = [models.UniqueConstraint(fields=["motion", "person"], name="motion_mover_unique")]

    def __str__(self) -> str:
        return f"{self.person} ({self.party})"


class AttSats(TenantModel):
    """One numbered demand: ”Motionären yrkar att …”."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="att_satser")
    number = models.PositiveSmallIntegerField(_("nummer"))
    text = models.TextField(_("att-sats"))

    class Meta:
        verbose_name = _("att-sats")
        verbose_name_plural = _("att-satser")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["motion", "number"], name="att_sats_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. att {self.text}"
