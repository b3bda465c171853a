"""Attendance as real protocols record it: partial attendance, ersättare serving for a named ledamot
for some §§, övriga närvarande, ajourneringar, the chair and the minute-taker, beslutförhet per §;
refusals of bad input that leave nothing half-saved; meetings moved and cancelled (inställt)."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from cases.models import Membership, SeatRole
from cases.services import CaseError
from meetings import attendance, planning, services
from meetings.attendance import Presence
from meetings.models import Attendance, ChairRole, Meeting, MeetingEvent, MeetingStatus
from meetings.pdf import protocol_html
from reading.queries import coming_and_past

from .factories import UserFactory
from .test_meeting_views import messages_of
from .test_meetings_protocol import approved_draft, at, seat


def five_and_two(town):
    """Utbildningsnämnden with five ledamot seats (the chair signs in) and two ersättare."""
    chair = seat(town, town.un, "Anna", "Ordförande", "S", SeatRole.CHAIR, user=town.politician)
    alva = seat(town, town.un, "Alva", "Ledamot", "M")
    bo = seat(town, town.un, "Bo", "Ledamot", "C")
    cia = seat(town, town.un, "Cia", "Ledamot", "L")
    eva = seat(town, town.un, "Eva", "Ledamot", "V")
    dora = seat(town, town.un, "Dora", "Ersättare", "M", SeatRole.DEPUTY)
    erik = seat(town, town.un, "Erik", "Ersättare", "S", SeatRole.DEPUTY)
    return chair, alva, bo, cia, eva, dora, erik


def meeting_with_two_cases(town, day=date(2018, 5, 24)):
    from cases import services as case_services

    people = five_and_two(town)
    meeting = services.meeting_create(body=town.un, starts_at=at(day), place="Stadshuset, sal A", by=town.secretary)
    for title in ("Skolskjutsplan", "Läsårstider"):
        case = case_services.case_register(municipality=town.municipality, title=title, body=town.un, by=town.registrar)
        services.agenda_add(
            meeting, draft=approved_draft(town, case, f"Nämnden fastställer {title}."), by=town.secretary
        )
    return meeting, attendance.meeting_items(meeting), people


def rows_of(meeting):
    return {a.person_id: a.pk for a in meeting.attendance.all()}


def state(meeting):
    return sorted(
        Attendance.objects.filter(meeting=meeting).values_list(
            "pk", "present", "from_item", "to_item", "serving_for", "is_justerare"
        )
    )


def test_beslutforhet_is_counted_per_paragraph_from_who_served_on_it(ale):
    with ale.scope():
        meeting, items, (chair, alva, bo, cia, eva, dora, erik) = meeting_with_two_cases(ale)
        assert len(items) == 7
        rows = rows_of(meeting)
        attendance.attendance_save(
            meeting,
            rows={
                rows[chair.pk]: Presence(present=True),
                rows[bo.pk]: Presence(present=True),
                rows[alva.pk]: Presence(present=True, to_item=items[2]),  # leaves after the third
                rows[dora.pk]: Presence(present=True, from_item=items[3], serving_for=alva.pk),  # for the rest
                rows[eva.pk]: Presence(present=True, from_item=items[4]),  # arrives late
                rows[cia.pk]: Presence(present=False),
                rows[erik.pk]: Presence(present=False),
            },
            justerare=[rows[bo.pk]],
            by=ale.secretary,
        )
        counts = [(q.serving, q.seats, q.quorate) for q in attendance.quorum_by_item(meeting)]
        assert counts == [(3, 5, True)] * 4 + [(4, 5, True)] * 3
        voters = {a.person_id for a in services.voters_of(items[5])}
        assert voters == {chair.pk, bo.pk, dora.pk, eva.pk}  # Alva has left; Dora serves for her
        assert {a.person_id for a in services.voters_of(items[0])} == {chair.pk, bo.pk, alva.pk}

        services.protocol_close(meeting, by=ale.secretary)
        html = protocol_html(ale.municipality, str(meeting.uuid))
    assert "Alva Ledamot (M), §§ 1–3" in html
    assert "Dora Ersättare (M) tjg för Alva Ledamot, §§ 4–7" in html
    assert "Eva Ledamot (V), §§ 5–7" in html
    assert "§§ 1–4: 3 av 5 ledamöter tjänstgör, beslutför" in html
    assert "§§ 5–7: 4 av 5 ledamöter tjänstgör, beslutför" in html


def test_a_paragraph_without_quorum_keeps_the_protocol_from_justering(ale):
    with ale.scope():
        meeting, items, (chair, alva, bo, cia, eva, dora, erik) = meeting_with_two_cases(ale)
        rows = rows_of(meeting)
        attendance.attendance_save(
            meeting,
            rows={
                rows[chair.pk]: Presence(present=True),
                rows[bo.pk]: Presence(present=True),
                rows[alva.pk]: Presence(present=True, to_item=items[1]),
            },
            justerare=[rows[bo.pk]],
            by=ale.secretary,
        )
        with pytest.raises(CaseError, match=r"inte beslutför: 2 av 5 ledamöter tjänstgjorde under punkt 3 \(Fast"):
            services.protocol_close(meeting, by=ale.secretary)
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PLANNED
        assert not meeting.items.exclude(paragraph=None).exists()


def test_bad_attendance_is_refused_in_swedish_and_nothing_is_half_saved(ale):
    with ale.scope():
        meeting, items, (chair, alva, bo, cia, eva, dora, erik) = meeting_with_two_cases(ale)
        rows = rows_of(meeting)
        good = {
            rows[chair.pk]: Presence(present=True),
            rows[alva.pk]: Presence(present=True, to_item=items[2]),
            rows[bo.pk]: Presence(present=True),
        }
        attendance.attendance_save(meeting, rows=good, justerare=[rows[bo.pk]], by=ale.secretary)
        before = state(meeting)
        refusals = {
            # an ersättare serving for a ledamot who is present (the old "12 av 11")
            "Dora Ersättare kan inte tjänstgöra för Alva Ledamot under punkterna 1–3: Alva Ledamot är närvarande då.": {
                **good,
                rows[dora.pk]: Presence(present=True, serving_for=alva.pk),
            },
            # two ersättare for one seat, overlapping §-ranges
            "Både .* Ersättare tjänstgör för Alva Ledamot under punkterna 5–6. Paragraferna får inte överlappa.": {
                **good,
                rows[dora.pk]: Presence(present=True, from_item=items[3], serving_for=alva.pk),
                rows[erik.pk]: Presence(present=True, from_item=items[4], to_item=items[5], serving_for=alva.pk),
            },
            "”från och med” kommer efter ”till och med”": {
                **good,
                rows[eva.pk]: Presence(present=True, from_item=items[5], to_item=items[1]),
            },
            "Ordföranden Anna Ordförande kan inte vara frånvarande": {**good, rows[chair.pk]: Presence(present=False)},
            "Erik Ersättare är inte närvarande och kan inte tjänstgöra.": {
                **good,
                rows[erik.pk]: Presence(present=False, serving_for=cia.pk),
            },
        }
        for message, attempt in refusals.items():
            with pytest.raises(CaseError, match=message.replace("(", r"\(").replace(")", r"\)")):
                attendance.attendance_save(meeting, rows=attempt, justerare=[rows[bo.pk]], by=ale.secretary)
            assert state(meeting) == before, message
        with pytest.raises(CaseError, match="Cia Ledamot är utsedd till justerare men inte närvarande."):
            attendance.attendance_save(meeting, rows=good, justerare=[rows[cia.pk]], by=ale.secretary)
        assert state(meeting) == before

        with pytest.raises(CaseError, match="Cia Ledamot är inte närvarande och kan inte vara ordförande"):
            attendance.meeting_conduct_record(
                meeting,
                start_time=time(18, 0),
                end_time=time(20, 0),
                chair=cia,
                chair_role=ChairRole.ALDERSPRESIDENT,
                secretary=ale.secretary,
                justering_place_time="",
                by=ale.secretary,
            )
        with pytest.raises(CaseError, match="Sammanträdet måste sluta efter att det börjar."):
            attendance.meeting_conduct_record(
                meeting,
                start_time=time(18, 0),
                end_time=time(17, 0),
                chair=chair,
                chair_role=ChairRole.CHAIR,
                secretary=ale.secretary,
                justering_place_time="",
                by=ale.secretary,
            )
        with pytest.raises(CaseError, match="Protokollföraren måste vara en av kommunens nämndsekreterare."):
            attendance.meeting_conduct_record(
                meeting,
                start_time=time(18, 0),
                end_time=None,
                chair=chair,
                chair_role=ChairRole.CHAIR,
                secretary=ale.official,
                justering_place_time="",
                by=ale.secretary,
            )
        meeting.refresh_from_db()
        assert (meeting.chair_id, meeting.end_time, meeting.secretary_id) == (chair.pk, None, ale.secretary.pk)

        attendance.adjournment_add(meeting, starts=time(19, 10), ends=time(19, 25), by=ale.secretary)
        with pytest.raises(CaseError, match="överlappar ajourneringen kl. 19.10–19.25"):
            attendance.adjournment_add(meeting, starts=time(19, 20), ends=time(19, 40), by=ale.secretary)
        with pytest.raises(CaseError, match="mellan sammanträdets start"):
            attendance.adjournment_add(meeting, starts=time(17, 0), ends=time(17, 30), by=ale.secretary)
        with pytest.raises(CaseError, match="ligger utanför sammanträdets tid"):
            attendance.meeting_conduct_record(
                meeting,
                start_time=time(18, 0),
                end_time=time(19, 15),
                chair=chair,
                chair_role=ChairRole.CHAIR,
                secretary=ale.secretary,
                justering_place_time="",
                by=ale.secretary,
            )
        assert meeting.adjournments.count() == 1
        with pytest.raises(CaseError, match="Ange namnet"):
            attendance.other_present_add(meeting, name=" ", title="Förvaltningschef", by=ale.secretary)


def test_chair_minute_taker_others_and_adjournments_reach_the_protocol_and_the_log(ale):
    with ale.scope():
        meeting, items, (chair, alva, bo, cia, eva, dora, erik) = meeting_with_two_cases(ale)
        minute_taker = UserFactory(
            municipality=ale.municipality, roles=["sekreterare"], first_name="Nora", last_name="Nämndsekreterare"
        )
        rows = rows_of(meeting)
        attendance.attendance_save(
            meeting,
            rows={rows[pk]: Presence(present=True) for pk in (chair.pk, alva.pk, bo.pk)},
            justerare=[rows[bo.pk]],
            by=ale.secretary,
        )
        attendance.meeting_conduct_record(
            meeting,
            start_time=time(18, 5),
            end_time=time(20, 15),
            chair=alva,
            chair_role=ChairRole.ALDERSPRESIDENT,
            secretary=minute_taker,
            justering_place_time="Kommunkansliet, 2018-05-28 kl. 10.00",
            by=ale.secretary,
        )
        attendance.other_present_add(
            meeting,
            name="Gunilla Handläggare",
            title="Utvecklingschef",
            from_item=items[5],
            to_item=items[5],
            by=ale.secretary,
        )
        kept = attendance.other_present_add(meeting, name="Per Ekonom", title="Controller", by=ale.secretary)
        removed = attendance.other_present_add(meeting, name="Fel Person", title="", by=ale.secretary)
        attendance.other_present_remove(meeting, row=removed, by=ale.secretary)
        attendance.adjournment_add(meeting, starts=time(19, 10), ends=time(19, 25), by=ale.secretary)
        services.protocol_close(meeting, by=ale.secretary)
        html = protocol_html(ale.municipality, str(meeting.uuid))
        log = [e.action for e in MeetingEvent.objects.filter(meeting=meeting)]
        signers = {(s.person_id, s.role) for s in meeting.signatures.all()}
    assert "Stadshuset, sal A, torsdag 24 maj 2018 kl. 18.05–20.15" in html
    assert "Ajournering kl. 19.10–19.25" in html
    assert "Alva Ledamot (M), ålderspresident" in html
    assert "Gunilla Handläggare, Utvecklingschef, § 6" in html
    assert "Per Ekonom, Controller<br>" in html and kept.pk
    assert "Fel Person" not in html
    assert "Nora Nämndsekreterare, sekreterare" in html
    assert "Kommunkansliet, 2018-05-28 kl. 10.00" in html
    assert signers == {(alva.pk, "ordförande"), (bo.pk, "justerare")}
    for code in ("meeting.conduct", "attendance.other_added", "attendance.other_removed", "adjournment.added"):
        assert code in log


def test_a_cancelled_meeting_cannot_be_called_closed_or_edited(ale):
    with ale.scope():
        meeting, items, (chair, alva, bo, cia, eva, dora, erik) = meeting_with_two_cases(ale, date(2030, 3, 12))
        with pytest.raises(CaseError, match="Ange varför"):
            planning.meeting_cancel(meeting, reason="  ", by=ale.secretary)
        planning.meeting_cancel(meeting, reason="För få ärenden.", by=ale.secretary)
        meeting.refresh_from_db()
        assert (meeting.status, meeting.cancel_reason) == (MeetingStatus.CANCELLED, "För få ärenden.")
        rows = rows_of(meeting)
        attempts = [
            lambda: services.meeting_call(meeting, by=ale.secretary, today=date(2030, 3, 1)),
            lambda: services.protocol_close(meeting, by=ale.secretary),
            lambda: services.item_record(items[5], decision="Ändrat", by=ale.secretary),
            lambda: attendance.attendance_save(
                meeting, rows={rows[chair.pk]: Presence(present=True)}, justerare=[], by=ale.secretary
            ),
            lambda: attendance.adjournment_add(meeting, starts=time(19), ends=time(20), by=ale.secretary),
            lambda: planning.meeting_move(meeting, starts_at=at(date(2030, 4, 1)), place="Sal B", by=ale.secretary),
            lambda: planning.meeting_cancel(meeting, reason="Igen", by=ale.secretary),
        ]
        for attempt in attempts:
            with pytest.raises(CaseError, match="Sammanträdet är inställt"):
                attempt()
        assert MeetingEvent.objects.filter(meeting=meeting, action="write.refused").count() == len(attempts)
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.CANCELLED and meeting.starts_at == at(date(2030, 3, 12))


def test_a_cancelled_meeting_is_shown_as_installt_and_leaves_the_members_coming_meetings(client, ale):
    from .reading_setup import called_meeting

    reading = called_meeting(ale)
    with ale.scope():
        coming, _past = coming_and_past(ale.politician)
        assert [m.pk for m in coming] == [reading.meeting.pk]
    client.force_login(ale.secretary)
    cancel = reverse("meetings:cancel", args=[reading.meeting.uuid])
    assert "Varför ställs sammanträdet in?" in client.get(cancel).content.decode()
    refused = client.post(cancel, {"reason": "Lokalen är inte tillgänglig."})
    assert refused.status_code == 200 and "Kryssa i att du förstår" in refused.content.decode()
    response = client.post(cancel, {"reason": "Lokalen är inte tillgänglig.", "confirm": "on"})
    assert response.status_code == 302
    page = client.get(reverse("meetings:detail", args=[reading.meeting.uuid])).content.decode()
    assert "<strong>inställt</strong>" in page and "Lokalen är inte tillgänglig." in page
    assert reverse("meetings:call", args=[reading.meeting.uuid]) not in page  # no button left to press
    with ale.scope():
        coming, past = coming_and_past(ale.politician)
        assert coming == []
        subjects = list(ale.politician.notifications.values_list("subject", flat=True))
    assert any(s.startswith("Sammanträdet är inställt: Utbildningsnämnden") for s in subjects)


def test_moving_a_meeting_follows_the_seats_of_the_new_day_and_tells_those_called(ale):
    with ale.scope():
        meeting, items, (chair, alva, bo, cia, eva, dora, erik) = meeting_with_two_cases(ale, date(2030, 3, 12))
        Membership.objects.filter(person=cia).update(ends_on=date(2030, 3, 31))
        newcomer = seat(ale, ale.un, "Nils", "Nykomling", "KD")
        Membership.objects.filter(person=newcomer).update(starts_on=date(2030, 4, 1))
        services.meeting_call(meeting, by=ale.secretary, today=date(2030, 3, 1))
        with pytest.raises(CaseError, match="en dag som har varit"):
            planning.meeting_move(meeting, starts_at=at(date(2020, 1, 1)), place="Sal A", by=ale.secretary)
        planning.meeting_move(meeting, starts_at=at(date(2030, 4, 2), 17), place="Sal B", by=ale.secretary)
        meeting.refresh_from_db()
        called = set(meeting.attendance.values_list("person_id", flat=True))
        event = MeetingEvent.objects.get(meeting=meeting, action="meeting.moved")
        subjects = list(ale.politician.notifications.values_list("subject", flat=True))
    assert meeting.place == "Sal B" and meeting.status == MeetingStatus.CALLED
    assert newcomer.pk in called and cia.pk not in called
    assert event.data["added"] == ["Nils Nykomling"] and event.data["removed"] == ["Cia Ledamot"]
    assert "Sammanträdet är flyttat: Utbildningsnämnden" in subjects


def test_the_attendance_page_is_the_secretarys_to_change_and_others_only_read(client, ale, alingsas):
    with ale.scope():
        meeting, items, (chair, alva, bo, cia, eva, dora, erik) = meeting_with_two_cases(ale)
        rows = rows_of(meeting)
    page_url = reverse("meetings:attendance-page", args=[meeting.uuid])
    posts = {
        "meetings:attendance": {f"state_{rows[chair.pk]}": "present"},
        "meetings:attendance-other-add": {"other-name": "Gunilla Handläggare", "other-title": "Utvecklingschef"},
        "meetings:adjournment-add": {"adj-starts": "19:10", "adj-ends": "19:25"},
        "meetings:conduct": {"start_time": "18:00", "chair_role": "ordforande", "secretary": ale.secretary.pk},
        "meetings:called-sync": {},
        "meetings:move": {"day": "2030-01-01", "time": "18:00", "place": "Sal B"},
        "meetings:cancel": {"reason": "x", "confirm": "on"},
    }
    client.force_login(ale.official)  # a diarium user who does not run the meeting reads, changes nothing
    page = client.get(page_url).content.decode()
    assert "Beslutförhet per paragraf" in page and "Spara närvaro" not in page
    for name, data in posts.items():
        assert client.post(reverse(name, args=[meeting.uuid]), data).status_code == 404, name
    client.force_login(alingsas.secretary)  # another municipality's secretary: nothing exists
    assert client.get(page_url).status_code == 404
    assert client.post(reverse("meetings:attendance", args=[meeting.uuid]), {}).status_code == 404

    client.force_login(ale.secretary)
    assert "Spara närvaro" in client.get(page_url).content.decode()
    data = {
        f"state_{rows[chair.pk]}": "present",
        f"state_{rows[bo.pk]}": "present",
        f"state_{rows[alva.pk]}": "partial",
        f"to_{rows[alva.pk]}": str(items[2].uuid),
        f"state_{rows[dora.pk]}": "partial",
        f"from_{rows[dora.pk]}": str(items[3].uuid),
        f"serving_{rows[dora.pk]}": str(alva.pk),
        f"justerare_{rows[bo.pk]}": "on",
    }
    assert messages_of(client, client.post(reverse("meetings:attendance", args=[meeting.uuid]), data)) == [
        "Närvaron är sparad."
    ]
    shown = messages_of(
        client,
        client.post(reverse("meetings:attendance", args=[meeting.uuid]), {**data, f"state_{rows[alva.pk]}": "present"}),
    )
    assert shown == [
        "Dora Ersättare kan inte tjänstgöra för Alva Ledamot under punkterna 4–7: Alva Ledamot är närvarande då."
    ]
    shown = messages_of(
        client, client.post(reverse("meetings:attendance", args=[meeting.uuid]), {f"state_{rows[eva.pk]}": "partial"})
    )
    assert shown == ["Eva Ledamot är närvarande under en del av sammanträdet: ange från och med eller till och med."]
    for name in ("meetings:attendance-other-add", "meetings:adjournment-add"):
        assert client.post(reverse(name, args=[meeting.uuid]), posts[name]).status_code == 302
    page = client.get(page_url).content.decode()
    assert "Gunilla Handläggare, Utvecklingschef" in page and "Ajournering kl. 19.10–19.25" in page
    assert "punkterna 1–4: 3 av 7" not in page  # seats are ledamöter only
    assert "3 av 5 ledamöter tjänstgör" in page
