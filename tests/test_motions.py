"""Motions: the one-year clock, registration, beredning and decision, the list and the report to fullmäktige."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import resolve, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from cases import services as case_services
from cases import workdays
from cases.models import Case, CaseEvent, CaseStatus, Direction, Document, Membership, Person, Remiss, RemissStatus
from motions import services
from motions.clock import motion_clock
from motions.models import AttSats, Motion, MotionMover, MotionStatus

from .helpers import register_case

REGISTER = reverse("motions:register")
LIST = reverse("motions:list")
REPORT = reverse("motions:report")
RAISED_ON = date(2017, 11, 29)
GOOD_DEADLINE = workdays.next_working_day(timezone.localdate() + timedelta(days=30))


def kf_member(town, first, last, party, *, body=None, since=date(2014, 10, 15)):
    """A person with a seat (ledamot) in the town's kommunfullmäktige, or in ``body``."""
    with town.scope():
        person = Person.objects.create(municipality=town.municipality, first_name=first, last_name=last)
        Membership.objects.create(
            municipality=town.municipality,
            person=person,
            body=body or town.kf,
            role="ledamot",
            party=party,
            starts_on=since,
        )
    return person


def raise_motion(town, title, movers, *, on=RAISED_ON, att_satser=("kommunen utreder frågan",), paragraph=243):
    with town.scope():
        return services.motion_register(
            municipality=town.municipality,
            title=title,
            movers=[services.Mover(person=p, party=p.memberships.get().party) for p in movers],
            att_satser=list(att_satser),
            raised_in=town.kf,
            raised_on=on,
            raised_paragraph=paragraph,
            by=town.registrar,
        )


def saved():
    with scopes_disabled():
        return Motion.objects.count(), Case.objects.count()


def reload(motion):
    with scopes_disabled():
        return Motion.objects.select_related("case").get(pk=motion.pk)


def events(case):
    with scopes_disabled():
        return list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))


# The clock (Kommunallagen 5 kap. 35 §) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "level", "days"),
    [
        (date(2017, 11, 29), "ok", 0),
        (date(2018, 8, 28), "ok", 272),
        (date(2018, 8, 29), "warn9", 273),
        (date(2018, 10, 28), "warn9", 333),
        (date(2018, 10, 29), "warn11", 334),
        (date(2018, 11, 28), "warn11", 364),
        (date(2018, 11, 29), "late", 365),
        (date(2019, 3, 1), "late", 457),
    ],
)
def test_the_clock_of_a_motion_raised_on_29_november_2017(today, level, days):
    clock = motion_clock(RAISED_ON, today)
    assert (clock.level, clock.days) == (level, days)
    assert clock.one_year_on == date(2018, 11, 29)


def test_the_clock_labels_are_swedish():
    labels = [motion_clock(RAISED_ON, d).label for d in (date(2018, 1, 1), date(2018, 9, 1), date(2018, 11, 1))]
    assert labels == ["inom tiden", "mer än 9 månader", "mer än 11 månader"]
    assert motion_clock(RAISED_ON, date(2018, 12, 1)).label == "mer än ett år: redovisa för fullmäktige"


@pytest.mark.parametrize(
    ("raised_on", "warn9_from", "warn11_from", "one_year_on"),
    [
        # 31 January: the months 9, 11 and 12 later all have a 31st.
        (date(2018, 1, 31), date(2018, 10, 31), date(2018, 12, 31), date(2019, 1, 31)),
        # 31 May: nine months later is February, which ends on the 28th; eleven is April (30 days).
        (date(2017, 5, 31), date(2018, 2, 28), date(2018, 4, 30), date(2018, 5, 31)),
        # 29 February: a year later the month ends on the 28th.
        (date(2016, 2, 29), date(2016, 11, 29), date(2017, 1, 29), date(2017, 2, 28)),
    ],
)
def test_month_ends_fall_on_the_last_day_of_the_shorter_month(raised_on, warn9_from, warn11_from, one_year_on):
    clock = motion_clock(raised_on, raised_on)
    assert clock.one_year_on == one_year_on
    assert motion_clock(raised_on, warn9_from - timedelta(days=1)).level == "ok"
    assert motion_clock(raised_on, warn9_from).level == "warn9"
    assert motion_clock(raised_on, warn11_from - timedelta(days=1)).level == "warn9"
    assert motion_clock(raised_on, warn11_from).level == "warn11"
    assert motion_clock(raised_on, one_year_on - timedelta(days=1)).level == "warn11"
    assert motion_clock(raised_on, one_year_on).level == "late"
    assert motion_clock(raised_on, one_year_on).days == (one_year_on - raised_on).days


