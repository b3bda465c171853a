"""Papers officials write: tjänsteutlåtanden and yttranden, their versions, and förslag till beslut."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Body, Case, Department, Document, TenantModel

from .content import PaperContent


class PaperKind(models.TextChoices):
    REPORT = "tjansteutlatande", _("tjänsteutlåtande")
    STATEMENT = "yttrande", _("yttrande")


class BlockType(models.TextChoices):
    SUMMARY = "summary", _("sammanfattning (utan rubrik)")
    TEXT = "text", _("avsnitt med rubrik")
    PROPOSAL = "proposal", _("förslag till beslut (beslutssatser)")
    SIGNATURES = "signatures", _("underskrifter")
    BASIS = "basis", _("beslutsunderlag")
    DISPATCH = "dispatch", _("expediering")


class PaperTemplate(TenantModel):
    """Which sections a municipality's paper has, in which order. Configured data."""

    kind = models.CharField(_("typ"), max_length=20, choices=PaperKind.choices)
    name = models.CharField(_("namn"), max_length=100)
    heading = models.CharField(_("dokumentrubrik"), max_length=60, blank=True, help_text=_("T.ex. TJÄNSTEUTLÅTANDE"))
    is_default = models.BooleanField(_("förval"), default=False)

    class Meta:
        verbose_name = _("mall")
        verbose_name_plural = _("mallar")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "kind", "name"], name="paper_template_unique")]

    def __str__(self) -> str:
        return self.name


class TemplateSection(TenantModel):
    template = models.ForeignKey(PaperTemplate, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("nyckel"), max_length=40)
    heading = models.CharField(_("rubrik"), max_length=120, blank=True)
    block_type = models.CharField(_("typ"), max_length=12, choices=BlockType.choices)
    required = models.BooleanField(_("obligatoriskt"), default=False)
    ordering = models.PositiveSmallIntegerField(_("ordning"), default=0)
    guidance = models.CharField(_("vägledning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("avsnitt")
        verbose_name_plural = _("avsnitt")
        ordering = ["template", "ordering"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="template_section_key_unique")]

    def __str__(self) -> str:
        return self.heading or self.get_block_type_display()

    def label_for(self, addressee: Body | None) -> str:
        """The heading as the paper shows it: ``{till}`` becomes the addressee in running text."""
        if self.block_type == BlockType.SUMMARY:
            return str(_("Sammanfattning"))
        heading = self.heading or str(self.get_block_type_display())
        if "{till}" in heading:
            name = addressee.name if addressee else ""
            heading = heading.replace("{till}", name[:1].lower() + name[1:])
        return heading


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("utkast")
    REVIEW = "review", _("för granskning")
    RETURNED = "returned", _("återsänd för ändring")
    APPROVED = "approved", _("godkänd")


def empty_content() -> dict[str, Any]:
    return PaperContent().to_json()


class Draft(TenantModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("ärende"))
    template = models.ForeignKey(PaperTemplate, on_delete=models.PROTECT, verbose_name=_("mall"))
    title = models.CharField(_("rubrik"), max_length=255)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("förvaltning")
    )
    addressee = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("till"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("handläggare")
    )
    paper_date = models.DateField(_("datum"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=10, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    content = models.JSONField(default=empty_content)
    review_comment = models.TextField(_("granskarens kommentar"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    document = models.OneToOneField(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="draft")
    frozen_at = models.DateTimeField(_("lagd på föredragningslista"), null=True, blank=True)
    changed_after_freeze = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("utkast")
        verbose_name_plural = _("utkast")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.template.get_kind_display()} {self.title}"

    @property
    def is_locked(self) -> bool:
        return self.status in (DraftStatus.REVIEW, DraftStatus.APPROVED)

    @property
    def kind(self) -> str:
        return self.template.kind

    @property
    def paper(self) -> PaperContent:
        """The content, typed. Read it here; ``content`` is only the stored JSON."""
        return PaperContent.from_json(self.content)


class DraftVersion(TenantModel):
    """Every save is a version; a refused save (a conflict) is kept too, so no word is lost."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=255)
    content = models.JSONField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    refused = models.BooleanField(default=False, help_text="A save refused because someone else saved first.")
    based_on = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["draft", "number", "pk"]
        indexes = [models.Index(fields=["draft", "number"], name="draftversion_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "number"], condition=models.Q(refused=False), name="draftversion_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def paper(self) -> PaperContent:
        return PaperContent.from_json(self.content)


class DecisionProposal(TenantModel):
    """One body's förslag till beslut in a case: department → KSAU → KS → KF, each kept."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="proposals")
    stage = models.PositiveSmallIntegerField()
    body = models.ForeignKey(Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    label = models.CharField(max_length=120)
    satser = models.JSONField(default=list)
    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "stage"]
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="proposal_stage_unique")]

    def __str__(self) -> str:
        return self.label


class ReviewComment(TenantModel):
    """A reviewer's comment on a passage of a paper: anchored by the words it quotes in one part, so
    it stands at that text in the editor without touching the paper's HTML (nor its PDF)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    section_key = models.CharField(_("del"), max_length=50)
    quote = models.CharField(_("citat ur texten"), max_length=500)
    body = models.TextField(_("kommentar"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("granskningskommentar")
        verbose_name_plural = _("granskningskommentarer")
        ordering = ["draft", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.section_key}: {self.quote[:40]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
