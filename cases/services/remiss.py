"""Remisser: send a case to bodies for yttrande, route each to its recipient, bring the answers home.

The request only records the remiss and enqueues; the worker does the routing (tasks.py), each
step claiming an idempotency key in the same transaction as its work, so a task that runs twice
changes nothing the second time and a worker killed mid-step loses nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case as DbCase
from django.db.models import IntegerField, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import clock, signals, workdays
from ..models import (
    Body,
    Case,
    Department,
    Direction,
    Document,
    OutboxMessage,
    Remiss,
    RemissStatus,
    Role,
    RoutingStep,
    User,
)
from ..models.remiss import PENDING
from ..outbox import outbox_enqueue, outbox_enqueue_many
from .diarium import (
    CaseError,
    CaseOpening,
    case_close,
    cases_open,
    document_first,
    document_register,
    event_build,
    event_record,
    events_record,
)
from .notifications import Notice, fit, notifications_done, notify, notify_many, people_of_bodies, people_of_body

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # django-stubs' helper: a type only, not installed in production

# The cover note travels in the receiving document's description (500 characters) after the title.
COVER_NOTE_MAX = 300


def routing_step_claim(key: str) -> bool:
    """Claim an idempotency key inside the current transaction; False if it was already done."""
    table = RoutingStep._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, done_at) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING RETURNING id",  # noqa: S608
            [key, timezone.now()],
        )
        return cursor.fetchone() is not None


def deadline_check(deadline: date, *, whose: str = "") -> None:
    """A remiss deadline is a working day after today. ``whose`` names the recipient it is for."""
    prefix = f"{whose}: " if whose else ""
    if deadline <= clock.today():
        raise CaseError(prefix + _("Svarsdatumet måste ligga efter dagens datum."))
    if not workdays.is_working_day(deadline):
        raise CaseError(
            prefix
            + _("Svarsdatumet måste vara en arbetsdag: %(reason)s. Närmaste arbetsdag är %(next)s.")
            % {"reason": workdays.moved_reason(deadline), "next": workdays.next_working_day(deadline).isoformat()}
        )


def remiss_check(
    case: Case,
    *,
    from_body: Body,
    to_bodies: Sequence[Body],
    deadline: date,
    cover_note: str = "",
    deadlines: Mapping[int, date] | None = None,
) -> None:
    """Every reason to refuse, in Swedish. Raises CaseError. ``deadlines`` gives some recipients
    (by body id) a deadline of their own instead of ``deadline``."""
    if not case.is_open:
        raise CaseError(_("Ärendet är avslutat och kan inte remitteras."))
    if not to_bodies:
        raise CaseError(_("Välj minst en remissinstans."))
    if len(cover_note.strip()) > COVER_NOTE_MAX:
        raise CaseError(_("Missivet får vara högst %(n)s tecken.") % {"n": COVER_NOTE_MAX})
    deadline_check(deadline)
    for body in to_bodies:
        if deadlines and body.pk in deadlines:
            deadline_check(deadlines[body.pk], whose=body.name)
    for body in to_bodies:
        if body.municipality_id != case.municipality_id:
            raise CaseError(_("Remissinstansen finns inte i den här kommunen."))
        if body.pk == from_body.pk:
            raise CaseError(_("%(body)s kan inte skicka en remiss till sig själv.") % {"body": body.name})
    taken = (
        Remiss.objects.filter(case=case, to_body__in=to_bodies)
        .exclude(status__in=[RemissStatus.WITHDRAWN, RemissStatus.FAILED])
        .select_related("to_body")
    )
    for remiss in taken:
        raise CaseError(
            _("%(body)s har redan en remiss i ärendet (svar senast %(deadline)s).")
            % {"body": remiss.to_body.name, "deadline": remiss.deadline.isoformat()}
        )


@transaction.atomic
def remiss_send(
    case: Case,
    *,
    from_body: Body,
    to_bodies: Sequence[Body],
    deadline: date,
    by: User,
    cover_note: str = "",
    deadlines: Mapping[int, date] | None = None,
) -> list[Remiss]:
    from ..tasks import route_remiss

    Case.objects.select_for_update().filter(pk=case.pk).first()  # serialise sends in one case
    remiss_check(
        case, from_body=from_body, to_bodies=to_bodies, deadline=deadline, cover_note=cover_note, deadlines=deadlines
    )
    remisser = []
    for body in to_bodies:
        own = (deadlines or {}).get(body.pk, deadline)
        remiss = Remiss.objects.create(
            municipality_id=case.municipality_id,
            case=case,
            from_body=from_body,
            to_body=body,
            deadline=own,
            cover_note=cover_note.strip(),
            sent_by=by,
        )
        event_record(
            case,
            action="remiss.sent",
            by=by,
            remiss=str(remiss.uuid),
            to=body.pk,
            to_name=body.name,
            deadline=own.isoformat(),
        )
        remisser.append(remiss)
    # One task routes the whole send (remiss_route); each remiss keeps its outbox row, which that
    # step marks done, and which the sweep publishes should the step not happen.
    outbox_enqueue_many(
        route_remiss, [r.pk for r in remisser], municipality_id=case.municipality_id, prompt_first_only=True
    )
    signals.remisser_sent.send(sender=Case, case=case, remisser=remisser, by=by)
    return remisser


def remiss_route(remiss_id: int) -> bool:
    """Worker step: open the receiving step in each recipient body's diarium and tell its people,
    for this remiss, every other remiss of its case that is not routed yet (a send's others), and,
    oldest first, other remisser of the municipality waiting to be routed, up to
    ``settings.REMISS_ROUTING_BATCH`` in all.

    The remisser of one send are routed together (issue 15: one remiss at a time made 27 a second
    per worker process), and so is a queue of single sends that has grown deeper than the worker's
    pace (one step of one remiss costs about 22 ms; a step of many, 5 ms a remiss): the tasks of the
    others then find nothing to do. Each remiss still claims its own idempotency key in the same
    transaction, so a task that runs twice changes nothing and a worker killed mid-step loses
    nothing. A remiss another worker is routing right now (locked) is left to it. Returns False when
    this remiss was not routed here (already routed, withdrawn, failed, or in another worker's
    hands), whatever else was.

    Ten statements at most, however many remisser and people (tests/test_routing_queries.py): the
    remisser with all they refer to (locked), their idempotency keys, the diarienummer, the
    receiving cases, their handlingar, the events, the remisser, the people, their notifications
    and the e-mails' outbox rows. No savepoint: the worker's transaction (TenantTask) or this one
    holds it all, and an error rolls all of it back.
    """
    batch = settings.REMISS_ROUTING_BATCH
    with transaction.atomic(savepoint=False):
        send = Subquery(Remiss.objects.filter(pk=remiss_id).order_by().values("case_id"))
        waiting = (
            Remiss.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("case__municipality", "to_body", "from_body", "sent_by")
            .annotate(recipient_department_id=_first_department_serving(OuterRef("to_body_id")))
            .filter(response_case=None, status__in=[RemissStatus.SENT, RemissStatus.OVERDUE])
        )
        if batch:  # its own send's first, then the queue's oldest (the index remiss_unrouted)
            waiting = waiting.annotate(
                elsewhere=DbCase(When(case_id=send, then=Value(1)), default=Value(2), output_field=IntegerField())
            ).order_by("elsewhere", "pk")[:batch]
        else:
            waiting = waiting.filter(case_id=send).order_by("pk")
        # Routed, and so numbered in the receiving diaria, in the order they were sent.
        remisser: list[WithAnnotations[Remiss, _Routed]] = sorted(waiting, key=lambda r: r.pk)
        # Whatever is claimed is routed here, also when this remiss itself was done already: a claim
        # without the routing would commit a remiss as done that never arrived.
        claimed = _routing_steps_claim([r.pk for r in remisser])
        if claimed:
            _route([r for r in remisser if r.pk in claimed])
    return remiss_id in claimed


def _routing_steps_claim(remiss_ids: list[int]) -> set[int]:
    """Claim the route keys of these remisser and mark their outbox rows done, in one statement;
    the ids whose key was free."""
    from ..tasks import route_remiss

    if not remiss_ids:
        return set()
    steps, outbox = RoutingStep._meta.db_table, OutboxMessage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH done AS (
                UPDATE {outbox} SET done_at = %(now)s, last_error = ''
                WHERE task = %(task)s AND object_id = ANY(%(ids)s) AND done_at IS NULL
            )
            INSERT INTO {steps} (key, done_at) SELECT 'remiss:' || id || ':route', %(now)s FROM unnest(%(ids)s) id
            ON CONFLICT (key) DO NOTHING RETURNING key
            """,  # noqa: S608 - the table names come from the models, values are parameters
            {"now": timezone.now(), "task": route_remiss.name, "ids": remiss_ids},
        )
        return {int(key.split(":")[1]) for (key,) in cursor.fetchall()}


