from typing import Any, cast

from django.http import HttpRequest

from cases.models import User

from .permissions import can_administer


def nav(request: HttpRequest) -> dict[str, Any]:
    """Whether the menu shows Administration (asked only where the menu is drawn)."""

    def may_administer() -> bool:
        return getattr(request, "municipality", None) is not None and can_administer(cast(User, request.user))

    return {"may_administer": may_administer}
