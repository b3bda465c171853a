from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from .models import Membership, Notification, User
from .permissions import can_register


def nav_facts(request: HttpRequest) -> tuple[int, bool]:
    """(unread notifications, holds a seat today) for the menu, in one query, once per request.

    The seat is the same test as reading.permissions.holds_a_seat: a seat whose period covers today.
    """
    cached = getattr(request, "_nav_facts", None)
    if cached is not None:
        return cached
    user = request.user
    if getattr(request, "municipality", None) is None or not user.is_authenticated:
        facts = (0, False)
    else:
        day = timezone.localdate()
        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read_at=None)
            .order_by()
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")
        )
        seat = Membership.objects.filter(person__user=OuterRef("pk"), starts_on__lte=day).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )
        row = (
            User.objects.filter(pk=user.pk)
            .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)), seat=Exists(seat))
            .values_list("unread", "seat")
            .first()
        )
        facts = (int(row[0]), bool(row[1])) if row else (0, False)
    request._nav_facts = facts  # type: ignore[attr-defined]
    return facts


def municipality(request: HttpRequest) -> dict[str, Any]:
    """The active municipality and what the menu needs; each value is computed only where drawn.

    The menu asks the permission door (never ``user.roles`` in a template), so the links shown
    are exactly the pages the user may open.
    """
    current = getattr(request, "municipality", None)

    def unread_count() -> int:
        return nav_facts(request)[0]

    def may_register_case() -> bool:
        return current is not None and can_register(request.user)  # type: ignore[arg-type]

    return {
        "municipality": current,
        "unread_count": unread_count,
        "may_register_case": may_register_case,
    }