class _Routed(TypedDict):
    recipient_department_id: int | None


def _route(remisser: list[WithAnnotations[Remiss, _Routed]]) -> None:
    """Open a receiving case per remiss, with its first handling and events, and tell each body's
    people: a statement per kind of row, not per remiss. The remisser may come from several cases
    (sends) of one municipality."""
    municipality = remisser[0].case.municipality
    today = clock.today()
    steps, letters, events, notices = [], [], [], []
    opened = cases_open(
        municipality=municipality,
        cases=[
            CaseOpening(
                title=fit(
                    _("Remiss från %(body)s: %(title)s") % {"body": r.from_body.name, "title": r.case.title},
                    Case._meta.get_field("title").max_length,
                ),
                body=r.to_body,
                department_id=r.recipient_department_id,
                by=r.sent_by,
                origin=r.case,
            )
            for r in remisser
        ],
    )
    for remiss, (step, registered) in zip(remisser, opened, strict=True):
        origin = remiss.case
        letter, letter_registered = document_first(
            step,
            direction=Direction.INCOMING,
            document_date=today,
            counterpart=remiss.from_body.name,
            description=fit(
                _("Remiss: %(title)s (%(dnr)s). Svar senast %(deadline)s.")
                % {"title": origin.title, "dnr": origin.diarienummer, "deadline": remiss.deadline.isoformat()}
                + (f" {remiss.cover_note}" if remiss.cover_note else ""),
                Document._meta.get_field("description").max_length,
            ),
            by=remiss.sent_by,
            save=False,
        )
        steps.append(step)
        letters.append(letter)
        events += [
            registered,
            letter_registered,
            event_build(
                step,
                action="remiss.received_from",
                by=None,
                from_name=remiss.from_body.name,
                origin=origin.diarienummer,
            ),
            event_build(
                origin, action="remiss.received", by=None, to_name=remiss.to_body.name, response=step.diarienummer
            ),
        ]
        remiss.response_case = step
        remiss.status = RemissStatus.RECEIVED
        remiss.awaiting_queue = False
    Document.objects.bulk_create(letters)
    events_record(events)
    Remiss.objects.bulk_update(remisser, ["response_case", "status", "awaiting_queue"])
    people = people_of_bodies([r.to_body for r in remisser], Role.REGISTRAR, Role.HEAD)
    for remiss, step in zip(remisser, steps, strict=True):
        origin, to_body = remiss.case, remiss.to_body
        notices.append(
            Notice(
                people[to_body.pk],
                key=f"remiss:{remiss.pk}:received",
                subject=_("Ny remiss till %(body)s: %(title)s") % {"body": to_body.name, "title": origin.title},
                body=_(
                    "%(from)s har skickat ärendet %(dnr)s ”%(title)s” på remiss till %(body)s. "
                    "Remissen är registrerad som %(step)s. Svar senast %(deadline)s."
                )
                % {
                    "from": remiss.from_body.name,
                    "dnr": origin.diarienummer,
                    "title": origin.title,
                    "body": to_body.name,
                    "step": step.diarienummer,
                    "deadline": remiss.deadline.isoformat(),
                },
                url=reverse("cases:detail", args=[step.ref]),
            )
        )
    notify_many(notices, municipality_id=municipality.pk)


