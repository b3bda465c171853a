"""Justeras omedelbart: a § gets its own extract, signed at the meeting by the chair and the
justerare for that § alone, posted on the anslagstavla and expedited at once; the rest of the
protocol waits for the usual justering."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.models import OutboxMessage
from cases.services import CaseError
from meetings import immediate, services
from meetings.expedite import item_expedite
from meetings.models import AgendaItem, AnslagDay, ExtractStatus, ItemKind, MeetingEvent, MeetingStatus

from .protocol_setup import people, ready_meeting

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAY = date(2026, 2, 26)
AT_THE_MEETING = datetime(2026, 2, 26, 19, 30, tzinfo=STOCKHOLM)


def marked(town, cast):
    meeting = ready_meeting(town, DAY, cast)
    item = meeting.items.get(kind=ItemKind.CASE)
    services.item_record(
        item,
        decision="Skolskjutsen till Nödinge skola ordnas från 1 mars.",
        immediately_justerad=True,
        by=town.secretary,
    )
    return meeting, item


def test_a_paragraph_justerad_omedelbart_is_posted_and_expedited_at_once_while_the_rest_waits(client, ale):
    with ale.scope(), time_machine.travel(AT_THE_MEETING, tick=False):
        cast = people(ale)
        meeting, item = marked(ale, cast)
        extract = immediate.extract_send(item, by=ale.secretary)
        item.refresh_from_db()
        assert item.paragraph == 6  # the meeting is numbered so the extract can carry its §
        # The § is frozen from now on; the refusal is logged.
        with pytest.raises(CaseError, match="justeras omedelbart"):
            services.item_record(item, decision="Ändrat", immediately_justerad=True, by=ale.secretary)
        assert MeetingEvent.objects.filter(meeting=meeting, action="write.refused", data__status="omedelbart").exists()
        immediate.extract_sign(extract, by=ale.politician)
        extract.refresh_from_db()
        assert extract.status == ExtractStatus.JUSTERING
        immediate.extract_sign(extract, by=cast[4])
        extract.refresh_from_db()
        assert extract.status == ExtractStatus.JUSTERAT and extract.anslag_on == DAY
        assert (extract.appeal_ends_on, extract.anslag_removed_on) == (date(2026, 3, 19), date(2026, 3, 20))
        assert AnslagDay.objects.filter(meeting=meeting, item=item, day=DAY).exists()
        with scopes_disabled():
            assert OutboxMessage.objects.filter(task="meetings.tasks.expedite_item", args=[item.pk]).exists()
        assert item_expedite(item.pk) is True  # expedited while the protocol is still being written
        assert item.case.documents.filter(description__contains="Protokollsutdrag").count() == 1
        # The rest of the protocol is still open.
        upprop = meeting.items.get(title="Upprop")
        services.item_record(upprop, decision="Uppropet förrättades.", by=ale.secretary)
        assert meeting.__class__.objects.get(pk=meeting.pk).status == MeetingStatus.PLANNED
        board = client.get(reverse("meetings:anslagstavla", args=["ale"])).content.decode()
    assert "Protokollsutdrag § 6" in board and "Skolskjuts för elever i Nödinge" in board
    assert "<td>2026-02-26</td><td>2026-03-19</td><td>2026-03-20</td>" in board
    assert "Inga protokoll är anslagna just nu." in board  # the protocol itself is not up


def test_the_protocol_keeps_the_immediately_justerad_number_at_its_own_justering(ale):
    with ale.scope(), time_machine.travel(AT_THE_MEETING, tick=False):
        cast = people(ale)
        meeting, item = marked(ale, cast)
        extract = immediate.extract_send(item, by=ale.secretary)
        immediate.extract_sign(extract, by=ale.politician)
        immediate.extract_sign(extract, by=cast[4])
        services.protocol_close(meeting, by=ale.secretary)
        services.protocol_sign(meeting, by=ale.politician)
        services.protocol_sign(meeting, by=cast[4])
        assert AgendaItem.objects.get(pk=item.pk).paragraph == 6
        assert item_expedite(item.pk) is True
        assert item_expedite(item.pk) is False  # once, not again at the protocol's justering


def test_omedelbar_justering_is_refused_for_an_unmarked_paragraph_and_for_someone_who_does_not_sign_it(ale):
    with ale.scope(), time_machine.travel(AT_THE_MEETING, tick=False):
        cast = people(ale)
        meeting = ready_meeting(ale, DAY, cast)
        item = meeting.items.get(kind=ItemKind.CASE)
        services.item_record(item, decision="Beslut.", by=ale.secretary)
        with pytest.raises(CaseError, match="inte beslutat"):
            immediate.extract_send(item, by=ale.secretary)
        services.item_record(item, decision="Beslut.", immediately_justerad=True, by=ale.secretary)
        with pytest.raises(CaseError, match="Bara nämndsekreteraren"):
            immediate.extract_send(item, by=ale.politician)
        extract = immediate.extract_send(item, by=ale.secretary)
        with pytest.raises(CaseError, match="ska inte justera"):
            immediate.extract_sign(extract, by=ale.secretary)
        with pytest.raises(CaseError, match="redan skickad"):
            immediate.extract_send(item, by=ale.secretary)
        extract.refresh_from_db()
        assert extract.status == ExtractStatus.JUSTERING and extract.anslag_on is None


def test_the_extract_pages_answer_404_to_everyone_but_the_secretary_and_the_signers(client, ale):
    with ale.scope(), time_machine.travel(AT_THE_MEETING, tick=False):
        cast = people(ale)
        meeting, item = marked(ale, cast)
    page = reverse("meetings:extract", args=[meeting.uuid, item.uuid])
    send = reverse("meetings:extract-send", args=[meeting.uuid, item.uuid])
    sign = reverse("meetings:extract-sign", args=[meeting.uuid, item.uuid])
    with time_machine.travel(AT_THE_MEETING, tick=False):
        client.force_login(ale.official)
        assert client.post(send, {"confirm": "on"}).status_code == 404
        client.force_login(ale.secretary)
        assert client.get(page).status_code == 404  # nothing sent yet
        assert client.post(send, {"confirm": "on"}).status_code == 302
        assert client.get(page).status_code == 200
        client.force_login(ale.official)
        assert client.get(page).status_code == 404
        assert client.post(sign, {"confirm": "on"}).status_code == 404
        client.force_login(ale.politician)
        assert "Justera som ordförande" in client.get(page).content.decode()
        assert client.post(sign, {"confirm": "on"}).status_code == 302
    with ale.scope():
        assert MeetingEvent.objects.filter(meeting=meeting, action="extract.signed").count() == 1
