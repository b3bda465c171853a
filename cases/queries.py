"""Reads of the diarium: filtering, free-text search and keyset pagination."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django_scopes import get_scope

from .models import Case, CaseQuerySet, Municipality, Remiss, RemissStatus

# A diarienummer as people type it: an optional "Dnr"/"dnr:"/"diarienummer" first, then a series,
# a four-digit year and a number with any of the usual separators ("KS 2017/407", "KS.2017.407",
# "ks-2017-407"), or only year and number ("2017.407"), or only the number ("407").
DNR_PREFIX = re.compile(r"^(?:dnr|diarienummer|diarienr)\.?\s*:?\s*", re.IGNORECASE)
LOOSE_DIARIENUMMER = re.compile(
    r"^(?P<series>[A-ZÅÄÖ][A-ZÅÄÖ0-9]{0,9})[\s./-]*(?P<year>\d{4})[\s./-]+(?P<number>\d{1,7})$"
)
YEAR_AND_NUMBER = re.compile(r"^(?P<year>(?:19|20)\d{2})[\s./-]+(?P<number>\d{1,7})$")
NUMBER_ONLY = re.compile(r"^\d{1,7}$")
# Looks like an attempt at a diarienummer (a series, then only digits and separators) but is none.
DIARIENUMMER_ATTEMPT = re.compile(r"^[A-ZÅÄÖ]{1,10}[\s./-]*\d[\d\s./-]*$")
WORD = re.compile(r"[\wåäöÅÄÖéÉüÜ]+")


@dataclass(frozen=True)
class DiarienummerQuery:
    """What a typed diarienummer names; a part left out matches any value."""

    number: int
    year: int | None = None
    series: str | None = None

    @property
    def is_complete(self) -> bool:
        return self.series is not None and self.year is not None


PAGE_SIZE = 25
COUNT_LIMIT = 1000
# A search whose words the statistics say more than this many of the municipality's cases hold all of
# is not counted: the list says "fler än 1 000" (search_is_common). A word outside the statistics' most
# common ones is always counted exactly, which is cheap because it is rarer than they are.
ESTIMATE_TRUSTED = 5 * COUNT_LIMIT


class SearchError(ValueError):
    pass


def parse_diarienummer_query(municipality: Municipality, text: str) -> DiarienummerQuery | None:
    """Read a diarienummer typed in any of the common forms; None if the text is not one.

    Raises SearchError, with the reason in Swedish, for something that looks like a diarienummer
    but cannot be one (a two-digit year, a missing number).
    """
    text = " ".join(text.split())
    had_prefix = bool(DNR_PREFIX.match(text))
    text = DNR_PREFIX.sub("", text)
    parsed = municipality.parse_diarienummer(text)
    if parsed:
        return DiarienummerQuery(series=parsed[0], year=parsed[1], number=parsed[2])
    # A series in capitals, or in any case after "dnr" ("dnr: ks-2017-407"); never a plain word.
    loose = LOOSE_DIARIENUMMER.match(text.upper() if had_prefix else text)
    if loose:
        return DiarienummerQuery(series=loose["series"].upper(), year=int(loose["year"]), number=int(loose["number"]))
    year_and_number = YEAR_AND_NUMBER.match(text)
    if year_and_number:
        return DiarienummerQuery(year=int(year_and_number["year"]), number=int(year_and_number["number"]))
    if NUMBER_ONLY.match(text) and had_prefix:
        return DiarienummerQuery(number=int(text))  # "dnr 407"
    if had_prefix or DIARIENUMMER_ATTEMPT.match(text.upper() if had_prefix else text):
        raise SearchError(_diarienummer_problem(municipality, text))
    return None


def _diarienummer_problem(municipality: Municipality, text: str) -> str:
    example = municipality.diarienummer_example()
    digits = re.findall(r"\d+", text)
    if not digits:
        reason = _("det saknar år och löpnummer")
    elif len(digits) == 1:
        reason = _("det saknar antingen år eller löpnummer")
    elif len(digits[0]) != 4:
        reason = _("året ”%(year)s” ska skrivas med fyra siffror") % {"year": digits[0]}
    else:
        reason = _("det har fler delar än serie, år och löpnummer")
    return _("”%(text)s” kan inte vara ett diarienummer: %(reason)s. Skriv t.ex. %(example)s, 2017.407 eller 407.") % {
        "text": text,
        "reason": reason,
        "example": example,
    }


def diarienummer_q(query: DiarienummerQuery) -> Q:
    lookup: dict[str, Any] = {"number": query.number}
    if query.year is not None:
        lookup["year"] = query.year
    if query.series is not None:
        lookup["series"] = query.series
    return Q(**lookup)


def prefix_query(text: str) -> SearchQuery | None:
    """A Swedish full-text query where every word must match, the last one also as a prefix."""
    words = WORD.findall(text.lower())
    if not words:
        return None
    # Whole words match their lexeme; only the last word, perhaps typed in part, also matches as a
    # prefix. A prefix gathers every lexeme that begins so (at a million cases, bench/pages.py's data,
    # "budget:* & avtal:*" took 114 ms where "budget & avtal:*" took 20), so the words before it are exact.
    terms = [*words[:-1], f"{words[-1]}:*"]
    return SearchQuery(" & ".join(terms), search_type="raw", config="swedish")


def diarium_filter(qs: CaseQuerySet, municipality: Municipality, data: dict[str, Any]) -> CaseQuerySet:
    if data.get("body"):
        qs = qs.filter(body=data["body"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("year"):
        qs = qs.filter(year=data["year"])
    if data.get("handler"):
        qs = qs.filter(handler=data["handler"])
    text = (data.get("q") or "").strip()
    if text:
        parsed = parse_diarienummer_query(municipality, text)
        if parsed is not None and parsed.is_complete:
            qs = qs.filter(diarienummer_q(parsed))
        elif parsed is not None or NUMBER_ONLY.match(text):
            # "2017.407" or "407": a year and löpnummer of any series, or words in a title ("2018-2021").
            by_number = parsed or DiarienummerQuery(number=int(text))
            query = prefix_query(text)
            words = Q(search_vector=query) if query is not None else Q(pk__in=[])
            qs = qs.filter(diarienummer_q(by_number) | words)
        else:
            query = prefix_query(text)
            qs = qs.filter(search_vector=query) if query is not None else qs.none()
    return qs


@dataclass
class KeysetPage:
    rows: list[Case]
    next_cursor: int | None
    prev_cursor: int | None
    total: int
    total_is_lower_bound: bool


def _newest_id_of_municipality() -> RawSQL | None:
    """The active municipality's newest case id, as a subquery (an index-only look-up in
    case_list_idx). Walking the primary key backwards from there skips the newer cases of other
    municipalities, which the planner cannot know lie above: at a million cases in Ale below
    100,000 newer ones in Alingsås, the first page took 40 ms of walking, bounded it takes 0.1 ms."""
    municipality = get_scope().get("municipality")
    municipality_id = getattr(municipality, "pk", municipality)
    if not isinstance(municipality_id, int):
        return None  # no single municipality active (scopes disabled): no bound
    table = Case._meta.db_table
    # The table name is the model's and the id a parameter.
    return RawSQL(f"SELECT max(id) FROM {table} WHERE municipality_id = %s", [municipality_id])  # noqa: S608, S611


def keyset_page(
    qs: CaseQuerySet, *, after: int | None, before: int | None, size: int = PAGE_SIZE, likely_many: bool = False
) -> KeysetPage:
    """Newest first, by id. Pages are found by the index, never by OFFSET, so page 4,000
    costs what page 1 does; the count stops at COUNT_LIMIT.

    When the bounded count shows few matches (a rare search word), the rows are sorted
    after matching rather than found by walking the id index: walking a million ids to
    find a handful of matches took 330 ms, matching first takes a few ms.

    ``likely_many`` (see :func:`search_is_common`) skips the count: for a common word PostgreSQL
    builds the whole GIN bitmap before a LIMIT applies (170,000 matches: 63 ms). A first page that
    then comes back short was an overestimate, and its rows are the exact total.
    """
    if likely_many:
        total = COUNT_LIMIT + 1
    else:
        total = qs.order_by().values("pk")[: COUNT_LIMIT + 1].count()
    few = total <= COUNT_LIMIT
    # "pk + 0" is the same order, but no index provides it, so the planner matches first.
    newest_first = (F("pk") + 0).desc() if few else "-pk"
    oldest_first = (F("pk") + 0).asc() if few else "pk"
    if before is not None:
        rows = list(qs.filter(pk__gt=before).order_by(oldest_first)[: size + 1])
        has_more_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        next_cursor = rows[-1].pk if rows else None
        prev_cursor = rows[0].pk if rows and has_more_newer else None
    else:
        if after is not None:
            qs = qs.filter(pk__lt=after)
        elif not few and (newest := _newest_id_of_municipality()) is not None:
            qs = qs.filter(pk__lte=newest)
        rows = list(qs.order_by(newest_first)[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size]
        next_cursor = rows[-1].pk if rows and has_more else None
        prev_cursor = rows[0].pk if rows and after is not None else None
    if likely_many and after is None and before is None and next_cursor is None:
        total, few = len(rows), True  # the estimate was far off: the first page holds every match
    return KeysetPage(
        rows=rows,
        next_cursor=next_cursor,
        prev_cursor=prev_cursor,
        total=min(total, COUNT_LIMIT),
        total_is_lower_bound=not few,
    )


def open_cases_for(user: Any) -> CaseQuerySet:
    return Case.objects.open().handled_by(user).for_list().order_by("-registered_on", "-pk")


def remiss_board(qs: Any, data: dict[str, Any], today: Any) -> Any:
    """The secretary's deadline board: remisser per body, by state, sorted."""
    from datetime import timedelta

    from .models import RemissStatus

    body = data.get("body")
    direction = data.get("direction") or ""
    if body is not None:
        if direction == "sent":
            qs = qs.filter(from_body=body)
        elif direction == "received":
            qs = qs.filter(to_body=body)
        else:
            qs = qs.filter(Q(from_body=body) | Q(to_body=body))
    view = data.get("view") or "pending"
    if view == "pending":
        qs = qs.pending()
    elif view == "week":
        monday = today - timedelta(days=today.weekday())
        qs = qs.pending().filter(deadline__gte=monday, deadline__lte=monday + timedelta(days=6))
    elif view == "overdue":
        qs = qs.filter(status=RemissStatus.OVERDUE)
    elif view == "answered":
        qs = qs.filter(status=RemissStatus.ANSWERED)
    sort = data.get("sort") or "deadline"
    order = {
        "deadline": ["deadline", "pk"],
        "-deadline": ["-deadline", "-pk"],
        "case": ["case__series", "case__year", "case__number", "to_body__name"],
        "to_body": ["to_body__name", "deadline"],
    }[sort]
    return qs.order_by(*order)