def _first_department_serving(body_id: OuterRef) -> Subquery:
    """The department a receiving case is registered in: the first (by id) serving the body."""
    serving = Department.bodies.through.objects.filter(body_id=body_id).order_by("department_id")
    return Subquery(serving.values("department_id")[:1])


def remiss_awaiting_queue(remiss_id: int) -> None:
    """The send is committed but the queue could not be reached: show it as queued, with the other
    remisser of its case still to route (one task routes them all)."""
    send = Remiss.objects.filter(pk=remiss_id).order_by().values("case_id")
    Remiss.objects.filter(case_id=Subquery(send), status=RemissStatus.SENT, response_case=None).update(
        awaiting_queue=True
    )


@transaction.atomic
def remiss_routing_failed(remiss_id: int, reason: str) -> bool:
    """The worker gave up routing: the remiss shows "kunde inte skickas" with the reason, the
    sender is told and may send it again."""
    remiss = (
        Remiss.objects.select_for_update(of=("self",)).select_related("case", "to_body").filter(pk=remiss_id).first()
    )
    if remiss is None or remiss.status != RemissStatus.SENT:
        return False
    remiss.status, remiss.failure_reason, remiss.awaiting_queue = RemissStatus.FAILED, reason, False
    remiss.save(update_fields=["status", "failure_reason", "awaiting_queue"])
    event_record(remiss.case, action="remiss.failed", by=None, to_name=remiss.to_body.name, reason=reason)
    notify(
        [User.objects.get(pk=remiss.sent_by_id)],
        key=f"remiss:{remiss.pk}:failed",
        subject=_("Remissen till %(body)s kunde inte skickas (%(dnr)s)")
        % {"body": remiss.to_body.name, "dnr": remiss.case.diarienummer},
        body=_("Remissen i ärendet %(dnr)s ”%(title)s” till %(body)s kunde inte skickas: %(reason)s")
        % {"dnr": remiss.case.diarienummer, "title": remiss.case.title, "body": remiss.to_body.name, "reason": reason},
        url=reverse("cases:detail", args=[remiss.case.ref]),
        municipality_id=remiss.municipality_id,
    )
    return True