# Registration --------------------------------------------------------------------------------------


@pytest.fixture
def movers(ale):
    return [
        kf_member(ale, "Anna", "Andersson", "S"),
        kf_member(ale, "Östen", "Åberg", "KD"),
    ]


def register_post(client, people, **overrides):
    data = {
        "title": "Motion om fler förskoleplatser i Älvängen",
        "movers": [p.pk for p in people],
        "raised_on": RAISED_ON.isoformat(),
        "raised_paragraph": "243",
        "att_satser": "att kommunen utreder behovet av förskoleplatser\n\n"
        "• bygga en ny förskola i Älvängen\n"
        "  - redovisa kostnaderna till fullmäktige  \n",
        "text": "Barnen i Älvängen behöver förskola nära hemmet.",
        **overrides,
    }
    return client.post(REGISTER, data)


def test_a_registrar_registers_a_motion_as_a_case_in_the_ks_diarium(client, ale, movers):
    client.force_login(ale.registrar)
    response = register_post(client, movers)
    with scopes_disabled():
        motion = Motion.objects.select_related("case__body", "raised_in").get()
        case = motion.case
        assert response.status_code == 302
        assert response["Location"] == reverse("motions:detail", args=["KS-2017-1"])
        assert (case.diarienummer, case.body, case.series, case.registered_on) == (
            "KS.2017.1",
            ale.ks,
            "KS",
            RAISED_ON,
        )
        assert case.title == "Motion om fler förskoleplatser i Älvängen"
        assert (motion.raised_in, motion.raised_on, motion.raised_paragraph) == (ale.kf, RAISED_ON, 243)
        assert motion.status == MotionStatus.RAISED
        assert motion.text == "Barnen i Älvängen behöver förskola nära hemmet."
        assert list(
            MotionMover.objects.filter(motion=motion).values_list("person__last_name", "party", "ordering")
        ) == [("Andersson", "S", 1), ("Åberg", "KD", 2)]
        assert list(AttSats.objects.filter(motion=motion).values_list("number", "text")) == [
            (1, "kommunen utreder behovet av förskoleplatser"),
            (2, "bygga en ny förskola i Älvängen"),
            (3, "redovisa kostnaderna till fullmäktige"),
        ]
        document = Document.objects.get(case=case)
        assert (document.direction, document.document_date, document.sequence) == (Direction.INCOMING, RAISED_ON, 1)
        assert document.counterpart == "Anna Andersson (S), Östen Åberg (KD)"
        assert document.description == "Motion: Motion om fler förskoleplatser i Älvängen"
        raised = CaseEvent.objects.get(case=case, action="motion.raised")
        assert raised.actor == ale.registrar
        assert raised.data == {"body": "Kommunfullmäktige", "date": "2017-11-29", "paragraph": 243}
    page = client.get(response["Location"]).content.decode()
    assert "Motionen är registrerad som KS.2017.1." in page
    assert "Anna Andersson (S), Östen Åberg (KD)" in page


def test_alingsas_numbers_its_motions_in_its_own_format(client, alingsas):
    member = kf_member(alingsas, "Lena", "Lindqvist", "M")
    client.force_login(alingsas.registrar)
    response = register_post(client, [member])
    assert response["Location"] == reverse("motions:detail", args=["KS-2017-1"])
    with scopes_disabled():
        assert Motion.objects.get().case.diarienummer == "KS 2017/1"


def test_the_party_comes_from_the_latest_kf_seat_not_from_other_bodies(client, ale):
    person = kf_member(ale, "Per", "Persson", "SD", since=date(2010, 10, 15))
    with ale.scope():
        Membership.objects.create(
            municipality=ale.municipality,
            person=person,
            body=ale.kf,
            role="ledamot",
            party="AP",
            starts_on=date(2014, 10, 15),
        )
        Membership.objects.create(
            municipality=ale.municipality,
            person=person,
            body=ale.sn,
            role="ledamot",
            party="X",
            starts_on=date(2016, 1, 1),
        )
    client.force_login(ale.registrar)
    assert register_post(client, [person]).status_code == 302
    with scopes_disabled():
        assert list(MotionMover.objects.values_list("party", flat=True)) == ["AP"]


