"""Anmäl förhinder: a member reports they cannot attend, the secretary sees it on the meeting, the
system proposes the ersättare in calling order, and the one called in is notified and reads the
meeting. The last test runs the e-mail through a real Celery worker and a real SMTP sink."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.models import Membership, Notification, SeatRole
from meetings.models import MeetingEvent
from reading.absence import absence_report, substitute_proposals
from reading.models import Absence

from .factories import UserFactory
from .reading_setup import called_meeting
from .servers import wait_for
from .test_meetings_protocol import seat


def deputies(town):
    """Three ersättare in UN: two of the member's party (S) in calling order 2 and 1, one of M."""
    users = [UserFactory(municipality=town.municipality, roles=["fortroendevald"]) for _ in range(3)]
    with town.scope():
        second = seat(town, town.un, "Sara", "Andra", "S", SeatRole.DEPUTY, user=users[0])
        first = seat(town, town.un, "Frida", "Första", "S", SeatRole.DEPUTY, user=users[1])
        other = seat(town, town.un, "Olle", "Annat", "M", SeatRole.DEPUTY, user=users[2])
        for person, order in ((second, 2), (first, 1), (other, 1)):
            Membership.objects.filter(person=person).update(deputy_order=order)
    return first, second, other


def test_a_member_reports_forhinder_and_the_secretary_is_told(client, ale):
    reading = called_meeting(ale)
    meeting_url = reverse("reading:meeting", args=[reading.meeting.uuid])
    url = reverse("reading:absence-report", args=[reading.meeting.uuid])
    client.force_login(ale.politician)
    assert url in client.get(meeting_url).content.decode()
    response = client.post(url, {"reason": "Sjuk"})
    assert response.status_code == 302 and response["Location"] == meeting_url
    with ale.scope():
        absence = Absence.objects.get(meeting=reading.meeting)
        assert absence.person == reading.member and absence.whole_meeting
        event = MeetingEvent.objects.get(meeting=reading.meeting, action="absence.reported")
        assert event.data["person"] == "Staffan Politiker"
        note = Notification.objects.get(recipient=ale.secretary, key__startswith=f"absence:{absence.uuid}")
        assert "hela sammanträdet" in note.body
        assert note.url == reverse("reading:absences", args=[reading.meeting.uuid])
    client.force_login(ale.secretary)
    page = client.get(meeting_url).content.decode()
    assert "Förhinder (1)" in page
    assert "Staffan Politiker" in client.get(note.url).content.decode()


def test_forhinder_for_some_items_names_them(client, ale):
    reading = called_meeting(ale)
    client.force_login(ale.politician)
    url = reverse("reading:absence-report", args=[reading.meeting.uuid])
    response = client.post(url, {"items": [reading.item.pk], "reason": "Jäv"})
    assert response.status_code == 302
    with ale.scope():
        absence = Absence.objects.get(meeting=reading.meeting)
        assert not absence.whole_meeting
        assert list(absence.items.all()) == [reading.item]
        event = MeetingEvent.objects.get(meeting=reading.meeting, action="absence.reported")
    assert event.data["items"] == [f"punkt {reading.item.ordering} Ny skolskjutsplan"]


def test_the_ersattare_are_proposed_in_calling_order_own_party_first(ale):
    reading = called_meeting(ale)
    first, second, other = deputies(ale)
    with ale.scope():
        absence = absence_report(reading.meeting, by=ale.politician)
        assert [s.person for s in substitute_proposals(absence)] == [first, second, other]
        # An ersättare who reports förhinder themselves is not proposed.
        absence_report(reading.meeting, by=first.user)
        assert [s.person for s in substitute_proposals(absence)] == [second, other]


