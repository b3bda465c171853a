"""A revisor signs in, lands on the audit log, filters it and opens a row, in Chromium at desktop and
phone width; axe-core checks every page."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from .browser import assert_accessible, assert_no_sideways_scroll, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town():
    from audit.context import Actor, acting
    from cases.models import Role

    from .conftest import _make_town
    from .factories import UserFactory
    from .helpers import register_case

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    UserFactory(username="ale.revisor", municipality=town.municipality, roles=[Role.AUDITOR])
    with acting(Actor(user_id=town.registrar.pk, municipality_id=town.municipality.pk, ip="192.0.2.1")):
        register_case(town, title="Översyn av vägbelysning")
    return town


@pytest.mark.parametrize("width", [1366, 390])
def test_a_revisor_filters_the_log_and_opens_a_row(page, live_server, town, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, "ale.revisor", lands="**/granskning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Granskningslogg")
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    page.get_by_label("Vem").select_option(label=str(town.registrar))
    page.get_by_label("Vad").select_option(label="Ärenden")
    page.get_by_role("button", name="Visa").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Erik Registrator")
    expect(table).to_contain_text("192.0.2.1")
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    page.get_by_label("Till och med").fill("2001-01-01")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_text("Inga loggrader matchar urvalet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Till och med").fill("")
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Loggrad")
    expect(page.get_by_role("table")).to_contain_text("Översyn av vägbelysning")
    assert_accessible(page)
    assert_no_sideways_scroll(page)