def test_a_bullet_followed_by_att_loses_both(client, ale, movers):
    client.force_login(ale.registrar)
    register_post(client, movers, att_satser="• att kommunen bygger en förskola\n- att kostnaderna redovisas")
    with scopes_disabled():
        assert list(AttSats.objects.values_list("text", flat=True)) == [
            "kommunen bygger en förskola",
            "kostnaderna redovisas",
        ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Detta fält måste fyllas i."),
        ({"title": "   "}, "Detta fält måste fyllas i."),
        ({"movers": []}, "Välj minst en motionär."),
        (
            {"raised_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "Datumet då motionen väcktes kan inte ligga i framtiden.",
        ),
        ({"raised_on": "29 nov"}, "Fyll i ett giltigt datum."),
        ({"raised_paragraph": "§ 243"}, "Ange paragrafen som ett heltal, t.ex. 243."),
        ({"raised_paragraph": "243a"}, "Ange paragrafen som ett heltal, t.ex. 243."),
        ({"raised_paragraph": "0"}, "Kontrollera att detta värde är större än eller lika med 1."),
        # Only blank lines: the textarea is empty after stripping; the field says what it needs.
        ({"att_satser": "\n   \n\n"}, "Skriv minst en att-sats."),
        # Only bullets: something was written, but no att-sats.
        ({"att_satser": "•\n - \n–"}, "Skriv minst en att-sats."),
    ],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_saved(client, ale, movers, overrides, message):
    client.force_login(ale.registrar)
    response = register_post(client, movers, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert saved() == (0, 0)


def test_a_mover_from_the_other_municipality_is_refused(client, ale, alingsas, movers):
    stranger = kf_member(alingsas, "Olle", "Utomsocken", "C")
    client.force_login(ale.registrar)
    response = register_post(client, [movers[0], stranger])
    assert response.status_code == 200
    assert "Välj ledamöter i listan." in response.content.decode()
    assert "Utomsocken" not in response.content.decode()
    assert saved() == (0, 0)


def test_a_person_without_a_seat_in_fullmaktige_cannot_be_a_mover(client, ale, movers):
    nominee = kf_member(ale, "Nils", "Nämndledamot", "L", body=ale.sn)
    client.force_login(ale.registrar)
    form_page = client.get(REGISTER).content.decode()
    assert "Anna Andersson" in form_page and "Nils Nämndledamot" not in form_page
    response = register_post(client, [nominee])
    assert "Välj ledamöter i listan." in response.content.decode()
    assert saved() == (0, 0)


def test_a_former_member_cannot_be_the_mover_of_a_later_motion(client, ale, movers):
    former = kf_member(ale, "Folke", "Före-detta", "FP", since=date(2006, 10, 15))
    with scopes_disabled():
        Membership.objects.filter(person=former).update(ends_on=date(2010, 10, 14))
    client.force_login(ale.registrar)
    response = register_post(client, [former])  # raised 2017-11-29, seven years after the seat ended
    assert response.status_code == 200
    assert saved() == (0, 0)


@pytest.mark.parametrize("role", ["official", "secretary", "head", "politician"])
def test_only_registrars_register_motions(client, ale, movers, role):
    client.force_login(getattr(ale, role))
    assert client.get(REGISTER).status_code == 403
    assert register_post(client, movers).status_code == 403
    assert saved() == (0, 0)


def test_the_service_refuses_what_the_form_would_not_send(ale, movers):
    with ale.scope():
        common = {
            "municipality": ale.municipality,
            "title": "Motion om gatubelysning",
            "raised_in": ale.kf,
            "raised_on": RAISED_ON,
            "raised_paragraph": None,
            "by": ale.registrar,
        }
        mover = [services.Mover(person=movers[0], party="S")]
        with pytest.raises(case_services.CaseError, match="En motion väcks i kommunfullmäktige."):
            services.motion_register(**{**common, "raised_in": ale.ks}, movers=mover, att_satser=["x"])
        with pytest.raises(case_services.CaseError, match="Ange minst en motionär."):
            services.motion_register(**common, movers=[], att_satser=["x"])
        with pytest.raises(case_services.CaseError, match="Skriv minst en att-sats."):
            services.motion_register(**common, movers=mover, att_satser=["", "  ", "• att "])
        with pytest.raises(case_services.CaseError, match="kan inte ligga i framtiden"):
            services.motion_register(
                **{**common, "raised_on": timezone.localdate() + timedelta(days=1)}, movers=mover, att_satser=["x"]
            )
    assert saved() == (0, 0)


def test_the_service_checks_the_kf_seat_of_each_mover_as_the_form_does(ale, movers):
    nominee = kf_member(ale, "Nils", "Nämndledamot", "L", body=ale.sn)
    former = kf_member(ale, "Folke", "Före-detta", "FP", since=date(2006, 10, 15))
    with scopes_disabled():
        Membership.objects.filter(person=former).update(ends_on=date(2010, 10, 14))
    with ale.scope():
        common = {
            "municipality": ale.municipality,
            "title": "Motion om gatubelysning",
            "raised_in": ale.kf,
            "raised_on": RAISED_ON,
            "raised_paragraph": None,
            "att_satser": ["x"],
            "by": ale.registrar,
        }
        with pytest.raises(
            case_services.CaseError,
            match="Nils Nämndledamot, Folke Före-detta hade ingen plats i fullmäktige 2017-11-29.",
        ):
            services.motion_register(**common, movers=[movers[0], nominee, former])
        with pytest.raises(case_services.CaseError, match="Kommunen har inget kommunfullmäktige konfigurerat."):
            services.motion_register(**{**common, "raised_in": None}, movers=movers)
        assert saved() == (0, 0)
        motion = services.motion_register(**{**common, "att_satser": ["• att kommunen tänder lamporna"]}, movers=movers)
        assert list(motion.movers.values_list("party", flat=True)) == ["S", "KD"]  # from the seats
        assert list(motion.att_satser.values_list("text", flat=True)) == ["kommunen tänder lamporna"]


def test_the_service_asks_the_permission_door_as_the_views_do(ale, movers):
    with ale.scope():
        with pytest.raises(case_services.CaseError, match="Bara registratorn registrerar motioner."):
            services.motion_register(
                municipality=ale.municipality,
                title="Motion om gatubelysning",
                movers=movers,
                att_satser=["x"],
                raised_in=ale.kf,
                raised_on=RAISED_ON,
                raised_paragraph=None,
                by=ale.secretary,
            )
    motion = raise_motion(ale, "Motion om fler bänkar", movers)
    with ale.scope():
        steps = [
            lambda: services.motion_refer(motion, by=ale.politician),
            lambda: services.motion_mark_prepared(motion, by=ale.official),
            lambda: services.motion_note_preparation(motion, note="x", by=ale.politician),
            lambda: services.motion_decide(
                motion, outcome="bifall", decided_on=RAISED_ON, paragraph=None, by=ale.politician
            ),
        ]
        for step in steps:
            with pytest.raises(case_services.CaseError, match="Bara nämndsekreteraren och registratorn"):
                step()
    after = reload(motion)
    assert (after.status, after.preparation_note, after.outcome) == ("raised", "", "")


# Beredning and decision ----------------------------------------------------------------------------


@pytest.fixture
def motion(ale, movers):
    return raise_motion(ale, "Motion om gång- och cykelväg till Nödinge", movers)


STEPS = {"refer": "refer", "prepared": "prepare", "note": "note", "decide": "decide"}


def act(client, motion, action, **data):
    """POST to a step on the path the old `<slug:action>/` dispatcher used (kept for bookmarks)."""
    return client.post(f"/motioner/{motion.case.ref}/{action}/", data)


def test_each_step_has_its_own_view_and_name_on_its_old_path(motion):
    views = {"refer": "motion_refer", "prepare": "motion_mark_prepared", "note": "motion_note_preparation"}
    views["decide"] = "motion_decide"
    for slug, name in STEPS.items():
        path = reverse(f"motions:{name}", args=[motion.case.ref])
        assert path == f"/motioner/{motion.case.ref}/{slug}/"
        assert resolve(path).url_name == name
        assert resolve(path).func.__name__ == views[name]


def decide(client, motion, outcome="avslag", on=date(2018, 11, 20), paragraph="212"):
    return act(client, motion, "decide", outcome=outcome, decided_on=on.isoformat(), paragraph=paragraph)


def message_after(client, response):
    """The messages shown on the motion's page after the POST redirected back to it."""
    assert response.status_code == 302
    assert response["Location"] == reverse("motions:detail", args=["KS-2017-1"])
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


def test_a_motion_is_referred_prepared_noted_and_decided(client, ale, motion):
    client.force_login(ale.secretary)

    assert message_after(client, act(client, motion, "refer")) == [
        "Motionen är uppdaterad: remitterad till KS för beredning."
    ]
    assert reload(motion).status == MotionStatus.REFERRED

    message_after(client, act(client, motion, "note", note="  Inväntar yttrande från samhällsbyggnad.  "))
    assert reload(motion).preparation_note == "Inväntar yttrande från samhällsbyggnad."

    assert message_after(client, act(client, motion, "prepared")) == ["Motionen är uppdaterad: beredd."]
    assert reload(motion).status == MotionStatus.PREPARED

    assert message_after(client, decide(client, motion)) == ["Motionen är uppdaterad: avgjord."]
    decided = reload(motion)
    assert (decided.status, decided.outcome, decided.decided_on, decided.decided_paragraph) == (
        MotionStatus.DECIDED,
        "avslag",
        date(2018, 11, 20),
        212,
    )
    assert (decided.case.status, decided.case.closed_on) == (CaseStatus.CLOSED, date(2018, 11, 20))
    assert events(motion.case)[-5:] == [
        "motion.refer",
        "motion.preparation_noted",
        "motion.mark_prepared",
        "motion.decide",
        "case.closed",
    ]
    with scopes_disabled():
        decision = CaseEvent.objects.get(case=motion.case, action="motion.decide")
    assert decision.actor == ale.secretary
    assert decision.data == {
        "previous": "prepared",
        "status": "decided",
        "outcome": "avslag",
        "date": "2018-11-20",
        "paragraph": 212,
    }


def test_a_motion_may_be_decided_straight_from_referred(client, ale, motion):
    client.force_login(ale.registrar)
    act(client, motion, "refer")
    decide(client, motion, outcome="besvarad", paragraph="")
    decided = reload(motion)
    assert (decided.status, decided.outcome, decided.decided_paragraph) == ("decided", "besvarad", None)


def test_a_second_decision_is_refused_and_changes_nothing(client, ale, motion):
    client.force_login(ale.secretary)
    message_after(client, act(client, motion, "refer"))
    message_after(client, decide(client, motion))
    before = events(motion.case)
    messages = message_after(client, decide(client, motion, outcome="bifall", on=date(2018, 12, 3), paragraph="5"))
    assert messages == ["Motionen kan inte gå vidare härifrån: den är avgjord."]
    after = reload(motion)
    assert (after.status, after.outcome, after.decided_on, after.decided_paragraph) == (
        "decided",
        "avslag",
        date(2018, 11, 20),
        212,
    )
    assert after.case.closed_on == date(2018, 11, 20)
    assert events(motion.case) == before


def test_a_raised_motion_must_be_referred_before_it_is_decided(client, ale, motion):
    client.force_login(ale.secretary)
    assert message_after(client, decide(client, motion)) == ["Motionen kan inte gå vidare härifrån: den är väckt."]
    after = reload(motion)
    assert (after.status, after.outcome, after.decided_on, after.case.status) == ("raised", "", None, "open")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"outcome": "avslag", "decided_on": "2017-11-28"},
            "Beslutet kan inte fattas innan motionen väcktes.",
        ),
        (
            {"outcome": "avslag", "decided_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "Beslutsdatumet kan inte ligga i framtiden.",
        ),
        ({"outcome": "bifall i sak", "decided_on": "2018-11-20"}, "Välj ett giltigt alternativ."),
        ({"outcome": "avslag", "decided_on": ""}, "Detta fält måste fyllas i."),
    ],
)
def test_a_bad_decision_is_refused_in_swedish(client, ale, motion, data, message):
    client.force_login(ale.secretary)
    message_after(client, act(client, motion, "refer"))
    (shown,) = message_after(client, act(client, motion, "decide", **data))
    assert message in shown
    after = reload(motion)
    assert (after.status, after.outcome, after.decided_on, after.case.status) == ("referred", "", None, "open")
    assert "motion.decide" not in events(motion.case)


