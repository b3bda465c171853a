"""The organisation: bodies (organ), departments (förvaltningar), people and their seats."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tenancy import Municipality, TenantModel, scoped_manager


class BodyKind(models.TextChoices):
    COUNCIL = "fullmaktige", _("fullmäktige")
    BOARD = "styrelse", _("styrelse")
    COMMITTEE_OF_BOARD = "utskott", _("utskott")
    COMMITTEE = "namnd", _("nämnd")


class BodyQuerySet(models.QuerySet["Body"]):
    def active(self) -> BodyQuerySet:
        return self.filter(is_active=True)


class Body(TenantModel):
    """An organ: kommunfullmäktige, kommunstyrelsen, an utskott or a nämnd. Configured data."""

    name = models.CharField(_("namn"), max_length=120)
    short_name = models.CharField(_("förkortning"), max_length=10)
    kind = models.CharField(_("typ"), max_length=12, choices=BodyKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("överordnat organ"),
    )
    diarium_series = models.CharField(
        _("diarieserie"),
        max_length=10,
        help_text=_("Serien i diarienumret för ärenden som organet äger, t.ex. KS."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    ordering = models.PositiveSmallIntegerField(_("sortering"), default=100)
    secretaries = models.ManyToManyField(
        "cases.User", blank=True, related_name="secretary_of", verbose_name=_("sekreterare")
    )
    archive_location = models.CharField(
        _("förvaringsplats för protokoll"),
        max_length=200,
        blank=True,
        db_default="",
        help_text=_("Var de justerade protokollen förvaras, t.ex. Kommunledningskontoret, Stadshuset."),
    )
    number_standing_items = models.BooleanField(
        _("numrera stående punkter"),
        default=True,
        db_default=True,
        help_text=_("Om stående punkter (upprop, val av justerare …) får §-nummer i protokollet."),
    )
    answers_remisser_by_delegation = models.BooleanField(
        _("får besvara remisser på nämndens vägnar (delegation)"),
        default=False,
        db_default=False,
        help_text=_(
            "För ett utskott: dess beslut om yttrande besvarar en remiss till det överordnade organet, "
            "utan att ärendet går vidare dit."
        ),
    )

    objects: ClassVar[Any] = scoped_manager(BodyQuerySet)

    class Meta:
        verbose_name = _("organ")
        verbose_name_plural = _("organ")
        ordering = ["ordering", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "short_name"], name="body_short_name_unique"),
            models.UniqueConstraint(fields=["municipality", "name"], name="body_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def answers_for(self) -> Body | None:
        """The body whose remisser this one answers by delegation (its parent), if any."""
        if self.answers_remisser_by_delegation and self.parent_id:
            return self.parent
        return None


class Department(TenantModel):
    """A förvaltning or sektor: the staff organisation serving one or more bodies."""

    name = models.CharField(_("namn"), max_length=120)
    short_name = models.CharField(_("förkortning"), max_length=20, blank=True)
    bodies = models.ManyToManyField(Body, related_name="departments", verbose_name=_("betjänar"))

    class Meta:
        verbose_name = _("förvaltning")
        verbose_name_plural = _("förvaltningar")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="department_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICIAL = "handlaggare", _("handläggare")
    REGISTRAR = "registrator", _("registrator")
    SECRETARY = "sekreterare", _("nämndsekreterare")
    HEAD = "chef", _("chef")
    POLITICIAN = "fortroendevald", _("förtroendevald")
    ADMIN = "admin", _("administratör")
    # Reads the municipality's audit log, nothing else (audit/permissions.py).
    AUDITOR = "revisor", _("revisor")


class ChoiceArrayField(ArrayField):
    """An ArrayField edited as checkboxes (the roles of a user)."""

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.base_field.choices,
            "coerce": self.base_field.to_python,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        return super(ArrayField, self).formfield(**defaults)  # type: ignore[arg-type]


class User(AbstractUser):
    """A person who signs in. Belongs to one municipality (a superuser may belong to none).

    The user table is the one tenant-owned table without a scoped default manager:
    authentication must find a user before any scope is known. Everything else
    reaches users through ``User.in_municipality`` or a scoped relation.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kommun")
    )
    roles = ChoiceArrayField(
        models.CharField(max_length=20, choices=Role.choices), default=list, blank=True, verbose_name=_("roller")
    )
    title = models.CharField(_("titel"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("förvaltning")
    )
    calendar_token = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="Secret part of the user's ICS feed address."
    )

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]
    in_municipality: ClassVar[Any] = scoped_manager()

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles if role in Role.values]

    def has_role(self, *roles: str) -> bool:
        """Roles are separate duties: none implies another (an administrator is no registrator)."""
        return any(role in self.roles for role in roles)


