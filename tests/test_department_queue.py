"""A routed remiss lands in the receiving department's queue; its head assigns a handläggare."""

from __future__ import annotations

from django.urls import reverse
from django_scopes import scopes_disabled

from cases import services
from cases.models import Case

from .helpers import register_case


def test_the_head_sees_the_queue_and_assigns_a_handler(client, ale):
    with ale.scope():
        case = services.case_register(
            municipality=ale.municipality,
            title="Remiss om skolskjuts",
            body=ale.ks,
            department=ale.department,
            by=ale.registrar,
        )
    client.force_login(ale.head)
    page = client.get(reverse("cases:mine")).content.decode()
    assert "Förvaltningens kö" in page and "Remiss om skolskjuts" in page

    response = client.post(reverse("cases:assign", args=[case.ref]), {"handler": ale.official.pk})
    assert response.status_code == 302
    with scopes_disabled():
        case = Case.objects.get(pk=case.pk)
    assert case.handler == ale.official
    assert ale.official.has_perm("cases.handle_case", case)
    assert "Remiss om skolskjuts" not in client.get(reverse("cases:mine")).content.decode()


def test_a_handler_of_another_municipality_is_refused(client, ale, alingsas):
    case = register_case(ale)
    client.force_login(ale.head)
    client.post(reverse("cases:assign", args=[case.ref]), {"handler": alingsas.official.pk})
    with scopes_disabled():
        assert Case.objects.get(pk=case.pk).handler is None


def test_an_official_may_not_assign(client, ale):
    case = register_case(ale)
    client.force_login(ale.official)
    assert client.post(reverse("cases:assign", args=[case.ref]), {"handler": ale.official.pk}).status_code == 404