@transaction.atomic
def remiss_answer_routing_failed(remiss_id: int, reason: str) -> bool:
    """The worker gave up carrying an answer home: the person who sent it is told, on the record."""
    remiss = Remiss.objects.select_related("case", "response_case", "answer_source").filter(pk=remiss_id).first()
    if remiss is None or remiss.answer_source is None or remiss.response_case is None:
        return False
    event_record(remiss.response_case, action="remiss.answer_failed", by=None, reason=reason)
    notify(
        [User.objects.get(pk=remiss.answer_source.registered_by_id)],
        key=f"remiss:{remiss.pk}:answer_failed",
        subject=_("Remissvaret i %(dnr)s kunde inte skickas") % {"dnr": remiss.response_case.diarienummer},
        body=_("Remissvaret till %(dnr)s kunde inte skickas: %(reason)s")
        % {"dnr": remiss.case.diarienummer, "reason": reason},
        url=reverse("cases:detail", args=[remiss.response_case.ref]),
        municipality_id=remiss.municipality_id,
    )
    return True


@transaction.atomic
def remiss_answer(remiss: Remiss, *, document: Document, by: User, attachments: Sequence[Document] = ()) -> Remiss:
    """The recipient body's decision (the protokollsutdrag) is chosen as the answer, with the papers
    that belong to it (the yttrande itself); the worker carries them all home."""
    from ..tasks import route_remiss_answer

    remiss = Remiss.objects.select_for_update(of=("self",)).select_related("response_case", "to_body").get(pk=remiss.pk)
    if not remiss.can_be_answered():
        raise CaseError(
            _("Remissen kan inte besvaras i sin nuvarande status (%(status)s).")
            % {"status": remiss.get_status_display()}
        )
    if document.case_id != remiss.response_case_id:
        raise CaseError(
            _("Svaret måste vara en handling i remissärendet %(dnr)s.")
            % {
                "dnr": remiss.response_case.diarienummer  # type: ignore[union-attr]
            }
        )
    extra = [a for a in attachments if a.pk != document.pk]
    for sent in (document, *extra):
        if sent.case_id != remiss.response_case_id:
            raise CaseError(
                _("Handling %(n)s hör inte till remissärendet och kan inte skickas med svaret.") % {"n": sent.sequence}
            )
        if sent.is_secret:
            raise CaseError(_("En sekretessbelagd handling kan inte skickas som remissvar härifrån."))
    remiss.answer_source = document
    remiss.save(update_fields=["answer_source"])
    remiss.answer_attachments.set(extra)
    notifications_done(f"remiss:{remiss.pk}:")  # received, reminders, försenad: answered now
    event_record(
        remiss.response_case,  # type: ignore[arg-type]
        action="remiss.answer_sent",
        by=by,
        document=str(document.uuid),
        sequence=document.sequence,
    )
    outbox_enqueue(route_remiss_answer, remiss.pk, municipality_id=remiss.municipality_id)
    return remiss


