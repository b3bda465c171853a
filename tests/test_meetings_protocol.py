"""Meetings and protocols: § numbering, the legal dates, locking at justering, the protocol's text,
and the Alingsås route through meetings end to end."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django_scopes import scope, scopes_disabled

from cases import clock, workdays
from cases import services as case_services
from cases.models import BodyKind, Membership, Person, Remiss, RemissStatus, SeatRole
from cases.services import CaseError
from meetings import services
from meetings.expedite import item_expedite
from meetings.models import AgendaItem, Meeting, MeetingEvent, MeetingStatus, SeatKind
from meetings.pdf import protocol_html
from motions import services as motion_services
from motions.models import MotionStatus
from papers.defaults import install_default_templates
from papers.models import PaperTemplate
from papers.services import draft_approve, draft_create, draft_save, draft_submit

from .conftest import _make_town
from .pdftext import assert_in_order, pdftotext

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: date, hour: int = 18) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=STOCKHOLM)


def seat(town, body, first, last, party, role=SeatRole.MEMBER, user=None):
    person = Person.objects.create(municipality=town.municipality, first_name=first, last_name=last, user=user)
    Membership.objects.create(
        municipality=town.municipality, person=person, body=body, role=role, party=party, starts_on=date(2015, 1, 1)
    )
    return person


def council(town):
    """Utbildningsnämnden with a chair who signs in, two members (one a justerare who signs in) and a deputy."""
    chair = seat(town, town.un, "Anna", "Ordförande", "S", SeatRole.CHAIR, user=town.politician)
    from .factories import UserFactory

    justerare_user = UserFactory(municipality=town.municipality, roles=["fortroendevald"])
    justerare = seat(town, town.un, "Jonas", "Justerare", "M", user=justerare_user)
    member = seat(town, town.un, "Maja", "Ledamot", "C")
    deputy = seat(town, town.un, "Erik", "Ersättare", "L", SeatRole.DEPUTY)
    return chair, justerare, member, deputy, justerare_user


def approved_draft(town, case, proposal):
    install_default_templates(town.municipality)
    draft = draft_create(case, template=PaperTemplate.objects.get(name="Yttrande"), by=town.official)
    content = {
        "sections": {
            "arendebeskrivning": "<p>Motionen gäller en arbetsgrupp.</p>",
            "yttrande": "<p>Förvaltningen avstyrker.</p>",
        },
        "proposal": [proposal],
        "dispatch": ["Kommunstyrelsens arbetsutskott"],
        "signatories": [{"name": "Åsa Holmstrand", "title": "Tf förvaltningschef"}],
    }
    draft = draft_save(draft, base_version=draft.version, content=content, by=town.official)
    draft_submit(draft, by=town.official)
    return draft_approve(draft, by=town.head)


def held_meeting(town, day=date(2018, 5, 24)):
    chair, justerare, member, deputy, justerare_user = council(town)
    case = case_services.case_register(
        municipality=town.municipality, title="Svar på motion om arbetsgrupp", body=town.un, by=town.registrar
    )
    draft = approved_draft(
        town, case, "Utbildningsnämnden antar förvaltningens yttrande som sitt eget och avslår motionen."
    )
    meeting = services.meeting_create(body=town.un, starts_at=at(day), place="Stadshuset, sal A", by=town.secretary)
    item = services.agenda_add(meeting, draft=draft, by=town.secretary)
    rows = {a.person_id: a for a in meeting.attendance.all()}
    services.attendance_record(
        meeting,
        present=[rows[chair.pk].pk, rows[justerare.pk].pk, rows[deputy.pk].pk],
        justerare=[rows[justerare.pk].pk],
        serving={rows[deputy.pk].pk: (member.pk, "")},
        by=town.secretary,
    )
    return meeting, item, (chair, justerare, member, deputy, justerare_user)


def test_a_meeting_is_called_with_the_members_and_standing_items(ale):
    with ale.scope():
        council(ale)
        meeting = services.meeting_create(body=ale.un, starts_at=at(date(2030, 3, 12)), place="Sal A", by=ale.secretary)
        assert [i.title for i in meeting.items.all()][:2] == ["Upprop", "Val av justerare"]
        kinds = sorted(meeting.attendance.values_list("kind", flat=True))
        assert kinds == [SeatKind.DEPUTY, SeatKind.MEMBER, SeatKind.MEMBER, SeatKind.MEMBER]
        assert meeting.chair.last_name == "Ordförande"


def test_kommunfullmaktige_must_be_called_a_week_ahead(ale):
    with ale.scope():
        meeting = services.meeting_create(body=ale.kf, starts_at=at(date(2030, 3, 12)), place="Sal A", by=ale.secretary)
        with pytest.raises(CaseError, match="minst en vecka före"):
            services.meeting_call(meeting, by=ale.secretary, today=date(2030, 3, 6))
        services.meeting_call(meeting, by=ale.secretary, today=date(2030, 3, 5))
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CALLED


def test_paragraphs_run_per_body_and_year_without_gaps(ale):
    with ale.scope():
        first, _item, people = held_meeting(ale, date(2018, 5, 24))
        services.protocol_close(first, by=ale.secretary)
        second = services.meeting_create(body=ale.un, starts_at=at(date(2018, 6, 14)), place="Sal A", by=ale.secretary)
        row = second.attendance.get(person=people[1])
        chair_row = second.attendance.get(person=people[0])
        services.attendance_record(
            second, present=[row.pk, chair_row.pk], justerare=[row.pk], serving={}, by=ale.secretary
        )
        services.protocol_close(second, by=ale.secretary)
        numbers = list(
            AgendaItem.objects.filter(meeting__body=ale.un).order_by("paragraph").values_list("paragraph", flat=True)
        )
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == 6 + 5


@pytest.mark.django_db(transaction=True)
def test_two_meetings_closed_at_once_get_distinct_paragraphs():
    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    with scope(municipality=town.municipality):
        chair = seat(town, town.un, "Anna", "Ordförande", "S", SeatRole.CHAIR)
        meetings = []
        for day in (date(2018, 5, 3), date(2018, 5, 24)):
            meeting = services.meeting_create(body=town.un, starts_at=at(day), place="Sal A", by=town.secretary)
            row = meeting.attendance.get(person=chair)
            services.attendance_record(meeting, present=[row.pk], justerare=[row.pk], serving={}, by=town.secretary)
            meetings.append(meeting)
    barrier = threading.Barrier(2)
    errors = []

    def close(meeting):
        try:
            barrier.wait()
            with scope(municipality=town.municipality):
                services.protocol_close(meeting, by=town.secretary)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(m,)) for m in meetings]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with scopes_disabled():
        numbers = sorted(AgendaItem.objects.values_list("paragraph", flat=True))
    assert numbers == list(range(1, 11))


def test_the_anslag_dates_follow_the_law_on_real_calendars():
    # Three weeks from 2025-12-04 ends on juldagen: the appeal may come in on Monday 2025-12-29.
    assert services.anslag_dates(date(2025, 12, 4)) == (date(2025, 12, 29), date(2025, 12, 30))
    # An ordinary case: 2026-03-02 + 21 days = Monday 2026-03-23.
    assert services.anslag_dates(date(2026, 3, 2)) == (date(2026, 3, 23), date(2026, 3, 24))
    # Ending on midsommarafton 2026 (19 June): moved to Monday 22 June.
    assert services.anslag_dates(date(2026, 5, 29)) == (date(2026, 6, 22), date(2026, 6, 23))
    assert workdays.is_working_day(date(2026, 6, 22))


def test_justering_locks_the_protocol_and_every_later_write_is_refused_and_logged(ale):
    with ale.scope():
        meeting, item, (chair, justerare, member, deputy, justerare_user) = held_meeting(ale)
        services.floor_motion_add(item, mover=member, text="Bifall till motionen.", by=ale.secretary)
        voters = {a.person_id for a in services.voters_of(item)}
        assert voters == {chair.pk, justerare.pk, deputy.pk}  # the deputy serves for the absent member
        services.vote_record(
            item,
            yes_means="bifall till förvaltningens förslag",
            no_means="bifall till Majas yrkande",
            ballots={chair.pk: "ja", justerare.pk: "ja", deputy.pk: "nej"},
            by=ale.secretary,
        )
        services.reservation_add(item, person=deputy, text="Till förmån för eget yrkande.", by=ale.secretary)
        services.protocol_close(meeting, by=ale.secretary)
        services.protocol_sign(meeting, by=ale.politician)
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.JUSTERING
        services.protocol_sign(meeting, by=justerare_user)
        services.anslag_publish(meeting, on=clock.today(), by=ale.secretary)
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.JUSTERAT
        assert meeting.appeal_ends_on == workdays.appeal_period_ends(meeting.anslag_on)

        attempts = [
            lambda: services.item_record(item, decision="Ändrat i efterhand", by=ale.secretary),
            lambda: services.floor_motion_add(item, mover=member, text="Nytt", by=ale.secretary),
            lambda: services.vote_record(item, yes_means="a", no_means="b", ballots={}, by=ale.secretary),
            lambda: services.reservation_add(item, person=chair, by=ale.secretary),
            lambda: services.recusal_add(item, person=chair, substitute=None, by=ale.secretary),
            lambda: services.attendance_record(meeting, present=[], justerare=[], serving={}, by=ale.secretary),
            lambda: services.agenda_move(item, up=True, by=ale.secretary),
            lambda: services.protocol_close(meeting, by=ale.secretary),
            lambda: services.protocol_sign(meeting, by=ale.politician),
        ]
        for attempt in attempts:
            with pytest.raises(CaseError, match="justerat och kan inte ändras"):
                attempt()
        item.refresh_from_db()
        assert item.decision.startswith("Utbildningsnämnden antar")
        refused = MeetingEvent.objects.filter(meeting=meeting, action="write.refused").count()
        assert refused == len(attempts)
        services.correction_add(meeting, text="I § 6 ska det stå sal B.", by=ale.secretary)
        assert "I § 6 ska det stå sal B." in protocol_html(ale.municipality, str(meeting.uuid))


def test_the_protocol_pdf_reads_as_a_protocol(ale, tmp_path):
    from cases.pdf import html_to_pdf

    with ale.scope():
        meeting, item, (chair, justerare, member, deputy, justerare_user) = held_meeting(ale)
        services.floor_motion_add(item, mover=member, text="Bifall till motionen.", by=ale.secretary)
        services.vote_record(
            item,
            yes_means="bifall till förvaltningens förslag",
            no_means="bifall till Majas yrkande",
            ballots={chair.pk: "ja", justerare.pk: "ja", deputy.pk: "nej"},
            by=ale.secretary,
        )
        services.reservation_add(item, person=deputy, by=ale.secretary)
        services.protocol_close(meeting, by=ale.secretary)
        services.protocol_sign(meeting, by=ale.politician)
        services.protocol_sign(meeting, by=justerare_user)
        services.anslag_publish(meeting, on=clock.today(), by=ale.secretary)
        meeting.refresh_from_db()
        path = tmp_path / "protokoll.pdf"
        path.write_bytes(html_to_pdf(protocol_html(ale.municipality, str(meeting.uuid))))
    text = pdftotext(path)
    first = pdftotext(path, first=1, last=1)
    assert_in_order(
        first,
        [
            "Utbildningsnämnden",
            "Plats och tid",
            "Stadshuset, sal A",
            "Beslutande",
            "Anna Ordförande (S), ordförande",
            "Jonas Justerare (M)",
            "Tjänstgörande ersättare",
            "Erik Ersättare (L) tjg för Maja Ledamot",
            "Utses att justera",
            "Jonas Justerare",
            "Paragrafer",
            "§§ 1–6",
            "ANSLAG/BEVIS",
            "Datum för anslags uppsättande",
            meeting.anslag_on.isoformat(),
            "Datum för anslags nedtagande",
            meeting.anslag_removed_on.isoformat(),
            "Förvaringsplats för protokollet",
        ],
    )
    assert_in_order(
        text,
        [
            "§ 6 Svar på motion om arbetsgrupp",
            "Yrkanden",
            "Maja Ledamot: Bifall till motionen.",
            "Omröstning",
            "Erik Ersättare L nej",  # each member's vote, by surname
            "Jonas Justerare M ja",
            "Anna Ordförande S ja",
            "2 ja, 1 nej, 0 avstår. Bifall till förvaltningens förslag.",
            "Beslut",
            "Utbildningsnämnden antar förvaltningens yttrande",
            "Reservationer",
            "Erik Ersättare (L) reserverar sig mot beslutet.",
            "Expediering",
            "Kommunstyrelsens arbetsutskott",
        ],
    )
    assert "Justerandes signatur" in text and "Utdragsbestyrkande" in text


def decide(town, body, day, *, decision, draft=None, case=None, outcome="", extra_present=()):
    """A whole meeting of ``body`` on one case: agenda, attendance, the §, justering and expediering."""
    from .factories import UserFactory

    user = UserFactory(municipality=town.municipality, roles=["fortroendevald"])
    chair = seat(town, body, "Ordförande", body.short_name, "S", SeatRole.CHAIR, user=user)
    meeting = services.meeting_create(body=body, starts_at=at(day), place="Stadshuset", by=town.secretary)
    if body.kind == BodyKind.COUNCIL:  # fullmäktige is kungjort a week ahead (KL 5 kap. 53 §)
        with clock.entered_as_of(day - timedelta(days=14)):
            services.meeting_call(meeting, by=town.secretary)
    item = (
        services.agenda_add(meeting, draft=draft, by=town.secretary)
        if draft
        else services.agenda_add_case(meeting, case=case, by=town.secretary)
    )
    services.item_record(item, decision=decision, motion_outcome=outcome, by=town.secretary)
    rows = {a.person_id: a.pk for a in meeting.attendance.all()}
    present = [rows[chair.pk]] + [rows[p.pk] for p in extra_present]
    services.attendance_record(meeting, present=present, justerare=[rows[chair.pk]], serving={}, by=town.secretary)
    services.protocol_close(meeting, by=town.secretary)
    services.protocol_sign(meeting, by=user)
    assert item_expedite(item.pk) is True
    meeting.refresh_from_db()
    return meeting


def test_the_alingsas_route_through_meetings_closes_the_motion(alingsas, settings):
    """UN decides the yttrande at its meeting; justering; the extract goes home as the remiss answer;
    KF decides; the motion is closed. Worker steps are called as the worker calls them."""
    town = alingsas
    with town.scope():
        mover = seat(town, town.kf, "Staffan", "Albinsson", "C")
        motion = motion_services.motion_register(
            municipality=town.municipality,
            title="Motion angående tillfällig parlamentarisk arbetsgrupp för kommunens integrationsinsatser",
            movers=[motion_services.Mover(person=mover, party="C")],
            att_satser=["en tillfällig parlamentarisk arbetsgrupp inrättas"],
            raised_in=town.kf,
            raised_on=date(2017, 11, 29),
            raised_paragraph=243,
            by=town.registrar,
        )
        motion_services.motion_refer(motion, by=town.secretary)
        deadline = workdays.next_working_day(date.today() + timedelta(days=30))
        [remiss] = case_services.remiss_send(
            motion.case, from_body=town.ksau, to_bodies=[town.un], deadline=deadline, by=town.secretary
        )
        case_services.remiss_route(remiss.pk)
        remiss.refresh_from_db()

        chair, justerare, member, deputy, justerare_user = council(town)
        draft = approved_draft(
            town,
            remiss.response_case,
            "Utbildningsnämnden antar förvaltningens yttrande som sitt eget och avslår motionen.",
        )
        un_meeting = services.meeting_create(
            body=town.un, starts_at=at(date(2018, 5, 24)), place="Sal A", by=town.secretary
        )
        item = services.agenda_add(un_meeting, draft=draft, by=town.secretary)
        rows = {a.person_id: a for a in un_meeting.attendance.all()}
        services.attendance_record(
            un_meeting,
            present=[rows[chair.pk].pk, rows[justerare.pk].pk],
            justerare=[rows[justerare.pk].pk],
            serving={},
            by=town.secretary,
        )
        services.protocol_close(un_meeting, by=town.secretary)
        services.protocol_sign(un_meeting, by=town.politician)
        services.protocol_sign(un_meeting, by=justerare_user)
        assert item_expedite(item.pk) is True
        assert item_expedite(item.pk) is False  # idempotent
        case_services.remiss_route_answer(remiss.pk)
        remiss.refresh_from_db()
        assert remiss.status == RemissStatus.ANSWERED
        landed = motion.case.documents.get(pk=remiss.answer_id)
        assert landed.description.startswith("Remissvar från Utbildningsnämnden")
        assert "Protokollsutdrag Utbildningsnämnden 2018-05-24 § 6" in landed.description
        assert landed.file and landed.file_name.endswith(".pdf")

        # The förvaltning's tjänsteutlåtande goes to KSAU; KSAU proposes to KS, KS to KF; KF decides.
        ks_draft = approved_draft(town, motion.case, "Förvaltningen föreslår att motionen avslås.")
        ks_draft.addressee = town.ksau
        ks_draft.save(update_fields=["addressee"])
        ksau_meeting = decide(
            town,
            town.ksau,
            date(2018, 8, 20),
            draft=ks_draft,
            decision="Arbetsutskottet föreslår kommunstyrelsen att föreslå fullmäktige att avslå motionen.",
        )
        ks_meeting = decide(
            town,
            town.ks,
            date(2018, 9, 3),
            case=motion.case,
            decision="Kommunstyrelsen föreslår kommunfullmäktige att avslå motionen.",
        )
        kf_meeting = decide(
            town,
            town.kf,
            date(2018, 9, 26),
            case=motion.case,
            decision="Kommunfullmäktige avslår motionen.",
            outcome="avslag",
            extra_present=[mover],
        )
        motion.refresh_from_db()
        assert motion.status == MotionStatus.DECIDED
        assert (motion.outcome, motion.decided_on) == ("avslag", date(2018, 9, 26))
        motion.case.refresh_from_db()
        assert motion.case.status == "closed"
        from papers.diff import satser_redline
        from papers.models import DecisionProposal

        stages = list(DecisionProposal.objects.filter(case=motion.case).order_by("stage"))
        assert [s.body.short_name if s.body else "förvaltningen" for s in stages] == [
            "förvaltningen",
            "KSAU",
            "KS",
            "KF",
        ]
        assert stages[2].satser == ["Kommunstyrelsen föreslår kommunfullmäktige att avslå motionen."]
        redline = satser_redline(stages[1].satser, stages[2].satser)
        assert "<del>" in redline and "<ins>" in redline
        assert {m.status for m in (ksau_meeting, ks_meeting, kf_meeting)} == {MeetingStatus.JUSTERAT}
        assert Remiss.objects.get(pk=remiss.pk).status == RemissStatus.ANSWERED


def test_the_kallelse_pdf_lists_the_agenda_and_those_called(ale, tmp_path):
    from cases.models import RenderedPdf
    from cases.pdf import pdf_render

    with ale.scope():
        meeting, item, people = held_meeting(ale, date(2030, 3, 12))
        services.meeting_call(meeting, by=ale.secretary, today=date(2030, 3, 1))
        pdf = RenderedPdf.objects.get(kind="kallelse", key=str(meeting.uuid))
        assert pdf_render(pdf.pk) is True
        pdf.refresh_from_db()
    assert_in_order(
        pdftotext(pdf.file.path),
        [
            "Kallelse: Utbildningsnämnden",
            "Föredragningslista",
            "Upprop",
            "Val av justerare",
            "Svar på motion om arbetsgrupp",
            "Kallade",
            "Anna Ordförande (S)",
            "Handling till ärende",
            "Svar på motion om arbetsgrupp",
            "Förvaltningens yttrande",
            "Förvaltningen avstyrker.",
        ],
    )


def test_the_day_an_anslag_comes_down_is_logged_once(ale):
    with ale.scope():
        meeting, item, (chair, justerare, member, deputy, justerare_user) = held_meeting(ale)
        services.protocol_close(meeting, by=ale.secretary)
        services.protocol_sign(meeting, by=ale.politician)
        services.protocol_sign(meeting, by=justerare_user)
        services.anslag_publish(meeting, on=clock.today(), by=ale.secretary)
        meeting.refresh_from_db()
        assert services.anslag_sweep(meeting.anslag_removed_on - timedelta(days=1)) == 0
        assert services.anslag_sweep(meeting.anslag_removed_on) == 1
        assert services.anslag_sweep(meeting.anslag_removed_on) == 0
        actions = list(meeting.events.values_list("action", flat=True))
    assert actions.count("anslag.posted") == 1 and actions.count("anslag.removed") == 1


def test_only_the_secretary_runs_the_meeting_and_another_municipality_sees_nothing(client, ale, alingsas):
    from django.urls import reverse

    with ale.scope():
        meeting, item, people = held_meeting(ale)
    url = reverse("meetings:item", args=[meeting.uuid, item.uuid])
    client.force_login(ale.politician)
    assert client.get(reverse("meetings:detail", args=[meeting.uuid])).status_code == 200
    assert client.get(url).status_code == 404
    assert client.post(reverse("meetings:close", args=[meeting.uuid])).status_code == 404
    client.force_login(alingsas.secretary)
    assert client.get(reverse("meetings:detail", args=[meeting.uuid])).status_code == 404
    assert client.get(url).status_code == 404
    client.force_login(ale.secretary)
    assert client.get(url).status_code == 200


def test_a_meeting_without_quorum_cannot_send_its_protocol_to_justering(ale):
    with ale.scope():
        chair = seat(ale, ale.un, "Anna", "Ordförande", "S", SeatRole.CHAIR)
        for n in range(4):
            seat(ale, ale.un, f"Ledamot{n}", "Efternamn", "M")
        meeting = services.meeting_create(body=ale.un, starts_at=at(date(2018, 5, 24)), place="Sal A", by=ale.secretary)
        rows = {a.person_id: a for a in meeting.attendance.all()}
        others = [a.pk for a in rows.values() if a.person_id != chair.pk][:1]
        services.attendance_record(
            meeting, present=[rows[chair.pk].pk, *others], justerare=others, serving={}, by=ale.secretary
        )
        assert services.quorum(meeting) == (2, 5, False)
        with pytest.raises(CaseError, match="inte beslutför: 2 av 5"):
            services.protocol_close(meeting, by=ale.secretary)
        assert AgendaItem.objects.filter(meeting=meeting).exclude(paragraph=None).count() == 0


def _self_signed_pkcs12(path, passphrase: bytes) -> bytes:
    """A municipality's signing certificate, made for the test (RSA 2048, self-signed)."""
    from datetime import timedelta as td

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, "Ale kommun"), x509.NameAttribute(NameOID.COUNTRY_NAME, "SE")]
    )
    now = datetime.now(STOCKHOLM)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - td(days=1))
        .not_valid_after(now + td(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"ale", key, cert, None, serialization.BestAvailableEncryption(passphrase)
        )
    )
    return cert.public_bytes(serialization.Encoding.DER)


