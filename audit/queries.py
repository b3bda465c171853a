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
from django.utils.translation import gettext_lazy

from .models import AuditEntry
from .schema import is_audited

PAGE_SIZE = 50
SYSTEM = "system"


# Swedish names for the audited tables whose model has none of its own (a model without
# verbose_name_plural is named from its class in English, "Agenda items"; a many-to-many table from
# the two class names; a third-party model in its own language). A revisor reads these in the log's
# filter and list (tests/test_audit_trail.py holds every audited table to a Swedish name).
TABLE_NAMES = {
    "cases_body_secretaries": gettext_lazy("Organens sekreterare"),
    "cases_casegroupobjectpermission": gettext_lazy("Gruppers behörigheter till ärenden"),
    "cases_caseuserobjectpermission": gettext_lazy("Användares behörigheter till ärenden"),
    "cases_department_bodies": gettext_lazy("Förvaltningarnas organ"),
    "cases_diariumcounter": gettext_lazy("Diarienummerserier"),
    "cases_documentgroupobjectpermission": gettext_lazy("Gruppers behörigheter till handlingar"),
    "cases_documentuserobjectpermission": gettext_lazy("Användares behörigheter till handlingar"),
    "cases_remiss_answer_attachments": gettext_lazy("Remissvarens bilagor"),
    "cases_renderedpdf": gettext_lazy("Framställda PDF-filer"),
    "cases_routingstep": gettext_lazy("Remissgångens steg"),
    "cases_user_groups": gettext_lazy("Användarnas grupper"),
    "cases_user_user_permissions": gettext_lazy("Användarnas behörigheter"),
    "auth_group_permissions": gettext_lazy("Gruppernas behörigheter"),
    "guardian_groupobjectpermission": gettext_lazy("Gruppers objektbehörigheter"),
    "guardian_userobjectpermission": gettext_lazy("Användares objektbehörigheter"),
    "meetings_adjournment": gettext_lazy("Ajourneringar"),
    "meetings_agendaitem": gettext_lazy("Punkter på föredragningslistan"),
    "meetings_agendaitem_documents": gettext_lazy("Punkternas handlingar"),
    "meetings_anslagday": gettext_lazy("Anslagsdagar"),
    "meetings_attendance": gettext_lazy("Närvaro"),
    "meetings_ballot": gettext_lazy("Röster i omröstningar"),
    "meetings_correction": gettext_lazy("Rättelser"),
    "meetings_extractsignature": gettext_lazy("Justeringar av protokollsutdrag"),
    "meetings_floormotion": gettext_lazy("Yrkanden"),
    "meetings_immediateextract": gettext_lazy("Omedelbart justerade utdrag"),
    "meetings_meetingevent": gettext_lazy("Sammanträdeshändelser"),
    "meetings_paragraphcounter": gettext_lazy("Paragrafnummerserier"),
    "meetings_recusal": gettext_lazy("Jäv"),
    "meetings_reservation": gettext_lazy("Reservationer"),
    "meetings_signature": gettext_lazy("Justeringar"),
    "meetings_standingagenda": gettext_lazy("Stående punkter"),
    "meetings_vote": gettext_lazy("Omröstningar"),
    "otp_totp_totpdevice": gettext_lazy("Appar för tvåstegsverifiering"),
    "papers_decisionproposal": gettext_lazy("Förslag till beslut"),
    "papers_draftversion": gettext_lazy("Utkastens versioner"),
    "reading_absence": gettext_lazy("Förhinder"),
    "reading_absence_items": gettext_lazy("Förhindrens punkter"),
    "reading_meetingpackage": gettext_lazy("Handlingspaket"),
    "reading_meetingvisit": gettext_lazy("Besök i läsesalen"),
    "reading_note": gettext_lazy("Anteckningar"),
    "reading_noteevent": gettext_lazy("Anteckningshändelser"),
}


@cache
def table_labels() -> dict[str, str]:
    """Every audited table with its Swedish name, for the filter and the list."""
    labels: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if is_audited(table) and model._meta.managed:
            name = TABLE_NAMES.get(table) or model._meta.verbose_name_plural
            labels[table] = str(name).capitalize()
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
