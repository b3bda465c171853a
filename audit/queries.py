"""Reading the log: what a table is called in Swedish, who acted, the auditor's filters and pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEntry
from .schema import is_audited

PAGE_SIZE = 50
SYSTEM = "system"


@cache
def table_labels() -> dict[str, str]:
    """Every audited table with its model's Swedish name, for the filter and the list."""
    labels: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if is_audited(table) and model._meta.managed:
            labels[table] = str(model._meta.verbose_name_plural).capitalize()
    return dict(sorted(labels.items(), key=lambda item: item[1]))


def table_label(table: str) -> str:
    return table_labels().get(table, table)


def actor_label(entry: AuditEntry) -> str:
    if entry.actor is not None:
        return str(entry.actor)
    if entry.on_behalf_of is not None:
        return _("Systemet, på uppdrag av %(name)s") % {"name": entry.on_behalf_of}
    return _("Systemet")


def log_filter(qs: QuerySet[AuditEntry], data: dict[str, Any]) -> QuerySet[AuditEntry]:
    """Apply the cleaned filter form: who, what (table and kind of event), from and to (dates, inclusive)."""
    who = data.get("who")
    if who == SYSTEM:
        qs = qs.filter(actor=None)
    elif who:
        qs = qs.filter(actor_id=int(who))
    if data.get("table"):
        qs = qs.filter(table_name=data["table"])
    if data.get("action"):
        qs = qs.filter(action=data["action"])
    if data.get("row"):
        qs = qs.filter(row_pk=data["row"])
    if data.get("start"):
        qs = qs.filter(at__gte=_midnight(data["start"]))
    if data.get("end"):
        qs = qs.filter(at__lt=_midnight(data["end"] + dt.timedelta(days=1)))
    return qs


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class Page:
    rows: list[AuditEntry]
    older: int | None  # the cursor of the next (older) page, None on the last


def log_page(qs: QuerySet[AuditEntry], *, before: int | None, size: int = PAGE_SIZE) -> Page:
    """Newest first, found by the id index (never OFFSET): page 1,000 costs what page 1 does."""
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.select_related("actor", "on_behalf_of").order_by("-pk")[: size + 1])
    older = rows[size - 1].pk if len(rows) > size else None
    return Page(rows=rows[:size], older=older)
