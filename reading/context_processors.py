from typing import Any, cast

from django.http import HttpRequest

from cases.models import User

from .permissions import holds_a_seat


def nav(request: HttpRequest) -> dict[str, Any]:
    """Whether the menu shows Mina sammanträden (asked only where the menu is drawn)."""

    def may_read() -> bool:
        return getattr(request, "municipality", None) is not None and holds_a_seat(cast(User, request.user))

    return {"has_a_seat": may_read}
