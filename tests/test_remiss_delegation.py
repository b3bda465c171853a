"""An utskott deciding on its nämnd's behalf by delegation answers the nämnd's remiss (issue 14, point 5);
an utskott without the delegation only proposes to the nämnd. The routing runs on a real worker."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cases import services as case_services
from cases import workdays
from cases.models import (
    Body,
    BodyKind,
    Case,
    CaseStatus,
    OrganisationEvent,
    Remiss,
    RemissStatus,
    Role,
    RoutingStep,
    SeatRole,
)
from cases.services import CaseError
from meetings import agenda
from meetings import services as meeting_services
from meetings.expedite import item_expedite
from papers.models import DecisionProposal

from .conftest import _make_town
from .factories import UserFactory
from .servers import wait_for
from .test_meetings_protocol import approved_draft, at, seat

DEADLINE = workdays.next_working_day(date.today() + timedelta(days=30))
DECISION = "Arbetsutskottet antar förvaltningens yttrande som nämndens eget och avstyrker motionen."


def _unau(town, *, delegated: bool) -> Body:
    unau = case_services.body_create(
        town.municipality,
        name="Utbildningsnämndens arbetsutskott",
        short_name="UNAU",
        kind=BodyKind.COMMITTEE_OF_BOARD,
        diarium_series="UN",
        parent=town.un,
        by=None,
    )
    if delegated:
        case_services.body_update(unau, answers_remisser_by_delegation=True, by=None)
    return unau


def _remiss_to_un(town) -> Remiss:
    origin = case_services.case_register(
        municipality=town.municipality, title="Motion om läxhjälp på fritids", body=town.ks, by=town.registrar
    )
    [remiss] = case_services.remiss_send(
        origin, from_body=town.ksau, to_bodies=[town.un], deadline=DEADLINE, by=town.secretary
    )
    return remiss


def _routed(remiss: Remiss) -> Remiss:
    def received():
        with scopes_disabled():
            return Remiss.objects.filter(pk=remiss.pk, status=RemissStatus.RECEIVED).exists()

    wait_for(received, what="the remiss to reach Utbildningsnämnden")
    remiss.refresh_from_db()
    return remiss


def _meeting_decides(town, body: Body, *, draft=None, case=None, decision: str = DECISION):
    """A whole meeting of ``body`` on one case, up to justering (expediering is the worker's)."""
    user = UserFactory(municipality=town.municipality, roles=[Role.POLITICIAN])
    chair = seat(town, body, "Ordförande", body.short_name, "S", SeatRole.CHAIR, user=user)
    meeting = meeting_services.meeting_create(
        body=body, starts_at=at(date.today() - timedelta(days=1)), place="Stadshuset", by=town.secretary
    )
    item = (
        meeting_services.agenda_add(meeting, draft=draft, by=town.secretary)
        if draft
        else meeting_services.agenda_add_case(meeting, case=case, by=town.secretary)
    )
    meeting_services.item_record(item, decision=decision, by=town.secretary)
    rows = {a.person_id: a.pk for a in meeting.attendance.all()}
    meeting_services.attendance_record(
        meeting, present=[rows[chair.pk]], justerare=[rows[chair.pk]], serving={}, by=town.secretary
    )
    meeting_services.protocol_close(meeting, by=town.secretary)
    meeting_services.protocol_sign(meeting, by=user)
    return meeting, item


@pytest.mark.worker
def test_an_utskott_with_delegation_answers_the_namnds_remiss_with_the_extract_and_the_yttrande(worker):
    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    with town.scope():
        unau = _unau(town, delegated=True)
        remiss = _remiss_to_un(town)
    remiss = _routed(remiss)
    with town.scope():
        step = remiss.response_case
        assert step is not None and step.body == town.un
        draft = approved_draft(town, step, DECISION)
        draft.addressee = unau  # the handläggare addresses the yttrande to the utskott
        draft.save(update_fields=["addressee"])
        _meeting_decides(town, unau, draft=draft)

    def answered():
        with scopes_disabled():
            return Remiss.objects.filter(pk=remiss.pk, status=RemissStatus.ANSWERED).exists()

    wait_for(answered, what="the utskott's decision to go home as Utbildningsnämnden's answer")
    with town.scope():
        remiss.refresh_from_db()
        origin = remiss.case
        landed = origin.documents.get(pk=remiss.answer_id)
        assert landed.description.startswith("Remissvar från Utbildningsnämnden")
        assert "Protokollsutdrag Utbildningsnämndens arbetsutskott" in landed.description
        assert "beslutat på delegation från Utbildningsnämnden" in landed.description
        assert landed.file_name.endswith(".pdf")
        attachments = list(origin.documents.filter(description__startswith="Bilaga till remissvar från"))
        assert [a.description for a in attachments] == [
            f"Bilaga till remissvar från Utbildningsnämnden ({step.diarienummer}): {draft.document.description}"
        ]
        step.refresh_from_db()
        assert step.status == CaseStatus.CLOSED
        assert "remiss.answered" in origin.events.values_list("action", flat=True)


@pytest.mark.worker
def test_an_utskott_without_delegation_only_proposes_and_the_namnd_answers(worker):
    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    with town.scope():
        unau = _unau(town, delegated=False)
        remiss = _remiss_to_un(town)
    remiss = _routed(remiss)
    with town.scope():
        step = remiss.response_case
        draft = approved_draft(town, step, "Förvaltningen föreslår att nämnden avstyrker motionen.")
        draft.addressee = unau
        draft.save(update_fields=["addressee"])
        _meeting_decides(town, unau, draft=draft, decision="Arbetsutskottet föreslår nämnden att avstyrka motionen.")

    def extract_registered():
        with scopes_disabled():
            return step.documents.filter(description__startswith="Protokollsutdrag Utbildningsnämndens").exists()

    wait_for(extract_registered, what="the utskott's extract in the remiss case")
    with town.scope():
        remiss.refresh_from_db()
        assert (remiss.status, remiss.answer_source_id) == (RemissStatus.RECEIVED, None)
        assert not RoutingStep.objects.filter(key=f"remiss:{remiss.pk}:answer").exists()
        extract = step.documents.get(description__startswith="Protokollsutdrag Utbildningsnämndens")
        assert "delegation" not in extract.description
        step.refresh_from_db()
        assert step.status == CaseStatus.OPEN
        assert DecisionProposal.objects.filter(case=step, body=unau).exists()
        # The utskott's § is a förslag to the nämnd, whose own decision answers the remiss.
        meeting, item = _meeting_decides(
            town, town.un, case=step, decision="Utbildningsnämnden avstyrker motionen i enlighet med förslaget."
        )
        assert item.decision.startswith("Utbildningsnämnden avstyrker")

    def answered():
        with scopes_disabled():
            return Remiss.objects.filter(pk=remiss.pk, status=RemissStatus.ANSWERED).exists()

    wait_for(answered, what="Utbildningsnämnden's own decision to answer")
    with town.scope():
        remiss.refresh_from_db()
        assert "delegation" not in remiss.answer.description
        assert "Protokollsutdrag Utbildningsnämnden " in remiss.answer.description


def test_only_a_delegated_utskott_sees_and_takes_the_namnds_remiss_case(ale):
    with ale.scope():
        unau = _unau(ale, delegated=True)
        ksau_like = _unau_without(ale)
        remiss = _remiss_to_un(ale)
        case_services.remiss_route(remiss.pk)
        remiss.refresh_from_db()
        step = remiss.response_case
        delegated_meeting = meeting_services.meeting_create(
            body=unau, starts_at=at(date.today() + timedelta(days=3)), place="Sal B", by=ale.secretary
        )
        plain_meeting = meeting_services.meeting_create(
            body=ksau_like, starts_at=at(date.today() + timedelta(days=3)), place="Sal C", by=ale.secretary
        )
        assert step in agenda.proposal_candidates(delegated_meeting)
        assert step not in agenda.proposal_candidates(plain_meeting)
        with pytest.raises(CaseError, match="har inget förslag till beslut ställt till Utbildningsnämndens beredning"):
            meeting_services.agenda_add_case(plain_meeting, case=step, by=ale.secretary)
        item = meeting_services.agenda_add_case(delegated_meeting, case=step, by=ale.secretary)
        assert item.case == step
        assert step not in agenda.proposal_candidates(delegated_meeting)


def _unau_without(town) -> Body:
    return case_services.body_create(
        town.municipality,
        name="Utbildningsnämndens beredning",
        short_name="UNB",
        kind=BodyKind.COMMITTEE_OF_BOARD,
        diarium_series="UN",
        parent=town.un,
        by=None,
    )


def test_an_answered_or_withdrawn_remiss_is_no_longer_the_utskotts_to_take(ale):
    with ale.scope():
        unau = _unau(ale, delegated=True)
        remiss = _remiss_to_un(ale)
        case_services.remiss_route(remiss.pk)
        remiss.refresh_from_db()
        assert list(agenda.delegated_remiss_cases(unau)) == [remiss.response_case]
        case_services.remiss_withdraw(remiss, by=ale.secretary, reason="Motionen är besvarad.")
        assert list(agenda.delegated_remiss_cases(unau)) == []
        assert list(agenda.delegated_remiss_cases(ale.un)) == []  # a nämnd has nobody above to answer for


def test_the_extract_of_a_delegated_utskott_answers_once_and_names_the_delegation(ale):
    """Worker steps called as the worker calls them: the second run changes nothing."""
    with ale.scope():
        unau = _unau(ale, delegated=True)
        remiss = _remiss_to_un(ale)
        case_services.remiss_route(remiss.pk)
        remiss.refresh_from_db()
        meeting, item = _meeting_decides(ale, unau, case=remiss.response_case)
        assert item_expedite(item.pk) is True
        assert item_expedite(item.pk) is False
        remiss.refresh_from_db()
        assert remiss.answer_source is not None
        assert remiss.answer_source.description.endswith(", beslutat på delegation från Utbildningsnämnden")
        assert Case.objects.get(pk=remiss.response_case_id).status == CaseStatus.OPEN  # closes when it lands
        case_services.remiss_route_answer(remiss.pk)
        remiss.refresh_from_db()
        assert remiss.status == RemissStatus.ANSWERED
        assert Case.objects.get(pk=remiss.response_case_id).status == CaseStatus.CLOSED


# The administrator's setting ---------------------------------------------------------------------


@pytest.fixture
def admin_client(client, ale):
    admin = UserFactory(username="ale.admin", municipality=ale.municipality, roles=[Role.ADMIN])
    client.force_login(admin)
    return client


def _body_form(body: Body, **changes) -> dict:
    data = {
        "name": body.name,
        "short_name": body.short_name,
        "kind": body.kind,
        "parent": body.parent_id or "",
        "diarium_series": body.diarium_series,
        "archive_location": body.archive_location,
        "ordering": body.ordering,
        "is_active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_administrator_gives_an_utskott_the_delegation_on_the_body_form(admin_client, ale):
    with ale.scope():
        unau = _unau(ale, delegated=False)
    url = reverse("administration:body-edit", args=["UNAU"])
    page = admin_client.get(url).content.decode()
    assert "Får besvara remisser på nämndens vägnar (delegation)" in page
    response = admin_client.post(url, _body_form(unau, answers_remisser_by_delegation="on"))
    assert response.status_code == 302, response.content.decode()
    with ale.scope():
        unau.refresh_from_db()
        assert unau.answers_remisser_by_delegation is True
        event = OrganisationEvent.objects.filter(action="body.updated").latest("at")
        assert "besvarar remisser på delegation: nej → ja" in event.summary
    detail = admin_client.get(reverse("administration:body", args=["UNAU"])).content.decode()
    assert "besvaras av organet på delegation från Utbildningsnämnden" in detail
    # Unticked, it is taken away again.
    assert admin_client.post(url, _body_form(unau)).status_code == 302
    with ale.scope():
        unau.refresh_from_db()
        assert unau.answers_remisser_by_delegation is False


def test_a_body_without_a_parent_is_refused_the_delegation_in_swedish(admin_client, ale):
    with ale.scope():
        un = Body.objects.get(short_name="UN")
    response = admin_client.post(
        reverse("administration:body-edit", args=["UN"]), _body_form(un, answers_remisser_by_delegation="on")
    )
    assert response.status_code == 200
    assert "Bara ett organ med ett överordnat organ (ett utskott) kan besvara remisser på delegation" in (
        response.content.decode()
    )
    with ale.scope():
        un.refresh_from_db()
        assert un.answers_remisser_by_delegation is False
    new = admin_client.post(
        reverse("administration:body-new"),
        {
            "name": "Valnämnden",
            "short_name": "VN",
            "kind": BodyKind.COMMITTEE,
            "diarium_series": "VN",
            "ordering": 10,
            "answers_remisser_by_delegation": "on",
        },
    )
    assert "kan besvara remisser på delegation" in new.content.decode()
    with ale.scope():
        assert not Body.objects.filter(short_name="VN").exists()


def test_removing_the_parent_of_a_delegated_utskott_is_refused(ale):
    with ale.scope():
        unau = _unau(ale, delegated=True)
        with pytest.raises(CaseError, match="överordnat organ"):
            case_services.body_update(unau, parent=None, by=None)
        unau.refresh_from_db()
        assert unau.parent == ale.un


# What the whole route (tests/test_browser_whole_route.py) needed besides the delegation ---------


def test_a_withdrawn_remiss_closes_its_receiving_case_so_the_handlaggare_has_nothing_left(ale):
    with ale.scope():
        remiss = _remiss_to_un(ale)
        case_services.remiss_route(remiss.pk)
        remiss.refresh_from_db()
        step = remiss.response_case
        case_services.case_assign_handler(step, handler=ale.official, by=ale.registrar)
        case_services.remiss_withdraw(remiss, by=ale.secretary, reason="Motionen är avgjord.")
        step.refresh_from_db()
        assert step.status == CaseStatus.CLOSED
        assert "case.closed" in step.events.values_list("action", flat=True)
        from cases.models import Notification

        assert Notification.objects.filter(recipient=ale.official, key=f"remiss:{remiss.pk}:withdrawn").exists()


def test_a_motion_left_to_ks_for_beredning_is_offered_on_kss_agenda_until_decided(ale):
    from motions import services as motion_services
    from motions.models import MotionOutcome

    with ale.scope():
        mover = seat(ale, ale.kf, "Staffan", "Motionär", "C")
        motion = motion_services.motion_register(
            municipality=ale.municipality,
            title="Motion om läxhjälp",
            movers=[motion_services.Mover(person=mover, party="C")],
            att_satser=["läxhjälp erbjuds"],
            raised_in=ale.kf,
            raised_on=date.today() - timedelta(days=30),
            raised_paragraph=12,
            by=ale.registrar,
        )
        ks_meeting = meeting_services.meeting_create(
            body=ale.ks, starts_at=at(date.today() + timedelta(days=3)), place="Sal B", by=ale.secretary
        )
        kf_meeting = meeting_services.meeting_create(
            body=ale.kf, starts_at=at(date.today() + timedelta(days=20)), place="Salen", by=ale.secretary
        )
        assert motion.case not in agenda.proposal_candidates(ks_meeting)  # väckt, not yet left to KS
        motion_services.motion_refer(motion, by=ale.secretary)
        assert motion.case in agenda.proposal_candidates(ks_meeting)
        assert motion.case not in agenda.proposal_candidates(kf_meeting)  # KF needs KS's förslag
        motion_services.motion_decide(
            motion, outcome=MotionOutcome.ANSWERED, decided_on=date.today(), paragraph=3, by=ale.secretary
        )
        assert motion.case not in agenda.proposal_candidates(ks_meeting)
