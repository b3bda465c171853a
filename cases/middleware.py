"""Activates the signed-in user's municipality as the django-scopes scope for the request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django_scopes import scope, scopes_disabled

from .http import MunicipalityRequest


class MunicipalityScopeMiddleware:
    def __init__(self, get_response: Callable[[MunicipalityRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: MunicipalityRequest) -> HttpResponse:
        user = request.user
        request.municipality = None
        municipality_id = getattr(user, "municipality_id", None)
        if user.is_authenticated and municipality_id:
            # Loaded with the user (signin/backends.py); a user from elsewhere costs one query.
            municipality = user.municipality
            request.municipality = municipality
            with scope(municipality=municipality):
                return self.get_response(request)
        if user.is_authenticated and user.is_superuser and request.path.startswith("/admin/"):
            # A superuser without a municipality administers every tenant, in the admin only.
            with scopes_disabled():
                return self.get_response(request)
        # No scope: a tenant query raises. Public views activate the municipality named in their URL.
        return self.get_response(request)
