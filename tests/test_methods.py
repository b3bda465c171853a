"""A page that only shows answers POST, PUT and DELETE with 405, not with the page (and a form
posted to the wrong address with a silent 200); the address the form posts to is unchanged. The
doors answer first: a POST by someone who may not see the page is refused as a GET is
(tests/test_permission_matrix.py holds every view and role)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .reading_setup import called_meeting


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_page_that_only_shows_refuses_other_methods(client, ale, method):
    reading = called_meeting(ale)
    case = reading.item.case
    client.force_login(ale.registrar)
    staff = [
        reverse("cases:diarium"),
        reverse("cases:mine"),
        reverse("cases:detail", args=[case.ref]),
        reverse("cases:board"),
        reverse("meetings:detail", args=[reading.meeting.uuid]),
        f"/{ale.municipality.slug}/anslagstavla/",
        "/favicon.ico",
    ]
    for url in staff:
        assert client.get(url).status_code in (200, 302), url
        response = getattr(client, method)(url)
        assert response.status_code == 405, (url, response.status_code)
        assert "GET" in response["Allow"] and "POST" not in response["Allow"]
    client.force_login(ale.politician)
    url = reverse("reading:meeting", args=[reading.meeting.uuid])
    assert client.get(url).status_code == 200
    assert getattr(client, method)(url).status_code == 405


def test_the_forms_still_post_where_they_did(client, ale):
    client.force_login(ale.registrar)
    response = client.post(reverse("cases:register"), {"title": ""})
    assert (
        response.status_code == 200 and "Något behöver rättas" in response.content.decode()
    )  # the form, with its errors
