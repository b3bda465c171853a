from __future__ import annotations

from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from alingsas_ale.demo import ALINGSAS_ATT_SATSER
from cases.models import Case, Document, Municipality, Remiss, RemissStatus, User
from motions.models import Motion


def test_the_demo_loads_both_seed_cases_and_a_second_load_changes_nothing(db):
    call_command("load_demo")
    with scopes_disabled():
        counts = (Case.objects.count(), Document.objects.count(), User.objects.count())
    call_command("load_demo")
    with scopes_disabled():
        assert (Case.objects.count(), Document.objects.count(), User.objects.count()) == counts

    ale = Municipality.objects.get(slug="ale")
    with scope(municipality=ale):
        case = Case.objects.get(diarienummer="KS.2017.407")
        assert case.title == "Integrationsplan för Ale kommun 2018-2021"
        assert case.handler.get_full_name() == "Gunilla Dörner Buskas"
        assert case.handler.email == "gunilla.dorner-buskas@ale.se"
        assert case.department.name == "Sektor kommunstyrelsen"

    alingsas = Municipality.objects.get(slug="alingsas")
    with scope(municipality=alingsas):
        motion = Motion.objects.get()
        assert (motion.raised_on.isoformat(), motion.raised_paragraph) == ("2017-11-29", 243)
        assert [a.text for a in motion.att_satser.all()] == ALINGSAS_ATT_SATSER
        assert [str(m) for m in motion.movers.all()] == ["Staffan Albinsson (C)"]
        remisser = {r.to_body.short_name: r for r in Remiss.objects.select_related("to_body")}
        assert set(remisser) == {"SN", "UN"}
        assert remisser["UN"].status == RemissStatus.ANSWERED
        assert "antar förvaltningens yttrande" in remisser["UN"].answer.description
        assert remisser["UN"].response_case.origin == motion.case
        # The demo went through the services users use: the route, the answer and the late remiss
        # are on the timeline as the product writes them, and the motion is under beredning.
        assert remisser["SN"].status == RemissStatus.OVERDUE
        assert motion.status == "preparing" and "Socialnämndens yttrande saknas" in motion.preparation_note
        actions = list(motion.case.events.values_list("action", flat=True))
        for action, count in {
            "motion.raised": 1,
            "motion.refer": 1,
            "motion.start_preparation": 1,
            "remiss.sent": 2,
            "remiss.received": 2,
            "remiss.answered": 1,
            "remiss.overdue": 1,
        }.items():
            assert actions.count(action) == count, action
        assert remisser["UN"].response_case.handler.username == "alingsas.handlaggare"
        assert remisser["UN"].answered_at.date().isoformat() == "2018-05-28"


def test_the_demos_justerat_protocol_is_on_the_public_anslagstavla(client, db):
    call_command("load_demo")
    board = client.get(reverse("meetings:anslagstavla", args=["alingsas"])).content.decode()
    assert "Utbildningsnämnden" in board and "<td>2018-05-24</td>" in board
    assert "Inga protokoll är anslagna just nu." not in board
    assert "Kommunfullmäktige sammanträder" in board  # the kungjord KF meeting


def test_every_demo_user_can_sign_in_with_the_documented_password(client, db):
    from alingsas_ale.demo import DEMO_PASSWORD

    call_command("load_demo")
    for user in User.objects.exclude(username="admin"):
        # The lockout backend (django-axes) counts attempts per request, so the sign-in needs one.
        assert client.login(request=HttpRequest(), username=user.username, password=DEMO_PASSWORD), user.username