class Person(TenantModel):
    """A förtroendevald (or anyone who holds a seat), whether or not they sign in."""

    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    email = models.EmailField(_("e-post"), blank=True)
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person", verbose_name=_("användare")
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class SeatRole(models.TextChoices):
    CHAIR = "ordforande", _("ordförande")
    VICE_CHAIR = "vice_ordforande", _("1:e vice ordförande")
    SECOND_VICE_CHAIR = "2_vice_ordforande", _("2:e vice ordförande")
    MEMBER = "ledamot", _("ledamot")
    DEPUTY = "ersattare", _("ersättare")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def held_on(self, body: Body, day: Any) -> MembershipQuerySet:
        """The seats in ``body`` held on ``day`` (a seat ending that day still counts)."""
        return self.filter(body=body, starts_on__lte=day).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
        )


class MandatePeriod(TenantModel):
    """A mandatperiod, e.g. 2023–2026: the span most seats run for."""

    name = models.CharField(_("namn"), max_length=40)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"))

    class Meta:
        verbose_name = _("mandatperiod")
        verbose_name_plural = _("mandatperioder")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="mandate_period_name_unique"),
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="mandate_period_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TenantModel):
    """An uppdrag: a seat in a body for a period, with a party and a role."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person"))
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organ"))
    role = models.CharField(_("roll"), max_length=20, choices=SeatRole.choices)
    party = models.CharField(_("parti"), max_length=10)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"), null=True, blank=True)
    deputy_order = models.PositiveSmallIntegerField(
        _("inkallelseordning"),
        null=True,
        blank=True,
        help_text=_("Ersättarnas ordning inom partiet när en ledamot har förhinder (1 kallas först)."),
    )

    objects: ClassVar[Any] = scoped_manager(MembershipQuerySet)

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["body", "role", "person"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="membership_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.party}), {self.get_role_display()} i {self.body}"


class OrganisationEvent(TenantModel):
    """Who changed the organisation (bodies, departments, people, seats, users), when and what.

    Append-only like the case timeline: migration 0004 installs a trigger refusing UPDATE and DELETE.
    """

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey("cases.User", on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=200, help_text="What was changed, as shown to people.")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("ändring i organisationen")
        verbose_name_plural = _("ändringar i organisationen")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"

    @property
    def summary(self) -> str:
        """The change in Swedish, as the administrator's log shows it (texts in cases/events.py)."""
        from ..events import describe

        data = self.data if isinstance(self.data, dict) else {}
        result = describe(self.action, {**data, "target": self.target})
        changes = data.get("changes")
        if isinstance(changes, dict) and changes:
            parts = [
                f"{CHANGED_FIELD_LABELS.get(field, _('uppgift'))}: {_shown(pair[0])} → {_shown(pair[1])}"
                for field, pair in changes.items()
            ]
            result += " (" + "; ".join(parts) + ")"
        return result


CHANGED_FIELD_LABELS = {
    "name": _("namn"),
    "short_name": _("förkortning"),
    "kind": _("typ"),
    "diarium_series": _("diarieserie"),
    "parent": _("överordnat organ"),
    "ordering": _("sortering"),
    "archive_location": _("förvaringsplats"),
    "is_active": _("aktiv"),
    "answers_remisser_by_delegation": _("besvarar remisser på delegation"),
    "secretaries": _("sekreterare"),
    "roles": _("roller"),
    "title": _("titel"),
    "department": _("förvaltning"),
}


def _shown(value: Any) -> str:
    """A logged value as people read it: role codes as their names, booleans as ja/nej."""
    if isinstance(value, list):
        return ", ".join(str(Role(v).label) if v in Role.values else str(v) for v in value) or "–"
    if value in ("True", "False"):
        return str(_("ja") if value == "True" else _("nej"))
    if value in BodyKind.values:
        return str(BodyKind(value).label)
    return str(value) if value not in (None, "") else "–"


__all__ = [
    "Body",
    "BodyKind",
    "Department",
    "MandatePeriod",
    "Membership",
    "Municipality",
    "OrganisationEvent",
    "Person",
    "Role",
    "SeatRole",
    "User",
]
