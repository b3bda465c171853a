"""The Swedish calendar: public holidays, working days and statutory deadlines.

Pure Python (standard library only) so that it can be used anywhere, with or without Django.

Deadlines follow Lag (1930:173) om beräkning av lagstadgad tid: when the last day of a period
set by law falls on a Saturday, a Sunday, another public holiday, midsommarafton, julafton or
nyårsafton, the action may still be taken on the next working day (vardag).

The appeal period for laglighetsprövning is set by kommunallagen (2017:725) 13 kap. 5 §: the
appeal must have come in within three weeks from the day the anslag about the justerat
protocol was put up on the municipality's anslagstavla.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

__all__ = [
    "add_working_days",
    "appeal_period_ends",
    "deadline_after",
    "easter_sunday",
    "holiday_name",
    "is_working_day",
    "moved_reason",
    "next_working_day",
    "public_holidays",
]

APPEAL_PERIOD = timedelta(weeks=3)

_SATURDAY = 5
_SUNDAY = 6
_WEEKEND_NAMES: dict[int, str] = {_SATURDAY: "lördag", _SUNDAY: "söndag"}


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the Anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _weekday_between(first: date, weekday: int) -> date:
    """The day with the given weekday (Monday is 0) in the seven days starting at `first`."""
    return first + timedelta(days=(weekday - first.weekday()) % 7)


@lru_cache(maxsize=256)
def _holidays(year: int) -> MappingProxyType[date, str]:
    easter = easter_sunday(year)
    # Under Lag (1930:173) midsommarafton, julafton and nyårsafton count like public holidays
    # for deadlines, and the issue explicitly requires them as non-working days. Påskafton and
    # pingstafton are always Saturdays, so listing them changes no deadline; they are named
    # here so that moved_reason can say which day it was.
    days: list[tuple[date, str]] = [
        (date(year, 1, 1), "nyårsdagen"),
        (date(year, 1, 6), "trettondedag jul"),
        (easter - timedelta(days=2), "långfredagen"),
        (easter - timedelta(days=1), "påskafton"),
        (easter, "påskdagen"),
        (easter + timedelta(days=1), "annandag påsk"),
        (date(year, 5, 1), "första maj"),
        (easter + timedelta(days=39), "Kristi himmelsfärdsdag"),
        (easter + timedelta(days=48), "pingstafton"),
        (easter + timedelta(days=49), "pingstdagen"),
        (date(year, 6, 6), "Sveriges nationaldag"),
        (_weekday_between(date(year, 6, 19), 4), "midsommarafton"),
        (_weekday_between(date(year, 6, 20), _SATURDAY), "midsommardagen"),
        (_weekday_between(date(year, 10, 31), _SATURDAY), "alla helgons dag"),
        (date(year, 12, 24), "julafton"),
        (date(year, 12, 25), "juldagen"),
        (date(year, 12, 26), "annandag jul"),
        (date(year, 12, 31), "nyårsafton"),
    ]
    holidays: dict[date, str] = {}
    for day, name in days:
        # Movable feasts sometimes share a date with a fixed one (Kristi himmelsfärdsdag on
        # första maj in 2008, pingstdagen on the national day in 2049): keep both names.
        holidays[day] = f"{holidays[day]} och {name}" if day in holidays else name
    return MappingProxyType(dict(sorted(holidays.items())))


def public_holidays(year: int) -> dict[date, str]:
    """Every Swedish public holiday and holiday eve of `year`, in date order, by Swedish name.

    Returns a fresh dict; the cached table behind it cannot be changed by callers.
    """
    return dict(_holidays(year))


def holiday_name(day: date) -> str | None:
    """The Swedish name of the holiday on `day`, or None on an ordinary day."""
    return _holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    """A vardag: not a Saturday, not a Sunday and not a public holiday or holiday eve."""
    return day.weekday() not in _WEEKEND_NAMES and day not in _holidays(day.year)


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, otherwise the first working day after it.

    This is the rule of Lag (1930:173): a deadline on a non-working day moves to the next vardag.
    """
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, n: int) -> date:
    """The `n`th working day after `day`; with n == 0, next_working_day(day)."""
    if n < 0:
        raise ValueError(f"n must be zero or more, not {n}")
    if n == 0:
        return next_working_day(day)
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def deadline_after(start: date, *, days: int = 0, weeks: int = 0) -> date:
    """The last day of a period of `weeks` and `days` from `start`, moved under Lag (1930:173)."""
    if days < 0 or weeks < 0:
        raise ValueError(f"the period must not be negative (days={days}, weeks={weeks})")
    return next_working_day(start + timedelta(days=days, weeks=weeks))


def appeal_period_ends(anslag_day: date) -> date:
    """The last day to appeal a decision (laglighetsprövning), kommunallagen 13 kap. 5 §.

    Three weeks from the day the anslag about the justerat protocol went up, moved to the next
    working day under Lag (1930:173) when it falls on a Saturday, Sunday or public holiday.
    """
    return next_working_day(anslag_day + APPEAL_PERIOD)


def moved_reason(original: date) -> str | None:
    """Why a deadline on `original` moves, in Swedish, or None when it stays.

    For example "2018-06-23 är midsommardagen" or "2018-06-02 är en lördag".
    """
    if is_working_day(original):
        return None
    name = holiday_name(original)
    if name is not None:
        return f"{original.isoformat()} är {name}"
    return f"{original.isoformat()} är en {_WEEKEND_NAMES[original.weekday()]}"
