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

A signed-in user's page (:func:`kept_for_user`) is kept for that user alone, with the tables its
rendering read and their version (audit.changes: the version of a set of tables moves on with every
committed write to any of them, through whatever path), under a key of the page's address, the
user's session, the day and the language. A later view reads the kept page, then the version of
its tables now, in one statement with the whole municipality's, and serves it if they are the same.
So a draft saved in papers does not put aside the diarium's kept pages, and a case registered does.
The tables are those named by every statement the page sent while rendered (``EXECUTE`` of a
prepared statement by the statement's SQL), with the user's and the municipality's, read before the
view. The versions a page is kept under are read before it is rendered, so it shows that state or a
later one: a write made while it renders makes the next view render it again, and a page is never
served under a version newer than what it shows. A page rendered for the first time (its tables not
yet known) is kept under the whole municipality's version until its first view, which puts its
tables' version in its place. On a view that renders, this costs one query more than the page.

The diarium, a case, Mina ärenden, remissbevakningen, a meeting and the reading room's meeting are
rendered once per user and state of what they read, and each later view is the session, the user,
one Redis read and the version.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
import re
import uuid
import zlib
from collections.abc import Callable
from typing import Any, TypeVar, cast, overload

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.translation import get_language

from alingsas_ale.hotpath import STATEMENTS
from audit import changes

logger = logging.getLogger(__name__)

STARTED = uuid.uuid4().hex  # this process's code: see the module's docstring
NONCE = "\x00csp-nonce\x00"
CSRF = "\x00csrf-token\x00"
NONCE_BYTES, CSRF_BYTES = NONCE.encode(), CSRF.encode()
# A fresh id per response (the reading room's new note): a page being kept holds this one, a valid
# UUID so that URLs reverse with it, and each response served from it gets its own.
FRESH_ID = uuid.UUID("00000000-0000-4000-8000-6b6570742d69")
FRESH_BYTES = str(FRESH_ID).encode()
# A kept page is asked for under its fingerprint only while its data is unchanged; this bounds what
# pages of states long past occupy in Redis.
TIMEOUT = 60 * 60
# A user's page is kept per user and state of the municipality's data: every view after a write
# keeps one more. They are kept compressed (a diarium page of 116 kB is 15 kB) and for ten minutes,
# which bounds what they hold in Redis by the pages rendered in ten minutes (docs/scaling.md).
USER_TIMEOUT = 10 * 60


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
        kept = _marked(request, render_to_string(template, {**context(), "csrf_token": CSRF}, request).encode())
        try:
            cache.set(name, kept, TIMEOUT)
        except Exception as error:  # noqa: BLE001 - the page is answered all the same
            logger.warning("page cache unavailable (%s)", error)
    return HttpResponse(_filled(request, kept))


def _marked(request: HttpRequest, page: bytes) -> bytes:
    """A page rendered to be kept, its CSP nonce replaced by the marker (the CSRF token and the fresh
    id were rendered as markers)."""
    return page.replace(str(request.csp_nonce).encode(), NONCE_BYTES)  # type: ignore[attr-defined]


def _filled(request: HttpRequest, kept: bytes) -> bytes:
    """A kept page with this response's CSP nonce, CSRF token and fresh id. Pages are kept and
    filled encoded, never decoded (a diarium page: 116 kB)."""
    filled = kept.replace(NONCE_BYTES, str(request.csp_nonce).encode())  # type: ignore[attr-defined]
    if CSRF_BYTES in filled:
        filled = filled.replace(CSRF_BYTES, get_token(request).encode())
    if FRESH_BYTES in filled:
        filled = filled.replace(FRESH_BYTES, str(uuid.uuid4()).encode())
    return filled


def fresh_id(request: HttpRequest) -> uuid.UUID:
    """A new UUID for this response, also when the page is served kept (FRESH_ID)."""
    return FRESH_ID if getattr(request, "_keeping_page", False) else uuid.uuid4()


def csrf_marker(request: HttpRequest) -> dict[str, str]:
    """Context processor (after Django's own, so it wins): while a page is being rendered to be kept,
    its CSRF token is the marker that each response fills in."""
    return {"csrf_token": CSRF} if getattr(request, "_keeping_page", False) else {}


# The session's clocks (alingsas_ale.security) move on while the pages stay the same.
SESSION_CLOCKS = frozenset({"_session_started", "_session_seen"})

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


@overload
def kept_for_user(view: View) -> View: ...
@overload
def kept_for_user(*, on_hit: Callable[..., object], on_hit_every: int = 0) -> Callable[[View], View]: ...


def kept_for_user(
    view: View | None = None, *, on_hit: Callable[..., object] | None = None, on_hit_every: int = 0
) -> Any:
    """Keep a signed-in user's GET page (see the module's docstring). Only for views whose page is
    drawn from the database, the request's address and the session alone. A view that writes on GET
    (the reading room's visit) names the write as ``on_hit``, called with the view's arguments when
    the page is served kept; with ``on_hit_every``, at most once in that many seconds per user and
    page, counting the rendering (which wrote it itself). A page answered with anything but 200
    HTML, or that queued a message or set a cookie, is answered and not kept."""
    if view is None:
        return functools.partial(_kept, on_hit=on_hit, on_hit_every=on_hit_every)
    return _kept(view, on_hit=on_hit, on_hit_every=on_hit_every)


def _kept(view: View, *, on_hit: Callable[..., object] | None, on_hit_every: int = 0) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        municipality = getattr(request, "municipality", None)
        if (
            not settings.KEPT_PAGES
            or request.method != "GET"
            or not user.is_authenticated
            or municipality is None
            or len(get_messages(request))
        ):
            return view(request, *args, **kwargs)
        session = sorted((k, repr(v)) for k, v in request.session.items() if k not in SESSION_CLOCKS)
        key = (
            STARTED,
            user.pk,
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Target", ""),
            get_language(),
            timezone.localdate(),
            session,
        )
        name = "page:user:" + hashlib.sha256(repr(key).encode()).hexdigest()
        try:
            redis, name = _redis(name)
            packed = redis.get(name)
        except Exception as error:  # noqa: BLE001 - without the cache the page is rendered
            logger.warning("page cache unavailable (%s)", error)
            return view(request, *args, **kwargs)
        expected: tuple[str, ...] = ()
        expected_version: changes.Version | None = None
        if packed is not None:
            tables, version, whole, page = pickle.loads(packed)  # noqa: S301 - written by this function only
            whole_now, version_now = changes.versions(municipality.pk, tables)
            # Kept under its tables' version, or, on its first view, under the whole municipality's
            # (nothing written anywhere since: the tables' version now is the page's).
            if version_now == version or (version is None and whole_now == whole):
                if on_hit is not None and _due(redis, name, on_hit_every):
                    on_hit(request, *args, **kwargs)
                if version is None:
                    _keep(redis, name, (tables, version_now, whole, page))
                return HttpResponse(_filled(request, zlib.decompress(page)))
            before, expected, expected_version = whole_now, tables, version_now
        else:
            before = changes.version(municipality.pk)
        request._keeping_page = True  # type: ignore[attr-defined]
        sent: list[str] = []
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_recording(sent)):
                response = view(request, *args, **kwargs)
                if isinstance(response, SimpleTemplateResponse):
                    response.render()
        finally:
            request._keeping_page = False  # type: ignore[attr-defined]
        if response.streaming or not isinstance(response, HttpResponse):
            return response
        tables_now = tables_read(sent)
        if tables_now is not None and _keepable(request, response):
            # Versions read before the rendering: the page shows that state or a later one, so a
            # write made meanwhile makes the next view render again, never serve an older page.
            version = expected_version if set(tables_now) <= set(expected) else None
            page = zlib.compress(_marked(request, response.content), 1)
            _keep(redis, name, (expected if version is not None else tables_now, version, before, page))
            if on_hit is not None:
                _due(redis, name, on_hit_every)  # the view wrote it: the next is due in on_hit_every
        response.content = _filled(request, response.content)  # the markers rendered in place of the token and id
        return response

    return cast(View, wrapper)


