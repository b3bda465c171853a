from typing import Any, cast

from django.http import HttpRequest

from cases.models import User

from .permissions import can_audit


def nav(request: HttpRequest) -> dict[str, Any]:
    """Whether the menu shows Granskningslogg (asked only where the menu is drawn)."""

    def may_audit() -> bool:
        return getattr(request, "municipality", None) is not None and can_audit(cast(User, request.user))

    return {"may_audit": may_audit}
