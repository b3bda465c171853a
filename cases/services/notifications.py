"""Notifications: one per person per event, in the inbox and by e-mail (sent by the worker)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from ..models import Body, Department, Notification, User


def fit(text: str, limit: int | None) -> str:
    """``text`` cut to at most ``limit`` characters (a field's max_length), with an ellipsis where cut."""
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def people_of_body(body: Body, *roles: str) -> list[User]:
    """Active users with one of ``roles`` in a department serving ``body``; if the body's
    departments have none (a central registry), those of the whole municipality. One query."""
    return people_of_bodies([body], *roles)[body.pk]


def people_of_bodies(bodies: Iterable[Body], *roles: str) -> dict[int, list[User]]:
    """``people_of_body`` for several bodies at once, by body id: one query, however many bodies.
    It reads the people of the departments serving them, each with the bodies their department
    serves, and the whole municipality's only when one of the bodies has nobody of its own."""
    ids = [body.pk for body in bodies]
    base = User.in_municipality.filter(is_active=True, roles__overlap=list(roles))
    serving = Department.bodies.through.objects.filter(body_id__in=ids).values("department_id")
    served = Department.bodies.through.objects.filter(
        body_id=OuterRef("pk"), department_id__in=base.values("department_id")
    )
    unserved = Body.objects.filter(pk__in=ids).exclude(Exists(served))
    serves = ArraySubquery(
        Department.bodies.through.objects.filter(department_id=OuterRef("department_id")).values("body_id")
    )
    people = list(base.filter(Q(department_id__in=serving) | Exists(unserved)).annotate(serves=serves).order_by("pk"))
    found: dict[int, list[User]] = {}
    for body_id in ids:
        found[body_id] = [user for user in people if body_id in (user.serves or ())] or people
    return found


# One INSERT for all of the notifications of one or more events; a person who already has one (the
# same key) is skipped by the unique constraint, so a task that runs twice never notifies anyone twice.
_NOTIFY_SQL = """
    INSERT INTO {table} (municipality_id, recipient_id, key, subject, body, url, created_at, email_error)
    SELECT %s, recipient, key, subject, body, url, %s, ''
    FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) AS n(recipient, key, subject, body, url)
    ON CONFLICT (recipient_id, key) DO NOTHING
    RETURNING {columns}
"""


@dataclass(frozen=True)
class Notice:
    """What one event tells its people: the inbox row each of them gets, and its e-mail."""

    users: Sequence[User]
    key: str
    subject: str
    body: str
    url: str = ""


@transaction.atomic(savepoint=False)
def notify(
    users: Iterable[User], *, key: str, subject: str, body: str, url: str = "", municipality_id: int
) -> list[Notification]:
    """Create the notifications that do not exist yet and have the worker e-mail them: one INSERT
    for the notifications and one for their outbox rows, however many people are told."""
    return notify_many([Notice(list(users), key, subject, body, url)], municipality_id=municipality_id)


@transaction.atomic(savepoint=False)
def notify_many(notices: Sequence[Notice], *, municipality_id: int) -> list[Notification]:
    """``notify`` for several events at once (a routing step's remisser): still one INSERT for all
    the notifications and one for their e-mails' outbox rows."""
    from ..outbox import outbox_enqueue_many
    from ..tasks import notification_email

    longest = Notification._meta.get_field("subject").max_length
    people: dict[int, User] = {}
    rows: list[tuple[int, str, str, str, str]] = []
    for notice in notices:
        subject = fit(notice.subject, longest)
        for user in {u.pk: u for u in notice.users}.values():
            people[user.pk] = user
            rows.append((user.pk, notice.key, subject, notice.body, notice.url))
    if not rows:
        return []
    columns = [(f.attname, f.column) for f in Notification._meta.concrete_fields if f.column]
    sql = _NOTIFY_SQL.format(
        table=Notification._meta.db_table, columns=", ".join(connection.ops.quote_name(c) for _a, c in columns)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [municipality_id, timezone.now(), *(list(column) for column in zip(*rows, strict=True))])
        found = cursor.fetchall()
    names = [attname for attname, _c in columns]
    created = [Notification.from_db(connection.alias, names, row) for row in found]
    created.sort(key=lambda n: n.pk)
    outbox_enqueue_many(
        notification_email,
        [n.pk for n in created if people[n.recipient_id].email],
        municipality_id=municipality_id,
    )
    return created


def notification_email_send(notification_id: int) -> bool:
    """Send one notification's e-mail once. Returns False when it was already sent."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        context = {"notification": notification, "site_url": settings.SITE_URL}
        send_mail(
            subject=notification.subject,
            message=render_to_string("notifications/email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
        # Marked in the same transaction as the send: a crash before the commit resends, never skips.
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notification_email_failed(notification_id: int, reason: str) -> None:
    """The worker gave up sending the e-mail: the notification records why (it stays in the inbox)."""
    Notification.objects.filter(pk=notification_id, emailed_at=None).update(email_error=reason)


def inbox_for(user: User) -> Q:
    return Q(recipient=user)


def notifications_done(key_prefix: str, *, keep: str = "") -> int:
    """The task some notifications announced is done: they leave everyone's inbox (marked read),
    all whose key starts with ``key_prefix`` except ``keep``. Returns how many cleared."""
    pending = Notification.objects.filter(key__startswith=key_prefix, read_at=None)
    if keep:
        pending = pending.exclude(key=keep)
    return pending.update(read_at=timezone.now())