def test_a_justerat_protocol_is_pades_signed_with_the_municipalitys_certificate(ale, settings, tmp_path):
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from cases.models import RenderedPdf
    from cases.pdf import pdf_render

    der = _self_signed_pkcs12(tmp_path / "ale.p12", b"hemligt")
    settings.PDF_SIGNING = {"ale": {"pkcs12": str(tmp_path / "ale.p12"), "passphrase": "hemligt"}}
    with ale.scope():
        meeting, item, (chair, justerare, member, deputy, justerare_user) = held_meeting(ale)
        services.protocol_close(meeting, by=ale.secretary)
        pdf = RenderedPdf.objects.get(kind="protocol", key=str(meeting.uuid))
        pdf_render(pdf.pk)
        pdf.refresh_from_db()
        with pdf.file.open("rb") as handle:
            assert PdfFileReader(handle).embedded_signatures == []  # not justerat yet: not signed
        services.protocol_sign(meeting, by=ale.politician)
        services.protocol_sign(meeting, by=justerare_user)
        assert pdf_render(pdf.pk) is True  # the justerat protocol has new content: re-rendered and signed
        pdf.refresh_from_db()
    with pdf.file.open("rb") as handle:
        [signature] = PdfFileReader(handle).embedded_signatures
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[asn1_x509.Certificate.load(der)]))
    assert status.intact and status.valid and status.bottom_line
    assert "Ale kommun" in status.signing_cert.subject.human_friendly
    assert "ANSLAG/BEVIS" in pdftotext(pdf.file.path)