def remisser_followed_by(user: Any) -> Q:
    """Remisser a user follows: in cases they handle, or to or from bodies their department serves."""
    q = Q(case__handler=user) | Q(response_case__handler=user)
    if user.department_id:
        q |= Q(to_body__departments=user.department_id) | Q(from_body__departments=user.department_id)
    return q


def desk_cases(user: Any, *, department_queue_of: int | None) -> tuple[list[Case], list[Case]]:
    """The open cases one handles and, for a head or registrar, the department's unassigned queue,
    read in one query and split (Mina ärenden keeps within its query budget)."""
    wanted = Q(handler=user)
    if department_queue_of:
        wanted |= Q(department_id=department_queue_of, handler=None)
    rows = list(Case.objects.open().filter(wanted).for_list().order_by("-registered_on", "-pk")[:400])
    mine = [c for c in rows if c.handler_id == user.pk][:200]
    queue = sorted((c for c in rows if c.handler_id is None), key=lambda c: c.pk)[:100]
    return mine, queue


def department_queue(department_id: int) -> CaseQuerySet:
    """Open cases assigned to a department but to no handläggare yet: the department's queue."""
    return Case.objects.open().filter(department_id=department_id, handler=None).for_list().order_by("pk")


def remisser_to_answer(user: Any) -> Any:
    """Remisser the user's side must answer: received ones whose receiving case they handle, or
    that arrived in their department, nearest deadline first."""
    mine = Q(response_case__handler=user)
    if user.department_id:
        mine |= Q(response_case__department=user.department_id)
    return (
        Remiss.objects.filter(mine, status__in=[RemissStatus.RECEIVED, RemissStatus.OVERDUE], answer_source=None)
        .select_related("case", "from_body", "to_body", "response_case__handler")
        .order_by("deadline", "pk")
    )


