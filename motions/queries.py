from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from cases.models import Remiss

from .clock import Clock, motion_clock
from .models import Motion, MotionStatus


def motions_for_list() -> QuerySet[Motion]:
    return (
        Motion.objects.select_related("case", "raised_in")
        .prefetch_related("movers__person")
        .order_by("raised_on", "pk")
    )


@dataclass(frozen=True)
class ReportRow:
    """One motion in the report on undecided motions, as it stood on the cut-off date."""

    motion: Motion
    clock: Clock
    months: int
    remisser: list[Remiss]
    status: str

    @property
    def over_one_year(self) -> bool:
        return self.clock.level == "late"


def whole_months(start: date, end: date) -> int:
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months


def open_motions_report(cutoff: date) -> list[ReportRow]:
    """Every motion raised on or before the cut-off and not decided by it, with its clock counted to
    the cut-off and where its beredning stands (four queries, however many motions)."""
    motions = (
        motions_for_list()
        .select_related("case__body", "case__department", "case__handler")
        .filter(raised_on__lte=cutoff)
        .filter(~Q(status=MotionStatus.DECIDED) | Q(decided_on__gt=cutoff))
        .prefetch_related(
            Prefetch(
                "case__remisser",
                queryset=Remiss.objects.select_related("to_body").order_by("deadline", "to_body__name"),
                to_attr="report_remisser",
            )
        )
    )
    rows = []
    for m in motions:
        if m.is_decided:
            # Decided after the cut-off: on the cut-off date it was still waiting for fullmäktige.
            status = _("inte avgjord per %(date)s") % {"date": cutoff.isoformat()}
        else:
            status = m.get_status_display()
        rows.append(
            ReportRow(
                motion=m,
                clock=motion_clock(m.raised_on, cutoff),
                months=whole_months(m.raised_on, cutoff),
                remisser=m.case.report_remisser,  # type: ignore[attr-defined]
                status=status,
            )
        )
    return rows
