"""Historic protocols: a secretary brings an earlier meeting over with its real §-numbers and anslag
date, marked as entered afterwards; the body's numbering continues after it and never moves it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.services import CaseError
from meetings import services
from meetings.historic import HistoricItem, historic_items_parse, meeting_enter_afterwards
from meetings.models import Meeting, MeetingEvent, MeetingStatus

from .protocol_setup import people, ready_meeting

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def enter(town, *, numbers=(45, 46), day=date(2024, 3, 14)):
    return meeting_enter_afterwards(
        body=town.un,
        starts_at=datetime(day.year, day.month, day.day, 18, tzinfo=STOCKHOLM),
        place="Kommunhuset",
        items=[HistoricItem(n, f"Ärende {n}") for n in numbers],
        justerat_on=date(2024, 3, 18),
        anslag_on=date(2024, 3, 19),
        by=town.secretary,
    )


def test_an_earlier_meeting_is_entered_justerat_with_its_real_numbers_and_anslag_dates(ale):
    with ale.scope():
        meeting = enter(ale)
        assert meeting.status == MeetingStatus.JUSTERAT and meeting.entered_afterwards
        assert list(meeting.items.values_list("paragraph", "title")) == [(45, "Ärende 45"), (46, "Ärende 46")]
        assert (meeting.anslag_on, meeting.appeal_ends_on, meeting.anslag_removed_on) == (
            date(2024, 3, 19),
            date(2024, 4, 9),
            date(2024, 4, 10),
        )
        event = MeetingEvent.objects.get(meeting=meeting, action="meeting.entered_afterwards")
        assert event.actor == ale.secretary and event.data["paragraphs"] == [45, 46]
        assert len(meeting.protocol_hash) == 64


def test_numbering_continues_after_a_historic_protocol_and_never_moves_it(ale):
    with ale.scope():
        cast = people(ale)
        historic = enter(ale)
        later = ready_meeting(ale, date(2024, 4, 11), cast)
        services.protocol_close(later, by=ale.secretary)
        assert list(later.items.order_by("ordering").values_list("paragraph", flat=True)) == list(range(47, 53))
        # An earlier meeting takes numbers below the historic ones where they fit …
        earlier = ready_meeting(ale, date(2024, 2, 8), cast, case_title=None)
        services.protocol_close(earlier, by=ale.secretary)
        assert list(earlier.items.order_by("ordering").values_list("paragraph", flat=True)) == [1, 2, 3, 4, 5]
        # … and is refused where they would have to move the historic protocol.
        crowded = ready_meeting(ale, date(2024, 3, 1), cast)
        for n in range(40):
            services.agenda_add_case(
                crowded,
                case=case_services.case_register(
                    municipality=ale.municipality, title=f"Ärende {n}", body=ale.un, by=ale.registrar
                ),
                by=ale.secretary,
            )
        with pytest.raises(CaseError, match="redan § 45–46"):
            services.protocol_close(crowded, by=ale.secretary)
        assert list(historic.items.values_list("paragraph", flat=True)) == [45, 46]
        assert list(later.items.order_by("ordering").values_list("paragraph", flat=True)) == list(range(47, 53))


def test_a_historic_protocol_is_refused_for_a_future_date_taken_numbers_or_dates_out_of_order(ale):
    with ale.scope():
        enter(ale)
        with pytest.raises(CaseError, match="redan § 46"):
            enter(ale, numbers=(46, 47), day=date(2024, 3, 15))
        with pytest.raises(CaseError, match="redan har varit"):
            enter(ale, numbers=(1,), day=date(2099, 1, 1))
        with pytest.raises(CaseError, match="följa varandra"):
            enter(ale, numbers=(1,), day=date(2024, 3, 20))
        with pytest.raises(CaseError, match="Samma paragrafnummer"):
            historic_items_parse("§ 3 Budget\n3 Igen")
        with pytest.raises(CaseError, match="Rad 2"):
            historic_items_parse("§ 3 Budget\nBara en rubrik")
        assert historic_items_parse("§ 3 Budget 2024\n\n4 Taxa") == [
            HistoricItem(3, "Budget 2024"),
            HistoricItem(4, "Taxa"),
        ]
        assert Meeting.objects.count() == 1


def test_the_secretary_enters_it_on_a_page_and_nobody_else_may(client, ale):
    url = reverse("meetings:historic")
    form = {
        "body": ale.un.pk,
        "day": "2023-11-09",
        "time": "18:00",
        "place": "Kommunhuset",
        "justerat_on": "2023-11-13",
        "anslag_on": "2023-11-14",
        "items": "§ 101 Skolskjuts\n§ 102 Delårsrapport",
    }
    client.force_login(ale.official)
    assert client.get(url).status_code == 404
    assert client.post(url, form).status_code == 404
    client.force_login(ale.secretary)
    assert "För in ett tidigare protokoll" in client.get(url).content.decode()
    response = client.post(url, form)
    assert response.status_code == 302
    with ale.scope():
        meeting = Meeting.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "infört i efterhand" in page and "§ 101" in page
    with ale.scope():
        assert meeting.items.count() == 2
    # The same numbers again are refused on the page, in Swedish.
    again = client.post(url, form).content.decode()
    assert "har redan § 101, 102 år 2023" in again
