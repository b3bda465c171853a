from __future__ import annotations

from django import template

from ..oidc import configured_providers

register = template.Library()


@register.inclusion_tag("signin/_oidc_buttons.html")
def oidc_buttons(next_url: str = "") -> dict[str, object]:
    """One button per municipality that has its own sign-in (e-legitimation), on the sign-in page."""
    return {"providers": configured_providers(), "next": next_url}
