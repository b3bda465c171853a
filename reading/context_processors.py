from typing import Any

from django.http import HttpRequest

from cases.context_processors import nav_facts


def nav(request: HttpRequest) -> dict[str, Any]:
    """Whether the menu shows Mina sammanträden (asked only where the menu is drawn; one query
    together with the unread count, cases.context_processors.nav_facts)."""

    def may_read() -> bool:
        return nav_facts(request)[1]

    return {"has_a_seat": may_read}