def _land_copy(origin: Case, source: Document, *, description: str) -> Document:
    """Register a handling of the receiving case as an incoming handling of the sending case."""
    landed = document_register(
        origin,
        direction=Direction.INCOMING,
        document_date=clock.today(),
        counterpart=source.case.body.name,
        description=fit(description, Document._meta.get_field("description").max_length),
        by=User.objects.get(pk=source.registered_by_id),
        allow_closed=True,
    )
    if source.file:
        landed.file = source.file.name  # the stored file is immutable; both handlingar point at it
        landed.file_name, landed.content_type = source.file_name, source.content_type
        landed.file_size, landed.checksum = source.file_size, source.checksum
        landed.save(update_fields=["file", "file_name", "content_type", "file_size", "checksum"])
    return landed


def remiss_route_answer(remiss_id: int) -> bool:
    """Worker step: register the answer as an incoming document of the origin case."""
    with transaction.atomic():
        remiss = Remiss.objects.select_for_update().filter(pk=remiss_id).first()
        if remiss is None or remiss.answer_source_id is None:
            return False
        if not routing_step_claim(f"remiss:{remiss.pk}:answer"):
            return False
        source = Document.objects.select_related("case__body").get(pk=remiss.answer_source_id)
        origin = Case.objects.get(pk=remiss.case_id)
        to_body = Body.objects.get(pk=remiss.to_body_id)
        landed = _land_copy(
            origin,
            source,
            description=_("Remissvar från %(body)s (%(dnr)s): %(description)s")
            % {"body": to_body.name, "dnr": source.case.diarienummer, "description": source.description},
        )
        remiss.answer = landed
        remiss.status = RemissStatus.ANSWERED
        remiss.answered_at = clock.now()
        remiss.save(update_fields=["answer", "status", "answered_at"])
        for attachment in remiss.answer_attachments.select_related("case").order_by("sequence"):
            _land_copy(
                origin,
                attachment,
                description=_("Bilaga till remissvar från %(body)s (%(dnr)s): %(description)s")
                % {"body": to_body.name, "dnr": source.case.diarienummer, "description": attachment.description},
            )
        event_record(origin, action="remiss.answered", by=None, to_name=to_body.name, document=str(landed.uuid))
        step = source.case
        if step.is_open:  # the receiving nämnd's own case is done once its answer has been delivered
            case_close(step, by=User.objects.get(pk=source.registered_by_id))
        recipients = people_of_body(Body.objects.get(pk=remiss.from_body_id), Role.SECRETARY)
        if origin.handler_id:
            recipients.append(User.objects.get(pk=origin.handler_id))
        notify(
            recipients,
            key=f"remiss:{remiss.pk}:answered",
            subject=_("%(body)s har besvarat remissen i %(dnr)s") % {"body": to_body.name, "dnr": origin.diarienummer},
            body=_("Remissvaret från %(body)s är registrerat som handling %(n)s i ärendet %(dnr)s ”%(title)s”.")
            % {"body": to_body.name, "n": landed.sequence, "dnr": origin.diarienummer, "title": origin.title},
            url=reverse("cases:detail", args=[origin.ref]),
            municipality_id=origin.municipality_id,
        )
        signals.remiss_answer_landed.send(sender=Remiss, remiss=remiss)
    return True