def _keep(redis: Any, name: str, entry: tuple[Any, ...]) -> None:
    try:
        redis.set(name, pickle.dumps(entry), ex=USER_TIMEOUT)
    except Exception as error:  # noqa: BLE001 - the page is answered all the same
        logger.warning("page cache unavailable (%s)", error)


def _due(redis: Any, name: str, every: int) -> bool:
    """Whether the page's ``on_hit`` is due: true at most once in ``every`` seconds (always without
    ``every``). One Redis SET NX, which also starts the next interval."""
    if not every:
        return True
    try:
        return bool(redis.set(name + ":hit", b"1", nx=True, ex=every))
    except Exception as error:  # noqa: BLE001 - without the cache the write is made
        logger.warning("page cache unavailable (%s)", error)
        return True


def _recording(sent: list[str]) -> Callable[..., Any]:
    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        sent.append(sql)
        return execute(sql, params, many, context)

    return record


# Read before any view, by the middleware, in the signed-in user's statement (signin.backends): the
# user with their roles, the municipality, and the menu's unread count and seat
# (tests/test_kept_pages.py holds this list to that statement).
READ_BEFORE_THE_VIEW = ("cases_municipality", "cases_user", "cases_notification", "cases_membership", "cases_person")
_EXECUTE = re.compile(r"\s*EXECUTE\s+(\w+)")


