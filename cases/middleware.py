"""Activates the signed-in user's municipality as the django-scopes scope for the request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django_scopes import scope, scopes_disabled

from .models import Municipality


class MunicipalityScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        request.municipality = None  # type: ignore[attr-defined]
        if user.is_authenticated and user.municipality_id:  # type: ignore[union-attr]
            request.municipality = Municipality.objects.get(pk=user.municipality_id)  # type: ignore[attr-defined,union-attr]
            with scope(municipality=request.municipality):  # type: ignore[attr-defined]
                return self.get_response(request)
        if user.is_authenticated and user.is_superuser and request.path.startswith("/admin/"):
            # A superuser without a municipality administers every tenant, in the admin only.
            with scopes_disabled():
                return self.get_response(request)
        # No scope: a tenant query raises. Public views activate the municipality named in their URL.
        return self.get_response(request)
