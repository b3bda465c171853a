"""Notifications: one per person per event, in the inbox and by e-mail (sent by the worker)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Exists, Q
from django.template.loader import render_to_string
from django.utils import timezone

from ..models import Body, Department, Notification, User


def fit(text: str, limit: int | None) -> str:
    """``text`` cut to at most ``limit`` characters (a field's max_length), with an ellipsis where cut."""
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def people_of_body(body: Body, *roles: str) -> list[User]:
    """Active users with one of ``roles`` in a department serving ``body``; if the body's
    departments have none (a central registry), those of the whole municipality. One query."""
    base = User.in_municipality.filter(is_active=True, roles__overlap=list(roles))
    serving = Q(department_id__in=Department.bodies.through.objects.filter(body_id=body.pk).values("department_id"))
    return list(base.filter(serving | ~Exists(base.filter(serving))))


# One INSERT for all of an event's notifications; a person who already has one (the same key) is
# skipped by the unique constraint, so a task that runs twice never notifies anyone twice.
_NOTIFY_SQL = """
    INSERT INTO {table} (municipality_id, recipient_id, key, subject, body, url, created_at, email_error)
    SELECT %s, recipient, %s, %s, %s, %s, %s, '' FROM unnest(%s::bigint[]) AS recipient
    ON CONFLICT (recipient_id, key) DO NOTHING
    RETURNING {columns}
"""


@transaction.atomic(savepoint=False)
def notify(
    users: Iterable[User], *, key: str, subject: str, body: str, url: str = "", municipality_id: int
) -> list[Notification]:
    """Create the notifications that do not exist yet and have the worker e-mail them: one INSERT
    for the notifications and one for their outbox rows, however many people are told."""
    from ..outbox import outbox_enqueue_many
    from ..tasks import notification_email

    people = {u.pk: u for u in users}
    if not people:
        return []
    subject = fit(subject, Notification._meta.get_field("subject").max_length)
    columns = [(f.attname, f.column) for f in Notification._meta.concrete_fields if f.column]
    sql = _NOTIFY_SQL.format(
        table=Notification._meta.db_table, columns=", ".join(connection.ops.quote_name(c) for _a, c in columns)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [municipality_id, key, subject, body, url, timezone.now(), list(people)])
        rows = cursor.fetchall()
    names = [attname for attname, _c in columns]
    created = [Notification.from_db(connection.alias, names, row) for row in rows]
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
