"""Through a real Celery worker: what the worker writes is the system's, on behalf of the person
whose action enqueued the task, and the page says so."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from audit.context import Actor, acting
from audit.models import AuditEntry
from cases import services, workdays
from cases.models import Remiss, RemissStatus, Role

from .conftest import _make_town
from .factories import UserFactory
from .helpers import register_case
from .servers import wait_for

pytestmark = pytest.mark.worker


def test_the_worker_writes_as_the_system_on_behalf_of_the_secretary(worker, client):
    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    revisor = UserFactory(username="ale.revisor", municipality=town.municipality, roles=[Role.AUDITOR])
    case = register_case(town)
    deadline = workdays.next_working_day(date.today() + timedelta(days=30))
    with town.scope(), acting(Actor(user_id=town.secretary.pk, municipality_id=town.municipality.pk)):
        [remiss] = services.remiss_send(
            case, from_body=town.ks, to_bodies=[town.sn], deadline=deadline, by=town.secretary
        )

    def routed():
        with scopes_disabled():
            return Remiss.objects.filter(pk=remiss.pk, status=RemissStatus.RECEIVED).exists()

    wait_for(routed, what="the remiss to be routed by the worker")
    with scopes_disabled():
        [by_worker] = AuditEntry.objects.filter(
            table_name="cases_remiss", row_pk=str(remiss.pk), data__status="received"
        )
    assert (by_worker.actor_id, by_worker.on_behalf_of_id) == (None, town.secretary.pk)
    client.force_login(revisor)
    page = client.get(reverse("audit:entry", args=[by_worker.pk])).content.decode()
    assert "Systemet, på uppdrag av Maria Sekreterare" in page
