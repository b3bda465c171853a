"""Production hardening that settings and middleware share (docs/security.md).

``secret_key`` decides where the Django secret key comes from, so that no installation can run on a
key that is published in this repository; ``SessionTimeoutMiddleware`` ends a signed-in session after
an idle hour and after a working day in all, whatever happens in between.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

# Keys that were once defaults in this repository (settings.py, docker-compose.yml): known to anyone.
KNOWN_KEYS = frozenset(
    {
        "dev-only-insecure-key-change-me-in-production-0123456789",
        "compose-local-insecure-key-change-me-0123456789abcdef",
    }
)


def _local_socket(database_url: str) -> bool:
    """True without DATABASE_URL or when it names a unix socket on this machine (the embedded server)."""
    if not database_url:
        return True
    parts = urlsplit(database_url)
    host = parse_qs(parts.query).get("host", [parts.hostname or ""])[0]
    return host.startswith("/")


def _read_or_create(path: Path) -> str:
    """The key in ``path``; a new random one written there (0600, atomically) if there is none yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(scratch, path)  # fails if another process was first: then its key is the key
        except FileExistsError:
            pass
        finally:
            scratch.unlink()
    key = path.read_text().strip()
    if len(key) < 50:
        raise ImproperlyConfigured(
            f"Nyckeln i {path} är för kort (minst 50 tecken). / "
            f"The key in {path} is too short (at least 50 characters)."
        )
    return key


def secret_key(*, value: str, key_file: str, default_file: Path, debug: bool, database_url: str) -> str:
    """The SECRET_KEY to use, or ImproperlyConfigured in words an operator understands.

    - ``SECRET_KEY`` set: used, unless it is a key published in this repository and DEBUG is off.
    - ``SECRET_KEY_FILE`` set: the key in that file, generated there on first start.
    - neither, on the embedded database (``scripts/run``, the tests) or with DEBUG on: the key in
      ``var/secret_key``, generated on first start.
    - neither, on a database server reached over the network with DEBUG off: refused, since every
      host of a deployment must share one key that the operator keeps.
    """
    if value:
        if value in KNOWN_KEYS and not debug:
            raise ImproperlyConfigured(
                "SECRET_KEY är en nyckel som står i källkoden och får inte användas i drift: ange en egen "
                "slumpad nyckel (minst 50 tecken). / SECRET_KEY is a key published in the source code and "
                "must not be used with DEBUG=false: set a random key of your own (at least 50 characters)."
            )
        return value
    if key_file:
        return _read_or_create(Path(key_file))
    if debug or _local_socket(database_url):
        return _read_or_create(default_file)
    raise ImproperlyConfigured(
        "SECRET_KEY saknas: ange SECRET_KEY (minst 50 slumpade tecken) eller SECRET_KEY_FILE när DATABASE_URL "
        "pekar på en databasserver. / SECRET_KEY is missing: set SECRET_KEY (at least 50 random characters) "
        "or SECRET_KEY_FILE when DATABASE_URL names a database server."
    )


def start_session_clock(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """Starts both session clocks at sign-in (connected to ``user_logged_in`` in apps.py), in the
    session write the sign-in makes anyway."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SessionTimeoutMiddleware.STARTED] = now
        request.session[SessionTimeoutMiddleware.SEEN] = now


class SessionTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT seconds without a request and after
    SESSION_COOKIE_AGE seconds since signing in, counted on the server (a kept cookie does not help).

    Stands after the authentication middleware. The time of the last request is written at most once
    a minute, so an ordinary page view does not write the session each time.
    """

    STARTED = "_session_started"
    SEEN = "_session_seen"
    WRITE_EVERY = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(self.STARTED)
            seen = session.get(self.SEEN)
            if started is None or seen is None:  # a session from before these limits: the clocks start now
                session[self.STARTED] = started if started is not None else now
                session[self.SEEN] = now
            elif now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)  # flushes the session; the view sees an anonymous user and asks to sign in
            elif now - seen >= self.WRITE_EVERY:
                session[self.SEEN] = now
        return self.get_response(request)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The sign-in page with a Swedish message, answered 429, for a username and address locked out
    by django-axes after AXES_FAILURE_LIMIT failed attempts (AXES_LOCKOUT_CALLABLE)."""
    from django.contrib.auth.forms import AuthenticationForm
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_out": True, "cooloff_minutes": minutes, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


def client_ip(request: HttpRequest) -> str:
    """The client's address for the lockout: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the
    entry the outermost trusted proxy appended to X-Forwarded-For (entries to its left are the
    client's own claims and could be forged)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    return str(request.META.get("REMOTE_ADDR", ""))
