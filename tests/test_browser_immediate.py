"""In Chromium: a § the meeting decides to justera omedelbart is sent by the secretary, signed at the
meeting by the chair and the justerare, and is on the public anslagstavla as an extract the same
day and expedited into its case, while the rest of the protocol waits. axe-core checks every page."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import services as case_services
from cases.models import Document, SeatRole
from meetings import services
from meetings.models import ItemKind, MeetingStatus

from .browser import assert_accessible, sign_in
from .factories import UserFactory
from .servers import wait_for
from .test_meetings_protocol import seat

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_a_paragraph_justerad_omedelbart_is_on_the_anslagstavla_the_same_day_while_the_rest_waits(
    page, live_server, worker
):
    from .conftest import _make_town

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    with town.scope():
        chair = seat(town, town.un, "Anna", "Ordförande", "S", SeatRole.CHAIR, user=town.politician)
        justerare_user = UserFactory(username="ale.justerare", municipality=town.municipality, roles=["fortroendevald"])
        justerare = seat(town, town.un, "Jonas", "Justerare", "M", user=justerare_user)
        seat(town, town.un, "Maja", "Ledamot", "C")
        case = case_services.case_register(
            municipality=town.municipality, title="Tillfällig skolskjuts vid vägarbete", body=town.un, by=town.registrar
        )
        meeting = services.meeting_create(
            body=town.un, starts_at=timezone.now() - timedelta(minutes=30), place="Sal A", by=town.secretary
        )
        item = services.agenda_add_case(meeting, case=case, by=town.secretary)
        rows = {a.person_id: a.pk for a in meeting.attendance.all()}
        services.attendance_record(
            meeting,
            present=[rows[chair.pk], rows[justerare.pk]],
            justerare=[rows[justerare.pk]],
            serving={},
            by=town.secretary,
        )
        services.item_record(
            item,
            decision="Skolskjuts ordnas från Nödinge under vägarbetet.",
            immediately_justerad=True,
            by=town.secretary,
        )
    today = timezone.localdate().isoformat()
    base = live_server.url

    sign_in(page, base, town.secretary.username)
    page.goto(f"{base}/sammantraden/{meeting.uuid}/")
    expect(page.get_by_role("heading", name="Justeras omedelbart")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Jag förstår att paragrafen låses").check()
    page.get_by_role("button", name="Justera omedelbart").click()
    expect(page.get_by_role("status").first).to_contain_text("skickad till ordföranden och justerarna")
    expect(page.get_by_role("main")).to_contain_text("under justering")
    assert_accessible(page)

    for signer in (town.politician, justerare_user):
        page.get_by_role("button", name="Logga ut").click()
        sign_in(page, base, signer.username, lands="**/lasesal/")
        page.goto(f"{base}/sammantraden/{meeting.uuid}/paragrafer/{item.uuid}/utdrag/")
        expect(page.get_by_role("main")).to_contain_text("Skolskjuts ordnas från Nödinge under vägarbetet.")
        assert_accessible(page)
        page.get_by_label("Jag förstår att min justering").check()
        page.get_by_role("button", name="Justera som").click()
        expect(page.get_by_role("main")).to_contain_text("Du justerade paragrafen")
    expect(page.get_by_role("main")).to_contain_text("Paragrafen är justerad")
    assert_accessible(page)

    page.get_by_role("button", name="Logga ut").click()
    page.goto(f"{base}/ale/anslagstavla/")
    row = page.get_by_role("table", name="Omedelbart justerade paragrafer").get_by_role(
        "row", name="Utbildningsnämnden"
    )
    expect(row).to_contain_text("Tillfällig skolskjuts vid vägarbete")
    expect(row).to_contain_text(today)
    expect(row).to_contain_text("Protokollsutdrag § 6")
    # The protocol itself is not on the anslagstavla: it has not even gone to justering.
    expect(page.get_by_role("main")).to_contain_text("Inga protokoll är anslagna just nu.")
    assert_accessible(page)

    with town.scope():
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.PLANNED
        assert meeting.items.get(kind=ItemKind.CASE).extract.anslag_on == date.fromisoformat(today)
    # Expedited at once by the worker: the extract lands in the case as an outgoing document.
    with town.scope():
        wait_for(
            lambda: Document.objects.filter(case=case, description__contains="Protokollsutdrag").exists(),
            what="the extract expedited into the case",
        )
