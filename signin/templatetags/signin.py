from __future__ import annotations

from django import template
from django.db import DatabaseError

from ..oidc import configured_providers

register = template.Library()


@register.inclusion_tag("signin/_oidc_buttons.html")
def oidc_buttons(next_url: str = "") -> dict[str, object]:
    """One button per municipality that has its own sign-in (e-legitimation), on the sign-in page.
    With the database down the page still shows the password form (which then answers 503)."""
    try:
        providers = configured_providers()
    except DatabaseError:
        providers = []
    return {"providers": providers, "next": next_url}
