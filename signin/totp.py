"""The second factor: a TOTP app on the phone (django-otp), optional for everyone and required for
the roles a municipality lists in its SignInPolicy. docs/security.md describes the flow.

A wrong code counts as a failed sign-in for django-axes, so guessing codes locks the username and
address out just as guessing passwords does.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Literal, cast

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from alingsas_ale.security import lockout_response
from cases.models import User

from .forms import CodeForm
from .models import SignInPolicy
from .oidc import SIGNED_IN_WITH_OIDC

WRONG_CODE = "Koden stämmer inte. Kontrollera att telefonens klocka går rätt och skriv den kod som visas nu."


def second_factor_done(request: HttpRequest) -> bool:
    """Verified with a code in this session, or signed in through the municipality's own sign-in
    (whose identity provider answers for its own factors, e.g. e-legitimation)."""
    is_verified = getattr(request.user, "is_verified", None)  # added by django-otp's OTPMiddleware
    return bool((is_verified is not None and is_verified()) or request.session.get(SIGNED_IN_WITH_OIDC))


def second_factor_step(user: User) -> Literal["verify", "enrol"] | None:
    """What a signed-in user must do before anything else: give a code, set up an app, or nothing."""
    if user_has_device(user, confirmed=True):
        return "verify"
    policy = SignInPolicy.objects.filter(municipality=user.municipality).first() if user.municipality else None
    if policy is not None and policy.requires_totp(user):
        return "enrol"
    return None


STEP_KEY = "signin.second_factor_step"
OIDC_BACKEND = "signin.oidc.MunicipalityOIDCBackend"


def remember_second_factor_step(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """At sign-in (``user_logged_in``, connected in apps.py), in the session write the sign-in makes
    anyway: what this user must do before anything else, so later requests cost no query. A policy
    the municipality changes applies from each user's next sign-in."""
    if request is None or not hasattr(request, "session"):
        return
    step = None if getattr(user, "backend", "") == OIDC_BACKEND else second_factor_step(user)
    if step is None:
        request.session.pop(STEP_KEY, None)
    else:
        request.session[STEP_KEY] = step


def pending_step(request: HttpRequest) -> str | None:
    """The step a signed-in user still owes in this session, if any."""
    step = request.session.get(STEP_KEY)
    return None if step is None or second_factor_done(request) else str(step)


def _done(request: HttpRequest) -> None:
    request.session.pop(STEP_KEY, None)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url("home")


def _refused(request: HttpRequest, user: User) -> HttpResponse | None:
    """The lockout page (and signed out) if this username and address are locked out, else None."""
    credentials = {"username": user.username}
    if getattr(request, "axes_locked_out", False) or AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return lockout_response(request, credentials=credentials)
    return None


def _wrong_code(request: HttpRequest, user: User, form: CodeForm) -> HttpResponse | None:
    user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
    form.add_error("code", _(WRONG_CODE))
    return _refused(request, user)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Give the code from the app set up earlier."""
    user = cast(User, request.user)
    if second_factor_done(request) or second_factor_step(user) != "verify":
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        refused = _refused(request, user)
        if refused is not None:
            return refused
        if form.is_valid():
            device = match_token(user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                _done(request)
                return redirect(_next(request))
            refused = _wrong_code(request, user, form)
            if refused is not None:
                return refused
    return render(request, "signin/totp_verify.html", {"form": form, "next": _next(request)})


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up a TOTP app: the secret as a QR code and as text, confirmed by a first code."""
    user = cast(User, request.user)
    if user_has_device(user, confirmed=True):
        return redirect(_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Autentiseringsapp"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        refused = _refused(request, user)
        if refused is not None:
            return refused
        if form.is_valid():
            if device.verify_token(form.cleaned_data["code"]):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                _done(request)
                messages.success(request, _("Tvåstegsverifieringen är påslagen."))
                return redirect(_next(request))
            refused = _wrong_code(request, user, form)
            if refused is not None:
                return refused
    context = {
        "form": form,
        "next": _next(request),
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        "secret": b32encode(device.bin_key).decode(),
        "required": second_factor_step(user) == "enrol",
    }
    return render(request, "signin/totp_enrol.html", context)