def test_the_meeting_page_costs_the_same_queries_for_6_and_10_items(
    client, ale, settings, django_assert_num_queries, django_assert_max_num_queries
):
    from django.urls import reverse

    settings.KEPT_PAGES = False  # the render's queries, each time (a kept page: tests/test_kept_pages.py)

    with ale.scope():
        meeting, item, people = held_meeting(ale)
    client.force_login(ale.secretary)
    url = reverse("meetings:detail", args=[meeting.uuid])
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    with ale.scope():
        for n in range(4):
            extra = case_services.case_register(
                municipality=ale.municipality, title=f"Ärende {n}", body=ale.un, by=ale.registrar
            )
            services.agenda_add(meeting, draft=approved_draft(ale, extra, f"Beslut {n}."), by=ale.secretary)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["items"]) == 10


def test_the_anslagstavla_costs_the_same_queries_for_1_and_3_protocols(
    client, ale, django_assert_num_queries, django_assert_max_num_queries
):
    from django.urls import reverse

    with ale.scope():
        chair, justerare, member, deputy, justerare_user = council(ale)

    def justerat(day):
        with ale.scope():
            meeting = services.meeting_create(body=ale.un, starts_at=at(day), place="Sal A", by=ale.secretary)
            rows = {a.person_id: a.pk for a in meeting.attendance.all()}
            services.attendance_record(
                meeting,
                present=[rows[chair.pk], rows[justerare.pk]],
                justerare=[rows[justerare.pk]],
                serving={},
                by=ale.secretary,
            )
            services.protocol_close(meeting, by=ale.secretary)
            services.protocol_sign(meeting, by=ale.politician)
            services.protocol_sign(meeting, by=justerare_user)
            services.anslag_publish(meeting, on=clock.today(), by=ale.secretary)

    board = reverse("meetings:anslagstavla", args=["ale"])
    justerat(date(2018, 5, 3))
    with django_assert_max_num_queries(10) as one:
        client.get(board)
    justerat(date(2018, 5, 17))
    justerat(date(2018, 5, 31))
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(board).content.decode()
    assert page.count("<td>Utbildningsnämnden</td>") == 3