def test_an_unknown_action_is_not_found(client, ale, motion):
    client.force_login(ale.secretary)
    assert act(client, motion, "bifall").status_code == 404


@pytest.mark.parametrize("action", ["refer", "prepared", "note", "decide"])
def test_a_politician_cannot_move_a_motion(client, ale, motion, action):
    client.force_login(ale.politician)
    assert act(client, motion, action, note="x", outcome="bifall", decided_on="2018-11-20").status_code == 404
    after = reload(motion)
    assert (after.status, after.preparation_note, after.outcome) == ("raised", "", "")


def test_a_motion_of_the_other_municipality_is_not_found(client, ale, alingsas, motion):
    client.force_login(alingsas.secretary)
    assert act(client, motion, "refer").status_code == 404
    assert client.get(reverse("motions:detail", args=[motion.case.ref])).status_code == 404
    assert reload(motion).status == "raised"


# The remisser_sent signal --------------------------------------------------------------------------


def send_remiss(town, motion, to_bodies):
    with town.scope():
        return case_services.remiss_send(
            Case.objects.get(pk=motion.case_id),
            from_body=town.ksau,
            to_bodies=to_bodies,
            deadline=GOOD_DEADLINE,
            by=town.secretary,
        )


def test_sending_a_referred_motion_on_remiss_puts_it_under_preparation(ale, motion):
    with ale.scope():
        services.motion_refer(motion, by=ale.secretary)
    send_remiss(ale, motion, [ale.sn, ale.un])
    assert reload(motion).status == MotionStatus.IN_PREPARATION
    assert events(motion.case)[-3:] == ["remiss.sent", "remiss.sent", "motion.start_preparation"]


