"""Attributes every write of a request to the signed-in user, their municipality and address."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from .context import Actor, acting


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.client_ip: Callable[[HttpRequest], str] = import_string(settings.AXES_CLIENT_IP_CALLABLE)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def actor() -> Actor:
            # Asked at each write, not now: signing in and out change the user mid-request.
            user = request.user
            return Actor(
                user_id=user.pk if user.is_authenticated else None,
                municipality_id=getattr(user, "municipality_id", None),
                ip=self.client_ip(request),
            )

        with acting(actor):
            return self.get_response(request)
