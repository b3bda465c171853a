"""The services' clock: today's date and the time now, unless a historic entry says otherwise.

Every service asks :func:`today` and :func:`now` instead of ``timezone.localdate()``. Normally they
are the same. :func:`entered_as_of` is for bringing history over from an earlier system (the demo
loader replays the seed cases of 2017–2018 this way): inside it, the same services, with the same
rules, act as on that day. Nothing a user does in a request runs inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time

from django.utils import timezone

_as_of: ContextVar[datetime | None] = ContextVar("cases_clock_as_of", default=None)


def now() -> datetime:
    return _as_of.get() or timezone.now()


def today() -> date:
    moment = _as_of.get()
    return timezone.localdate(moment) if moment else timezone.localdate()


@contextmanager
def entered_as_of(day: date, at: time = time(10, 0)) -> Iterator[None]:
    """Run the services as on ``day`` (at ``at``, Swedish time): for entering earlier history."""
    token = _as_of.set(timezone.make_aware(datetime.combine(day, at)))
    try:
        yield
    finally:
        _as_of.reset(token)
