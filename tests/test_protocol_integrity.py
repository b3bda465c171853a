"""A protocol that cannot lie: the text freezes at justering, every signature is over one digest,
and the dates and the kungörelse the law asks for are checked before anything is justerat."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError
from django.urls import reverse
from django.utils import timezone

from cases import clock
from cases.models import Notification, SeatRole
from cases.services import CaseError
from meetings import services
from meetings.integrity import protocol_digest
from meetings.models import AgendaItem, Meeting, MeetingEvent, MeetingStatus, Signature
from meetings.pdf import protocol_html

from .factories import UserFactory
from .pdftext import pdftotext
from .test_meetings_protocol import at, held_meeting, seat

CONFIRM = {"confirm": "on"}


def test_the_chair_signs_the_secretary_is_refused_takes_it_back_and_both_sign_the_same_text(ale, tmp_path):
    """The old hole: after the chair had signed, the secretary changed a § and the justerare signed a
    different text, and the protocol ended justerat with two hashes. Now the change is refused."""
    from cases.pdf import html_to_pdf

    with ale.scope():
        meeting, item, (chair, justerare, member, deputy, justerare_user) = held_meeting(ale)
        services.protocol_close(meeting, by=ale.secretary)
        services.protocol_sign(meeting, by=ale.politician)
        first = Signature.objects.get(meeting=meeting, person=chair)
        assert first.protocol_hash == protocol_digest(meeting)

        with pytest.raises(CaseError, match="skickat för justering och kan inte ändras"):
            services.item_record(item, decision="Utbildningsnämnden bifaller motionen.", by=ale.secretary)
        item.refresh_from_db()
        assert item.decision.startswith("Utbildningsnämnden antar")
        refused = MeetingEvent.objects.get(meeting=meeting, action="write.refused")
        assert refused.data == {"what": "item.decision", "status": "justering"}

        services.protocol_withdraw(meeting, reason="Beslutet i § ska ändras", by=ale.secretary)
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.HELD
        assert not Signature.objects.filter(meeting=meeting).exclude(signed_at=None).exists()
        withdrawn = MeetingEvent.objects.get(meeting=meeting, action="protocol.withdrawn")
        assert withdrawn.data["withdrawn"] == [
            {"person": "Anna Ordförande", "role": "ordförande", "hash": first.protocol_hash}
        ]
        told = Notification.objects.filter(key__startswith=f"meeting:{meeting.pk}:withdrawn")
        assert {n.recipient for n in told} == {ale.politician, justerare_user}

        services.item_record(item, decision="Utbildningsnämnden bifaller motionen.", by=ale.secretary)
        services.protocol_close(meeting, by=ale.secretary)
        assert Notification.objects.filter(recipient=justerare_user, key__startswith=f"meeting:{meeting.pk}:justering")
        assert Notification.objects.filter(key=f"meeting:{meeting.pk}:justering:1").count() == 2  # told again
        services.protocol_sign(meeting, by=ale.politician)
        services.protocol_sign(meeting, by=justerare_user)
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.JUSTERAT
        hashes = set(Signature.objects.filter(meeting=meeting).values_list("protocol_hash", flat=True))
        assert hashes == {meeting.protocol_hash} == {protocol_digest(meeting)}
        assert meeting.protocol_hash != first.protocol_hash
        html = protocol_html(ale.municipality, str(meeting.uuid))
        assert "bifaller motionen" in html
        assert f'Kontrollsumma (SHA-256)</th><td class="signed digest">{meeting.protocol_hash}' in html
        (tmp_path / "protokoll.pdf").write_bytes(html_to_pdf(html))
        text = pdftotext(tmp_path / "protokoll.pdf")
        assert meeting.protocol_hash in "".join(text.split())


def test_signatures_over_different_texts_never_make_the_protocol_justerat(ale):
    """Should the text change behind the services' back, the last signature is refused."""
    with ale.scope():
        meeting, item, (chair, justerare, member, deputy, justerare_user) = held_meeting(ale)
        services.protocol_close(meeting, by=ale.secretary)
        services.protocol_sign(meeting, by=ale.politician)
        AgendaItem.objects.filter(pk=item.pk).update(decision="Ändrat direkt i databasen.")
        with pytest.raises(CaseError, match="Underskrifterna gäller inte samma text"):
            services.protocol_sign(meeting, by=justerare_user)
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.JUSTERING and meeting.protocol_hash == ""
        assert not Signature.objects.filter(meeting=meeting, person=justerare).exclude(signed_at=None).exists()


