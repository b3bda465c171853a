"""The diarium: cases (ärenden), their documents (handlingar) and their timeline."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisation import Body, Department
from .tenancy import TenantModel, scoped_manager

series_validator = RegexValidator(
    r"^[A-ZÅÄÖ0-9]{1,10}$", _("Diarieserien får bara innehålla versaler och siffror (högst 10 tecken).")
)


class DiariumCounter(TenantModel):
    """The last number handed out per municipality, series and year (see ``services.case_register``)."""

    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "series", "year"], name="diarium_counter_unique"),
        ]


class CaseStatus(models.TextChoices):
    OPEN = "open", _("pågående")
    CLOSED = "closed", _("avslutat")


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.OPEN)

    def handled_by(self, user: Any) -> CaseQuerySet:
        return self.filter(handler=user)

    def for_list(self) -> CaseQuerySet:
        return self.select_related("body", "handler")


class Case(TenantModel):
    """An ärende. Its diarienummer is unique within the municipality and never reused."""

    series = models.CharField(_("diarieserie"), max_length=10, validators=[series_validator])
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("löpnummer"))
    diarienummer = models.CharField(_("diarienummer"), max_length=40)
    title = models.CharField(_("ärendemening"), max_length=255)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="cases", verbose_name=_("ansvarigt organ"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("förvaltning")
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name=_("handläggare"),
    )
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    origin = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived_cases",
        verbose_name=_("ursprungsärende"),
        help_text=_("För ett remissärende: ärendet som remissen kom från."),
    )
    registered_on = models.DateField(_("registrerat"), default=timezone.localdate)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerat av")
    )
    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("title", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects: ClassVar[Any] = scoped_manager(CaseQuerySet)

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["-id"]
        permissions = [("handle_case", _("Får handlägga ärendet"))]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "series", "year", "number"], name="case_number_unique"),
            models.UniqueConstraint(fields=["municipality", "diarienummer"], name="case_diarienummer_unique"),
        ]
        indexes = [
            models.Index(fields=["municipality", "-id"], name="case_list_idx"),
            models.Index(fields=["municipality", "handler", "status"], name="case_handler_idx"),
            models.Index(fields=["municipality", "body", "-id"], name="case_body_idx"),
            GinIndex(fields=["search_vector"], name="case_search_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.diarienummer} {self.title}"

    @property
    def ref(self) -> str:
        """The case's key in URLs: series, year and number, e.g. ``KS-2017-407``."""
        return f"{self.series}-{self.year}-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class Direction(models.TextChoices):
    INCOMING = "in", _("inkommande")
    OUTGOING = "out", _("utgående")
    INTERNAL = "internal", _("upprättad")


osl_provision_validator = RegexValidator(
    r"^OSL \d{1,2} kap\. \d{1,2}( [a-z])? §$",
    _("Ange sekretessbestämmelsen som ”OSL 26 kap. 1 §”."),
)


class Document(TenantModel):
    """A handling, with the fields OSL 5 kap. 2 § requires the diarium to record."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents", verbose_name=_("ärende"))
    sequence = models.PositiveIntegerField(_("handlingsnummer"))
    direction = models.CharField(_("riktning"), max_length=10, choices=Direction.choices)
    document_date = models.DateField(_("datum"), help_text=_("Dagen handlingen kom in eller upprättades."))
    counterpart = models.CharField(_("avsändare eller mottagare"), max_length=255, blank=True)
    description = models.CharField(_("kort beskrivning av innehållet"), max_length=500)
    file = models.FileField(_("fil"), upload_to="handlingar/%Y/", blank=True)
    file_name = models.CharField(_("filnamn"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    secrecy_provision = models.CharField(
        _("sekretessbestämmelse"), max_length=40, blank=True, validators=[osl_provision_validator]
    )
    secrecy_marked_on = models.DateField(_("sekretessmarkerad"), null=True, blank=True)
    secrecy_marked_by = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("myndighet som sekretessmarkerat"),
    )
    registered_at = models.DateTimeField(_("registrerad"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerad av")
    )
    # Filled by the worker (cases/textextract.py): the file's text for search, and for a DOCX or
    # ODT file the PDF it is shown as. A secret handling's text is searched only by those who may read it.
    text = models.TextField(_("text"), blank=True)
    text_extracted_at = models.DateTimeField(null=True, blank=True)
    display_pdf = models.FileField(upload_to="handlingar/pdf/%Y/", blank=True)
    text_vector = models.GeneratedField(
        expression=SearchVector("text", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("handling")
        verbose_name_plural = _("handlingar")
        ordering = ["case", "sequence"]
        permissions = [("read_secret_document", _("Får läsa sekretessbelagd handling"))]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="document_sequence_unique"),
            models.CheckConstraint(
                condition=models.Q(secrecy_provision="")
                | models.Q(secrecy_marked_on__isnull=False, secrecy_marked_by__isnull=False),
                name="document_secrecy_complete",
            ),
        ]
        indexes = [GinIndex(fields=["text_vector"], name="document_text_search_idx")]

    def __str__(self) -> str:
        # Shown wherever a handling is named without a permission check (forms, logs, the admin):
        # a secret handling's description never appears there.
        if self.is_secret:
            return f"{self.case.diarienummer}-{self.sequence} (sekretess, {self.secrecy_provision})"
        return f"{self.case.diarienummer}-{self.sequence} {self.description}"

    @property
    def is_secret(self) -> bool:
        return bool(self.secrecy_provision)

    @property
    def number(self) -> str:
        return f"{self.case.diarienummer}-{self.sequence}"


class CaseEvent(TenantModel):
    """An append-only timeline row, written in the same transaction as the change it records.

    A database trigger (migration 0002) refuses UPDATE and DELETE on this table.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=60)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


__all__ = ["Case", "CaseEvent", "CaseStatus", "DiariumCounter", "Direction", "Document"]
