"""Typed requests: what the middleware guarantees a view, said once so views need no casts.

``MunicipalityScopeMiddleware`` sets ``request.municipality``; views behind
``diarium_user_required`` (and the other doors) always have a signed-in ``User`` of that
municipality. Annotate such a view's request as :class:`AuthedRequest` (as healthchecks does
with its ``AuthenticatedHttpRequest``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from .models import Municipality, User


class MunicipalityRequest(HttpRequest):
    """Any request after the middleware: the municipality is set when a member is signed in."""

    municipality: Municipality | None
    htmx: HtmxDetails


class AuthedRequest(HttpRequest):
    """A request from a signed-in member of a municipality (behind one of the permission doors)."""

    user: User
    municipality: Municipality
    htmx: HtmxDetails
