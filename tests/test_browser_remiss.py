"""A secretary sends a remiss in Chromium, the worker routes it, the recipient answers, the board shows
it answered. axe-core checks every page visited."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from cases import workdays
from cases.models import Department, Direction, Role
from cases.services import case_register, document_register

from .browser import assert_accessible, sign_in
from .factories import UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_a_remiss_goes_out_is_answered_and_shows_as_answered(page, live_server, worker):
    from .conftest import _make_town

    town = _make_town("alingsas", "Alingsås kommun", "{series} {year}/{number}")
    with town.scope():
        department = Department.objects.create(municipality=town.municipality, name="Utbildningsförvaltningen")
        department.bodies.set([town.un])
        un_registrar = UserFactory(
            username="un.registrator", municipality=town.municipality, roles=[Role.REGISTRAR], department=department
        )
        case = case_register(
            municipality=town.municipality,
            title="Motion angående tillfällig parlamentarisk arbetsgrupp för kommunens integrationsinsatser",
            body=town.ks,
            by=town.registrar,
        )
    deadline = workdays.next_working_day(date.today() + timedelta(days=30))
    base = live_server.url

    sign_in(page, base, town.secretary.username)
    page.goto(f"{base}/arenden/{case.ref}/")
    assert_accessible(page)
    page.get_by_role("link", name="Skicka på remiss").click()
    assert_accessible(page)
    page.get_by_label("Remitterande organ").select_option(label="Kommunstyrelsens arbetsutskott")
    page.get_by_label("Utbildningsnämnden", exact=True).check()
    page.locator("#id_deadline").fill(deadline.isoformat())
    page.get_by_label("Missiv").fill("Utbildningsnämnden ombeds yttra sig över motionen.")
    page.get_by_role("button", name="Skicka remiss").click()
    expect(page.get_by_role("status")).to_contain_text("Remissen är skickad till Utbildningsnämnden.")
    assert_accessible(page)

    # The worker opens UN's step; reload until its diarienummer shows.
    step_link = page.get_by_role("link", name=f"UN {date.today().year}/1")
    for _ in range(60):
        if step_link.count():
            break
        page.wait_for_timeout(250)
        page.reload()
    step_link.click()
    assert_accessible(page)

    page.get_by_role("button", name="Logga ut").click()
    sign_in(page, base, un_registrar.username)
    page.goto(f"{base}/inkorg/")
    expect(page.get_by_role("main")).to_contain_text("Ny remiss till Utbildningsnämnden")
    assert_accessible(page)
    page.get_by_role("link", name="Ny remiss till Utbildningsnämnden").first.click()
    with town.scope():
        from cases.models import Remiss

        step = Remiss.objects.get().response_case
        document_register(
            step,
            direction=Direction.INTERNAL,
            document_date=date.today(),
            description="Protokollsutdrag UN: nämnden antar förvaltningens yttrande som sitt eget",
            by=un_registrar,
        )
    page.reload()
    page.get_by_role("link", name="Besvara remissen").click()
    assert_accessible(page)
    page.get_by_role("radio", name="Protokollsutdrag UN").check()
    page.get_by_role("button", name="Skicka svaret").click()
    expect(page.get_by_role("status")).to_contain_text("Svaret skickas till")

    page.get_by_role("button", name="Logga ut").click()
    sign_in(page, base, town.secretary.username)
    page.goto(f"{base}/remissbevakning/?view=answered")
    row = page.get_by_role("row", name="Utbildningsnämnden")
    for _ in range(60):
        if row.count():
            break
        page.wait_for_timeout(250)
        page.reload()
    expect(row).to_contain_text("besvarad")
    assert_accessible(page)
    page.goto(f"{base}/arenden/{case.ref}/")
    expect(page.get_by_role("main")).to_contain_text("Remissvar från Utbildningsnämnden")
