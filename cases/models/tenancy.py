"""The tenant. Every tenant-owned row belongs to one municipality.

Isolation is structural: tenant-owned models use django-scopes' ``ScopedManager``,
so a query made without an active ``scope(municipality=...)`` raises instead of
returning another municipality's rows. The web middleware activates the signed-in
user's municipality; public pages and Celery tasks activate it explicitly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, ScopeError, get_scope, scope, scopes_disabled

DIARIENUMMER_FIELDS = ("{series}", "{year}", "{number}")


def validate_diarienummer_format(value: str) -> None:
    for field in DIARIENUMMER_FIELDS:
        if value.count(field) != 1:
            raise ValidationError(_("Formatet måste innehålla %(field)s exakt en gång."), params={"field": field})


class Municipality(models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn i adresser"), unique=True)
    diarienummer_format = models.CharField(
        _("format för diarienummer"),
        max_length=40,
        default="{series} {year}/{number}",
        validators=[validate_diarienummer_format],
        help_text=_("Till exempel {series}.{year}.{number} (KS.2017.407) eller {series} {year}/{number}."),
    )
    email_domain = models.CharField(_("e-postdomän"), max_length=100, blank=True)
    paragraph_format = models.CharField(
        _("format för paragrafnummer"),
        max_length=20,
        default="§ {number}",
        db_default="§ {number}",
        choices=[("§ {number}", "§ 12"), ("§ {number}/{yy}", "§ 12/24")],
        help_text=_("Hur §-numren skrivs i protokoll, utdrag och på anslagstavlan."),
    )

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def format_diarienummer(self, *, series: str, year: int, number: int) -> str:
        return self.diarienummer_format.format(series=series, year=year, number=number)

    def diarienummer_example(self) -> str:
        return self.format_diarienummer(series="KS", year=2017, number=407)

    def diarienummer_regex(self) -> re.Pattern[str]:
        pattern = re.escape(self.diarienummer_format)
        pattern = pattern.replace(re.escape("{series}"), r"(?P<series>[A-ZÅÄÖ0-9]{1,10})")
        pattern = pattern.replace(re.escape("{year}"), r"(?P<year>\d{4})")
        pattern = pattern.replace(re.escape("{number}"), r"(?P<number>\d{1,7})")
        return re.compile(rf"^{pattern}$", re.IGNORECASE)

    def parse_diarienummer(self, value: str) -> tuple[str, int, int] | None:
        match = self.diarienummer_regex().match(value.strip())
        if not match:
            return None
        return match["series"].upper(), int(match["year"]), int(match["number"])


def scoped_manager(queryset_class: type[models.QuerySet[Any]] | None = None) -> Any:
    """A django-scopes manager on the ``municipality`` dimension.

    django-scopes reads ``scope(municipality=None)`` as "no filter"; here a scope of
    None is an error, so a request that lost its municipality can never see them all.
    """
    manager_class = models.Manager.from_queryset(queryset_class) if queryset_class else models.Manager
    base = type(ScopedManager(municipality="municipality", _manager_class=manager_class))

    class TenantManager(base):  # type: ignore[valid-type,misc]
        def get_queryset(self) -> models.QuerySet[Any]:
            current = getattr(self, "_override_scope", None) or get_scope()
            if current.get("_enabled", True) and "municipality" in current and current["municipality"] is None:
                raise ScopeError("The municipality scope is None; activate a real municipality.")
            return super().get_queryset()

    return TenantManager()


class TenantModel(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, verbose_name=_("kommun"))

    objects: ClassVar[Any] = scoped_manager()

    class Meta:
        abstract = True


R = TypeVar("R")


def run_in_tenant(model: type[TenantModel], pk: int, work: Callable[[int], R]) -> R | None:
    """For background work that starts from a primary key: find the row's municipality (the one
    unscoped look-up), then run ``work(pk)`` inside that municipality's scope. None if the row is gone."""
    with scopes_disabled():
        municipality_id = model.objects.filter(pk=pk).values_list("municipality_id", flat=True).first()
    if municipality_id is None:
        return None
    with scope(municipality=municipality_id):
        return work(pk)


def each_municipality() -> Iterator[Municipality]:
    """Periodic work that runs once per municipality, each inside its own scope."""
    for municipality in Municipality.objects.all():
        with scope(municipality=municipality):
            yield municipality
