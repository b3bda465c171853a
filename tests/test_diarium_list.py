"""The diarium list: filters, free text in Swedish, diarienummer search and keyset pagination."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.models import Case, CaseStatus
from cases.queries import diarium_filter, keyset_page, search_is_common

from .factories import CaseFactory
from .helpers import register_case

URL = reverse("cases:diarium")


def titles(response):
    return [case.title for case in response.context["page"].rows]


@pytest.fixture
def cases(ale):
    register_case(ale, title="Integrationsplan för Ale kommun 2018-2021", handler=ale.official)
    register_case(ale, title="Motion om förskolornas öppettider", body=ale.un)
    closed = register_case(ale, title="Budget för kulturskolan")
    with ale.scope(), scopes_disabled():
        closed.status = CaseStatus.CLOSED
        closed.save(update_fields=["status"])
    return ale


def test_it_lists_the_newest_first(client, cases):
    client.force_login(cases.politician)
    response = client.get(URL)
    assert titles(response) == [
        "Budget för kulturskolan",
        "Motion om förskolornas öppettider",
        "Integrationsplan för Ale kommun 2018-2021",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "closed"}, ["Budget för kulturskolan"]),
        (
            {"year": "2017", "status": "open"},
            ["Motion om förskolornas öppettider", "Integrationsplan för Ale kommun 2018-2021"],
        ),
        ({"year": "2016"}, []),
        ({"q": "integrationsplanen"}, ["Integrationsplan för Ale kommun 2018-2021"]),
        ({"q": "förskola"}, ["Motion om förskolornas öppettider"]),
        ({"q": "integr"}, ["Integrationsplan för Ale kommun 2018-2021"]),
        ({"q": "motion förskolor"}, ["Motion om förskolornas öppettider"]),
        ({"q": "KS.2017.1"}, ["Integrationsplan för Ale kommun 2018-2021"]),
        ({"q": "KS 2017/1"}, ["Integrationsplan för Ale kommun 2018-2021"]),
        ({"q": "un.2017.1"}, ["Motion om förskolornas öppettider"]),
    ],
)
def test_filters_and_free_text(client, cases, params, expected):
    client.force_login(cases.politician)
    assert titles(client.get(URL, params)) == expected


def test_filter_by_body_and_handler(client, cases):
    client.force_login(cases.politician)
    assert titles(client.get(URL, {"body": cases.un.pk})) == ["Motion om förskolornas öppettider"]
    assert titles(client.get(URL, {"handler": cases.official.pk})) == ["Integrationsplan för Ale kommun 2018-2021"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "KS.17.407"}, "året ”17” ska skrivas med fyra siffror"),
        ({"q": "KS 2017"}, "t.ex. KS.2017.407"),
        ({"year": "17x"}, "Ange året med fyra siffror"),
        ({"body": "999999"}, "finns inte i din kommun"),
        ({"q": "x" * 201}, "som mest 200 tecken"),
    ],
)
def test_bad_search_input_gets_a_swedish_message_and_no_results(client, cases, params, message):
    client.force_login(cases.politician)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert titles(response) == []


def test_an_htmx_request_gets_only_the_results_fragment(client, cases):
    client.force_login(cases.politician)
    response = client.get(URL, {"q": "budget"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "Budget för kulturskolan" in body


def test_keyset_pages_walk_forward_and_back_without_overlap(client, ale):
    with scopes_disabled():
        CaseFactory.create_batch(60, body=ale.ks, municipality=ale.municipality, registered_by=ale.registrar)
    client.force_login(ale.registrar)
    first = client.get(URL).context["page"]
    second = client.get(URL, {"efter": first.next_cursor}).context["page"]
    third = client.get(URL, {"efter": second.next_cursor}).context["page"]
    assert [len(first.rows), len(second.rows), len(third.rows)] == [25, 25, 10]
    assert third.next_cursor is None
    ids = [c.pk for page in (first, second, third) for c in page.rows]
    assert len(set(ids)) == 60
    assert ids == sorted(ids, reverse=True)
    back = client.get(URL, {"fore": third.prev_cursor}).context["page"]
    assert [c.pk for c in back.rows] == [c.pk for c in second.rows]
    assert first.total == 60 and not first.total_is_lower_bound


def test_the_count_is_bounded(client, ale, settings, monkeypatch):
    monkeypatch.setattr("cases.queries.COUNT_LIMIT", 10)
    with scopes_disabled():
        CaseFactory.create_batch(12, body=ale.ks, municipality=ale.municipality, registered_by=ale.registrar)
    client.force_login(ale.registrar)
    response = client.get(URL)
    assert response.context["page"].total_is_lower_bound
    assert "Fler än 10 ärenden" in response.content.decode()


def test_the_list_costs_the_same_queries_for_5_and_50_cases(
    client, ale, settings, django_assert_num_queries, django_assert_max_num_queries
):
    settings.KEPT_PAGES = False  # the render's queries, each time (a kept page: tests/test_kept_pages.py)
    client.force_login(ale.registrar)
    with scopes_disabled():
        CaseFactory.create_batch(
            5, body=ale.ks, municipality=ale.municipality, registered_by=ale.registrar, handler=ale.official
        )
    client.get(URL)  # the handläggare list is kept in the cache from the first view on (test_user_options.py)
    with django_assert_max_num_queries(10) as small:
        client.get(URL)
    with scopes_disabled():
        CaseFactory.create_batch(
            45, body=ale.un, municipality=ale.municipality, registered_by=ale.registrar, handler=ale.head
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(URL)


@pytest.fixture
def many_about_preschool(ale, alingsas, monkeypatch):
    """40 of Ale's cases about förskolor, 2 of Alingsås's, statistics taken, and the thresholds small."""
    monkeypatch.setattr("cases.queries.COUNT_LIMIT", 10)
    monkeypatch.setattr("cases.queries.ESTIMATE_TRUSTED", 20)
    with scopes_disabled():
        for i in range(40):
            CaseFactory(
                body=ale.ks, municipality=ale.municipality, registered_by=ale.registrar, title=f"Förskola nummer {i}"
            )
        CaseFactory(body=ale.ks, municipality=ale.municipality, registered_by=ale.registrar, title="Gatubelysning")
        for title in ("Förskola i Sollebrunn", "Gatubelysning"):
            CaseFactory(
                body=alingsas.ks, municipality=alingsas.municipality, registered_by=alingsas.registrar, title=title
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    return ale


def counts_cases(sql: str) -> bool:
    return sql.startswith("SELECT COUNT(*)") and '"cases_case"' in sql


def test_a_common_word_is_listed_without_counting_and_a_rare_one_is_counted(client, many_about_preschool):
    ale = many_about_preschool
    assert search_is_common(ale.municipality, {"q": "förskola"})
    assert search_is_common(ale.municipality, {"q": "Förskola nummer"})
    # Outside the statistics' most common words, with another filter, or a diarienummer: counted.
    assert not search_is_common(ale.municipality, {"q": "förskola finnsinte"})
    assert not search_is_common(ale.municipality, {"q": "förskola", "body": ale.ks})
    assert not search_is_common(ale.municipality, {"q": "KS.2026.4"})
    assert not search_is_common(ale.municipality, {"q": ""})
    client.force_login(ale.registrar)
    with CaptureQueriesContext(connection) as common:
        response = client.get(URL, {"q": "förskola"})
    assert not [q for q in common.captured_queries if counts_cases(q["sql"])]
    page = response.context["page"]
    assert len(page.rows) == 25 and page.total_is_lower_bound
    assert all(case.title.startswith("Förskola nummer") for case in page.rows)  # never Alingsås's
    assert "Fler än 10 ärenden" in response.content.decode()
    with CaptureQueriesContext(connection) as rare:
        response = client.get(URL, {"q": "gatubelysning"})
    assert [q for q in rare.captured_queries if counts_cases(q["sql"])]
    assert response.context["page"].total == 1 and not response.context["page"].total_is_lower_bound


def test_an_estimate_that_was_too_high_gives_the_exact_total_from_the_first_page(many_about_preschool):
    ale = many_about_preschool
    with ale.scope():
        qs = diarium_filter(Case.objects.all().for_list(), ale.municipality, {"q": "gatubelysning"})
        page = keyset_page(qs, after=None, before=None, likely_many=True)
    assert [case.title for case in page.rows] == ["Gatubelysning"]
    assert page.total == 1 and not page.total_is_lower_bound and page.next_cursor is None