def test_every_write_is_refused_under_justering_and_logged(ale):
    with ale.scope():
        meeting, item, (chair, justerare, member, deputy, justerare_user) = held_meeting(ale)
        services.protocol_close(meeting, by=ale.secretary)
        attempts = {
            "item.decision": lambda: services.item_record(item, decision="x", by=ale.secretary),
            "item.yrkande": lambda: services.floor_motion_add(item, mover=member, text="x", by=ale.secretary),
            "item.vote": lambda: services.vote_record(item, yes_means="a", no_means="b", ballots={}, by=ale.secretary),
            "item.reservation": lambda: services.reservation_add(item, person=chair, by=ale.secretary),
            "item.jav": lambda: services.recusal_add(item, person=chair, substitute=None, by=ale.secretary),
            "attendance": lambda: services.attendance_record(
                meeting, present=[], justerare=[], serving={}, by=ale.secretary
            ),
            "agenda.move": lambda: services.agenda_move(item, up=True, by=ale.secretary),
        }
        for attempt in attempts.values():
            with pytest.raises(CaseError, match="Ta tillbaka det från justering"):
                attempt()
        logged = MeetingEvent.objects.filter(meeting=meeting, action="write.refused").values_list("data", flat=True)
        assert sorted(d["what"] for d in logged) == sorted(attempts)


def test_the_secretary_takes_the_protocol_back_on_the_page_after_confirming(client, ale):
    with ale.scope():
        meeting, item, people = held_meeting(ale)
        services.protocol_close(meeting, by=ale.secretary)
    client.force_login(ale.secretary)
    page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert "Kontrollsumma (SHA-256)" in page and "Ta tillbaka protokollet från justering" in page
    url = reverse("meetings:withdraw", args=[meeting.uuid])
    client.post(url, {"reason": "Fel i § 1"})
    with ale.scope():
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.JUSTERING
    client.post(url, {"reason": "Fel i § 1", **CONFIRM})
    with ale.scope():
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD
    page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert "Protokollet togs tillbaka från justering (Fel i § 1)." in page
    client.force_login(ale.politician)
    assert client.post(url, {"reason": "x", **CONFIRM}).status_code == 404  # only the secretary


def test_no_justering_before_the_meeting_has_begun(ale):
    with ale.scope():
        soon, _item, (chair, justerare, member, deputy, justerare_user) = held_meeting(
            ale, timezone.localdate() + timedelta(days=14)
        )
        with pytest.raises(CaseError, match="Protokollet kan inte justeras före sammanträdet"):
            services.protocol_close(soon, by=ale.secretary)
        assert Meeting.objects.get(pk=soon.pk).status == MeetingStatus.PLANNED
        # Once it has begun (the clock an hour after the start), it goes to justering.
        started = timezone.localtime(soon.starts_at) + timedelta(hours=1)
        with clock.entered_as_of(started.date(), at=started.time()):
            services.protocol_close(soon, by=ale.secretary)
        # A signature dated before the start is refused even under justering.
        before = timezone.localtime(soon.starts_at) - timedelta(days=1)
        with clock.entered_as_of(before.date(), at=before.time()), pytest.raises(CaseError, match="före sammanträdet"):
            services.protocol_sign(soon, by=ale.politician)
        with clock.entered_as_of(started.date(), at=started.time()):
            services.protocol_sign(soon, by=ale.politician)
            services.protocol_sign(soon, by=justerare_user)
            services.anslag_publish(soon, on=started.date(), by=ale.secretary)
        soon.refresh_from_db()
        assert soon.status == MeetingStatus.JUSTERAT and soon.anslag_on == started.date()