@pytest.mark.parametrize(("status", "stays"), [("raised", "raised"), ("prepared", "prepared")])
def test_a_remiss_leaves_a_motion_that_is_not_referred_as_it_was(ale, motion, status, stays):
    with scopes_disabled():
        Motion.objects.filter(pk=motion.pk).update(status=status)
    send_remiss(ale, motion, [ale.sn])
    assert reload(motion).status == stays
    assert "motion.start_preparation" not in events(motion.case)


def test_a_remiss_in_an_ordinary_case_needs_no_motion(ale):
    case = register_case(ale)
    with ale.scope():
        sent = case_services.remiss_send(
            case, from_body=ale.ksau, to_bodies=[ale.un], deadline=GOOD_DEADLINE, by=ale.secretary
        )
    assert len(sent) == 1


# The list and the report ---------------------------------------------------------------------------


def test_the_list_shows_each_motion_with_its_clock(client, ale, movers):
    today = timezone.localdate()
    fresh = raise_motion(ale, "Motion om badplatser", movers[:1], on=today - timedelta(days=10))
    old = raise_motion(ale, "Motion om gatlyktor", movers[1:], on=today - relativedelta(months=13))
    done = raise_motion(ale, "Motion om skolskjuts", movers, on=today - relativedelta(months=6))
    with ale.scope():
        services.motion_refer(done, by=ale.secretary)
        services.motion_decide(done, outcome="bifall", decided_on=today, paragraph=3, by=ale.secretary)
    client.force_login(ale.politician)
    response = client.get(LIST)
    page = response.content.decode()
    rows = response.context["rows"]
    assert [(m.case.title, clock.level if clock else None) for m, clock in rows] == [
        ("Motion om gatlyktor", "late"),
        ("Motion om skolskjuts", None),
        ("Motion om badplatser", "ok"),
    ]
    assert '<span class="clock-ok">10</span>' in page
    old_days = (today - old.raised_on).days
    assert f'<span class="clock-late">{old_days}</span>' in page
    assert "– mer än ett år: redovisa för fullmäktige" in page
    assert "avgjord (bifall)" in page
    assert "Anna Andersson (S), Östen Åberg (KD)" in page
    assert reverse("motions:detail", args=[fresh.case.ref]) in page
    assert "Registrera motion" not in page