@transaction.atomic
def remiss_withdraw(remiss: Remiss, *, by: User, reason: str = "") -> Remiss:
    remiss = Remiss.objects.select_for_update().get(pk=remiss.pk)
    if not remiss.is_pending:
        raise CaseError(_("Bara en obesvarad remiss kan återkallas."))
    remiss.status = RemissStatus.WITHDRAWN
    remiss.save(update_fields=["status"])
    notifications_done(f"remiss:{remiss.pk}:")  # nothing left to answer; the withdrawal notice below is new
    to_body = Body.objects.get(pk=remiss.to_body_id)
    event_record(remiss.case, action="remiss.withdrawn", by=by, to_name=to_body.name, reason=reason)
    if remiss.response_case_id:
        told = _("%(body)s behöver inte längre svara på remissen.") % {"body": to_body.name}
        notify(
            _recipients(remiss, to_body),
            key=f"remiss:{remiss.pk}:withdrawn",
            subject=_("Remissen i %(dnr)s är återkallad") % {"dnr": remiss.case.diarienummer},
            body=f"{told} {reason}".strip(),
            url=reverse("cases:detail", args=[remiss.response_case.ref]),  # type: ignore[union-attr]
            municipality_id=remiss.municipality_id,
        )
        step = Case.objects.get(pk=remiss.response_case_id)
        if step.is_open:  # the receiving case exists to answer: with nothing to answer it is done
            case_close(step, by=by)
    return remiss


def _recipients(remiss: Remiss, to_body: Body) -> list[User]:
    """Who answers for the recipient body: its registrars and heads, and the receiving case's handläggare."""
    people = people_of_body(to_body, Role.REGISTRAR, Role.HEAD)
    handler = remiss.response_case.handler if remiss.response_case else None
    if handler is not None:
        people.append(handler)
    return people


def remisser_withdraw_open(case: Case, *, by: User, reason: str) -> int:
    """The case is decided: every remiss still unanswered is withdrawn and its recipients told why,
    rather than left to turn försenad."""
    open_ones = list(Remiss.objects.filter(case=case, status__in=PENDING).select_related("case", "response_case"))
    for remiss in open_ones:
        remiss_withdraw(remiss, by=by, reason=reason)
    return len(open_ones)


def _chosen(remisser: Sequence[Remiss]) -> list[Remiss]:
    if not remisser:
        raise CaseError(_("Markera minst en remiss i listan."))
    rows = list(
        Remiss.objects.select_for_update(of=("self",))
        .filter(pk__in=[r.pk for r in remisser])
        .select_related("case", "to_body", "response_case__handler")
        .order_by("pk")
    )
    for remiss in rows:
        if remiss.status not in PENDING:
            raise CaseError(
                _("Remissen till %(body)s i %(dnr)s är inte längre obesvarad (%(status)s).")
                % {"body": remiss.to_body.name, "dnr": remiss.case.diarienummer, "status": remiss.get_status_display()}
            )
    return rows


@transaction.atomic
def remisser_remind(remisser: Sequence[Remiss], *, by: User) -> int:
    """A reminder sent by hand from the deadline board, for one row or several; once a day each."""
    today = clock.today()
    for remiss in _chosen(remisser):
        event_record(remiss.case, action="remiss.reminded", by=by, to_name=remiss.to_body.name)
        notify(
            _recipients(remiss, remiss.to_body),
            key=f"remiss:{remiss.pk}:reminded:{today.isoformat()}",
            subject=_("Påminnelse: remissvar till %(dnr)s senast %(deadline)s")
            % {"dnr": remiss.case.diarienummer, "deadline": remiss.deadline.isoformat()},
            body=_("%(who)s påminner om att %(body)s ska svara på remissen ”%(title)s” senast %(deadline)s.")
            % {
                "who": by.get_full_name() or by.username,
                "body": remiss.to_body.name,
                "title": remiss.case.title,
                "deadline": remiss.deadline.isoformat(),
            },
            url=reverse("cases:detail", args=[remiss.response_case.ref]) if remiss.response_case else "",
            municipality_id=remiss.municipality_id,
        )
    return len(remisser)


