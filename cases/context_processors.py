import functools
from datetime import date
from typing import Any

from django.db import connections, router
from django.http import HttpRequest
from django.utils import timezone

from alingsas_ale.hotpath import execute_prepared

from .models import Membership, Notification, Person
from .permissions import can_register


def nav_facts(request: HttpRequest) -> tuple[int, bool]:
    """(unread notifications, holds a seat today) for the menu, in one statement written once per
    process (menu_facts), once per request."""
    cached = getattr(request, "_nav_facts", None)
    if cached is not None:
        return cached
    user = request.user
    today = timezone.localdate()
    also = getattr(user, "also", None)  # read with the user, in the same statement (menu_columns)
    if getattr(request, "municipality", None) is None or not user.is_authenticated:
        facts = (0, False)
    elif also is not None and also[0] == today and user.municipality_id == request.municipality.pk:  # type: ignore[attr-defined]
        facts = (int(also[1]), bool(also[2]))
    else:
        facts = menu_facts(user.pk, request.municipality.pk, today)  # type: ignore[attr-defined]
    request._nav_facts = facts  # type: ignore[attr-defined]
    return facts


def menu_facts(user_id: int, municipality_id: int, day: date) -> tuple[int, bool]:
    """(unread notifications, holds a seat on ``day``) for the menu, in one statement.

    The seat is the test of reading.permissions.holds_a_seat: a seat whose period covers the day.
    """
    with connections[router.db_for_read(Notification)].cursor() as cursor:
        params = {"user": user_id, "municipality": municipality_id, "day": day}
        execute_prepared(cursor, "cases_menu_facts", "SELECT " + _menu_sql("%(user)s", "%(municipality)s"), params)
        unread, seat = cursor.fetchone()
    return int(unread), bool(seat)


def menu_columns() -> tuple[str, str, dict[str, Any]]:
    """The menu's facts as columns of the signed-in user's own statement (signin.backends, with
    alingsas_ale.hotpath.user_with_municipality): the day, the unread count, the seat. Every page
    draws the menu, and one statement beats two."""
    return "menu", "%(day)s::date, " + _menu_sql("u.id", "u.municipality_id"), {"day": timezone.localdate()}


@functools.cache
def _menu_sql(user: str, municipality: str) -> str:
    """The unread count and the seat, as two columns, for the user and municipality given as SQL
    (parameters, or the columns of the user's own row)."""
    notification, membership, person = Notification._meta, Membership._meta, Person._meta
    # Table names from the models, values are parameters.
    return (
        f'(SELECT count(*) FROM "{notification.db_table}" n '  # noqa: S608
        f"WHERE n.recipient_id = {user} AND n.municipality_id = {municipality} AND n.read_at IS NULL), "
        f'EXISTS (SELECT 1 FROM "{membership.db_table}" s JOIN "{person.db_table}" p ON p.id = s.person_id '
        f"WHERE p.user_id = {user} AND s.municipality_id = {municipality} "
        "AND s.starts_on <= %(day)s AND (s.ends_on IS NULL OR s.ends_on >= %(day)s))"
    )


def municipality(request: HttpRequest) -> dict[str, Any]:
    """The active municipality and what the menu needs; each value is computed only where drawn.

    The menu asks the permission door (never ``user.roles`` in a template), so the links shown
    are exactly the pages the user may open.
    """
    current = getattr(request, "municipality", None)

    def unread_count() -> int:
        return nav_facts(request)[0]

    def may_register_case() -> bool:
        return current is not None and can_register(request.user)  # type: ignore[arg-type]

    return {
        "municipality": current,
        "unread_count": unread_count,
        "may_register_case": may_register_case,
    }
