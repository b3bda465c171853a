from __future__ import annotations

from datetime import date

from django.urls import reverse
from django_scopes import scopes_disabled

from cases import services
from cases.models import Remiss

from .factories import CaseFactory
from .helpers import register_case

URL = reverse("cases:mine")


def test_it_shows_my_open_cases_and_the_remisser_awaiting_answer(client, ale):
    mine = register_case(ale, title="Integrationsplan", handler=ale.official)
    register_case(ale, title="Någon annans ärende", handler=ale.head)
    closed = register_case(ale, title="Avslutat ärende", handler=ale.official)
    with ale.scope():
        services.case_close(closed, by=ale.registrar)
        Remiss.objects.create(
            municipality=ale.municipality,
            case=mine,
            from_body=ale.ksau,
            to_body=ale.un,
            deadline=date(2030, 5, 31),
            sent_by=ale.secretary,
        )
    client.force_login(ale.official)
    page = client.get(URL).content.decode()
    assert "Integrationsplan" in page
    assert "Någon annans ärende" not in page
    assert "Avslutat ärende" not in page
    assert "2030-05-31" in page
    assert "Utbildningsnämnden" in page


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_costs_the_same_queries_for_3_and_30_cases(
    client, ale, settings, django_assert_num_queries, django_assert_max_num_queries
):
    settings.KEPT_PAGES = False  # the render's queries, each time (a kept page: tests/test_kept_pages.py)
    client.force_login(ale.official)
    with scopes_disabled():
        CaseFactory.create_batch(
            3, body=ale.ks, municipality=ale.municipality, registered_by=ale.registrar, handler=ale.official
        )
    with django_assert_max_num_queries(10) as small:
        client.get(URL)
    with scopes_disabled():
        CaseFactory.create_batch(
            27, body=ale.un, municipality=ale.municipality, registered_by=ale.registrar, handler=ale.official
        )
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert len(response.context["cases"]) == 30
