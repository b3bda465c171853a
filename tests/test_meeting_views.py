"""One view per action on a meeting: each answers 404 to anyone but the secretary, works for the
secretary, and still answers on the path the old `<slug:action>/` dispatcher used."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import resolve, reverse
from django_scopes import scopes_disabled

from cases import services as case_services
from cases.models import RenderedPdf
from cases.services import CaseError
from meetings import services
from meetings.models import AgendaItem, FloorMotion, Meeting, MeetingEvent, MeetingStatus, Recusal, Reservation, Vote

from .test_meetings_protocol import approved_draft, at, council, held_meeting

MEETING_ACTIONS = ["call", "agenda-add", "agenda-add-case", "agenda-up", "agenda-down", "attendance", "close", "pdf"]
MEETING_ACTIONS += ["correct", "withdraw", "kungorelse-exception"]
ITEM_ACTIONS = ["item-save", "item-yrkande", "item-vote", "item-reservation", "item-jav"]


CONFIRM = {"confirm": "on"}  # the "Jag förstår att …" box of an irreversible step


def messages_of(client, response):
    assert response.status_code == 302
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


def state(meeting):
    """Everything a refused action must leave as it was."""
    with scopes_disabled():
        m = Meeting.objects.get(pk=meeting.pk)
        return (
            m.status,
            list(m.items.order_by("ordering").values_list("pk", "decision")),
            list(m.attendance.order_by("pk").values_list("present", "is_justerare")),
            MeetingEvent.objects.filter(meeting=m).count(),
            FloorMotion.objects.count() + Vote.objects.count() + Reservation.objects.count() + Recusal.objects.count(),
            RenderedPdf.objects.filter(kind="protocol").count(),
        )


@pytest.fixture
def held(ale):
    with ale.scope():
        meeting, item, people = held_meeting(ale)
    return meeting, item, people


@pytest.mark.parametrize("who", ["politician", "official", "outsider"])
def test_nobody_but_the_secretary_reaches_an_action_and_nothing_changes(client, ale, alingsas, held, who):
    meeting, item, (chair, justerare, member, deputy, _user) = held
    client.force_login(alingsas.secretary if who == "outsider" else getattr(ale, who))
    before = state(meeting)
    for name in MEETING_ACTIONS:
        data = {"item": item.uuid, "text": "x", "reason": "x", "confirm": "on"}
        response = client.post(reverse(f"meetings:{name}", args=[meeting.uuid]), data)
        assert response.status_code == 404, name
    data = {"decision": "Ändrat", "mover": member.pk, "person": member.pk, "text": "x", "vote-yes_means": "a"}
    for name in ITEM_ACTIONS:
        assert client.post(reverse(f"meetings:{name}", args=[meeting.uuid, item.uuid]), data).status_code == 404, name
    item_url = reverse("meetings:item", args=[meeting.uuid, item.uuid])
    assert client.get(item_url).status_code == 404
    assert client.post(item_url, {"action": "save", **data}).status_code == 404
    create = client.post(reverse("meetings:create"), {"body": ale.un.pk, "day": "2030-01-01", "place": "x"})
    if who == "outsider":  # a secretary, but Ale's nämnd is not in her list
        assert "Välj ett organ i listan." in create.content.decode()
    else:
        assert create.status_code == 404
    assert state(meeting) == before
    with scopes_disabled():
        assert Meeting.objects.count() == 1


OLD_SLUGS = {
    "call": "call",
    "add": "agenda-add",
    "add-case": "agenda-add-case",
    "up": "agenda-up",
    "down": "agenda-down",
    "attendance": "attendance",
    "close": "close",
    "pdf": "pdf",
    "correct": "correct",
    "sign": "approve",
}


def test_the_actions_answer_on_the_paths_of_the_old_dispatcher(held):
    meeting, item, _people = held
    for slug, name in OLD_SLUGS.items():
        old = f"/sammantraden/{meeting.uuid}/{slug}/"
        assert resolve(old).url_name == name
        assert reverse(f"meetings:{name}", args=[meeting.uuid]) == old


def test_the_secretary_builds_the_agenda_and_records_attendance(client, ale, held):
    meeting, item, (chair, justerare, member, deputy, _user) = held
    with ale.scope():
        case = case_services.case_register(
            municipality=ale.municipality, title="Skolskjutsplan", body=ale.un, by=ale.registrar
        )
        draft = approved_draft(ale, case, "Utbildningsnämnden fastställer planen.")
    client.force_login(ale.secretary)
    base = f"/sammantraden/{meeting.uuid}"
    assert client.post(f"{base}/add/", {"draft": draft.uuid}).status_code == 302
    with ale.scope():
        added = AgendaItem.objects.get(meeting=meeting, draft=draft)
        order = list(meeting.items.order_by("ordering").values_list("pk", flat=True))
    assert order[-1] == added.pk

    assert client.post(f"{base}/up/", {"item": added.uuid}).status_code == 302
    with ale.scope():
        assert list(meeting.items.order_by("ordering").values_list("pk", flat=True))[-2] == added.pk
    assert client.post(reverse("meetings:agenda-down", args=[meeting.uuid]), {"item": added.uuid}).status_code == 302
    with ale.scope():
        assert list(meeting.items.order_by("ordering").values_list("pk", flat=True))[-1] == added.pk
    assert client.post(f"{base}/up/", {"item": "not-a-uuid"}).status_code == 404

    shown = messages_of(client, client.post(f"{base}/add-case/", {"case": "KS-2099-1"}))
    assert shown == ["Välj ett ärende i listan."]
    shown = messages_of(client, client.post(f"{base}/add/", {"draft": draft.uuid}))  # no longer a candidate
    assert shown == ["Välj ett ärende i listan."]

    with ale.scope():
        rows = {a.person_id: a.pk for a in meeting.attendance.all()}
    data = {
        f"state_{rows[chair.pk]}": "present",
        f"state_{rows[member.pk]}": "present",
        f"justerare_{rows[member.pk]}": "on",
    }
    assert messages_of(client, client.post(f"{base}/attendance/", data)) == ["Närvaron är sparad."]
    with ale.scope():
        present = set(meeting.attendance.filter(present=True).values_list("person_id", flat=True))
        justerare = set(meeting.attendance.filter(is_justerare=True).values_list("person_id", flat=True))
    assert (present, justerare) == ({chair.pk, member.pk}, {member.pk})
    shown = messages_of(client, client.post(f"{base}/attendance/", {f"justerare_{rows[deputy.pk]}": "on"}))
    assert shown == ["Erik Ersättare är utsedd till justerare men inte närvarande."]


def test_the_secretary_calls_a_meeting_once(client, ale):
    with ale.scope():
        council(ale)
        meeting = services.meeting_create(
            body=ale.un, starts_at=at(date.today() + timedelta(days=10)), place="Sal A", by=ale.secretary
        )
    client.force_login(ale.secretary)
    url = f"/sammantraden/{meeting.uuid}/call/"
    page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert 'name="confirm" id="confirm-call" required' in page
    unconfirmed = messages_of(client, client.post(url))
    assert unconfirmed == ["Kryssa i att du förstår att steget inte kan göras ogjort."]
    with ale.scope():
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PLANNED
    assert messages_of(client, client.post(url, CONFIRM)) == ["Kallelsen är skickad."]
    assert messages_of(client, client.post(url, CONFIRM)) == ["Kallelsen är redan skickad."]
    with ale.scope():
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.CALLED
        assert list(meeting.events.filter(action="meeting.called").values_list("action", flat=True)) == [
            "meeting.called"
        ]


def test_the_secretary_creates_a_meeting_on_the_new_url_and_the_old_one(client, ale):
    client.force_login(ale.secretary)
    for url, place in ((reverse("meetings:create"), "Sal A"), ("/sammantraden/", "Sal B")):
        response = client.post(url, {"body": ale.un.pk, "day": "2030-03-12", "time": "13:00", "place": place})
        assert response.status_code == 302
    refused = client.post(reverse("meetings:create"), {"body": ale.un.pk, "day": "2030-03-12", "place": " "})
    assert refused.status_code == 200
    assert "Detta fält måste fyllas i." in refused.content.decode()
    with ale.scope():
        assert sorted(Meeting.objects.values_list("place", flat=True)) == ["Sal A", "Sal B"]


def test_each_part_of_a_paragraph_has_its_own_url(client, ale, held):
    meeting, item, (chair, justerare, member, deputy, _user) = held
    client.force_login(ale.secretary)

    def post(name, data):
        return client.post(reverse(f"meetings:{name}", args=[meeting.uuid, item.uuid]), data)

    assert post("item-yrkande", {"mover": member.pk, "text": "Återremiss."}).status_code == 302
    assert messages_of(client, post("item-yrkande", {"mover": member.pk, "text": " "})) == ["Skriv yrkandet."]
    assert messages_of(client, post("item-reservation", {"person": 0})) == ["Välj en person i listan."]
    assert post("item-reservation", {"person": member.pk, "text": "Eget yrkande."}).status_code == 302
    assert post("item-jav", {"person": justerare.pk, "substitute": member.pk}).status_code == 302
    ballots = {"vote-yes_means": "bifall", "vote-no_means": "återremiss", f"vote-ballot_{chair.pk}": "ja"}
    ballots[f"vote-ballot_{deputy.pk}"] = "nej"
    refused = post("item-vote", {**ballots, "vote-yes_means": ""})
    assert refused.status_code == 200 and "Detta fält måste fyllas i." in refused.content.decode()
    assert post("item-vote", ballots).status_code == 302
    saved = post("item-save", {"decision": "Utbildningsnämnden avslår motionen.", "dispatch": "a@example.se"})
    assert messages_of(client, saved) == ["Paragrafen är sparad."]
    with ale.scope():
        item.refresh_from_db()
        assert item.decision == "Utbildningsnämnden avslår motionen."
        assert item.dispatch == ["a@example.se"]
        assert list(item.yrkanden.values_list("text", flat=True)) == ["Återremiss."]
        assert list(item.reservations.values_list("person_id", "text")) == [(member.pk, "Eget yrkande.")]
        assert list(item.recusals.values_list("person_id", "substitute_id")) == [(justerare.pk, member.pk)]
        assert item.votes.get().result.startswith("1 ja, 1 nej, 0 avstår.")


@pytest.mark.parametrize(
    ("action", "data", "check"),
    [
        ("save", {"decision": "Sparat den gamla vägen."}, lambda item: item.decision == "Sparat den gamla vägen."),
        ("yrkande", {"text": "Bifall."}, lambda item: item.yrkanden.get().text == "Bifall."),
        ("reservation", {"text": "Res."}, lambda item: item.reservations.get().text == "Res."),
        ("jav", {}, lambda item: item.recusals.count() == 1),
    ],
)
def test_an_old_form_posting_action_to_the_paragraph_page_still_works(client, ale, held, action, data, check):
    meeting, item, (chair, justerare, member, deputy, _user) = held
    client.force_login(ale.secretary)
    url = reverse("meetings:item", args=[meeting.uuid, item.uuid])
    data = {"action": action, "mover": member.pk, "person": member.pk, **data}
    response = client.post(url, data)
    assert response.status_code == 307
    assert response["Location"] == reverse(f"meetings:item-{action}", args=[meeting.uuid, item.uuid])
    assert client.post(url, data, follow=True).status_code == 200
    with ale.scope():
        item.refresh_from_db()
        assert check(item)
    assert client.post(url, {"action": "bifall"}).status_code == 404


def test_closing_signing_and_correcting_each_have_their_view(client, ale, held):
    meeting, item, (chair, justerare, member, deputy, justerare_user) = held
    client.force_login(ale.secretary)
    base = f"/sammantraden/{meeting.uuid}"
    shown = messages_of(client, client.post(f"{base}/correct/", {"text": "Fel sal."}))
    assert shown == ["Rättelser görs i justerade protokoll. Ändra protokollet direkt i stället."]
    unconfirmed = messages_of(client, client.post(f"{base}/close/"))
    assert unconfirmed == ["Kryssa i att du förstår att steget inte kan göras ogjort."]
    with ale.scope():
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PLANNED
    assert messages_of(client, client.post(f"{base}/close/", CONFIRM)) == [
        "Protokollet har fått paragrafnummer och är skickat för justering."
    ]
    assert messages_of(client, client.post(f"{base}/close/", CONFIRM)) == [
        "Protokollet är redan skickat för justering."
    ]
    page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert "Skicka protokollet för justering" not in page and "Skicka kallelse" not in page
    assert client.post(f"{base}/pdf/").status_code == 302

    assert client.post(f"{base}/sign/", CONFIRM).status_code == 404  # the secretary is not a signer
    for signer in (ale.politician, justerare_user):
        client.force_login(signer)
        sign_page = client.get(reverse("meetings:sign", args=[meeting.uuid])).content.decode()
        assert reverse("meetings:approve", args=[meeting.uuid]) in sign_page
        assert 'name="confirm" id="confirm-sign" required' in sign_page
        unconfirmed = messages_of(client, client.post(f"{base}/sign/"))
        assert unconfirmed == ["Kryssa i att du förstår att steget inte kan göras ogjort."]
        assert messages_of(client, client.post(f"{base}/sign/", CONFIRM)) == ["Du har justerat protokollet."]
    shown = messages_of(client, client.post(f"{base}/sign/", CONFIRM))
    assert shown == ["Protokollet är justerat och kan inte ändras. Gör en rättelse om något är fel."]
    with ale.scope():
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.JUSTERAT

    client.force_login(ale.secretary)
    page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert reverse("meetings:correct", args=[meeting.uuid]) in page
    assert reverse("meetings:item", args=[meeting.uuid, item.uuid]) not in page
    assert messages_of(client, client.post(f"{base}/correct/", {"text": "Fel sal."})) == ["Rättelsen är införd."]


def test_the_services_ask_the_same_permission_door_as_the_views(ale, held):
    meeting, item, (chair, justerare, member, deputy, _user) = held
    refused = "Bara nämndsekreteraren kan"
    with ale.scope():
        with pytest.raises(CaseError, match=refused):
            services.meeting_create(body=ale.un, starts_at=at(date(2030, 1, 1)), place="Sal A", by=ale.politician)
        with pytest.raises(CaseError, match=refused):
            services.item_record(item, decision="Ändrat", by=ale.politician)
        with pytest.raises(CaseError, match=refused):
            services.protocol_close(meeting, by=ale.official)
        with pytest.raises(CaseError, match=refused):
            services.floor_motion_add(item, mover=member, text="x", by=ale.politician)
        services.protocol_close(meeting, by=ale.secretary)
        with pytest.raises(CaseError, match="Du ska inte justera"):
            services.protocol_sign(meeting, by=ale.secretary)
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.JUSTERING


def test_what_the_forms_refuse_the_services_refuse_too_in_swedish(ale, held):
    meeting, item, (chair, justerare, member, deputy, _user) = held
    with ale.scope():
        rows = {a.person_id: a.pk for a in meeting.attendance.all()}
        ale.sn.is_active = False
        ale.sn.save(update_fields=["is_active"])
        with pytest.raises(CaseError, match="Organet är inte längre aktivt."):
            services.meeting_create(body=ale.sn, starts_at=at(date(2030, 1, 1)), place="Sal A", by=ale.secretary)
        with pytest.raises(CaseError, match="Ange plats."):
            services.meeting_create(body=ale.un, starts_at=at(date(2030, 1, 1)), place=" ", by=ale.secretary)
        with pytest.raises(CaseError, match="Erik Ersättare kan bara tjänstgöra för en ledamot som kallats"):
            services.attendance_record(
                meeting, present=[], justerare=[], serving={rows[deputy.pk]: (chair.pk + 1000, "")}, by=ale.secretary
            )
        with pytest.raises(CaseError, match="Bara en ersättare kan tjänstgöra"):
            services.attendance_record(
                meeting, present=[], justerare=[], serving={rows[member.pk]: (chair.pk, "")}, by=ale.secretary
            )
        with pytest.raises(CaseError, match="Okänt beslut om motionen."):
            services.item_record(item, decision="Bifall.", motion_outcome="bifall i sak", by=ale.secretary)
        with pytest.raises(CaseError, match="Ange hur Erik Ersättare röstade."):
            services.vote_record(item, yes_means="ja", no_means="nej", ballots={chair.pk: "ja"}, by=ale.secretary)
        with pytest.raises(CaseError, match="Ange hur Anna Ordförande röstade."):
            services.vote_record(
                item,
                yes_means="ja",
                no_means="nej",
                ballots={chair.pk: "kanske", deputy.pk: "ja", justerare.pk: "nej"},
                by=ale.secretary,
            )
        assert item.votes.count() == 0
        assert Meeting.objects.count() == 1
        assert meeting.attendance.exclude(serving_for=None).get().person == deputy  # as held_meeting left it


@pytest.mark.parametrize(
    ("status", "can_call", "can_close"),
    [
        (MeetingStatus.PLANNED, True, True),
        (MeetingStatus.CALLED, False, True),
        (MeetingStatus.HELD, False, True),
        (MeetingStatus.JUSTERING, False, False),
        (MeetingStatus.JUSTERAT, False, False),
    ],
)
def test_the_meeting_lifecycle_is_one_state_machine(status, can_call, can_close):
    from django_fsm import TransitionNotAllowed

    meeting = Meeting(status=status)
    assert (meeting.can_call(), meeting.can_close()) == (can_call, can_close)
    if not can_call:
        with pytest.raises(TransitionNotAllowed):
            meeting.call()
    if status != MeetingStatus.JUSTERING:
        with pytest.raises(TransitionNotAllowed):
            meeting.justera()
    assert meeting.status == status
