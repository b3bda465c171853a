"""Following remisser up from the deadline board, and closing the loop (issue 14, point 5): amber and
red rows, a reminder and a later deadline for one row or several, a decided case withdrawing its open
remisser with the recipients told, and the receiving case closed once its answer has landed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cases import services, workdays
from cases.events import describe
from cases.models import CaseEvent, CaseStatus, Direction, Notification, Remiss, RemissStatus
from cases.services.remiss import remiss_route, remiss_route_answer

from .factories import UserFactory
from .helpers import register_case

BOARD = reverse("cases:board")
ACTION = reverse("cases:board-action")
TODAY = date.today()


def working_day(days: int) -> date:
    return workdays.next_working_day(TODAY + timedelta(days=days))


def make(town, case, to_body, deadline, status=RemissStatus.RECEIVED):
    with town.scope():
        return Remiss.objects.create(
            municipality=town.municipality,
            case=case,
            from_body=town.ksau,
            to_body=to_body,
            deadline=deadline,
            sent_by=town.secretary,
            status=status,
        )


@pytest.fixture
def rows(ale):
    case = register_case(ale, title="Remiss om skolskjuts")
    other = register_case(ale, title="Remiss om bibliotek")
    sn_head = UserFactory(municipality=ale.municipality, roles=["chef"], department=ale.department)
    return {
        "soon": make(ale, case, ale.sn, TODAY + timedelta(days=3)),
        "later": make(ale, case, ale.un, TODAY + timedelta(days=30)),
        "passed": make(ale, other, ale.sn, TODAY - timedelta(days=2), status=RemissStatus.OVERDUE),
        "head": sn_head,
    }


def test_the_board_marks_rows_due_within_a_week_amber_and_passed_ones_red(client, ale, rows):
    client.force_login(ale.secretary)
    html = client.get(BOARD).content.decode()
    soon_row = html.split(f'id="remiss-{rows["soon"].pk}"')[1].split("</tr>")[0]
    passed_row = html.split(f'id="remiss-{rows["passed"].pk}"')[1].split("</tr>")[0]
    later_row = html.split(f'id="remiss-{rows["later"].pk}"')[1].split("</tr>")[0]
    assert "inom 7 dagar" in soon_row and "passerat" not in soon_row
    assert "passerat" in passed_row
    assert "inom 7 dagar" not in later_row and "passerat" not in later_row
    assert html.count('class="due-soon"') == 1 and html.count('class="due-passed"') == 1


def test_a_reminder_for_several_rows_at_once_reaches_each_recipient_once_a_day(client, ale, rows):
    client.force_login(ale.secretary)
    chosen = [rows["soon"].pk, rows["passed"].pk]
    response = client.post(ACTION, {"remisser": chosen, "action": "remind"}, follow=True)
    assert "Påminnelse skickad för 2 remisser." in response.content.decode()
    with scopes_disabled():
        reminders = Notification.objects.filter(key__contains=":reminded:")
        assert {n.key.split(":")[1] for n in reminders} == {str(pk) for pk in chosen}
        assert reminders.filter(recipient=rows["head"]).count() == 2
        assert CaseEvent.objects.filter(action="remiss.reminded").count() == 2
    client.post(ACTION, {"remisser": chosen, "action": "remind"})  # the same day again: nobody twice
    with scopes_disabled():
        assert Notification.objects.filter(key__contains=":reminded:", recipient=rows["head"]).count() == 2


def test_a_later_deadline_makes_an_overdue_remiss_awaited_again_and_tells_the_recipients(client, ale, rows):
    client.force_login(ale.secretary)
    new = working_day(40)
    response = client.post(
        ACTION, {"remisser": [rows["passed"].pk, rows["soon"].pk], "action": "extend", "deadline": new}, follow=True
    )
    assert f"Svarsdatumet är nu {new.isoformat()} för 2 remisser." in response.content.decode()
    with scopes_disabled():
        passed = Remiss.objects.get(pk=rows["passed"].pk)
        assert passed.deadline == new and passed.status == RemissStatus.SENT  # never routed here: awaited as sent
        assert Notification.objects.filter(recipient=rows["head"], key__contains=":extended:").count() == 2
        event = CaseEvent.objects.get(action="remiss.extended", case=passed.case)
        assert event.data["before"] == (TODAY - timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (lambda: date(TODAY.year + 1, 12, 25), "Svarsdatumet måste vara en arbetsdag"),
        (lambda: TODAY, "måste ligga efter dagens datum"),
        (lambda: working_day(5), "välj ett senare datum"),  # later than one row's deadline, not the other's
    ],
)
def test_a_bad_new_deadline_is_refused_in_swedish_and_nothing_changes(client, ale, rows, deadline, message):
    client.force_login(ale.secretary)
    day = deadline()
    chosen = [rows["soon"].pk, rows["later"].pk]
    response = client.post(ACTION, {"remisser": chosen, "action": "extend", "deadline": day}, follow=True)
    assert message in response.content.decode()
    with scopes_disabled():
        assert Remiss.objects.get(pk=rows["soon"].pk).deadline == TODAY + timedelta(days=3)  # not half-extended
        assert not CaseEvent.objects.filter(action="remiss.extended").exists()


def test_board_actions_need_a_ticked_row_a_date_and_the_sending_role(client, ale, alingsas, rows):
    client.force_login(ale.secretary)
    assert "Markera minst en remiss" in client.post(ACTION, {"action": "remind"}, follow=True).content.decode()
    response = client.post(ACTION, {"remisser": [rows["soon"].pk], "action": "extend"}, follow=True)
    assert "Ange det nya svarsdatumet." in response.content.decode()
    foreign = make(alingsas, register_case(alingsas), alingsas.sn, TODAY + timedelta(days=3))
    response = client.post(ACTION, {"remisser": [foreign.pk], "action": "remind"}, follow=True)
    assert "finns inte längre i listan" in response.content.decode()
    client.force_login(ale.official)
    response = client.post(ACTION, {"remisser": [rows["soon"].pk], "action": "remind"})
    assert response.status_code == 404  # only the sending side's secretary or registrator acts
    with scopes_disabled():
        assert not Notification.objects.filter(key__contains=":reminded:").exists()
    html = client.get(BOARD).content.decode()
    assert 'name="remisser"' not in html and "Skicka påminnelse" not in html  # no actions offered to an official


def test_a_decided_case_withdraws_its_open_remisser_and_tells_the_recipients(ale, rows):
    with ale.scope():
        routed = rows["soon"]
        routed.status = RemissStatus.SENT
        routed.save(update_fields=["status"])
    with ale.scope():
        remiss_route(routed.pk)  # the worker's step, run here as the task body: the receiving case exists
        case = Remiss.objects.get(pk=routed.pk).case
        services.case_close(case, by=ale.secretary)
        statuses = set(Remiss.objects.filter(case=case).values_list("status", flat=True))
        assert statuses == {RemissStatus.WITHDRAWN}
        told = Notification.objects.get(recipient=rows["head"], key=f"remiss:{routed.pk}:withdrawn")
        assert f"Ärendet {case.diarienummer} är avgjort och avslutat." in told.body
        event = CaseEvent.objects.filter(case=case, action="remiss.withdrawn").first()
        assert event is not None and "avgjort" in describe(event.action, event.data)


def test_the_receiving_case_closes_when_its_answer_has_landed(ale, rows):
    with ale.scope():
        remiss = rows["later"]
        remiss.status = RemissStatus.SENT
        remiss.save(update_fields=["status"])
    with ale.scope():
        remiss_route(remiss.pk)
        remiss.refresh_from_db()
        step = remiss.response_case
        answer = services.document_register(
            step, direction=Direction.INTERNAL, document_date=TODAY, description="Yttrande", by=ale.registrar
        )
        services.remiss_answer(remiss, document=answer, by=ale.registrar)
        assert step.status == CaseStatus.OPEN  # not before the answer has travelled
    with ale.scope():
        remiss_route_answer(remiss.pk)
        step.refresh_from_db()
        remiss.refresh_from_db()
        assert remiss.status == RemissStatus.ANSWERED
        assert step.status == CaseStatus.CLOSED and step.closed_on == TODAY


def test_the_answer_travels_whole_protokollsutdrag_and_yttrande_with_their_files(client, ale, rows, pdf_upload):
    with ale.scope():
        remiss = rows["later"]
        remiss.status = RemissStatus.SENT
        remiss.save(update_fields=["status"])
        remiss_route(remiss.pk)
        remiss.refresh_from_db()
        step = remiss.response_case
        yttrande = services.document_register(
            step,
            direction=Direction.INTERNAL,
            document_date=TODAY,
            description="Yttrande över remissen",
            by=ale.registrar,
            upload=pdf_upload,
        )
        extract = services.document_register(
            step,
            direction=Direction.INTERNAL,
            document_date=TODAY,
            description="Protokollsutdrag UN § 12",
            by=ale.registrar,
        )
    client.force_login(ale.registrar)
    url = reverse("cases:remiss-answer", args=[remiss.uuid])
    page = client.get(url).content.decode()
    assert "Skicka också med" in page and "Yttrande över remissen" in page
    response = client.post(url, {"document": extract.pk, "attachments": [yttrande.pk]})
    assert response.status_code == 302
    with ale.scope():
        remiss_route_answer(remiss.pk)
        landed = {d.description: d for d in remiss.case.documents.all()}
    dnr = step.diarienummer
    assert f"Remissvar från Utbildningsnämnden ({dnr}): Protokollsutdrag UN § 12" in landed
    copy = landed[f"Bilaga till remissvar från Utbildningsnämnden ({dnr}): Yttrande över remissen"]
    assert copy.file.name == yttrande.file.name and copy.checksum == yttrande.checksum


def test_an_attachment_from_another_case_is_refused_and_nothing_is_sent(ale, rows):
    other = register_case(ale, title="Annat ärende")
    with ale.scope():
        remiss = rows["soon"]
        remiss.status = RemissStatus.SENT
        remiss.save(update_fields=["status"])
        remiss_route(remiss.pk)
        remiss.refresh_from_db()
        answer = services.document_register(
            remiss.response_case,
            direction=Direction.INTERNAL,
            document_date=TODAY,
            description="Beslut",
            by=ale.registrar,
        )
        stray = services.document_register(
            other, direction=Direction.INTERNAL, document_date=TODAY, description="Fel handling", by=ale.registrar
        )
        with pytest.raises(services.CaseError, match="hör inte till remissärendet"):
            services.remiss_answer(remiss, document=answer, attachments=[stray], by=ale.registrar)
        remiss.refresh_from_db()
        assert remiss.answer_source_id is None and not remiss.answer_attachments.exists()