def tables_read(statements: list[str]) -> tuple[str, ...] | None:
    """The audited tables named in ``statements`` (a prepared statement's ``EXECUTE`` by its SQL),
    with READ_BEFORE_THE_VIEW, sorted; None if one names a table of the application that the audit
    trail does not watch (the outbox, the sign-in policies: a page that reads one is not kept)."""
    found = set(READ_BEFORE_THE_VIEW)
    watched, unwatched = _table_patterns()
    for sql in statements:
        prepared = _EXECUTE.match(sql)
        if prepared:
            sql = STATEMENTS.get(prepared.group(1), "")
        if unwatched.search(sql):
            return None
        found.update(watched.findall(sql))
    return tuple(sorted(found))


# Tables of models that no page's data version needs: the log itself (the version is read from
# it), and what only migrate writes.
NEVER_SHOWN = frozenset({"audit_auditentry", "django_content_type", "auth_permission", "django_migrations"})


@functools.cache
def _table_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(every table with the audit trigger, every other table of a model but NEVER_SHOWN)."""
    from django.apps import apps

    from audit.schema import is_audited

    names = {model._meta.db_table for model in apps.get_models(include_auto_created=True)} - NEVER_SHOWN
    watched = {name for name in names if is_audited(name)}

    def pattern(tables: set[str]) -> re.Pattern[str]:
        return re.compile(r"\b(" + "|".join(sorted(tables, key=len, reverse=True)) + r")\b")

    return pattern(watched), pattern(names - watched)


def _redis(name: str) -> tuple[Any, str]:
    """The Redis client of the default cache, kept on the cache object (one per process and
    setting), and ``name`` as that cache names its keys. Django's cache builds a client for every
    call (0.4 ms of a kept page's 4) and pickles values; a kept page is bytes and needs neither."""
    backend: Any = caches["default"]
    client = getattr(backend, "_kept_pages_client", None)
    if client is None:
        client = backend._cache.get_client(write=True)
        backend._kept_pages_client = client
    return client, backend.make_and_validate_key(name)


def cache_emptied() -> int:
    """Delete the default cache's own keys (under its key prefix and version: the kept pages, the
    handläggare lists), and only those: without CACHE_URL the cache shares its Redis database with
    Celery's queue, which FLUSHDB would empty too. Returns how many went (manage.py restore)."""
    client, pattern = _redis("*")
    keys = list(client.scan_iter(match=pattern, count=1000))
    return sum(int(client.delete(*keys[start : start + 1000])) for start in range(0, len(keys), 1000))


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not getattr(messages, "added_new", False)
    )
