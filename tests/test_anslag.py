"""The anslag as a legal act: the secretary puts it up (by default on the day of justering), the
dates follow the day it went up on real calendars, a late anslag alerts the secretary and the chair
once, the evidence log has a row per day per notice, and after removal the public PDF answers 410."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.db.utils import InternalError
from django.urls import reverse

from cases import clock
from cases.models import Notification, RenderedPdf
from cases.pdf import pdf_render
from cases.services import CaseError
from cases.services.notifications import notification_email_send
from meetings import anslag, services
from meetings.models import AnslagDay, MeetingEvent, MeetingStatus
from meetings.tasks import sweep_anslag

from .protocol_setup import justera, people, ready_meeting

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MEETING_DAY = date(2026, 2, 26)  # a Thursday
JUSTERING = date(2026, 3, 2)  # the Monday after


def moment(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=STOCKHOLM)


def justerat_meeting(town):
    with town.scope():
        cast = people(town)
        meeting = ready_meeting(town, MEETING_DAY, cast)
        with time_machine.travel(moment(JUSTERING), tick=False):
            meeting = justera(town, meeting, cast)
    return meeting, cast


# The secretary's act ---------------------------------------------------------------------------


def test_justering_does_not_put_up_the_anslag_the_secretary_does_and_the_default_is_the_justering_day(client, ale):
    meeting, _cast = justerat_meeting(ale)
    assert meeting.status == MeetingStatus.JUSTERAT and meeting.anslag_on is None
    client.force_login(ale.secretary)
    with time_machine.travel(moment(JUSTERING, 14), tick=False):
        page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
        assert 'value="2026-03-02"' in page and "Sätt upp anslaget" in page
        assert "Utbildningsnämnden" not in client.get(reverse("meetings:anslagstavla", args=["ale"])).content.decode()
        response = client.post(
            reverse("meetings:anslag-publish", args=[meeting.uuid]), {"on": "2026-03-02", "confirm": "on"}
        )
        assert response.status_code == 302
        board = client.get(reverse("meetings:anslagstavla", args=["ale"])).content.decode()
    meeting.refresh_from_db()
    assert (meeting.anslag_on, meeting.appeal_ends_on, meeting.anslag_removed_on) == (
        date(2026, 3, 2),
        date(2026, 3, 23),
        date(2026, 3, 24),
    )
    assert "<td>2026-03-02</td><td>2026-03-23</td><td>2026-03-24</td>" in board
    with ale.scope():
        posted = MeetingEvent.objects.get(meeting=meeting, action="anslag.posted")
        assert posted.actor == ale.secretary and posted.data["on"] == "2026-03-02"
        # The ANSLAG/BEVIS block of the protocol carries the dates.
        from meetings.pdf import protocol_html

        html = protocol_html(ale.municipality, str(meeting.uuid))
    assert "Datum för anslags uppsättande</th><td>2026-03-02" in html
    assert "Sista dag för överklagande</th><td>2026-03-23" in html


def test_an_anslag_is_never_backdated_never_put_up_twice_and_only_by_the_secretary(client, ale):
    meeting, _cast = justerat_meeting(ale)
    with ale.scope(), time_machine.travel(moment(JUSTERING + timedelta(days=1)), tick=False):
        with pytest.raises(CaseError, match="redan har varit"):
            anslag.anslag_publish(meeting, on=JUSTERING, by=ale.secretary)
        with pytest.raises(CaseError, match="senast andra dagen"):
            anslag.anslag_publish(meeting, on=JUSTERING + timedelta(days=3), by=ale.secretary)
        with pytest.raises(CaseError, match="Bara nämndsekreteraren"):
            anslag.anslag_publish(meeting, on=JUSTERING + timedelta(days=1), by=ale.politician)
        anslag.anslag_publish(meeting, on=JUSTERING + timedelta(days=1), by=ale.secretary)
        with pytest.raises(CaseError, match="redan uppsatt"):
            anslag.anslag_publish(meeting, on=JUSTERING + timedelta(days=2), by=ale.secretary)
    # The politician's POST to the page answers 404, and changes nothing.
    client.force_login(ale.politician)
    response = client.post(
        reverse("meetings:anslag-publish", args=[meeting.uuid]), {"on": "2026-03-04", "confirm": "on"}
    )
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.anslag_on == date(2026, 3, 3)


def test_an_anslag_before_justering_is_refused(ale):
    with ale.scope():
        cast = people(ale)
        meeting = ready_meeting(ale, MEETING_DAY, cast)
        services.protocol_close(meeting, by=ale.secretary)
        with pytest.raises(CaseError, match="när protokollet är justerat"):
            anslag.anslag_publish(meeting, on=clock.today(), by=ale.secretary)


# Dates on real calendars -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("posted", "appeal_ends", "why"),
    [
        # three weeks end on julafton (Wed); juldagen, annandag jul and the weekend follow
        (date(2025, 12, 3), date(2025, 12, 29), "julafton"),
        # on nyårsafton (Wed); nyårsdagen follows, Friday 2 January is the next vardag
        (date(2025, 12, 10), date(2026, 1, 2), "nyårsafton"),
        # on midsommardagen (Saturday 20 June 2026)
        (date(2026, 5, 30), date(2026, 6, 22), "midsommardagen"),
        # on nationaldagen, a Saturday in 2026
        (date(2026, 5, 16), date(2026, 6, 8), "nationaldag"),
    ],
)
def test_the_appeal_period_moves_past_holidays_on_real_calendars(posted, appeal_ends, why):
    from cases import workdays

    assert why in (workdays.moved_reason(posted + timedelta(weeks=3)) or "")
    assert anslag.anslag_dates(posted) == (appeal_ends, appeal_ends + timedelta(days=1))


def test_a_protocol_put_up_three_weeks_before_julafton_may_be_appealed_until_the_29th(client, ale):
    with ale.scope():
        cast = people(ale)
        meeting = ready_meeting(ale, date(2025, 11, 27), cast)
        with time_machine.travel(moment(date(2025, 12, 3)), tick=False):
            meeting = justera(ale, meeting, cast)
            anslag.anslag_publish(meeting, on=date(2025, 12, 3), by=ale.secretary)
    meeting.refresh_from_db()
    assert (meeting.appeal_ends_on, meeting.anslag_removed_on) == (date(2025, 12, 29), date(2025, 12, 30))
    with time_machine.travel(moment(date(2025, 12, 24)), tick=False):
        board = client.get(reverse("meetings:anslagstavla", args=["ale"])).content.decode()
    assert "<td>2025-12-03</td><td>2025-12-29</td><td>2025-12-30</td>" in board


# The late anslag ---------------------------------------------------------------------------------


def test_a_missing_anslag_alerts_the_secretary_and_the_chair_on_the_third_day_once(ale, smtp):
    meeting, _cast = justerat_meeting(ale)
    with time_machine.travel(moment(JUSTERING + timedelta(days=2), 1), tick=False):
        assert sweep_anslag()["late"] == 0  # the second day is still in time
    with time_machine.travel(moment(JUSTERING + timedelta(days=3), 1), tick=False):
        assert sweep_anslag()["late"] == 1
        assert sweep_anslag()["late"] == 0  # once
    with ale.scope():
        notes = list(Notification.objects.filter(key=f"meeting:{meeting.pk}:anslag-late"))
        assert {n.recipient for n in notes} == {ale.secretary, ale.politician}
        assert "inte uppsatt" in notes[0].subject and "2026-03-04" in notes[0].body
        for note in notes:
            assert notification_email_send(note.pk) is True
            assert notification_email_send(note.pk) is False
        assert MeetingEvent.objects.filter(meeting=meeting, action="anslag.late").count() == 1
    assert sorted(m["To"] for m in smtp.messages) == sorted([ale.secretary.email, ale.politician.email])
    assert all("Anslaget är inte uppsatt" in m["Subject"] for m in smtp.messages)


def test_an_anslag_up_by_the_second_day_raises_no_alert(ale):
    meeting, _cast = justerat_meeting(ale)
    with ale.scope(), time_machine.travel(moment(JUSTERING + timedelta(days=2)), tick=False):
        anslag.anslag_publish(meeting, on=JUSTERING + timedelta(days=2), by=ale.secretary)
    with time_machine.travel(moment(JUSTERING + timedelta(days=3), 1), tick=False):
        assert sweep_anslag()["late"] == 0
    with ale.scope():
        assert not Notification.objects.filter(key__endswith="anslag-late").exists()
        assert not MeetingEvent.objects.filter(action="anslag.late").exists()


def test_the_daily_sweep_is_on_the_beat_schedule(beat_schedule_after_migrations):
    task = beat_schedule_after_migrations["meetings.tasks.sweep_anslag"]
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("0", "5")


# Removal -------------------------------------------------------------------------------------------


def test_after_removal_the_public_pdf_answers_410_and_the_protocol_leaves_the_anslagstavla(client, ale):
    meeting, _cast = justerat_meeting(ale)
    with ale.scope(), time_machine.travel(moment(JUSTERING), tick=False):
        anslag.anslag_publish(meeting, on=JUSTERING, by=ale.secretary)
        pdf = RenderedPdf.objects.get(kind=services.PUBLIC_PROTOCOL, key=str(meeting.uuid))
        pdf_render(pdf.pk)
    url = reverse("meetings:anslag-pdf", args=["ale", meeting.uuid])
    board_url = reverse("meetings:anslagstavla", args=["ale"])
    # Passes: on the last day before removal the PDF is served and the board lists it.
    with time_machine.travel(moment(date(2026, 3, 23)), tick=False):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert url in client.get(board_url).content.decode()
    # Refused: from the removal day, 410 Gone and no longer on the board.
    with time_machine.travel(moment(date(2026, 3, 24)), tick=False):
        gone = client.get(url)
        assert gone.status_code == 410
        assert "nedtaget" in gone.content.decode()
        board = client.get(board_url).content.decode()
        assert url not in board and "Inga protokoll är anslagna just nu." in board


def test_a_protocol_whose_anslag_is_not_up_has_no_public_pdf(client, ale):
    meeting, _cast = justerat_meeting(ale)
    with ale.scope():
        services.protocol_render(meeting, by=ale.secretary)
        from cases.pdf import pdf_request

        pdf = pdf_request(municipality=ale.municipality, kind=services.PUBLIC_PROTOCOL, key=str(meeting.uuid))
        pdf_render(pdf.pk)
    response = client.get(reverse("meetings:anslag-pdf", args=["ale", meeting.uuid]))
    assert response.status_code == 404


# The evidence log ------------------------------------------------------------------------------


def test_the_evidence_log_has_a_row_for_every_day_the_notice_was_up_shown_to_the_secretary(client, ale):
    meeting, _cast = justerat_meeting(ale)
    with ale.scope(), time_machine.travel(moment(JUSTERING, 15), tick=False):
        anslag.anslag_publish(meeting, on=JUSTERING, by=ale.secretary)
    for offset in (1, 1, 2):  # the sweep run twice on one day adds one row
        with time_machine.travel(moment(JUSTERING + timedelta(days=offset), 0), tick=False):
            sweep_anslag()
    with time_machine.travel(moment(date(2026, 3, 24), 0), tick=False):
        assert sweep_anslag() == {"up": 0, "removed": 1, "late": 0}  # down: no row, the removal is logged
    with ale.scope():
        days = list(AnslagDay.objects.filter(meeting=meeting).values_list("day", flat=True))
        assert days == [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]
        row = AnslagDay.objects.filter(meeting=meeting).first()
        with pytest.raises(InternalError, match="append-only"), transaction.atomic():
            AnslagDay.objects.filter(pk=row.pk).update(day=date(2026, 3, 1))
        removed = MeetingEvent.objects.get(meeting=meeting, action="anslag.removed")
        assert removed.data["days"] == 3
    client.force_login(ale.secretary)
    page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert "Bevis om anslaget" in page
    assert "<td>Protokollet</td><td>2026-03-03</td>" in page
    # An official reads the meeting page but not the evidence log.
    client.force_login(ale.official)
    other = client.get(reverse("meetings:detail", args=[meeting.uuid]))
    assert other.status_code == 200 and "Bevis om anslaget" not in other.content.decode()
