"""The outbox and the task base, without a worker: what is written, what is published, what a task
that gives up leaves behind. The same paths under real faults: tests/test_faults.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import redis
from django.db import DataError, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from alingsas_ale import embedded
from cases import services, workdays
from cases.models import Case, Notification, OutboxMessage, PdfStatus, Remiss, RemissStatus
from cases.outbox import outbox_sweep
from cases.pdf import RENDERERS, Renderer, pdf_request
from cases.taskbase import RETRY_FOR, retry_countdown
from cases.tasks import notification_email, render_pdf, route_remiss

from .helpers import register_case

DEADLINE = workdays.next_working_day(date.today() + timedelta(days=30))
LONG_TITLE = ("Motion om en tillfällig parlamentarisk arbetsgrupp för integrationsinsatser " * 4)[:250]


@contextmanager
def broker(url: str) -> Iterator[None]:
    """Point the test process's Celery at another broker (a dead one, to simulate Redis down)."""
    from alingsas_ale.celery import app

    def reset_pools() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    app.conf.broker_url = url
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        reset_pools()


def send(town, case, *to):
    with town.scope():
        return services.remiss_send(case, from_body=town.ksau, to_bodies=list(to), deadline=DEADLINE, by=town.secretary)


def test_a_send_writes_its_routing_intent_in_the_same_transaction(ale):
    case = register_case(ale)
    with pytest.raises(RuntimeError), transaction.atomic():
        send(ale, case, ale.un)
        raise RuntimeError("a later step of the same transaction fails")
    assert OutboxMessage.objects.count() == 0
    (remiss,) = send(ale, case, ale.un)
    message = OutboxMessage.objects.get()
    assert (message.task, message.args, message.object_id) == ("cases.tasks.route_remiss", [remiss.pk], remiss.pk)
    assert message.municipality == ale.municipality and message.done_at is None


def test_the_worker_marks_the_row_done_in_the_transaction_that_routes(ale):
    case = register_case(ale)
    (remiss,) = send(ale, case, ale.un)
    message = OutboxMessage.objects.get(task="cases.tasks.route_remiss")
    assert route_remiss.apply(args=[remiss.pk], kwargs={"outbox_id": message.pk}).get() is True
    message.refresh_from_db()
    assert message.done_at is not None
    with scopes_disabled():
        assert Remiss.objects.get().status == RemissStatus.RECEIVED


def test_a_remiss_whose_case_title_is_250_characters_is_routed_with_the_title_cut_to_fit(ale):
    case = register_case(ale, title=LONG_TITLE)
    (remiss,) = send(ale, case, ale.un)
    assert route_remiss.apply(args=[remiss.pk]).get() is True
    with ale.scope():
        remiss.refresh_from_db()
        step = remiss.response_case
        assert remiss.status == RemissStatus.RECEIVED
        assert step is not None and len(step.title) == Case._meta.get_field("title").max_length
        assert step.title.startswith("Remiss från Kommunstyrelsens arbetsutskott: Motion om")
        assert step.title.endswith("…")
        subjects = list(Notification.objects.filter(key__endswith=":received").values_list("subject", flat=True))
        assert subjects and all(len(s) <= 200 for s in subjects)


def test_a_cover_note_too_long_to_travel_is_refused_at_send(ale):
    case = register_case(ale)
    with ale.scope(), pytest.raises(services.CaseError, match="Missivet får vara högst 300 tecken"):
        services.remiss_send(
            case, from_body=ale.ksau, to_bodies=[ale.un], deadline=DEADLINE, by=ale.secretary, cover_note="x" * 301
        )


@pytest.fixture
def poisoned(monkeypatch):
    """Routing that fails the way a too-long title did: an error no retry can mend."""

    def poison(**kwargs):
        raise DataError("value too long for type character varying(255)")

    monkeypatch.setattr("cases.services.remiss.cases_open", poison)


