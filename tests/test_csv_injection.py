"""CSV exports cannot attack the spreadsheet that opens them (CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.exports import neutralise
from cases.models import Case

from .test_remiss_board import board  # noqa: F401 - the six-remiss fixture


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_gets_an_apostrophe(start):
    assert neutralise(f'{start}HYPERLINK("http://x")') == f'\'{start}HYPERLINK("http://x")'


@pytest.mark.parametrize("text", ["Översiktsplan 2040", "KS.2017.1", "2018-03-14", "", "a=b", "'citat'"])
def test_ordinary_text_is_left_as_it_is(text):
    assert neutralise(text) == text


def test_a_formula_in_a_case_title_reaches_the_board_export_as_text(client, ale, board):  # noqa: F811
    with scopes_disabled():
        Case.objects.filter(pk=board.r1.case_id).update(title='=HYPERLINK("http://angripare.example","Klicka")')
    client.force_login(ale.secretary)
    response = client.get(reverse("cases:board"), {"view": "all", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode().removeprefix("\ufeff")), delimiter=";"))
    titles = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://angripare.example","Klicka")' in titles
    assert not any(title.startswith(("=", "+", "-", "@")) for title in titles)
