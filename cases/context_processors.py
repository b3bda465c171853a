from typing import Any

from django.http import HttpRequest

from .models import Notification


def municipality(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "municipality", None)

    def unread_count() -> int:  # called by the template only where the menu is drawn
        if current is None:
            return 0
        return int(Notification.objects.filter(recipient=request.user, read_at=None).count())

    return {"municipality": current, "unread_count": unread_count}