def _kf_meeting(town, day: date) -> Meeting:
    user = UserFactory(municipality=town.municipality, roles=["fortroendevald"])
    chair = seat(town, town.kf, "Kerstin", "Fullmäktige", "S", SeatRole.CHAIR, user=user)
    meeting = services.meeting_create(body=town.kf, starts_at=at(day), place="Fullmäktigesalen", by=town.secretary)
    row = meeting.attendance.get(person=chair)
    services.attendance_record(meeting, present=[row.pk], justerare=[row.pk], serving={}, by=town.secretary)
    return meeting


def test_a_kommunfullmaktige_protocol_needs_a_kungorelse_a_week_ahead(ale):
    day = date(2018, 6, 14)
    with ale.scope():
        unannounced = _kf_meeting(ale, day)
        with pytest.raises(CaseError, match="kungjordes inte på anslagstavlan minst en vecka"):
            services.protocol_close(unannounced, by=ale.secretary)
        assert Meeting.objects.get(pk=unannounced.pk).status == MeetingStatus.PLANNED

        with clock.entered_as_of(day - timedelta(days=10)):
            services.meeting_call(unannounced, by=ale.secretary)
        unannounced.refresh_from_db()
        assert services.kungorelse_on(unannounced) == day - timedelta(days=10)
        services.protocol_close(unannounced, by=ale.secretary)
        assert Meeting.objects.get(pk=unannounced.pk).status == MeetingStatus.JUSTERING


def test_a_kommunfullmaktige_meeting_without_kungorelse_goes_ahead_with_the_legal_reason_recorded(client, ale):
    day = date(2018, 6, 21)
    with ale.scope():
        extra = _kf_meeting(ale, day)
        with pytest.raises(CaseError, match="Ange det lagliga skälet."):
            services.kungorelse_exception_record(extra, reason=" ", by=ale.secretary)
        with pytest.raises(CaseError, match="Bara fullmäktiges"):
            un, _item, _people = held_meeting(ale)
            services.kungorelse_exception_record(un, reason="x", by=ale.secretary)
    client.force_login(ale.secretary)
    page = client.get(reverse("meetings:detail", args=[extra.uuid])).content.decode()
    assert "Ange det lagliga skälet" in page
    reason = "Extra sammanträde; kungjort dagen före enligt 5 kap. 54 § andra stycket kommunallagen."
    client.post(reverse("meetings:kungorelse-exception", args=[extra.uuid]), {"reason": reason})
    with ale.scope():
        services.protocol_close(extra, by=ale.secretary)
        extra.refresh_from_db()
        assert extra.status == MeetingStatus.JUSTERING and extra.kungorelse_exception == reason
        logged = MeetingEvent.objects.get(meeting=extra, action="kungorelse.exception")
        assert logged.data == {"reason": reason} and logged.actor == ale.secretary


def test_every_meeting_write_is_in_the_log_with_what_was_written(client, ale):
    with ale.scope():
        meeting, item, (chair, justerare, member, deputy, justerare_user) = held_meeting(ale)
        services.item_record(item, decision="Bifall.", notes="Anteckning.", by=ale.secretary)
        services.floor_motion_add(item, mover=member, text="Avslag.", by=ale.secretary)
        services.vote_record(
            item,
            yes_means="bifall",
            no_means="avslag",
            ballots={chair.pk: "ja", justerare.pk: "nej", deputy.pk: "avstar"},
            by=ale.secretary,
        )
        services.reservation_add(item, person=justerare, text="Skriftlig.", by=ale.secretary)
        services.recusal_add(item, person=member, substitute=None, by=ale.secretary)
        services.agenda_move(item, up=True, by=ale.secretary)
        events = {e.action: e.data for e in MeetingEvent.objects.filter(meeting=meeting)}
    assert sorted(events["attendance.recorded"]["present"]) == ["Anna Ordförande", "Erik Ersättare", "Jonas Justerare"]
    assert events["attendance.recorded"]["serving"] == {"Erik Ersättare": "Maja Ledamot"}
    assert events["item.recorded"]["decision"] == "Bifall." and events["item.recorded"]["notes"] == "Anteckning."
    assert events["item.vote"]["ballots"] == [
        ["Anna Ordförande", "ja"],
        ["Jonas Justerare", "nej"],
        ["Erik Ersättare", "avstar"],
    ]
    assert events["item.yrkande"]["text"] == "Avslag."
    assert events["item.reservation"]["person"] == "Jonas Justerare"
    assert events["item.jav"]["person"] == "Maja Ledamot"
    assert events["agenda.moved"]["direction"] == "up"
    client.force_login(ale.secretary)
    page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    for sentence in (
        "Närvarande: Jonas Justerare, Anna Ordförande, Erik Ersättare.",
        "Röster: Anna Ordförande: ja, Jonas Justerare: nej, Erik Ersättare: avstår.",
        "Maja Ledamot yrkade: Avslag.",
        "Jonas Justerare reserverade sig. Skriftlig.",
        "Maja Ledamot anmälde jäv",
    ):
        assert sentence in page


