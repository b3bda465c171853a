"""Platform middleware: outages answered in Swedish, and one door for text input.

``OutageMiddleware`` stands first in ``MIDDLEWARE``. A database or Redis failure raised in a view
(or while publishing a task) becomes the 503 page here; one raised in an inner middleware (the
session, auth and tenant middleware read the database before any view runs) is turned into the
same page by ``errors.server_error``.

``CleanInputMiddleware`` normalises every GET and POST value to Unicode NFC and drops NUL and the
other control characters (see ``cases.validation.clean_text``) before any form sees it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.http import HttpRequest, HttpResponse, QueryDict

from cases.validation import clean_text

from .errors import is_outage, outage_response

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict

logger = logging.getLogger(__name__)


class OutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_outage(exception):
            return None
        logger.error("Database or Redis unreachable: %s %s", request.method, request.path, exc_info=exception)
        return outage_response(request)


def _cleaned(data: QueryDict) -> _ImmutableQueryDict:
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        if "password" in key:
            # A password is compared as typed: normalising it would lock out one set in another form.
            cleaned.setlist(key, values)
            continue
        cleaned.setlist(clean_text(key), [clean_text(value) for value in values])
    cleaned._mutable = False
    return cast("_ImmutableQueryDict", cleaned)


class CleanInputMiddleware:
    """Replace ``request.GET`` and, for a form post, ``request.POST`` by their cleaned copies.

    Reading ``request.POST`` here (after the CSRF middleware would have) raises
    ``RequestDataTooBig`` for an oversized post, which Django answers with the 400 handler.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _cleaned(request.GET)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object) -> None:
        if request.method == "POST":
            request.POST = _cleaned(request.POST)
        return None
