"""``{% motion_report_agenda cutoff %}``: the report page's choice of a KS or KF meeting to put the
report on (the report page belongs to motions, which does not import meetings)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from ..models import MotionReport
from ..motion_report import meetings_for_motion_report
from ..permissions import can_create_meeting

register = template.Library()


@register.inclusion_tag("meetings/_motion_report_agenda.html", takes_context=True)
def motion_report_agenda(context: template.Context, cutoff: date) -> dict[str, Any]:
    user = context["request"].user
    return {
        "cutoff": cutoff,
        "meetings": meetings_for_motion_report(user),
        "secretary": can_create_meeting(user),
        "reports": MotionReport.objects.filter(cutoff=cutoff)
        .select_related("meeting__body", "case", "document")
        .order_by("meeting__starts_at"),
        "csrf_token": context.get("csrf_token"),
    }
