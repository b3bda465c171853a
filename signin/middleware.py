"""Before anything else, a signed-in user who has a TOTP app gives a code, and one whose role the
municipality requires it for sets an app up (signin/totp.py). What is owed was written into the
session at sign-in, so this costs no query."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

# What a user half-way through signing in may still reach.
OPEN = {"login", "logout", "signin:totp-verify", "signin:totp-enrol", "signin:oidc-start", "signin:oidc-callback"}


class SecondFactorMiddleware:
    """Stands after django-otp's OTPMiddleware (which adds ``request.user.is_verified()``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .totp import pending_step

        if request.user.is_authenticated:
            step = pending_step(request)
            if step is not None and self._url_name(request) not in OPEN:
                target = reverse("signin:totp-verify" if step == "verify" else "signin:totp-enrol")
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _url_name(request: HttpRequest) -> str:
        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return ""