def test_the_report_lists_only_undecided_motions_with_note_and_remisser(client, ale, movers):
    today = timezone.localdate()
    waiting = raise_motion(ale, "Motion om äldreboende i Surte", movers[:1], on=today - relativedelta(months=10))
    raise_motion(ale, "Motion om ny simhall", movers[1:], on=today - timedelta(days=20))
    done = raise_motion(ale, "Motion om skolskjuts", movers, on=today - relativedelta(months=6))
    with ale.scope():
        services.motion_refer(waiting, by=ale.secretary)
        services.motion_note_preparation(waiting, note="Inväntar socialnämndens yttrande.", by=ale.secretary)
        services.motion_refer(done, by=ale.secretary)
        services.motion_decide(done, outcome="avslag", decided_on=today, paragraph=9, by=ale.secretary)
        for to_body, status in [(ale.sn, RemissStatus.OVERDUE), (ale.un, RemissStatus.ANSWERED)]:
            Remiss.objects.create(
                municipality=ale.municipality,
                case=waiting.case,
                from_body=ale.ksau,
                to_body=to_body,
                deadline=today - timedelta(days=3),
                sent_by=ale.secretary,
                status=status,
            )
    client.force_login(ale.head)
    response = client.get(REPORT)
    page = response.content.decode()
    assert [row.motion.case.title for row in response.context["rows"]] == [
        "Motion om äldreboende i Surte",
        "Motion om ny simhall",
    ]
    assert "Motion om skolskjuts" not in page
    assert "Inväntar socialnämndens yttrande." in page
    deadline = (today - timedelta(days=3)).isoformat()
    assert f'Remiss Socialnämnden, svar senast <span class="nowrap">{deadline}</span>: försenad' in page
    assert f'Remiss Utbildningsnämnden, svar senast <span class="nowrap">{deadline}</span>: besvarad' in page
    assert '<span class="nowrap">10 månader</span>' in page
    assert '<span class="nowrap">0 månader</span>' in page
    assert "Över ett år" not in page
    assert "<td>–</td>" in page  # the new motion has no note yet