def counted_page(qs: QuerySet[Any], number: str | None, per_page: int) -> Page[Any]:
    """One page of ``qs`` as Django's Paginator gives it, counted in the same query as the rows
    (a window count), so a short list costs one query instead of a COUNT and a SELECT.

    An empty list is its empty first page, uncounted. A page past the end, or a page number that is
    not one, falls back to Paginator.get_page.
    """
    try:
        wanted = max(int(number or 1), 1)
    except ValueError:
        wanted = 1
    start = (wanted - 1) * per_page
    rows = list(qs.annotate(_page_total=Window(Count("pk")))[start : start + per_page])
    paginator = Paginator(qs, per_page)
    if not rows and wanted == 1:  # nothing at all: the first page, empty, as Paginator gives it
        paginator.count = 0
        return Page([], 1, paginator)
    if not rows:
        return paginator.get_page(number)
    paginator.count = rows[0]._page_total  # a cached_property: set here, never computed
    return Page(rows, wanted, paginator)


def search_is_common(municipality: Municipality, data: dict[str, Any]) -> bool:
    """Whether the diarium's search is free text only, of words so common that the municipality has
    more than ESTIMATE_TRUSTED cases holding them all (one look at the statistics, nothing counted)."""
    text = (data.get("q") or "").strip()
    if not text or any(data.get(name) for name in ("body", "status", "year", "handler")):
        return False
    if parse_diarienummer_query(municipality, text) is not None or NUMBER_ONLY.match(text):
        return False
    with connection.cursor() as cursor:
        # From pg_stats: each word's share of the rows (the search_vector's most common elements) times
        # the municipality's share, times the table's rows; 0 when a word is not among the most common
        # (cases/migrations/0014_search_estimate_function.py).
        cursor.execute("SELECT cases_search_estimate(%s, %s)", [" ".join(WORD.findall(text)), municipality.pk])
        (estimate,) = cursor.fetchone()
    return (estimate or 0) > ESTIMATE_TRUSTED
