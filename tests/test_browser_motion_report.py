"""The report on undecided motions in Chromium: the cut-off form, the table, the agenda action and the
registered beslutsunderlag, axe-clean, and at 390 px without sideways scroll."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from meetings import services as meeting_services

from .browser import assert_accessible, assert_no_sideways_scroll, sign_in
from .test_meetings_protocol import at
from .test_motion_report_pdf import LONG_TITLE, _motion

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_the_secretary_chooses_a_cut_off_and_puts_the_report_on_the_ks_agenda(page, live_server, worker):
    from .conftest import _make_town

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    with town.scope():
        _motion(town, "Motion om gatlyktor på Göteborgsvägen", date(2025, 2, 12), 17)
        _motion(town, LONG_TITLE, date(2025, 11, 3), 88)
        meeting_services.meeting_create(
            body=town.ks, starts_at=at(date.today() + timedelta(days=25)), place="Sessionssalen", by=town.secretary
        )
    base = live_server.url
    sign_in(page, base, town.secretary.username)

    page.goto(f"{base}/motioner/redovisning/")
    assert_accessible(page)
    page.get_by_label("Per datum").fill("2026-02-28")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(f"{base}/motioner/redovisning/?per=2026-02-28")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Staffan Albinsson (C)")
    expect(table).to_contain_text("Över ett år")
    expect(table).to_contain_text("3 månader")
    assert_accessible(page)

    page.get_by_label("Sammanträde").select_option(index=0)
    page.get_by_role("button", name="Lägg på föredragningslistan").click()
    expect(page.get_by_role("status")).to_contain_text("Redovisningen per 2026-02-28 ligger på föredragningslistan")
    assert_accessible(page)
    registered = page.get_by_text("beslutsunderlaget är registrerat som handling")
    for _ in range(120):
        if registered.count():
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(registered).to_be_visible()

    page.get_by_role("button", name="Lägg på föredragningslistan").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status"))).to_contain_text(
        "finns redan på föredragningslistan"
    )
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/motioner/redovisning/?per=2026-02-28")
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    page.goto(f"{base}/motioner/redovisning/?per=30-juni")
    expect(page.get_by_role("alert")).to_contain_text("Ange datumet som ÅÅÅÅ-MM-DD")
    assert_no_sideways_scroll(page)
    assert_accessible(page)
