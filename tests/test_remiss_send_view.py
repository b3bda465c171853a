"""Sending a remiss from the browser: validation in Swedish, nothing half-saved, routing left to the worker."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cases import services, workdays
from cases.models import CaseEvent, Remiss

from .helpers import register_case


def next_weekday(weekday: int) -> date:
    day = date.today() + timedelta(days=14)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


GOOD_DEADLINE = workdays.next_working_day(date.today() + timedelta(days=30))


@pytest.fixture
def case(ale):
    return register_case(ale, handler=ale.official)


def post(client, town, case, **overrides):
    data = {
        "from_body": town.ksau.pk,
        "to_bodies": [town.sn.pk, town.un.pk],
        "deadline": GOOD_DEADLINE.isoformat(),
        "cover_note": "Yttrande önskas över motionens att-satser.",
        **overrides,
    }
    return client.post(reverse("cases:remiss-send", args=[case.ref]), data)


def remisser():
    with scopes_disabled():
        return Remiss.objects.count(), CaseEvent.objects.filter(action="remiss.sent").count()


def test_a_secretary_sends_a_remiss_to_two_namnder(client, ale, case):
    client.force_login(ale.secretary)
    response = post(client, ale, case)
    assert response.status_code == 302
    with scopes_disabled():
        sent = list(Remiss.objects.order_by("to_body__name").values_list("to_body__short_name", "status", "deadline"))
    assert sent == [("SN", "sent", GOOD_DEADLINE), ("UN", "sent", GOOD_DEADLINE)]
    page = client.get(response["Location"]).content.decode()
    assert "Remissen är skickad till Socialnämnden, Utbildningsnämnden." in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"deadline": (date.today() - timedelta(days=3)).isoformat()}, "Svarsdatumet måste ligga efter dagens datum."),
        ({"deadline": date.today().isoformat()}, "Svarsdatumet måste ligga efter dagens datum."),
        ({"deadline": next_weekday(5).isoformat()}, "är en lördag. Närmaste arbetsdag är"),
        ({"deadline": "31/12"}, "Fyll i ett giltigt datum."),
        ({"to_bodies": []}, "Välj minst en remissinstans."),
        ({"to_bodies": [99999]}, "Remissinstansen finns inte i din kommun."),
        ({"from_body": "", "to_bodies": []}, "Detta fält måste fyllas i."),
        ({"cover_note": "x" * 2001}, "som mest 2000 tecken"),
    ],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_sent(client, ale, case, overrides, message):
    client.force_login(ale.secretary)
    response = post(client, ale, case, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert remisser() == (0, 0)


def test_a_remiss_to_the_sending_body_itself_is_refused(client, ale, case):
    client.force_login(ale.secretary)
    response = post(client, ale, case, to_bodies=[ale.ksau.pk, ale.un.pk])
    assert "Kommunstyrelsens arbetsutskott kan inte skicka en remiss till sig själv." in response.content.decode()
    assert remisser() == (0, 0)


def test_a_duplicate_remiss_to_the_same_body_is_refused(client, ale, case):
    client.force_login(ale.secretary)
    post(client, ale, case, to_bodies=[ale.un.pk])
    response = post(client, ale, case, to_bodies=[ale.sn.pk, ale.un.pk])
    assert "Utbildningsnämnden har redan en remiss i ärendet" in response.content.decode()
    assert remisser() == (1, 1)


def test_a_withdrawn_remiss_may_be_sent_again(client, ale, case):
    client.force_login(ale.secretary)
    post(client, ale, case, to_bodies=[ale.un.pk])
    with ale.scope():
        services.remiss_withdraw(Remiss.objects.get(), by=ale.secretary)
    assert post(client, ale, case, to_bodies=[ale.un.pk]).status_code == 302
    assert remisser() == (2, 2)


def test_a_closed_case_cannot_be_sent_on_remiss(client, ale, case):
    with ale.scope():
        services.case_close(case, by=ale.registrar)
        with pytest.raises(services.CaseError, match="avslutat"):
            services.remiss_send(case, from_body=ale.ksau, to_bodies=[ale.un], deadline=GOOD_DEADLINE, by=ale.secretary)
    client.force_login(ale.secretary)
    assert post(client, ale, case).status_code == 404
    assert remisser() == (0, 0)


@pytest.mark.parametrize("role", ["politician", "head"])
def test_only_secretaries_registrars_and_the_handler_may_send(client, ale, case, role):
    client.force_login(getattr(ale, role))
    assert post(client, ale, case).status_code == 404
    assert remisser() == (0, 0)


def test_a_body_of_another_municipality_cannot_receive(client, ale, alingsas, case):
    client.force_login(ale.secretary)
    response = post(client, ale, case, to_bodies=[alingsas.un.pk])
    assert "Remissinstansen finns inte i din kommun." in response.content.decode()
    assert remisser() == (0, 0)


def test_one_send_gives_each_recipient_its_own_deadline_where_one_is_set(client, ale, case):
    client.force_login(ale.secretary)
    own = workdays.next_working_day(GOOD_DEADLINE + timedelta(days=21))
    response = post(client, ale, case, **{f"deadline_{ale.un.pk}": own.isoformat()})
    assert response.status_code == 302
    with scopes_disabled():
        deadlines = {r.to_body.short_name: r.deadline for r in Remiss.objects.select_related("to_body")}
    assert deadlines == {"SN": GOOD_DEADLINE, "UN": own}
    page = client.get(reverse("cases:remiss-send", args=[case.ref])).content.decode()
    assert "eget svarsdatum (valfritt)" in page and f'name="deadline_{ale.un.pk}"' in page


def test_an_own_deadline_on_a_holiday_is_refused_naming_the_recipient_and_nothing_is_sent(client, ale, case):
    client.force_login(ale.secretary)
    christmas = date(date.today().year + 1, 12, 25)
    response = post(client, ale, case, **{f"deadline_{ale.un.pk}": christmas.isoformat()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Utbildningsnämnden: Svarsdatumet måste vara en arbetsdag" in html
    with scopes_disabled():
        assert not Remiss.objects.exists()