def test_a_poisoned_remiss_ends_visibly_failed_and_the_sender_is_told(client, ale, poisoned):
    case = register_case(ale)
    (remiss,) = send(ale, case, ale.un)
    message = OutboxMessage.objects.get(task="cases.tasks.route_remiss")
    result = route_remiss.apply(args=[remiss.pk], kwargs={"outbox_id": message.pk})
    assert isinstance(result.result, DataError)
    with ale.scope():
        remiss.refresh_from_db()
        assert remiss.status == RemissStatus.FAILED
        assert "value too long" in remiss.failure_reason
        told = Notification.objects.get(recipient=ale.secretary, key=f"remiss:{remiss.pk}:failed")
        assert "kunde inte skickas" in told.subject and "value too long" in told.body
        assert case.events.filter(action="remiss.failed").count() == 1
    message.refresh_from_db()
    assert message.failed_at is not None and message.done_at is None
    client.force_login(ale.secretary)
    page = client.get(reverse("cases:detail", args=[case.ref])).content.decode()
    assert "kunde inte skickas: DataError: value too long" in page
    # A failed remiss no longer blocks sending the case to the same nämnd again.
    with ale.scope():
        assert len(send(ale, case, ale.un)) == 1


# Committing tests: the routing step keeps no savepoint of its own (tests/test_routing_queries.py), so
# its error would leave the test's own transaction unusable for the checks after it.
@pytest.mark.django_db(transaction=True)
def test_negative_control_the_poisoned_routing_without_the_base_leaves_the_remiss_looking_sent(ale, poisoned):
    """What happened before: the error reached only the worker's log, the remiss stayed 'skickad'."""
    from cases.services.remiss import remiss_route

    case = register_case(ale)
    (remiss,) = send(ale, case, ale.un)
    with ale.scope(), pytest.raises(DataError):
        remiss_route(remiss.pk)
    with ale.scope():
        remiss.refresh_from_db()
        assert remiss.status == RemissStatus.SENT and remiss.failure_reason == ""
        assert not Notification.objects.filter(key__endswith=":failed").exists()


def test_a_pdf_whose_renderer_fails_shows_misslyckades_with_the_reason(client, ale, monkeypatch):
    def broken(municipality, key):
        raise ValueError("mallen saknar sidhuvud")

    renderer = Renderer(html=broken, file_name=lambda m, k: "x.pdf", can_view=lambda u, k: True)
    monkeypatch.setitem(RENDERERS, "broken", renderer)
    with ale.scope():
        pdf = pdf_request(municipality=ale.municipality, kind="broken", key="1")
    message = OutboxMessage.objects.get(task="cases.tasks.render_pdf")
    render_pdf.apply(args=[pdf.pk], kwargs={"outbox_id": message.pk})
    with ale.scope():
        pdf.refresh_from_db()
    assert pdf.status == PdfStatus.FAILED and "mallen saknar sidhuvud" in pdf.error
    client.force_login(ale.secretary)
    fragment = client.get(reverse("cases:pdf-status", args=[pdf.uuid])).content.decode()
    assert "PDF:en misslyckades: ValueError: mallen saknar sidhuvud" in fragment
    assert "hx-get" not in fragment  # it stops polling


def test_an_email_that_cannot_be_sent_after_the_last_retry_is_marked_failed(ale, smtp, settings):
    settings.EMAIL_PORT = embedded.free_port()  # nothing listens: connection refused
    with ale.scope():
        (notification,) = services.notify(
            [ale.head], key="test:1", subject="Ämne", body="Text", municipality_id=ale.municipality.pk
        )
    notification_email.apply(args=[notification.pk])
    with ale.scope():
        notification.refresh_from_db()
    assert notification.emailed_at is None
    assert notification.email_error.startswith("ConnectionRefusedError")


def test_the_retry_policy_backs_off_exponentially_with_jitter_and_a_ceiling(settings):
    settings.TASK_RETRY_BACKOFF_MAX = 60
    for retries, (low, high) in {0: (1, 2), 1: (2, 4), 3: (8, 16), 10: (30, 60)}.items():
        waits = {retry_countdown(retries) for _ in range(50)}
        assert all(low <= w <= high for w in waits) and len(waits) > 1
    assert OSError in RETRY_FOR  # SMTP


