"""§ numbering per municipality: the format, a start number per body and year, stående punkter
numbered or not, and numbers in meeting date order even when protocols are closed out of order."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.models import Municipality, OrganisationEvent
from cases.services import CaseError
from meetings import numbering, services
from meetings.models import AgendaItem, ItemKind, Meeting, MeetingEvent, MeetingStatus, Signature
from meetings.pdf import protocol_html

from .factories import UserFactory
from .protocol_setup import justera, people, ready_meeting


def paragraphs(meeting: Meeting) -> list[int | None]:
    return list(meeting.items.order_by("ordering").values_list("paragraph", flat=True))


def test_the_default_format_is_a_plain_number(ale):
    with ale.scope():
        cast = people(ale)
        meeting = ready_meeting(ale, date(2024, 3, 14), cast)
        services.protocol_close(meeting, by=ale.secretary)
        item = meeting.items.get(kind=ItemKind.CASE)
        assert item.paragraph_label == "§ 6"
        assert "<h2>§ 6 Skolskjuts för elever i Nödinge</h2>" in protocol_html(ale.municipality, str(meeting.uuid))


def test_the_number_and_two_digit_year_format_shows_in_the_protocol_and_on_the_anslagstavla(client, ale):
    with scopes_disabled():
        Municipality.objects.filter(pk=ale.municipality.pk).update(paragraph_format="§ {number}/{yy}")
    with ale.scope():
        cast = people(ale)
        meeting = justera(ale, ready_meeting(ale, date(2024, 3, 14), cast), cast)
        services.anslag_publish(meeting, on=services.clock.today(), by=ale.secretary)
        item = AgendaItem.objects.get(meeting=meeting, kind=ItemKind.CASE)
        assert item.paragraph_label == "§ 6/24"
        html = protocol_html(ale.municipality, str(meeting.uuid))
    assert "<h2>§ 6/24 Skolskjuts för elever i Nödinge</h2>" in html
    assert "§ 1/24–§ 6/24" in html
    board = client.get(reverse("meetings:anslagstavla", args=["ale"])).content.decode()
    assert "<li>§ 6/24 Skolskjuts för elever i Nödinge</li>" in board


def test_a_start_number_continues_an_earlier_system_and_is_refused_once_a_paragraph_is_given(ale):
    with ale.scope():
        cast = people(ale)
        numbering.paragraph_start_set(ale.un, year=2024, first_number=120, by=ale.secretary)
        meeting = ready_meeting(ale, date(2024, 3, 14), cast)
        services.protocol_close(meeting, by=ale.secretary)
        assert paragraphs(meeting) == [120, 121, 122, 123, 124, 125]
        with pytest.raises(CaseError, match="har redan paragrafer 2024"):
            numbering.paragraph_start_set(ale.un, year=2024, first_number=1, by=ale.secretary)
        # Another year of the same body starts from 1 again.
        later = ready_meeting(ale, date(2025, 1, 16), cast)
        services.protocol_close(later, by=ale.secretary)
        assert paragraphs(later)[0] == 1
        assert OrganisationEvent.objects.filter(action="numbering.start", data__first=120).count() == 1


def test_a_body_that_does_not_number_standing_items_numbers_only_its_cases(ale):
    with ale.scope():
        cast = people(ale)
        numbering.standing_items_numbering_set(ale.un, numbered=False, by=ale.secretary)
        ale.un.refresh_from_db()
        meeting = ready_meeting(ale, date(2024, 3, 14), cast)
        services.protocol_close(meeting, by=ale.secretary)
        assert paragraphs(meeting) == [None, None, None, None, None, 1]


def test_a_later_meeting_closed_first_is_moved_up_when_the_earlier_one_closes(ale):
    with ale.scope():
        cast = people(ale)
        earlier = ready_meeting(ale, date(2024, 3, 14), cast, case_title="Budget 2025")
        later = ready_meeting(ale, date(2024, 4, 11), cast)
        services.protocol_close(later, by=ale.secretary)
        assert paragraphs(later) == [1, 2, 3, 4, 5, 6]
        services.protocol_sign(later, by=ale.politician)  # the chair has signed the later protocol
        services.protocol_close(earlier, by=ale.secretary)
        assert paragraphs(earlier) == [1, 2, 3, 4, 5, 6]
        assert paragraphs(later) == [7, 8, 9, 10, 11, 12]
        # The chair approved numbers that no longer exist: the signature is withdrawn and logged.
        assert not Signature.objects.filter(meeting=later, signed_at__isnull=False).exists()
        event = MeetingEvent.objects.get(meeting=later, action="paragraphs.renumbered")
        assert event.data["withdrawn"] == ["Anna Ordförande"]
        assert ["Skolskjuts för elever i Nödinge", 6, 12] in event.data["moved"]
        # Both protocols go on to justering with numbers in date order.
        services.protocol_sign(later, by=ale.politician)
        services.protocol_sign(later, by=cast[4])
        assert Meeting.objects.get(pk=later.pk).status == MeetingStatus.JUSTERAT
        assert paragraphs(later) == [7, 8, 9, 10, 11, 12]


def test_a_justerat_protocol_is_never_renumbered_so_the_earlier_meeting_cannot_close(ale):
    with ale.scope():
        cast = people(ale)
        earlier = ready_meeting(ale, date(2024, 3, 14), cast, case_title="Budget 2025")
        later = justera(ale, ready_meeting(ale, date(2024, 4, 11), cast), cast)
        with pytest.raises(CaseError, match="redan § 1–6"):
            services.protocol_close(earlier, by=ale.secretary)
        assert paragraphs(later) == [1, 2, 3, 4, 5, 6]
        assert paragraphs(earlier) == [None] * 6
        assert Meeting.objects.get(pk=earlier.pk).status != MeetingStatus.JUSTERING


def test_the_municipal_administrator_sets_the_format_and_nobody_else_sees_the_page(client, ale):
    url = reverse("administration:numbering")
    client.force_login(ale.secretary)
    assert client.get(url).status_code == 404
    assert client.post(url, {"form": "format", "paragraph_format": "§ {number}/{yy}"}).status_code == 404
    admin = UserFactory(municipality=ale.municipality, roles=["admin"])
    client.force_login(admin)
    assert "Format för paragrafnummer" in client.get(url).content.decode()
    assert client.post(url, {"form": "format", "paragraph_format": "§ {number}/{yy}"}).status_code == 302
    response = client.post(
        url, {"form": "body", "body": ale.un.pk, "number_standing_items": "", "year": "2024", "first_number": "57"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Municipality.objects.get(pk=ale.municipality.pk).paragraph_format == "§ {number}/{yy}"
    with ale.scope():
        ale.un.refresh_from_db()
        assert ale.un.number_standing_items is False
        assert set(OrganisationEvent.objects.values_list("action", flat=True)) >= {
            "numbering.format",
            "numbering.start",
            "numbering.standing",
        }
    # An unknown format is refused.
    page = client.post(url, {"form": "format", "paragraph_format": "{number}"}).content.decode()
    assert "Välj ett giltigt alternativ" in page or "giltig" in page
