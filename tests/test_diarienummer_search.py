"""Diarienummer search as people type them (Ale writes KS.2017.407, Alingsås KS 2017/407)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .helpers import register_case

URL = reverse("cases:diarium")


def titles(response):
    return [case.title for case in response.context["page"].rows]


@pytest.fixture
def numbered(ale):
    """KS.2017.1 … and a case with the same löpnummer in another year."""
    from datetime import date

    first = register_case(ale, title="Integrationsplan för Ale kommun 2018-2021")  # KS.2017.1
    register_case(ale, title="Budget för kulturskolan")  # KS.2017.2
    register_case(ale, title="Skolskjutsregler", on=date(2018, 3, 1))  # KS.2018.1
    register_case(ale, title="Plan för Ale 407", body=ale.un)  # UN.2017.1, a number in its title
    return first


@pytest.mark.parametrize(
    "typed",
    ["Dnr KS.2017.1", "dnr: KS-2017-1", "DNR KS 2017/1", "diarienummer ks.2017.1", "KS 2017 1", "  KS.2017.1  "],
)
def test_a_full_diarienummer_is_found_however_it_is_typed(client, ale, numbered, typed):
    client.force_login(ale.politician)
    assert titles(client.get(URL, {"q": typed})) == ["Integrationsplan för Ale kommun 2018-2021"]


def test_year_and_number_find_the_case_in_any_series(client, ale, numbered):
    client.force_login(ale.politician)
    assert titles(client.get(URL, {"q": "2017.1"})) == [
        "Plan för Ale 407",
        "Integrationsplan för Ale kommun 2018-2021",
    ]


def test_a_bare_number_finds_every_year_and_the_diarienummer_shows_which(client, ale, numbered):
    client.force_login(ale.politician)
    response = client.get(URL, {"q": "1"})
    assert titles(response) == ["Plan för Ale 407", "Skolskjutsregler", "Integrationsplan för Ale kommun 2018-2021"]
    page = response.content.decode()
    assert "KS.2018.1" in page and "KS.2017.1" in page  # the year tells them apart


def test_a_bare_number_also_finds_it_in_a_title(client, ale, numbered):
    client.force_login(ale.politician)
    assert titles(client.get(URL, {"q": "407"})) == ["Plan för Ale 407"]


def test_plain_words_with_a_year_are_searched_as_words(client, ale, numbered):
    client.force_login(ale.politician)
    assert titles(client.get(URL, {"q": "integrationsplan 2018"})) == ["Integrationsplan för Ale kommun 2018-2021"]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("KS.17.407", "året ”17” ska skrivas med fyra siffror"),
        ("KS 2017", "det saknar antingen år eller löpnummer"),
        ("Dnr KS", "det saknar år och löpnummer"),
        ("dnr: KS.2017.4.1", "det har fler delar än serie, år och löpnummer"),
    ],
)
def test_a_look_alike_that_cannot_be_a_number_says_why_in_swedish(client, ale, numbered, typed, reason):
    client.force_login(ale.politician)
    response = client.get(URL, {"q": typed})
    page = response.content.decode()
    assert "kan inte vara ett diarienummer" in page and reason in page
    assert titles(response) == []
