"""The daily deadline check (Celery beat): reminders before, försenad after, nothing twice."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django_scopes import scope

from cases import services
from cases.models import Department, Notification, Remiss, RemissStatus
from cases.services.notifications import notification_email_send
from cases.tasks import check_remiss_deadlines

from .helpers import register_case

DEADLINE = date(2026, 6, 1)  # a Monday


def make_remiss(town, status=RemissStatus.RECEIVED):
    case = register_case(town, on=date(2026, 3, 2))
    department = Department.objects.create(municipality=town.municipality, name="Utbildningsförvaltningen")
    department.bodies.set([town.un])
    town.head.department = department
    town.head.save(update_fields=["department"])
    town.secretary.department = town.department  # serves KF, KS, KSAU
    town.secretary.save(update_fields=["department"])
    return Remiss.objects.create(
        municipality=town.municipality,
        case=case,
        from_body=town.ksau,
        to_body=town.un,
        deadline=DEADLINE,
        sent_by=town.secretary,
        status=status,
    )


def keys(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("key", flat=True))


def test_it_reminds_seven_and_two_days_before_and_marks_overdue_after(ale):
    with ale.scope():
        remiss = make_remiss(ale)
        with time_machine.travel(DEADLINE - timedelta(days=8)):
            assert services.remiss_deadlines_check() == {"reminded": 0, "overdue": 0}
        with time_machine.travel(DEADLINE - timedelta(days=7)):
            assert services.remiss_deadlines_check()["reminded"] >= 1
        with time_machine.travel(DEADLINE - timedelta(days=2)):
            services.remiss_deadlines_check()
        assert keys(ale.head) == [f"remiss:{remiss.pk}:reminder:2", f"remiss:{remiss.pk}:reminder:7"]
        with time_machine.travel(DEADLINE):
            assert services.remiss_deadlines_check()["overdue"] == 0  # the deadline day itself is still in time
        with time_machine.travel(DEADLINE + timedelta(days=1)):
            assert services.remiss_deadlines_check()["overdue"] == 1
        remiss.refresh_from_db()
        assert remiss.status == RemissStatus.OVERDUE
        assert keys(ale.secretary) == [f"remiss:{remiss.pk}:overdue"]
        assert remiss.case.events.filter(action="remiss.overdue").count() == 1


def test_running_the_check_twice_notifies_nobody_twice(ale):
    with ale.scope():
        make_remiss(ale)
        with time_machine.travel(DEADLINE - timedelta(days=7)):
            services.remiss_deadlines_check()
            before = Notification.objects.count()
            assert services.remiss_deadlines_check() == {"reminded": 0, "overdue": 0}
            assert Notification.objects.count() == before
        with time_machine.travel(DEADLINE + timedelta(days=3)):
            services.remiss_deadlines_check()
            assert services.remiss_deadlines_check()["overdue"] == 0


def test_answered_and_withdrawn_remisser_are_left_alone(ale):
    with ale.scope():
        make_remiss(ale, status=RemissStatus.ANSWERED)
        with time_machine.travel(DEADLINE + timedelta(days=1)):
            assert services.remiss_deadlines_check() == {"reminded": 0, "overdue": 0}


def test_the_beat_task_runs_the_check_in_every_municipality(ale, alingsas):
    with ale.scope():
        make_remiss(ale)
    with alingsas.scope():
        make_remiss(alingsas)
    with time_machine.travel(DEADLINE + timedelta(days=1)):
        assert check_remiss_deadlines() == {"reminded": 0, "overdue": 2}
    with scope(municipality=alingsas.municipality):
        assert Remiss.objects.get().status == RemissStatus.OVERDUE


def test_a_notification_is_e_mailed_once_over_real_smtp(ale, smtp):
    with ale.scope():
        notification = Notification.objects.create(
            municipality=ale.municipality,
            recipient=ale.head,
            key="remiss:1:received",
            subject="Ny remiss till Utbildningsnämnden: Budget för kulturskolan",
            body="Svar senast 2026-06-01.",
            url="/arenden/UN-2026-1/",
        )
        assert notification_email_send(notification.pk) is True
        assert notification_email_send(notification.pk) is False
    [message] = smtp.messages
    assert message["Subject"].strip() == "Ny remiss till Utbildningsnämnden: Budget för kulturskolan"
    assert ale.head.email in message["To"]
    body = message.get_content()
    assert "Svar senast 2026-06-01." in body
    assert "http://127.0.0.1:8000/arenden/UN-2026-1/" in body


def test_the_beat_schedule_exists_after_migrations(beat_schedule_after_migrations):
    task = beat_schedule_after_migrations["cases.tasks.check_remiss_deadlines"]
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("6", "0")