def test_sending_with_the_queue_down_is_committed_and_shown_as_queued(client, ale, django_capture_on_commit_callbacks):
    case = register_case(ale)
    client.force_login(ale.secretary)
    data = {"from_body": ale.ksau.pk, "to_bodies": [ale.un.pk], "deadline": DEADLINE.isoformat(), "cover_note": ""}
    dead = f"redis://127.0.0.1:{embedded.free_port()}/0"
    with broker(dead), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:remiss-send", args=[case.ref]), data)
    assert response.status_code == 302
    with scopes_disabled():
        remiss = Remiss.objects.get()
    assert remiss.awaiting_queue and remiss.status == RemissStatus.SENT
    message = OutboxMessage.objects.get(task="cases.tasks.route_remiss")
    assert message.last_error.startswith("kö:") and message.done_at is None
    page = client.get(response["Location"]).content.decode()
    assert "köad, skickas när systemet är tillbaka" in page


@pytest.mark.django_db(transaction=True)
def test_the_sender_is_told_in_swedish_that_a_send_with_the_queue_down_is_queued(client, ale):
    """With real commits the outbox tries the queue before the view answers, so the message is honest."""
    case = register_case(ale)
    client.force_login(ale.secretary)
    data = {"from_body": ale.ksau.pk, "to_bodies": [ale.un.pk], "deadline": DEADLINE.isoformat(), "cover_note": ""}
    with broker(f"redis://127.0.0.1:{embedded.free_port()}/0"):
        response = client.post(reverse("cases:remiss-send", args=[case.ref]), data, follow=True)
    page = response.content.decode()
    assert "Remissen till Utbildningsnämnden är sparad och köad. Den skickas när systemet är tillbaka." in page
    assert "Remissen är skickad" not in page


@pytest.mark.django_db(transaction=True)
def test_the_sweep_publishes_again_what_was_not_done_in_time_and_gives_up_in_the_end(ale, redis_url, settings):
    r = redis.Redis.from_url(redis_url)
    r.flushdb()
    case = register_case(ale)
    late, fresh = send(ale, case, ale.un, ale.sn)
    assert r.llen("celery") == 1  # one prompt routes the whole send; each remiss has its row
    assert OutboxMessage.objects.filter(object_id__in=[late.pk, fresh.pk], done_at=None).count() == 2
    r.flushdb()  # the message is lost; the rows are not
    OutboxMessage.objects.filter(object_id=late.pk).update(available_at=timezone.now() - timedelta(seconds=1))
    assert outbox_sweep() == {"published": 1, "failed": 0, "unpublished": 0}
    assert r.llen("celery") == 1
    assert outbox_sweep()["published"] == 0  # published again only after OUTBOX_RETRY_AFTER
    OutboxMessage.objects.filter(object_id=late.pk).update(
        available_at=timezone.now(), attempts=settings.OUTBOX_MAX_ATTEMPTS, last_error="OperationalError: borta"
    )
    assert outbox_sweep()["failed"] == 1
    with ale.scope():
        late.refresh_from_db()
        fresh.refresh_from_db()
    assert late.status == RemissStatus.FAILED
    assert late.failure_reason == "gav upp efter 10 försök: OperationalError: borta"
    assert fresh.status == RemissStatus.SENT
    # Rows done a week ago are forgotten; rows still open are kept.
    OutboxMessage.objects.filter(object_id=fresh.pk).update(done_at=timezone.now() - timedelta(days=8))
    outbox_sweep()
    routing = OutboxMessage.objects.filter(task="cases.tasks.route_remiss")
    assert list(routing.values_list("object_id", flat=True)) == [late.pk]


def test_the_sweep_is_scheduled_every_15_seconds(beat_schedule_after_migrations):
    task = beat_schedule_after_migrations["cases.tasks.outbox_sweep"]
    assert (task.interval.every, task.interval.period) == (15, "seconds")
