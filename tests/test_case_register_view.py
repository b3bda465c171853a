"""A registrar registers a case; bad input gets a Swedish message and nothing is saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.models import Case, CaseEvent, DiariumCounter

URL = reverse("cases:register")


def post(client, town, **overrides):
    data = {
        "title": "Integrationsplan för Ale kommun 2018-2021",
        "body": town.ks.pk,
        "department": town.department.pk,
        "handler": town.official.pk,
        "registered_on": timezone.localdate().isoformat(),
        **overrides,
    }
    return client.post(URL, data)


def counts():
    with scopes_disabled():
        return Case.objects.count(), CaseEvent.objects.count(), DiariumCounter.objects.count()


def test_a_registrar_registers_a_case_and_lands_on_it(client, ale):
    client.force_login(ale.registrar)
    response = post(client, ale)
    with scopes_disabled():
        case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.ref])
    assert case.diarienummer == f"KS.{timezone.localdate().year}.1"
    assert case.handler == ale.official
    assert ale.official.has_perm("cases.handle_case", case)
    page = client.get(response["Location"]).content.decode()
    assert f"Ärendet {case.diarienummer} är registrerat." in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Detta fält måste fyllas i."),
        ({"title": "x" * 256}, "som mest 255 tecken"),
        ({"title": "ab"}, "Ärendemeningen är för kort"),
        ({"body": ""}, "Detta fält måste fyllas i."),
        ({"body": "999999"}, "Det angivna organet finns inte i din kommun."),
        ({"handler": "999999"}, "Välj en handläggare i din kommun."),
        ({"registered_on": "2017-13-45"}, "Fyll i ett giltigt datum."),
        ({"registered_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "kan inte ligga i framtiden"),
    ],
)
def test_bad_input_is_answered_in_swedish_and_nothing_is_saved(client, ale, overrides, message):
    client.force_login(ale.registrar)
    before = counts()
    response = post(client, ale, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_a_body_of_another_municipality_is_an_unknown_body(client, ale, alingsas):
    client.force_login(ale.registrar)
    response = post(client, ale, body=alingsas.ks.pk)
    assert "Det angivna organet finns inte i din kommun." in response.content.decode()
    assert counts() == (0, 0, 0)


def test_a_handler_of_another_municipality_is_refused(client, ale, alingsas):
    client.force_login(ale.registrar)
    response = post(client, ale, handler=alingsas.official.pk)
    assert "Välj en handläggare i din kommun." in response.content.decode()
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("role", ["official", "secretary", "head", "politician"])
def test_only_a_registrar_may_register(client, ale, role):
    client.force_login(getattr(ale, role))
    assert client.get(URL).status_code == 403
    assert post(client, ale).status_code == 403
    assert counts() == (0, 0, 0)
