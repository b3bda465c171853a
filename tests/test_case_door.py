"""The core permission door: get_case_for_user honours every permission it is given and refuses
an unknown one; the case page pages its documents at a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.urls import reverse
from django_scopes import scopes_disabled

from cases import permissions
from cases.models import Direction, Document
from cases.services import case_register


@pytest.fixture
def case(ale):
    with ale.scope():
        return case_register(
            municipality=ale.municipality, title="Integrationsplan", body=ale.ks, by=ale.registrar, handler=ale.official
        )


def test_it_refuses_an_unknown_permission_name(ale, case):
    with ale.scope(), pytest.raises(ValueError, match="unknown case permission"):
        permissions.get_case_for_user(ale.registrar, case.ref, "approve_everything")


@pytest.mark.parametrize("perm", sorted(permissions.CASE_PERMISSIONS))
def test_every_named_permission_is_honoured(ale, case, perm):
    with ale.scope():
        allowed = permissions.CASE_PERMISSIONS[perm](ale.politician, case)
        assert allowed is False  # a politician may not register, send on remiss or assign
        with pytest.raises(Http404):
            permissions.get_case_for_user(ale.politician, case.ref, perm)
        assert permissions.get_case_for_user(ale.registrar, case.ref, perm) == case


def test_a_named_permission_gates_the_view_and_a_broken_one_would_show(client, ale, case, monkeypatch):
    url = reverse("cases:remiss-send", args=[case.ref])
    client.force_login(ale.politician)
    assert client.get(url).status_code == 404
    # Negative control: a door that lets everyone through is caught by the same request.
    monkeypatch.setitem(permissions.CASE_PERMISSIONS, "send_remiss", lambda user, case: True)
    assert client.get(url).status_code == 200


def _add_documents(ale, case, count, start=1):
    with scopes_disabled():
        Document.objects.bulk_create(
            Document(
                municipality=ale.municipality,
                case=case,
                sequence=start + i,
                direction=Direction.INCOMING,
                document_date=datetime.date(2024, 1, 1),
                description=f"Skrivelse {start + i}",
                registered_by=ale.registrar,
            )
            for i in range(count)
        )


def test_the_case_page_pages_its_documents(client, ale, case):
    _add_documents(ale, case, 120)
    client.force_login(ale.registrar)
    url = reverse("cases:detail", args=[case.ref])
    first = client.get(url).content.decode()
    assert "Skrivelse 50<" in first and "Skrivelse 51<" not in first
    assert "Handling 1–50 av 120." in first and "Sida 1 av 3" in first
    last = client.get(url, {"handlingar": 3}).content.decode()
    assert "Skrivelse 101<" in last and "Skrivelse 120<" in last and "Skrivelse 100<" not in last
    # A page number out of range shows the last page rather than an error.
    assert "Skrivelse 120<" in client.get(url, {"handlingar": 99}).content.decode()


def test_the_case_page_costs_the_same_queries_for_5_and_500_documents(
    client, ale, case, settings, django_assert_num_queries, django_assert_max_num_queries
):
    settings.KEPT_PAGES = False  # the render's queries, each time (a kept page: tests/test_kept_pages.py)
    client.force_login(ale.registrar)
    url = reverse("cases:detail", args=[case.ref])
    _add_documents(ale, case, 5)
    client.get(url)  # warm the session
    with django_assert_max_num_queries(10) as small:
        client.get(url)
    _add_documents(ale, case, 495, start=6)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Skrivelse ") == 50
