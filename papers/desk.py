"""The official's desk (Mina ärenden): the papers one writes, by state, and for a head the papers
waiting for their review. Registered with cases.panels so the core need not import papers."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cases import clock
from cases.models import Role
from cases.permissions import acting_user

from .models import Draft, DraftStatus

# Approved papers stay on the desk this many whole days (counted in days, so the desk of a day is the
# same all day long: alingsas_ale.pagecache keeps it per day).
RECENTLY_APPROVED = timedelta(days=30)


def desk_panel(request: HttpRequest) -> SafeString:
    user = acting_user(request)
    recent = timezone.make_aware(datetime.combine(clock.today() - RECENTLY_APPROVED, time.min))
    own = list(  # one query: the unfinished ones and those approved lately
        Draft.objects.filter(author=user)
        .filter(~Q(status=DraftStatus.APPROVED) | Q(approved_at__gte=recent))
        .select_related("case", "template", "addressee")
        .order_by("-updated_at")[:200]
    )
    approved = [d for d in own if d.status == DraftStatus.APPROVED]
    to_review: list[Draft] = []
    if user.has_role(Role.HEAD):
        waiting = Draft.objects.filter(status=DraftStatus.REVIEW).exclude(author=user)
        if user.department_id:
            waiting = waiting.filter(department=user.department_id)
        to_review = list(waiting.select_related("case", "template", "author").order_by("updated_at")[:100])
    groups = [
        (DraftStatus.RETURNED.label, [d for d in own if d.status == DraftStatus.RETURNED]),
        (DraftStatus.DRAFT.label, [d for d in own if d.status == DraftStatus.DRAFT]),
        (DraftStatus.REVIEW.label, [d for d in own if d.status == DraftStatus.REVIEW]),
        (DraftStatus.APPROVED.label, approved),
    ]
    html = render_to_string(
        "papers/_desk_panel.html",
        {"groups": groups, "to_review": to_review, "is_head": user.has_role(Role.HEAD), "any_own": bool(own)},
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escapes