def test_the_report_says_so_when_every_motion_is_decided(client, ale):
    client.force_login(ale.head)
    today = timezone.localdate().isoformat()
    assert f"Det fanns inga motioner som inte var avgjorda per {today}." in client.get(REPORT).content.decode()


def many_motions(town, count, movers, start):
    for n in range(count):
        motion = raise_motion(
            town, f"Motion nummer {n} om cykelbanor", movers, on=start - timedelta(days=n), paragraph=n + 1
        )
        with town.scope():
            services.motion_refer(motion, by=town.secretary)
            for body in (town.sn, town.un):
                Remiss.objects.create(
                    municipality=town.municipality,
                    case=motion.case,
                    from_body=town.ksau,
                    to_body=body,
                    deadline=GOOD_DEADLINE,
                    sent_by=town.secretary,
                )


@pytest.mark.parametrize("url", [LIST, REPORT])
def test_the_pages_cost_the_same_queries_for_2_and_12_motions(
    client, ale, movers, url, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(ale.secretary)
    many_motions(ale, 2, movers, timezone.localdate() - timedelta(days=5))
    with django_assert_max_num_queries(15) as small:
        response = client.get(url)
    assert len(response.context["rows"]) == 2
    many_motions(ale, 10, movers, timezone.localdate() - relativedelta(months=10))
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 12


def test_each_municipality_sees_only_its_own_motions(client, ale, alingsas, movers):
    raise_motion(ale, "Motion om Ales badplatser", movers)
    raise_motion(alingsas, "Motion om Alingsås kaféer", [kf_member(alingsas, "Lena", "Lindqvist", "M")])
    client.force_login(alingsas.politician)
    for url in (LIST, REPORT):
        page = client.get(url).content.decode()
        assert "Motion om Alingsås kaféer" in page
        assert "Ales badplatser" not in page


def test_the_page_offers_exactly_the_steps_the_permission_door_allows(client, ale, motion):
    ref = motion.case.ref
    urls = {name: reverse(f"motions:{name}", args=[ref]) for name in STEPS.values()}

    def offered(user):
        client.force_login(user)
        page = client.get(reverse("motions:detail", args=[ref])).content.decode()
        return {name for name, url in urls.items() if url in page}

    assert offered(ale.politician) == set()
    assert offered(ale.secretary) == {"refer"}
    message_after(client, act(client, motion, "refer"))
    assert offered(ale.registrar) == {"prepare", "note", "decide"}
    message_after(client, act(client, motion, "prepared"))
    assert offered(ale.secretary) == {"note", "decide"}
    message_after(client, decide(client, motion))
    assert offered(ale.secretary) == set()
