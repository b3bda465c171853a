from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from cases.models import Remiss

from .clock import motion_clock
from .models import Motion, MotionStatus


def motions_for_list() -> QuerySet[Motion]:
    return (
        Motion.objects.select_related("case", "raised_in")
        .prefetch_related("movers__person")
        .order_by("raised_on", "pk")
    )


def open_motions_report(today: date) -> list[dict[str, Any]]:
    """Every undecided motion, with its clock and where its beredning stands (five queries)."""
    motions = (
        motions_for_list()
        .exclude(status=MotionStatus.DECIDED)
        .prefetch_related(
            Prefetch(
                "case__remisser",
                queryset=Remiss.objects.select_related("to_body").order_by("to_body__name"),
                to_attr="report_remisser",
            )
        )
    )
    rows = []
    for m in motions:
        remisser = m.case.report_remisser  # type: ignore[attr-defined]
        rows.append({"motion": m, "clock": motion_clock(m.raised_on, today), "remisser": remisser})
    return rows