@transaction.atomic
def remisser_extend(remisser: Sequence[Remiss], *, deadline: date, by: User) -> int:
    """A later deadline for one row or several; a försenad remiss is awaited again."""
    deadline_check(deadline)
    rows = _chosen(remisser)
    for remiss in rows:
        if deadline <= remiss.deadline:
            raise CaseError(
                _("Remissen till %(body)s i %(dnr)s har redan svarsdatum %(deadline)s; välj ett senare datum.")
                % {
                    "body": remiss.to_body.name,
                    "dnr": remiss.case.diarienummer,
                    "deadline": remiss.deadline.isoformat(),
                }
            )
    for remiss in rows:
        before = remiss.deadline
        remiss.deadline = deadline
        if remiss.status == RemissStatus.OVERDUE:
            remiss.status = RemissStatus.RECEIVED if remiss.response_case_id else RemissStatus.SENT
        remiss.save(update_fields=["deadline", "status"])
        event_record(
            remiss.case,
            action="remiss.extended",
            by=by,
            to_name=remiss.to_body.name,
            before=before.isoformat(),
            deadline=deadline.isoformat(),
        )
        notify(
            _recipients(remiss, remiss.to_body),
            key=f"remiss:{remiss.pk}:extended:{deadline.isoformat()}",
            subject=_("Nytt svarsdatum för remissen i %(dnr)s: %(deadline)s")
            % {"dnr": remiss.case.diarienummer, "deadline": deadline.isoformat()},
            body=_("%(body)s får svara på remissen ”%(title)s” senast %(deadline)s (tidigare %(before)s).")
            % {
                "body": remiss.to_body.name,
                "title": remiss.case.title,
                "deadline": deadline.isoformat(),
                "before": before.isoformat(),
            },
            url=reverse("cases:detail", args=[remiss.response_case.ref]) if remiss.response_case else "",
            municipality_id=remiss.municipality_id,
        )
    return len(rows)


def remiss_deadlines_check(today: date | None = None) -> dict[str, int]:
    """Daily (Celery beat): remind before deadlines, mark passed ones försenad and tell the sender.

    Notifications are keyed per remiss and reminder, so running twice a day sends nothing twice.
    """
    today = today or clock.today()
    counts = {"reminded": 0, "overdue": 0}
    reminder_days = sorted(set(settings.REMISS_REMINDER_DAYS), reverse=True)
    for days in reminder_days:
        due = Remiss.objects.filter(status=RemissStatus.RECEIVED, deadline=today + timedelta(days=days)).select_related(
            "case", "to_body", "response_case"
        )
        for remiss in due:
            people = people_of_body(remiss.to_body, Role.REGISTRAR, Role.HEAD)
            if remiss.response_case and remiss.response_case.handler_id:
                people.append(User.objects.get(pk=remiss.response_case.handler_id))
            counts["reminded"] += len(
                notify(
                    people,
                    key=f"remiss:{remiss.pk}:reminder:{days}",
                    subject=_("Påminnelse: remissvar till %(dnr)s senast %(deadline)s")
                    % {"dnr": remiss.case.diarienummer, "deadline": remiss.deadline.isoformat()},
                    body=_("%(body)s ska svara på remissen ”%(title)s” senast %(deadline)s, om %(days)s dagar.")
                    % {
                        "body": remiss.to_body.name,
                        "title": remiss.case.title,
                        "deadline": remiss.deadline.isoformat(),
                        "days": days,
                    },
                    url=reverse("cases:detail", args=[remiss.response_case.ref]) if remiss.response_case else "",
                    municipality_id=remiss.municipality_id,
                )
            )
    late = Remiss.objects.filter(
        Q(status=RemissStatus.SENT) | Q(status=RemissStatus.RECEIVED), deadline__lt=today
    ).select_related("case", "to_body", "from_body")
    for remiss in late:
        with transaction.atomic():
            updated = Remiss.objects.filter(pk=remiss.pk, status__in=[RemissStatus.SENT, RemissStatus.RECEIVED]).update(
                status=RemissStatus.OVERDUE
            )
            if not updated:
                continue
            counts["overdue"] += 1
            event_record(remiss.case, action="remiss.overdue", by=None, to_name=remiss.to_body.name)
            notify(
                people_of_body(remiss.from_body, Role.SECRETARY),
                key=f"remiss:{remiss.pk}:overdue",
                subject=_("Försenat remissvar: %(body)s i %(dnr)s")
                % {"body": remiss.to_body.name, "dnr": remiss.case.diarienummer},
                body=_("%(body)s skulle ha svarat på remissen ”%(title)s” senast %(deadline)s.")
                % {"body": remiss.to_body.name, "title": remiss.case.title, "deadline": remiss.deadline.isoformat()},
                url=reverse("cases:detail", args=[remiss.case.ref]),
                municipality_id=remiss.municipality_id,
            )
    return counts
