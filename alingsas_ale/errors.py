"""The error pages: Swedish, in the site's layout (``handler400`` … ``handler500`` in urls.py).

The 500 and 503 pages are rendered without the request's context processors, so drawing them
touches neither the session nor the database: they must work when those are what failed.
"""

from __future__ import annotations

import logging
import sys

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# A request refused for its size is read to the end (up to this much) before the answer, so the
# client that is still sending gets the Swedish page instead of a connection reset.
DRAIN_MAX_BYTES = 200 * 1024 * 1024

OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


def is_outage(exception: BaseException | None) -> bool:
    """Whether the exception (or one it was raised from) says the database or Redis is unreachable."""
    seen = 0
    while exception is not None and seen < 10:
        if isinstance(exception, OUTAGE_ERRORS):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


def outage_response(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After``: the full page, or a short fragment for an htmx request."""
    if request.headers.get("HX-Request") == "true":
        content = render_to_string("_503.html")
    else:
        content = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _drain(request: HttpRequest) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if length > DRAIN_MAX_BYTES:
        return
    try:
        while request.read(64 * 1024):
            pass
    except Exception:  # noqa: S110 - the client went away; the answer is the same
        pass


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        _drain(request)
        max_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return render(request, "400.html", {"too_large": True, "max_mb": max_mb}, status=413)
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this inside its ``except`` block, so the failure is at hand in ``sys.exc_info()``.

    A failure in a middleware (the session, auth or tenant middleware reading the database) never
    reaches a view's ``process_exception``; it is told apart here and answered with the 503 page.
    """
    if is_outage(sys.exc_info()[1]):
        return outage_response(request)
    return HttpResponse(render_to_string("500.html"), status=500)