def test_the_meeting_log_is_append_only_in_the_database(ale):
    with ale.scope():
        meeting, _item, _people = held_meeting(ale)
        event = MeetingEvent.objects.filter(meeting=meeting).first()
    table = MeetingEvent._meta.db_table
    refused = [
        (f"UPDATE {table} SET action = 'x' WHERE id = %s", [event.pk]),  # noqa: S608 - the model's own table
        (f"DELETE FROM {table} WHERE id = %s", [event.pk]),  # noqa: S608
        # The test session may TRUNCATE (the flush between transactional tests); the application may not.
        (f"SET CONSTRAINTS ALL IMMEDIATE; SET LOCAL meetings.allow_truncate = 'off'; TRUNCATE {table} CASCADE", []),
    ]
    for statement, params in refused:
        with pytest.raises(InternalError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    with ale.scope():
        assert MeetingEvent.objects.filter(pk=event.pk, action=event.action).exists()


def test_a_secret_paragraph_shows_on_the_public_side_only_as_number_and_provision(client, ale):
    from meetings.pdf import public_protocol_html

    with ale.scope():
        meeting, item, (chair, justerare, member, deputy, justerare_user) = held_meeting(ale)
        open_item = AgendaItem.objects.get(meeting=meeting, title="Upprop")
        services.item_record(open_item, decision="Uppropet förrättades.", by=ale.secretary)
        services.item_record(
            item,
            decision="Eleven placeras i skolan enligt vårdnadshavarnas önskemål.",
            secrecy="OSL 23 kap. 2 §",
            by=ale.secretary,
        )
        services.protocol_close(meeting, by=ale.secretary)
        services.protocol_sign(meeting, by=ale.politician)
        services.protocol_sign(meeting, by=justerare_user)
        services.anslag_publish(meeting, on=clock.today(), by=ale.secretary)
        item.refresh_from_db()
        public = public_protocol_html(ale.municipality, str(meeting.uuid))
        members = protocol_html(ale.municipality, str(meeting.uuid))
    # Refused on the public side: neither the title, the case nor the decision of the secret §.
    assert f"§ {item.paragraph} Sekretess" in public and "sekretess enligt OSL 23 kap. 2 §" in public
    for secret in (item.title, "vårdnadshavarnas önskemål", item.case.diarienummer):
        assert secret not in public
        assert secret in members  # members see it whole
    # Passes on the public side: a public § is there in full.
    assert "Uppropet förrättades." in public and "Upprop" in public

    board = client.get(reverse("meetings:anslagstavla", args=["ale"])).content.decode()
    assert f"§ {item.paragraph} Sekretess (OSL 23 kap. 2 §)" in board
    assert item.title not in board
    assert "Upprop" in board
    client.force_login(ale.politician)
    page = client.get(reverse("meetings:sign", args=[meeting.uuid])).content.decode()
    assert item.title in page and "vårdnadshavarnas önskemål" in page
