from typing import Any

from django.http import HttpRequest

from .models import Notification
from .permissions import can_register


def municipality(request: HttpRequest) -> dict[str, Any]:
    """The active municipality and what the menu needs; each value is computed only where drawn.

    The menu asks the permission door (never ``user.roles`` in a template), so the links shown
    are exactly the pages the user may open.
    """
    current = getattr(request, "municipality", None)

    def unread_count() -> int:
        if current is None:
            return 0
        return int(Notification.objects.filter(recipient=request.user, read_at=None).count())

    def may_register_case() -> bool:
        return current is not None and can_register(request.user)  # type: ignore[arg-type]

    return {
        "municipality": current,
        "unread_count": unread_count,
        "may_register_case": may_register_case,
    }
