"""Whole public pages kept in the shared cache under a key made of exactly what they show.

A public page that everyone sees alike (the anslagstavla) is rendered once per state of its data
and then served from Redis. There is no invalidation to forget: the key holds a fingerprint of every
row the page reads (each row's id and ``xmin``, the id of the transaction that wrote that version of
the row, so any committed insert, update or delete changes it), the day, the language and the
template's own inputs, read by the view in one statement. A change in the data is a new key; the old
page is never asked for again and expires.

The key also holds the process's start (``STARTED``): a deploy that changes a template, a
translation or a static file's hashed name restarts the processes, and a page kept by the old code
is never served by the new. Each process renders a state once (four web workers, four renders).

Only an anonymous visitor without pending messages gets a kept page (a signed-in user's page shows
their menu). The two values that differ per response are put back on every hit: the Content
Security Policy nonce and the CSRF token (rendered as markers, filled in from the request). Without
Redis the page is rendered as if nothing were kept.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

STARTED = uuid.uuid4().hex  # this process's code: see the module's docstring
NONCE = "\x00csp-nonce\x00"
CSRF = "\x00csrf-token\x00"
# A kept page is asked for under its fingerprint only while its data is unchanged; this bounds what
# pages of states long past occupy in Redis.
TIMEOUT = 60 * 60


def public_page(
    request: HttpRequest, key: tuple[Any, ...], template: str, context: Callable[[], dict[str, Any]]
) -> HttpResponse:
    """The page ``template`` with ``context()``, kept under ``key`` (which must hold everything the
    page shows: see the module's docstring) for anonymous visitors."""
    signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
    # Messages are counted without marking them read: the page shows them.
    if signed_in or len(get_messages(request)):
        return render(request, template, context())
    name = "page:" + hashlib.sha256(repr((STARTED, template, get_language(), *key)).encode()).hexdigest()
    try:
        kept = cache.get(name)
    except Exception as error:  # noqa: BLE001 - without the cache the page is rendered
        logger.warning("page cache unavailable (%s)", error)
        return render(request, template, context())
    if kept is None:
        html = render_to_string(template, {**context(), "csrf_token": CSRF}, request)
        kept = html.replace(str(request.csp_nonce), NONCE)  # type: ignore[attr-defined]
        try:
            cache.set(name, kept, TIMEOUT)
        except Exception as error:  # noqa: BLE001 - the page is answered all the same
            logger.warning("page cache unavailable (%s)", error)
    filled = kept.replace(NONCE, str(request.csp_nonce)) if NONCE in kept else kept  # type: ignore[attr-defined]
    if CSRF in filled:
        filled = filled.replace(CSRF, get_token(request))
    return HttpResponse(filled)