def test_the_secretary_calls_the_proposed_ersattare_who_is_notified_and_reads_the_handlingar(client, ale):
    reading = called_meeting(ale)
    first, second, _other = deputies(ale)
    with ale.scope():
        absence = absence_report(reading.meeting, by=ale.politician)
    client.force_login(ale.secretary)
    page = client.get(reverse("reading:absences", args=[reading.meeting.uuid])).content.decode()
    assert "Frida Första (S, nr 1) – föreslås" in page
    call = reverse("reading:absence-call", args=[reading.meeting.uuid, absence.uuid])
    assert client.post(call, {"substitute": first.pk}).status_code == 302
    with ale.scope():
        absence.refresh_from_db()
        assert absence.substitute == first and absence.called_by == ale.secretary
        note = Notification.objects.get(recipient=first.user)
        assert "ersättare för Staffan Politiker" in note.body
        assert MeetingEvent.objects.filter(action="absence.substitute_called", meeting=reading.meeting).exists()
        assert not Notification.objects.filter(recipient=second.user).exists()
    client.force_login(first.user)
    assert client.get(note.url).status_code == 200
    item = client.get(reverse("reading:item", args=[reading.meeting.uuid, reading.item.uuid]))
    assert item.status_code == 200
    doc = reverse("reading:document", args=[reading.meeting.uuid, reading.item.uuid, reading.pdf.uuid])
    assert client.get(doc).status_code == 200
    # The same ersättare is not proposed for a second förhinder.
    with ale.scope():
        later = absence_report(reading.meeting, by=second.user)
        assert first not in [s.person for s in substitute_proposals(later)]


def test_only_the_proposed_ersattare_may_be_called(client, ale):
    reading = called_meeting(ale)
    deputies(ale)
    with ale.scope():
        absence = absence_report(reading.meeting, by=ale.politician)
        stranger = seat(ale, ale.sn, "Sven", "Socialnämnd", "S", SeatRole.DEPUTY)
    client.force_login(ale.secretary)
    call = reverse("reading:absence-call", args=[reading.meeting.uuid, absence.uuid])
    client.post(call, {"substitute": stranger.pk})
    with ale.scope():
        absence.refresh_from_db()
        assert absence.substitute is None


def test_the_forhinder_pages_are_404_for_those_they_are_not_for(client, ale, outsider):
    reading = called_meeting(ale)
    with ale.scope():
        absence = absence_report(reading.meeting, by=ale.politician)
        seatless = UserFactory(municipality=ale.municipality, roles=["fortroendevald"])
    report = reverse("reading:absence-report", args=[reading.meeting.uuid])
    listing = reverse("reading:absences", args=[reading.meeting.uuid])
    call = reverse("reading:absence-call", args=[reading.meeting.uuid, absence.uuid])
    client.force_login(ale.registrar)  # reads the meeting but holds no seat, and is no secretary
    assert client.get(report).status_code == 404
    assert client.get(listing).status_code == 404
    for user in (seatless, outsider):
        client.force_login(user)
        assert client.get(report).status_code == 404
        assert client.post(report).status_code == 404
    client.force_login(ale.politician)
    assert client.get(listing).status_code == 404
    assert client.post(call, {"substitute": 1}).status_code == 404
    client.force_login(ale.secretary)
    assert client.get(call).status_code == 405


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_called_ersattare_gets_the_e_mail_from_the_worker(client, worker, smtp):
    from .conftest import _make_town

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    reading = called_meeting(town)
    first, _second, _other = deputies(town)
    with town.scope():
        absence = absence_report(reading.meeting, by=town.politician)
    wait_for(lambda: len(smtp.to(town.secretary.email)) == 1, what="the secretary's e-mail")
    assert "Förhinder: Staffan Politiker" in smtp.to(town.secretary.email)[0]["Subject"]
    client.force_login(town.secretary)
    call = reverse("reading:absence-call", args=[reading.meeting.uuid, absence.uuid])
    assert client.post(call, {"substitute": first.pk}).status_code == 302
    wait_for(lambda: len(smtp.to(first.user.email)) == 1, what="the ersättare's e-mail")
    mail = smtp.to(first.user.email)[0]
    assert "Du är inkallad" in mail["Subject"]
    assert reverse("reading:meeting", args=[reading.meeting.uuid]) in mail.get_content()
    with scopes_disabled():
        assert Notification.objects.get(recipient=first.user).emailed_at is not None
