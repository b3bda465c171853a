"""Minute-taking under a §: yrkanden, omröstningar, reservationer and jäv are changed and removed
until the protocol goes to justering; with htmx each part answers alone, in place; every person
choice starts empty; errors name what is wrong in Swedish."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.services import CaseError
from meetings import minutes, services
from meetings.models import FloorMotion, MeetingEvent, Recusal, Reservation, Vote

from .test_meetings_protocol import held_meeting

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def held(ale):
    with ale.scope():
        meeting, item, people = held_meeting(ale)
    return meeting, item, people


def recorded(item):
    with scopes_disabled():
        return (
            list(FloorMotion.objects.filter(item=item).values_list("mover_id", "text")),
            list(Vote.objects.filter(item=item).values_list("result", flat=True)),
            list(Reservation.objects.filter(item=item).values_list("person_id", "text")),
            list(Recusal.objects.filter(item=item).values_list("person_id", "substitute_id")),
        )


def test_yrkanden_votes_reservations_and_jav_are_changed_and_removed(ale, held):
    meeting, item, (chair, justerare, member, deputy, _user) = held
    with ale.scope():
        yrkande = services.floor_motion_add(item, mover=deputy, text="Återremiss.", by=ale.secretary)
        minutes.floor_motion_update(yrkande, mover=chair, text="Bifall till förslaget.", by=ale.secretary)
        assert recorded(item)[0] == [(chair.pk, "Bifall till förslaget.")]
        with pytest.raises(CaseError, match="Skriv yrkandet."):
            minutes.floor_motion_update(yrkande, mover=chair, text="  ", by=ale.secretary)
        vote = services.vote_record(
            item,
            yes_means="bifall",
            no_means="avslag",
            ballots={chair.pk: "ja", justerare.pk: "ja", deputy.pk: "nej"},
            by=ale.secretary,
        )
        reservation = services.reservation_add(item, person=deputy, text="Jag reserverar mig.", by=ale.secretary)
        services.reservation_add(item, person=deputy, text="Skriftlig reservation.", by=ale.secretary)  # edits
        assert recorded(item)[2] == [(deputy.pk, "Skriftlig reservation.")]
        recusal = services.recusal_add(item, person=justerare, substitute=None, by=ale.secretary)
        services.recusal_add(item, person=justerare, substitute=member, by=ale.secretary)  # edits
        assert recorded(item)[3] == [(justerare.pk, member.pk)]

        minutes.floor_motion_remove(yrkande, by=ale.secretary)
        minutes.vote_remove(vote, by=ale.secretary)
        minutes.reservation_remove(Reservation.objects.get(pk=reservation.pk), by=ale.secretary)
        minutes.recusal_remove(Recusal.objects.get(pk=recusal.pk), by=ale.secretary)
        assert recorded(item) == ([], [], [], [])
        from cases.events import describe

        log = {e.action: describe(e.action, e.data) for e in meeting.events.all()}
        assert log["item.yrkande_changed"] == "Yrkandet ändrades: Anna Ordförande yrkade: Bifall till förslaget."
        assert log["item.vote_removed"].startswith("Omröstningen i Svar på motion om arbetsgrupp togs bort")
        assert log["item.reservation_removed"] == "Reservationen av Erik Ersättare togs bort."
        assert log["item.jav_removed"] == "Jävet för Jonas Justerare togs bort."


def test_nothing_is_changed_or_removed_under_justering(ale, held):
    meeting, item, (chair, justerare, member, deputy, _user) = held
    with ale.scope():
        yrkande = services.floor_motion_add(item, mover=deputy, text="Återremiss.", by=ale.secretary)
        vote = services.vote_record(
            item,
            yes_means="a",
            no_means="b",
            ballots={chair.pk: "ja", justerare.pk: "ja", deputy.pk: "nej"},
            by=ale.secretary,
        )
        reservation = services.reservation_add(item, person=deputy, by=ale.secretary)
        recusal = services.recusal_add(item, person=member, substitute=None, by=ale.secretary)
        services.protocol_close(meeting, by=ale.secretary)
        before = recorded(item)
        for attempt in (
            lambda: minutes.floor_motion_update(yrkande, mover=chair, text="Ändrat.", by=ale.secretary),
            lambda: minutes.floor_motion_remove(yrkande, by=ale.secretary),
            lambda: minutes.vote_remove(vote, by=ale.secretary),
            lambda: minutes.reservation_remove(reservation, by=ale.secretary),
            lambda: minutes.recusal_remove(recusal, by=ale.secretary),
        ):
            with pytest.raises(CaseError, match="skickat för justering"):
                attempt()
        assert recorded(item) == before
        refused = set(MeetingEvent.objects.filter(action="write.refused").values_list("data__what", flat=True))
        assert refused == {"item.yrkande_edit", "item.vote_remove", "item.reservation_remove", "item.jav_remove"}


def test_only_the_secretary_reaches_the_change_and_remove_urls(client, ale, alingsas, held):
    meeting, item, (chair, justerare, member, deputy, _user) = held
    with ale.scope():
        yrkande = services.floor_motion_add(item, mover=deputy, text="Återremiss.", by=ale.secretary)
    before = recorded(item)
    names = [
        "item-yrkande-edit",
        "item-yrkande-remove",
        "item-vote-remove",
        "item-reservation-remove",
        "item-jav-remove",
    ]
    for user in (ale.politician, ale.official, alingsas.secretary):
        client.force_login(user)
        for name in names:
            url = reverse(f"meetings:{name}", args=[meeting.uuid, item.uuid])
            assert client.post(url, {"row": yrkande.pk, "mover": chair.pk, "text": "x"}, **HTMX).status_code == 404
    assert recorded(item) == before


def section(response, name):
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html, "an htmx answer is the section alone"
    assert f'<section id="{name}"' in html
    return html


def test_with_htmx_each_part_answers_alone_and_in_place(client, ale, held):
    meeting, item, (chair, justerare, member, deputy, _user) = held
    client.force_login(ale.secretary)

    def post(name, data):
        return client.post(reverse(f"meetings:{name}", args=[meeting.uuid, item.uuid]), data, **HTMX)

    html = section(post("item-yrkande", {"mover": "", "text": "Återremiss."}), "yrkanden")
    assert 'role="alert" tabindex="-1" autofocus>Välj en person i listan.' in html
    html = section(post("item-yrkande", {"mover": deputy.pk, "text": "Återremiss."}), "yrkanden")
    assert "Yrkandet är infört." in html and "Erik Ersättare</strong>: Återremiss." in html
    with ale.scope():
        yrkande = FloorMotion.objects.get(item=item)
    html = section(post("item-yrkande-edit", {"row": yrkande.pk, "mover": chair.pk, "text": ""}), "yrkanden")
    assert "Skriv yrkandet." in html
    html = section(post("item-yrkande-edit", {"row": yrkande.pk, "mover": chair.pk, "text": "Bifall."}), "yrkanden")
    assert "Yrkandet är ändrat." in html and "Anna Ordförande</strong>: Bifall." in html
    assert "finns inte längre under paragrafen." in section(post("item-yrkande-remove", {"row": 999999}), "yrkanden")

    ballots = {"vote-yes_means": "bifall", "vote-no_means": "avslag", f"vote-ballot_{chair.pk}": "ja"}
    html = section(post("item-vote", ballots), "omrostning")
    assert "Ange hur Jonas Justerare röstade." in html
    ballots |= {f"vote-ballot_{justerare.pk}": "ja", f"vote-ballot_{deputy.pk}": "nej"}
    html = section(post("item-vote", ballots), "omrostning")
    assert "2 ja, 1 nej, 0 avstår. Bifall." in html
    with ale.scope():
        vote = Vote.objects.get(item=item)
    assert "Omröstningen är borttagen." in section(post("item-vote-remove", {"row": vote.pk}), "omrostning")

    html = section(post("item-jav", {"person": justerare.pk, "substitute": member.pk}), "reservationer")
    assert "Jonas Justerare anmäler jäv." in html and "Maja Ledamot tjänstgör." in html
    assert 'id="omrostning" aria-labelledby="omrostning-heading" hx-swap-oob="true"' in html  # who votes changed
    assert "Den som anmäler jäv kan inte tjänstgöra i sitt eget ställe." in section(
        post("item-jav", {"person": member.pk, "substitute": member.pk}), "reservationer"
    )
    html = section(post("item-reservation", {"person": deputy.pk, "text": "Skriftligt."}), "reservationer")
    assert "Erik Ersättare reserverar sig." in html
    with ale.scope():
        reservation = Reservation.objects.get(item=item)
        recusal = Recusal.objects.get(item=item)
    assert "Reservationen är borttagen." in section(
        post("item-reservation-remove", {"row": reservation.pk}), "reservationer"
    )
    assert "Jävet är borttaget." in section(post("item-jav-remove", {"row": recusal.pk}), "reservationer")

    html = section(post("item-save", {"decision": ""}), "beslut")
    assert "Något behöver rättas" in html
    html = section(
        post("item-save", {"decision": "Nämnden avslår motionen.", "proposition_order": "Ja mot nej."}), "beslut"
    )
    assert "Paragrafen är sparad." in html
    with ale.scope():
        item.refresh_from_db()
        assert (item.decision, item.proposition_order) == ("Nämnden avslår motionen.", "Ja mot nej.")
    assert recorded(item)[1:] == ([], [], [])


def test_every_person_choice_starts_empty_and_the_page_has_previous_and_next(client, ale, held):
    meeting, item, _people = held
    client.force_login(ale.secretary)
    with ale.scope():
        items = list(meeting.items.order_by("ordering"))
    page = client.get(reverse("meetings:item", args=[meeting.uuid, items[1].uuid])).content.decode()
    for name in ("id_mover", "id_res_person", "id_jav_person", "id_jav_sub"):
        select = re.search(rf'<select id="{name}"[^>]*>(.*?)</select>', page, re.S)
        assert select is not None, name
        first = re.search(r"<option([^>]*)>", select.group(1))
        assert first is not None and 'value=""' in first.group(1) and "selected" in first.group(1), name
        assert select.group(1).count("selected") == 1, name
    assert f'href="{reverse("meetings:item", args=[meeting.uuid, items[0].uuid])}" rel="prev"' in page
    assert f'href="{reverse("meetings:item", args=[meeting.uuid, items[2].uuid])}" rel="next"' in page
    assert "Punkt 2 av 6" in page
    last = client.get(reverse("meetings:item", args=[meeting.uuid, items[-1].uuid])).content.decode()
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_under_justering_the_page_shows_the_record_without_forms(client, ale, held):
    meeting, item, (chair, justerare, member, deputy, _user) = held
    with ale.scope():
        services.floor_motion_add(item, mover=deputy, text="Återremiss.", by=ale.secretary)
        services.item_record(item, decision="Nämnden avslår.", by=ale.secretary)
        services.protocol_close(meeting, by=ale.secretary)
    client.force_login(ale.secretary)
    page = client.get(reverse("meetings:item", args=[meeting.uuid, item.uuid])).content.decode()
    assert "Återremiss." in page and "Nämnden avslår." in page
    assert "Ta bort yrkandet" not in page and "Lägg till yrkande" not in page
    with ale.scope():
        yrkande = FloorMotion.objects.get(item=item)
    response = client.post(
        reverse("meetings:item-yrkande-remove", args=[meeting.uuid, item.uuid]), {"row": yrkande.pk}, **HTMX
    )
    assert "Protokollet är skickat för justering och kan inte ändras." in section(response, "yrkanden")
    assert recorded(item)[0] == [(deputy.pk, "Återremiss.")]


def test_a_vote_recorded_wrongly_is_corrected_and_a_bad_correction_leaves_it(client, ale, held):
    meeting, item, (chair, justerare, member, deputy, _user) = held
    with ale.scope():
        vote = services.vote_record(
            item,
            yes_means="bifall",
            no_means="avslag",
            ballots={chair.pk: "ja", justerare.pk: "ja", deputy.pk: "nej"},
            by=ale.secretary,
        )
    client.force_login(ale.secretary)
    url = reverse("meetings:item-vote-edit", args=[meeting.uuid, item.uuid])
    page = client.get(reverse("meetings:item", args=[meeting.uuid, item.uuid])).content.decode()
    prefix = f"vote{vote.pk}"
    checked = re.findall(rf'<input type="radio" name="{prefix}-ballot_(\d+)" value="(\w+)"[^>]*checked', page)
    assert sorted(checked) == sorted([(str(chair.pk), "ja"), (str(justerare.pk), "ja"), (str(deputy.pk), "nej")])
    data = {"row": vote.pk, f"{prefix}-yes_means": "bifall", f"{prefix}-no_means": "avslag"}
    data |= {f"{prefix}-ballot_{chair.pk}": "ja", f"{prefix}-ballot_{justerare.pk}": "nej"}
    html = section(client.post(url, data, **HTMX), "omrostning")
    assert "Ange hur Erik Ersättare röstade." in html
    assert recorded(item)[1] == ["2 ja, 1 nej, 0 avstår. Bifall."]
    data[f"{prefix}-ballot_{deputy.pk}"] = "nej"
    html = section(client.post(url, data, **HTMX), "omrostning")
    assert "Omröstningen är ändrad." in html and "1 ja, 2 nej, 0 avstår. Avslag." in html
    assert recorded(item)[1] == ["1 ja, 2 nej, 0 avstår. Avslag."]
    with ale.scope():
        actions = list(meeting.events.filter(action__startswith="item.vote").values_list("action", flat=True))
    assert actions == ["item.vote", "item.vote_removed", "item.vote"]
