"""The politicians' reading room: Mina sammanträden, the meeting read in the page, the door, the feed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from icalendar import Calendar

from cases import services as case_services
from cases.models import PdfStatus, RenderedPdf, SeatRole
from meetings import services
from meetings.models import MeetingEvent
from reading.models import MeetingVisit
from reading.services import meeting_visit_record

from .factories import UserFactory
from .reading_setup import PDF_WORD, called_meeting
from .test_meetings_protocol import approved_draft, at, seat

HOME = reverse("reading:home")


def reading_url(reading) -> str:
    return reverse("reading:item", args=[reading.meeting.uuid, reading.item.uuid])


def file_url(reading, document) -> str:
    return reverse("reading:document", args=[reading.meeting.uuid, reading.item.uuid, document.uuid])


def test_a_member_sees_the_coming_meeting_of_their_body_and_not_of_others(client, ale):
    reading = called_meeting(ale)
    with ale.scope():
        other = services.meeting_create(
            body=ale.sn, starts_at=at(date.today() + timedelta(days=3)), place="Sal B", by=ale.secretary
        )
        services.meeting_call(other, by=ale.secretary)
    client.force_login(ale.politician)
    response = client.get(HOME)
    assert response.status_code == 200
    assert [m.pk for m, _new in response.context["coming"]] == [reading.meeting.pk]
    assert "Utbildningsnämnden" in response.content.decode()
    assert client.get(reverse("reading:meeting", args=[other.uuid])).status_code == 404


def test_a_politician_lands_on_mina_sammantraden_and_the_menu_shows_it(client, ale):
    called_meeting(ale)
    client.force_login(ale.politician)
    response = client.get(reverse("home"))
    assert response["Location"] == HOME
    assert 'href="/lasesal/"' in client.get(HOME).content.decode()
    client.force_login(ale.official)
    assert client.get(reverse("home"))["Location"] == reverse("cases:mine")
    assert 'href="/lasesal/"' not in client.get(reverse("cases:mine")).content.decode()


def test_a_seat_that_ended_before_the_meeting_gives_no_access(client, ale):
    reading = called_meeting(ale)
    with ale.scope():
        reading.member.memberships.update(ends_on=date.today() - timedelta(days=1))
    client.force_login(ale.politician)
    assert client.get(HOME).context["coming"] == []
    assert client.get(reading_url(reading)).status_code == 404


def test_a_deputy_reads_the_meeting_too(client, ale):
    reading = called_meeting(ale)
    deputy_user = UserFactory(municipality=ale.municipality, roles=["fortroendevald"])
    with ale.scope():
        seat(ale, ale.un, "Erik", "Ersättare", "L", SeatRole.DEPUTY, user=deputy_user)
    client.force_login(deputy_user)
    assert [m.pk for m, _new in client.get(HOME).context["coming"]] == [reading.meeting.pk]
    assert client.get(reading_url(reading)).status_code == 200


def test_staff_without_a_seat_see_no_entries_but_may_read_and_a_politician_without_a_seat_may_not(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.official)
    assert client.get(HOME).context["coming"] == []
    assert client.get(reading_url(reading)).status_code == 200
    stranger = UserFactory(municipality=ale.municipality, roles=["fortroendevald"])
    client.force_login(stranger)
    assert client.get(reverse("reading:meeting", args=[reading.meeting.uuid])).status_code == 404
    assert client.get(reading_url(reading)).status_code == 404
    assert client.get(file_url(reading, reading.pdf)).status_code == 404


def test_another_municipalitys_meeting_is_404(client, ale, outsider):
    reading = called_meeting(ale)
    client.force_login(outsider)
    assert client.get(reverse("reading:meeting", args=[reading.meeting.uuid])).status_code == 404
    assert client.get(reading_url(reading)).status_code == 404
    assert client.get(file_url(reading, reading.pdf)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, ale):
    reading = called_meeting(ale)
    for url in (HOME, reading_url(reading), file_url(reading, reading.pdf)):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_the_new_badge_appears_after_a_change_and_goes_after_a_visit(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.politician)

    def badge() -> bool:
        response = client.get(HOME)
        new = dict(response.context["coming"])[reading.meeting]
        assert new == ("Nytt sedan du tittade" in response.content.decode())
        return new

    assert badge()  # never looked
    client.get(reverse("reading:meeting", args=[reading.meeting.uuid]))
    assert not badge()
    with ale.scope():
        MeetingEvent.objects.create(
            municipality=ale.municipality,
            meeting=reading.meeting,
            action="attendance.recorded",
            actor=ale.secretary,
        )
    assert badge()
    client.get(reading_url(reading))
    assert not badge()


def test_a_refused_write_is_no_news(client, ale):
    reading = called_meeting(ale)
    with ale.scope():
        meeting_visit_record(reading.meeting, by=ale.politician)
        MeetingEvent.objects.create(
            municipality=ale.municipality,
            meeting=reading.meeting,
            action="write.refused",
            at=timezone.now() + timedelta(seconds=1),
        )
    client.force_login(ale.politician)
    assert dict(client.get(HOME).context["coming"])[reading.meeting] is False


def test_mina_sammantraden_costs_the_same_queries_for_2_and_8_meetings(
    client, ale, django_assert_num_queries, django_assert_max_num_queries
):
    called_meeting(ale)

    def add(n: int) -> None:
        with ale.scope():
            for days in range(n):
                m = services.meeting_create(
                    body=ale.un, starts_at=at(date.today() + timedelta(days=10 + days)), place="Sal", by=ale.secretary
                )
                services.meeting_call(m, by=ale.secretary)
                meeting_visit_record(m, by=ale.politician)

    add(1)
    client.force_login(ale.politician)
    with django_assert_max_num_queries(10) as small:
        assert len(client.get(HOME).context["coming"]) == 2
    add(6)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(HOME).context["coming"]) == 8


def test_the_reading_view_shows_the_paper_the_documents_and_the_agenda(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    response = client.get(reading_url(reading))
    html = response.content.decode()
    assert "Utbildningsnämnden fastställer skolskjutsplanen." in html
    assert "Förvaltningen avstyrker." in html
    assert f'data-pdf-src="{file_url(reading, reading.pdf)}"' in html
    assert f'<img class="reading-image" src="{file_url(reading, reading.image)}" alt="Foto av hållplatsen">' in html
    assert "Val av justerare" in html  # the table of contents
    assert response.context["previous"].title == "Meddelanden"
    assert response.context["next"] is None


def test_a_handling_is_served_inline_for_the_viewer(client, ale, tmp_path):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    response = client.get(file_url(reading, reading.pdf))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    from .pdftext import pdftotext

    (tmp_path / "served.pdf").write_bytes(body)
    assert PDF_WORD in pdftotext(tmp_path / "served.pdf")


def test_a_secret_handling_is_not_opened_for_a_member_without_the_grant_and_says_so(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    html = client.get(reading_url(reading)).content.decode()
    assert "Sekretess (OSL 26 kap. 1 §) – du har inte behörighet att läsa handlingen." in html
    assert "Ansökan från vårdnadshavare" not in html
    assert str(reading.secret.uuid) not in html
    assert client.get(file_url(reading, reading.secret)).status_code == 404


def test_a_member_granted_the_secret_handling_reads_it(client, ale):
    from guardian.shortcuts import assign_perm

    reading = called_meeting(ale)
    with ale.scope():
        assign_perm("cases.read_secret_document", ale.politician, reading.secret)
    client.force_login(ale.politician)
    html = client.get(reading_url(reading)).content.decode()
    assert "Ansökan från vårdnadshavare" in html
    assert "du har inte behörighet" not in html


def test_the_kallelse_is_linked_when_rendered(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    url = reverse("reading:meeting", args=[reading.meeting.uuid])
    assert "Kallelsen som PDF" not in client.get(url).content.decode()
    with ale.scope():
        pdf = RenderedPdf.objects.get(kind="kallelse", key=str(reading.meeting.uuid))
        pdf.status = PdfStatus.DONE
        pdf.save(update_fields=["status"])
    assert f'href="{reverse("cases:pdf", args=[pdf.uuid])}"' in client.get(url).content.decode()


def test_the_calendar_feed_lists_ones_meetings(client, ale):
    reading = called_meeting(ale)
    with ale.scope():
        other = services.meeting_create(
            body=ale.sn, starts_at=at(date.today() + timedelta(days=3)), place="Sal B", by=ale.secretary
        )
        services.meeting_call(other, by=ale.secretary)
    response = client.get(reverse("reading:calendar", args=[ale.politician.calendar_token]))
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"meeting-{reading.meeting.uuid}@alingsas-ale"]
    assert str(events[0]["location"]) == "Sal A"


def test_a_wrong_calendar_token_is_404(client, ale):
    import uuid

    assert client.get(reverse("reading:calendar", args=[uuid.uuid4()])).status_code == 404


@pytest.mark.parametrize("name", ["reading:home"])
def test_a_user_of_no_municipality_gets_404(client, db, name):
    with scopes_disabled():
        user = UserFactory(municipality=None, roles=[], is_superuser=True)
    client.force_login(user)
    assert client.get(reverse(name)).status_code == 404


def test_visits_are_one_row_per_reader_and_meeting(ale):
    reading = called_meeting(ale)
    with scope(municipality=ale.municipality):
        earlier = timezone.now() - timedelta(hours=2)
        meeting_visit_record(reading.meeting, by=ale.politician, at=earlier)
        first = MeetingVisit.objects.get(meeting=reading.meeting, user=ale.politician)
        meeting_visit_record(reading.meeting, by=ale.politician)
        visits = list(MeetingVisit.objects.filter(meeting=reading.meeting, user=ale.politician))
        assert [v.pk for v in visits] == [first.pk]
        assert first.seen_at == earlier and visits[0].seen_at > earlier


def test_a_picture_is_served_inline_and_sandboxed(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    response = client.get(file_url(reading, reading.image))
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "sandbox"


def test_past_meetings_are_listed_and_planned_ones_without_kallelse_are_not(client, ale):
    from meetings.models import Meeting, MeetingStatus

    reading = called_meeting(ale)
    with ale.scope():
        held = services.meeting_create(
            body=ale.un, starts_at=at(date.today() - timedelta(days=20)), place="Sal C", by=ale.secretary
        )
        Meeting.objects.filter(pk=held.pk).update(status=MeetingStatus.JUSTERAT)
        services.meeting_create(
            body=ale.un, starts_at=at(date.today() + timedelta(days=40)), place="Sal D", by=ale.secretary
        )
    client.force_login(ale.politician)
    response = client.get(HOME)
    assert [m.pk for m, _new in response.context["coming"]] == [reading.meeting.pk]
    assert [m.pk for m, _new in response.context["past"]] == [held.pk]


@pytest.mark.parametrize(("page", "most"), [("meeting", 9), ("item", 9)])
def test_a_meeting_and_an_item_in_the_reading_room_cost_the_same_queries_for_1_and_6_items(
    client, ale, settings, django_assert_num_queries, django_assert_max_num_queries, page, most
):
    settings.KEPT_PAGES = False  # the render's queries, each time (a kept page: tests/test_kept_pages.py)
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    url = reverse("reading:meeting", args=[reading.meeting.uuid]) if page == "meeting" else reading_url(reading)
    client.get(url)  # the session's first request writes it
    with django_assert_max_num_queries(most) as one:
        before = len(client.get(url).context["items"])
    with ale.scope():
        for n in range(5):
            case = case_services.case_register(
                municipality=ale.municipality, title=f"Ärende {n}", body=ale.un, by=ale.registrar
            )
            services.agenda_add(reading.meeting, draft=approved_draft(ale, case, f"Beslut {n}."), by=ale.secretary)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["items"]) == before + 5
