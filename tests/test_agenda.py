"""The föredragningslista the secretary controls: the body's standing items (kept by the administrator),
free items, cases addressed to the body only, move to a position, remove, retitle, ärendebeskrivning,
beslutsunderlag and sekretess; refused cleanly after justering; and after the kallelse has gone out, a
change renders the kallelse again and tells those called."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cases import services as case_services
from cases.models import Direction, Notification, OrganisationEvent, RenderedPdf
from cases.pdf import pdf_render
from cases.services import CaseError
from meetings import agenda, services
from meetings.models import AgendaItem, ItemKind, Meeting, MeetingEvent, MeetingStatus, StandingAgenda

from .factories import UserFactory
from .pdftext import assert_in_order, pdftotext
from .test_meetings_protocol import approved_draft, at, council, held_meeting


def titles(meeting: Meeting) -> list[str]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("ordering").values_list("title", flat=True))


def snapshot(meeting: Meeting):
    with scopes_disabled():
        return (
            list(AgendaItem.objects.filter(meeting=meeting).order_by("ordering").values_list("pk", "title", "secrecy")),
            MeetingEvent.objects.filter(meeting=meeting).exclude(action="write.refused").count(),
        )


@pytest.fixture
def admin(ale):
    return UserFactory(username="ale.admin", municipality=ale.municipality, roles=["admin"])


@pytest.fixture
def planned(ale):
    """A UN meeting in the future with the default standing items."""
    with ale.scope():
        people = council(ale)
        meeting = services.meeting_create(
            body=ale.un, starts_at=at(date.today() + timedelta(days=20)), place="Sal A", by=ale.secretary
        )
    return meeting, people


# Standing items ---------------------------------------------------------------------------------


def test_the_administrator_sets_a_bodys_standing_items_and_each_new_meeting_starts_with_them(ale, admin):
    wanted = ["Val av justerare", "Godkännande av dagordning", "Anmälan av delegationsbeslut", "Informationsärenden"]
    with ale.scope():
        agenda.standing_items_set(ale.un, titles=[*wanted, "  "], numbered=False, by=admin)
        meeting = services.meeting_create(body=ale.un, starts_at=at(date(2030, 3, 12)), place="Sal A", by=ale.secretary)
        assert titles(meeting) == wanted
        assert set(meeting.items.values_list("kind", "numbered")) == {(ItemKind.STANDING, False)}
        assert OrganisationEvent.objects.filter(action="body.standing_items", data__titles=wanted).exists()
        other = services.meeting_create(body=ale.sn, starts_at=at(date(2030, 3, 12)), place="Sal B", by=ale.secretary)
        assert titles(other)[:2] == ["Upprop", "Val av justerare"]  # a body not configured keeps the default


def test_only_the_administrator_sets_standing_items_and_bad_titles_are_refused(ale, admin):
    with ale.scope():
        with pytest.raises(CaseError, match="Bara kommunens administratör"):
            agenda.standing_items_set(ale.un, titles=["Val av justerare"], numbered=True, by=ale.secretary)
        with pytest.raises(CaseError, match="Rubriken får vara högst 255 tecken; den är 300"):
            agenda.standing_items_set(ale.un, titles=["x" * 300], numbered=True, by=admin)
        with pytest.raises(CaseError, match="står två gånger"):
            agenda.standing_items_set(ale.un, titles=["Upprop", "Upprop"], numbered=True, by=admin)
        assert not StandingAgenda.objects.exists()


def test_the_standing_items_page_is_the_administrators(client, ale, admin):
    url = reverse("administration:body-standing", args=["UN"])
    for user in (ale.secretary, ale.politician):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"titles": "Hej"}).status_code == 404
    client.force_login(admin)
    page = client.get(url)
    assert page.status_code == 200 and "Val av justerare" in page.content.decode()
    response = client.post(url, {"titles": "Val av justerare\nInformationsärenden\n", "numbered": "on"})
    assert response.status_code == 302
    refused = client.post(url, {"titles": "A\nA"})
    assert "”A” står två gånger." in refused.content.decode()
    with ale.scope():
        assert StandingAgenda.objects.get(body=ale.un).titles == ["Val av justerare", "Informationsärenden"]
    assert (
        "Stående punkter på föredragningslistan"
        in client.get(reverse("administration:body", args=["UN"])).content.decode()
    )


def test_a_standing_item_is_removed_from_one_meeting_and_put_back(ale, planned):
    meeting, _people = planned
    with ale.scope():
        upprop = meeting.items.get(title="Upprop")
        agenda.agenda_remove(upprop, by=ale.secretary)
        assert "Upprop" not in titles(meeting)
        assert agenda.standing_missing(meeting) == ["Upprop"]
        assert list(meeting.items.order_by("ordering").values_list("ordering", flat=True)) == [0, 1, 2, 3]
        agenda.agenda_add_standing(meeting, title="Upprop", by=ale.secretary)
        assert titles(meeting)[-1] == "Upprop"
        with pytest.raises(CaseError, match="finns redan"):
            agenda.agenda_add_standing(meeting, title="Upprop", by=ale.secretary)
        with pytest.raises(CaseError, match="ingen sådan stående punkt"):
            agenda.agenda_add_standing(meeting, title="Fika", by=ale.secretary)


# Free items, cases, order ----------------------------------------------------------------------


def test_free_items_with_and_without_a_case_addressed_to_the_body(ale, planned):
    meeting, _people = planned
    with ale.scope():
        own = case_services.case_register(municipality=ale.municipality, title="Skolval", body=ale.un, by=ale.registrar)
        foreign = case_services.case_register(
            municipality=ale.municipality, title="Hemtjänst", body=ale.sn, by=ale.registrar
        )
        info = agenda.agenda_add_free(meeting, title="  Informationsärenden:   läget i skolan ", by=ale.secretary)
        assert (info.title, info.kind, info.case) == ("Informationsärenden: läget i skolan", ItemKind.FREE, None)
        val = agenda.agenda_add_free(
            meeting, title="Val av ombud", case=own, description="Ett ombud väljs.", by=ale.secretary
        )
        assert val.case == own and val.description == "Ett ombud väljs."
        assert foreign not in agenda.free_item_cases(meeting) and own in agenda.free_item_cases(meeting)
        before = snapshot(meeting)
        with pytest.raises(CaseError, match="inte ställt till Utbildningsnämnden"):
            agenda.agenda_add_free(meeting, title="Hemtjänst", case=foreign, by=ale.secretary)
        with pytest.raises(CaseError, match="Ange en rubrik."):
            agenda.agenda_add_free(meeting, title="   ", by=ale.secretary)
        with pytest.raises(CaseError, match="högst 255 tecken"):
            agenda.agenda_add_free(meeting, title="x" * 256, by=ale.secretary)
        assert snapshot(meeting) == before


def test_only_proposals_addressed_to_the_body_are_offered(ale):
    from papers.services import proposal_record

    with ale.scope():
        case = case_services.case_register(municipality=ale.municipality, title="Taxa", body=ale.ks, by=ale.registrar)
        proposal_record(
            case, satser=["KSAU föreslår KS att anta taxan."], label="KSAU", body=ale.ksau, by=ale.secretary
        )
        ks = services.meeting_create(body=ale.ks, starts_at=at(date(2030, 3, 12)), place="Sal", by=ale.secretary)
        kf = services.meeting_create(body=ale.kf, starts_at=at(date(2030, 3, 19)), place="Sal", by=ale.secretary)
        assert agenda.proposal_candidates(ks) == [case]
        assert agenda.proposal_candidates(kf) == []
        with pytest.raises(CaseError, match="inget förslag till beslut ställt till Kommunfullmäktige"):
            agenda.agenda_add_case(kf, case=case, by=ale.secretary)
        item = agenda.agenda_add_case(ks, case=case, by=ale.secretary)
        assert item.decision == "KSAU föreslår KS att anta taxan."


def test_a_paper_addressed_to_another_body_is_refused(ale, planned):
    meeting, _people = planned
    with ale.scope():
        case = case_services.case_register(municipality=ale.municipality, title="Plan", body=ale.un, by=ale.registrar)
        draft = approved_draft(ale, case, "Nämnden antar planen.")
        draft.addressee = ale.sn
        draft.save(update_fields=["addressee"])
        with pytest.raises(CaseError, match="inte ställt till Utbildningsnämnden"):
            agenda.agenda_add(meeting, draft=draft, by=ale.secretary)


def test_items_move_up_down_and_to_a_position(ale, planned):
    meeting, _people = planned
    with ale.scope():
        start = titles(meeting)  # Upprop, Val av justerare, Fastställande…, Delegationsbeslut, Meddelanden
        last = meeting.items.get(title="Meddelanden")
        agenda.agenda_move_to(last, position=1, by=ale.secretary)
        assert titles(meeting) == ["Meddelanden", *start[:4]]
        agenda.agenda_move_to(last, position=3, by=ale.secretary)
        assert titles(meeting) == [start[0], start[1], "Meddelanden", start[2], start[3]]
        agenda.agenda_move(last, up=True, by=ale.secretary)
        assert titles(meeting)[1] == "Meddelanden"
        agenda.agenda_move(last, up=False, by=ale.secretary)
        assert titles(meeting)[2] == "Meddelanden"
        before = snapshot(meeting)
        for position in (0, 6, -1):
            with pytest.raises(CaseError, match="Ange en plats mellan 1 och 5."):
                agenda.agenda_move_to(last, position=position, by=ale.secretary)
        assert snapshot(meeting) == before
        assert list(meeting.items.order_by("ordering").values_list("ordering", flat=True)) == [0, 1, 2, 3, 4]


def test_an_item_is_retitled_described_given_beslutsunderlag_and_closed_to_the_public(ale, planned):
    meeting, _people = planned
    with ale.scope():
        case = case_services.case_register(
            municipality=ale.municipality, title="Motion om X", body=ale.un, by=ale.registrar
        )
        motion = case_services.document_register(
            case,
            direction=Direction.INCOMING,
            document_date=date(2025, 1, 2),
            description="Motion",
            counterpart="Anna Andersson",
            by=ale.registrar,
        )
        other_case = case_services.case_register(
            municipality=ale.municipality, title="Ytterligare ärende", body=ale.un, by=ale.registrar
        )
        stranger = case_services.document_register(
            other_case,
            direction=Direction.INCOMING,
            document_date=date(2025, 1, 2),
            description="Y",
            counterpart="Y",
            by=ale.registrar,
        )
        item = agenda.agenda_add_free(meeting, title="Motion", case=case, by=ale.secretary)
        agenda.agenda_item_update(
            item,
            title="Svar på motion angående X – Anna Andersson (C)",
            description="Motionären föreslår X.",
            secrecy="OSL 26 kap. 1 §",
            documents=[motion],
            by=ale.secretary,
        )
        item.refresh_from_db()
        assert item.title == "Svar på motion angående X – Anna Andersson (C)"
        assert (item.description, item.secrecy) == ("Motionären föreslår X.", "OSL 26 kap. 1 §")
        assert list(item.documents.all()) == [motion]
        event = meeting.events.get(action="agenda.edited")
        assert event.data["before"] == "Motion" and event.data["secrecy"] == "OSL 26 kap. 1 §"
        before = snapshot(meeting)
        with pytest.raises(CaseError, match="ärendets egna handlingar"):
            agenda.agenda_item_update(item, title="Z", documents=[stranger], by=ale.secretary)
        with pytest.raises(CaseError, match="Ange en rubrik."):
            agenda.agenda_item_update(item, title="", by=ale.secretary)
        with pytest.raises(CaseError, match="Sekretessbestämmelsen får vara högst 200 tecken"):
            agenda.agenda_item_update(item, title="Z", secrecy="x" * 201, by=ale.secretary)
        assert snapshot(meeting) == before
        assert list(item.documents.all()) == [motion]


def test_nothing_on_the_agenda_changes_once_the_protocol_is_under_justering(ale):
    with ale.scope():
        meeting, item, _people = held_meeting(ale)
        services.protocol_close(meeting, by=ale.secretary)
        before = snapshot(meeting)
        attempts = [
            lambda: agenda.agenda_remove(item, by=ale.secretary),
            lambda: agenda.agenda_move_to(item, position=1, by=ale.secretary),
            lambda: agenda.agenda_move(item, up=True, by=ale.secretary),
            lambda: agenda.agenda_add_free(meeting, title="Sent", by=ale.secretary),
            lambda: agenda.agenda_item_update(item, title="Ny", by=ale.secretary),
            lambda: agenda.agenda_add_standing(meeting, title="Upprop", by=ale.secretary),
        ]
        for attempt in attempts:
            with pytest.raises(CaseError, match="skickat för justering"):
                attempt()
        assert snapshot(meeting) == before
        refused = list(meeting.events.filter(action="write.refused").values_list("data__what", flat=True))
        assert sorted(set(refused)) == ["agenda.add", "agenda.edit", "agenda.move", "agenda.remove"]


def test_only_the_secretary_changes_the_agenda(ale, planned):
    meeting, _people = planned
    with ale.scope():
        item = meeting.items.first()
        for user in (ale.official, ale.politician):
            with pytest.raises(CaseError, match="Bara nämndsekreteraren"):
                agenda.agenda_remove(item, by=user)
            with pytest.raises(CaseError, match="Bara nämndsekreteraren"):
                agenda.agenda_add_free(meeting, title="X", by=user)
        assert len(titles(meeting)) == 5


# The kallelse after a change --------------------------------------------------------------------


def test_a_change_after_calling_renders_the_kallelse_again_and_tells_those_called(ale, planned):
    meeting, (chair, justerare, member, deputy, justerare_user) = planned
    with ale.scope():
        services.meeting_call(meeting, by=ale.secretary)
        pdf = RenderedPdf.objects.get(kind="kallelse", key=str(meeting.uuid))
        assert pdf_render(pdf.pk) is True
        pdf.refresh_from_db()
        assert "Val av ombud till förbundsstämman" not in pdftotext(pdf.file.path)
        agenda.agenda_add_free(meeting, title="Val av ombud till förbundsstämman", by=ale.secretary)
        pdf.refresh_from_db()
        assert pdf.status == "pending"
        assert pdf_render(pdf.pk) is True
        pdf.refresh_from_db()
        text = pdftotext(pdf.file.path)
        assert_in_order(
            text,
            [
                "Reviderad föredragningslista",
                "Ny punkt: Val av ombud till förbundsstämman",
                "Föredragningslista",
                "Upprop",
                "Val av ombud till förbundsstämman",
            ],
        )
        told = Notification.objects.filter(key__startswith=f"meeting:{meeting.pk}:revised:")
        assert {n.recipient for n in told} == {ale.politician, justerare_user}
        assert all("Val av ombud till förbundsstämman" in n.body for n in told)
        agenda.agenda_move_to(meeting.items.get(title="Meddelanden"), position=1, by=ale.secretary)
        assert Notification.objects.filter(key=f"meeting:{meeting.pk}:revised:2").count() == 2
        assert meeting.events.filter(action="kallelse.revised").count() == 2


def test_a_change_before_calling_sends_nothing(ale, planned):
    meeting, _people = planned
    with ale.scope():
        agenda.agenda_add_free(meeting, title="Informationsärenden", by=ale.secretary)
        assert not RenderedPdf.objects.filter(kind="kallelse").exists()
        assert not Notification.objects.exists()


# The views --------------------------------------------------------------------------------------

AGENDA_POSTS = ["agenda-add-free", "agenda-add-standing", "agenda-move-to", "agenda-remove", "agenda-up", "agenda-down"]


@pytest.mark.parametrize("who", ["politician", "official", "outsider"])
def test_nobody_but_the_secretary_reaches_the_agenda_pages(client, ale, alingsas, planned, who):
    meeting, _people = planned
    with ale.scope():
        item = meeting.items.first()
    client.force_login(alingsas.secretary if who == "outsider" else getattr(ale, who))
    before = snapshot(meeting)
    assert client.get(reverse("meetings:agenda", args=[meeting.uuid])).status_code == 404
    for name in AGENDA_POSTS:
        data = {"item": item.uuid, "title": "Upprop", "position": 1}
        assert client.post(reverse(f"meetings:{name}", args=[meeting.uuid]), data).status_code == 404, name
    url = reverse("meetings:agenda-item", args=[meeting.uuid, item.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Nytt"}).status_code == 404
    assert snapshot(meeting) == before


def messages_after(client, response):
    assert response.status_code == 302
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


def test_the_secretary_builds_the_agenda_on_its_page(client, ale, planned):
    meeting, _people = planned
    client.force_login(ale.secretary)
    page_url = reverse("meetings:agenda", args=[meeting.uuid])

    def post(name, data):
        return client.post(reverse(f"meetings:{name}", args=[meeting.uuid]), data)

    page = client.get(page_url).content.decode()
    assert "Övrig punkt: informationsärende, val, anmälan" in page
    assert messages_after(client, post("agenda-add-free", {"free-title": "Informationsärenden"})) == []
    with ale.scope():
        info = meeting.items.get(title="Informationsärenden")
        upprop = meeting.items.get(title="Upprop")
    assert messages_after(client, post("agenda-add-free", {"free-title": ""})) == ["Ange en rubrik."]
    assert messages_after(client, post("agenda-move-to", {"item": info.uuid, "position": 99})) == [
        "Ange en plats mellan 1 och 6."
    ]
    assert messages_after(client, post("agenda-move-to", {"item": info.uuid, "position": "två"})) == [
        "Ange platsen som ett heltal."
    ]
    assert post("agenda-move-to", {"item": info.uuid, "position": 2}).status_code == 302
    assert messages_after(client, post("agenda-remove", {"item": upprop.uuid})) == ["Upprop är borttagen."]
    with ale.scope():
        assert titles(meeting)[0] == "Informationsärenden"
    assert "Upprop" in client.get(page_url).content.decode()  # offered back as a standing item
    assert post("agenda-add-standing", {"standing-title": "Upprop"}).status_code == 302
    shown = messages_after(client, post("agenda-add-standing", {"standing-title": "Fika"}))
    assert shown == ["Välj en stående punkt i listan."]
    item_url = reverse("meetings:agenda-item", args=[meeting.uuid, info.uuid])
    refused = client.post(item_url, {"title": "x" * 300})
    assert refused.status_code == 200 and "som mest 255 tecken (den har 300)" in refused.content.decode()
    saved = client.post(item_url, {"title": "Information om skolval", "secrecy": "OSL 23 kap. 1 §"})
    assert messages_after(client, saved) == ["Punkten är sparad."]
    page = client.get(page_url).content.decode()
    assert "Information om skolval" in page and "Sekretess enligt OSL 23 kap. 1 §" in page
    with ale.scope():
        assert titles(meeting) == [
            "Information om skolval",
            "Val av justerare",
            "Fastställande av föredragningslista",
            "Delegationsbeslut",
            "Meddelanden",
            "Upprop",
        ]


def test_the_meeting_page_links_the_kallelse_for_every_reader(client, ale, planned):
    meeting, _people = planned
    with ale.scope():
        services.meeting_call(meeting, by=ale.secretary)
        pdf = RenderedPdf.objects.get(kind="kallelse", key=str(meeting.uuid))
        pdf_render(pdf.pk)
        pdf.refresh_from_db()
    client.force_login(ale.official)
    page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert reverse("cases:pdf", args=[pdf.uuid]) in page
    assert reverse("meetings:agenda", args=[meeting.uuid]) not in page  # not theirs to change
    client.force_login(ale.secretary)
    assert (
        reverse("meetings:agenda", args=[meeting.uuid])
        in client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    )


def test_the_agenda_page_refuses_after_justering_with_a_swedish_message(client, ale):
    with ale.scope():
        meeting, item, _people = held_meeting(ale)
        services.protocol_close(meeting, by=ale.secretary)
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.JUSTERING
    client.force_login(ale.secretary)
    before = snapshot(meeting)
    shown = messages_after(
        client, client.post(reverse("meetings:agenda-remove", args=[meeting.uuid]), {"item": item.uuid})
    )
    assert shown[0].startswith("Protokollet är skickat för justering och kan inte ändras.")
    page = client.get(reverse("meetings:agenda", args=[meeting.uuid])).content.decode()
    assert "Föredragningslistan kan inte ändras." in page and "Ta bort" not in page
    assert snapshot(meeting) == before


def test_the_kallelse_shows_the_arendebeskrivning_and_beslutsunderlag_but_not_of_a_secret_item(ale, planned):
    meeting, _people = planned
    with ale.scope():
        case = case_services.case_register(
            municipality=ale.municipality, title="Motion om cykelbanor", body=ale.un, by=ale.registrar
        )
        motion = case_services.document_register(
            case,
            direction=Direction.INCOMING,
            document_date=date(2025, 1, 2),
            description="Motion om cykelbanor",
            counterpart="Anna Andersson",
            by=ale.registrar,
        )
        open_item = agenda.agenda_add_free(meeting, title="Svar på motion om cykelbanor", case=case, by=ale.secretary)
        agenda.agenda_item_update(
            open_item,
            title=open_item.title,
            description="Motionären vill ha fler cykelbanor.",
            documents=[motion],
            by=ale.secretary,
        )
        secret = agenda.agenda_add_free(meeting, title="Personalärende", by=ale.secretary)
        agenda.agenda_item_update(
            secret,
            title="Personalärende",
            description="Namngiven anställd.",
            secrecy="OSL 39 kap. 3 §",
            by=ale.secretary,
        )
        services.meeting_call(meeting, by=ale.secretary)
        pdf = RenderedPdf.objects.get(kind="kallelse", key=str(meeting.uuid))
        assert pdf_render(pdf.pk) is True
        pdf.refresh_from_db()
    text = pdftotext(pdf.file.path)
    assert_in_order(
        text,
        [
            "Svar på motion om cykelbanor",
            "Motionären vill ha fler cykelbanor.",
            "Beslutsunderlag: Motion om cykelbanor (2025-01-02)",
            "Personalärende",
            "Sekretess enligt OSL 39 kap. 3 §",
        ],
    )
    assert "Namngiven anställd." not in text


def test_a_numbered_paragraph_is_not_removed_after_the_protocol_is_taken_back(ale):
    with ale.scope():
        meeting, item, _people = held_meeting(ale)
        services.protocol_close(meeting, by=ale.secretary)
        services.protocol_withdraw(meeting, reason="Fel i beslutet", by=ale.secretary)
        item.refresh_from_db()
        with pytest.raises(CaseError, match=f"Punkten har fått § {item.paragraph} och kan inte tas bort"):
            agenda.agenda_remove(item, by=ale.secretary)
        assert AgendaItem.objects.filter(pk=item.pk).exists()
        extra = agenda.agenda_add_free(meeting, title="Informationsärenden", by=ale.secretary)
        agenda.agenda_remove(extra, by=ale.secretary)  # not yet numbered: removed
        assert not AgendaItem.objects.filter(pk=extra.pk).exists()
