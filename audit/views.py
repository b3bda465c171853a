"""The auditor's pages: the municipality's log with filters, one row, and the CSV export."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from cases.exports import csv_writer
from cases.http import AuthedRequest

from .forms import LogFilterForm
from .models import AuditEntry
from .permissions import auditor_required, get_entry_for_auditor
from .queries import actor_label, log_filter, log_page, table_label

EXPORT_HEADER = ["Löpnummer", "Tid", "Vem", "På uppdrag av", "Händelse", "Vad", "Tabell", "Rad", "Adress", "Uppgifter"]


def _filtered(request: AuthedRequest) -> tuple[LogFilterForm, QuerySet[AuditEntry]]:
    """The municipality's rows (the scope), narrowed by the filter form; none for an invalid form."""
    form = LogFilterForm(request.GET or None)
    qs: QuerySet[AuditEntry] = AuditEntry.objects.all()
    if form.is_bound and form.is_valid():
        qs = log_filter(qs, form.cleaned_data)
    elif form.is_bound:
        qs = qs.none()
    return form, qs


@never_cache
@auditor_required
@require_GET
@require_safe
def log(request: AuthedRequest) -> HttpResponse:
    form, qs = _filtered(request)
    try:
        before = int(request.GET.get("fore", ""))
    except ValueError:
        before = None
    page = log_page(qs, before=before)
    query = request.GET.copy()
    query.pop("fore", None)
    rows = [(entry, actor_label(entry), table_label(entry.table_name)) for entry in page.rows]
    return render(
        request,
        "audit/log.html",
        {"form": form, "rows": rows, "page": page, "query": query.urlencode(), "first_page": before is None},
    )


@never_cache
@auditor_required
@require_GET
@require_safe
def entry(request: AuthedRequest, number: int) -> HttpResponse:
    row = get_entry_for_auditor(number)
    values = sorted((row.data or {}).items())
    return render(
        request,
        "audit/entry.html",
        {"entry": row, "who": actor_label(row), "what": table_label(row.table_name), "values": values},
    )


@never_cache
@auditor_required
@require_GET
@require_safe
def export(request: AuthedRequest) -> StreamingHttpResponse:
    """The filtered log as CSV (cells neutralised by cases/exports.py), streamed in id order."""
    _form, qs = _filtered(request)  # built now, inside the request's scope; read while streaming

    def lines() -> Iterator[str]:
        yield "\ufeff"  # Excel reads UTF-8 (åäö) only with a byte-order mark
        out = _Line()
        writer = csv_writer(out)
        writer.writerow(EXPORT_HEADER)
        yield out.take()
        for e in qs.select_related("actor", "on_behalf_of").order_by("pk").iterator(chunk_size=2000):
            writer.writerow(
                [
                    e.pk,
                    e.at.isoformat(),
                    str(e.actor) if e.actor else "Systemet",
                    str(e.on_behalf_of) if e.on_behalf_of else "",
                    e.get_action_display(),
                    table_label(e.table_name),
                    e.table_name,
                    e.row_pk,
                    e.ip,
                    json.dumps(e.data, ensure_ascii=False, sort_keys=True),
                ]
            )
            yield out.take()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="granskningslogg.csv"'
    return response


class _Line:
    """A write target that hands back what the CSV writer wrote, line by line."""

    def __init__(self) -> None:
        self.buffer: list[str] = []

    def write(self, text: str) -> None:
        self.buffer.append(text)

    def take(self) -> str:
        text = "".join(self.buffer)
        self.buffer.clear()
        return text
