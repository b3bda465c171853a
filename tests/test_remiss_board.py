"""The secretary's remiss board (filters, views, sorting, CSV) and the personal ICS feed of deadlines."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from icalendar import Calendar

from cases.models import Department, Remiss, RemissStatus, Role, User

from .factories import CaseFactory, UserFactory
from .helpers import register_case

BOARD = reverse("cases:board")
CSV_HEADER = ["Diarienummer", "Ärende", "Från", "Till", "Svarsdatum", "Status", "Remissärende", "Besvarad"]
TODAY = date.today()
MONDAY = TODAY - timedelta(days=TODAY.weekday())
ANSWERED_AT = timezone.make_aware(datetime(2018, 3, 14, 12, 0))


def remiss(town, case, from_body, to_body, deadline, status=RemissStatus.SENT, **extra):
    with town.scope():
        return Remiss.objects.create(
            municipality=town.municipality,
            case=case,
            from_body=from_body,
            to_body=to_body,
            deadline=deadline,
            sent_by=town.secretary,
            status=status,
            **extra,
        )


@dataclass
class Board:
    """Six remisser in Ale, named after where they go; ``names`` maps a pk to its name."""

    r1: Remiss  # KS.2017.1, KSAU -> SN, due this Sunday, received (with a response case)
    r2: Remiss  # KS.2017.1, KSAU -> UN, due in three weeks, sent
    r3: Remiss  # SN.2017.1, SN -> KS, was due last Friday, försenad
    r4: Remiss  # SN.2017.1, SN -> UN, answered long ago
    r5: Remiss  # UN.2017.1, UN -> SN, withdrawn
    r6: Remiss  # UN.2017.1, UN -> SN again after the withdrawal, sent
    sn_official: User  # Socialförvaltningen, which serves Socialnämnden
    un_official: User  # no department; handles UN.2017.1

    @property
    def names(self):
        return {getattr(self, f"r{n}").pk: f"r{n}" for n in range(1, 7)}


@pytest.fixture
def board(ale):
    with scopes_disabled():
        social = Department.objects.create(municipality=ale.municipality, name="Socialförvaltningen")
        social.bodies.set([ale.sn])
    sn_official = UserFactory(
        username="ale.sn", municipality=ale.municipality, roles=[Role.OFFICIAL], department=social
    )
    un_official = UserFactory(username="ale.un", municipality=ale.municipality, roles=[Role.OFFICIAL])
    plan = register_case(ale, title="Översiktsplan för Ale 2040 – Älvängen och Nödinge", body=ale.ks)
    aid = register_case(ale, title="Riktlinjer för ekonomiskt bistånd", body=ale.sn)
    school = register_case(ale, title="Skolskjutsregler för grundskolan", body=ale.un, handler=un_official)
    response = register_case(ale, title="Remiss från KSAU: Översiktsplan för Ale 2040", body=ale.sn)
    # Created out of every sort order, so that no order is right by accident.
    r5 = remiss(ale, school, ale.un, ale.sn, MONDAY + timedelta(days=40), RemissStatus.WITHDRAWN)
    r3 = remiss(ale, aid, ale.sn, ale.ks, MONDAY - timedelta(days=3), RemissStatus.OVERDUE)
    r1 = remiss(ale, plan, ale.ksau, ale.sn, MONDAY + timedelta(days=6), RemissStatus.RECEIVED, response_case=response)
    r6 = remiss(ale, school, ale.un, ale.sn, MONDAY + timedelta(days=13))
    r4 = remiss(ale, aid, ale.sn, ale.un, MONDAY - timedelta(days=30), RemissStatus.ANSWERED, answered_at=ANSWERED_AT)
    r2 = remiss(ale, plan, ale.ksau, ale.un, MONDAY + timedelta(days=20))
    return Board(r1, r2, r3, r4, r5, r6, sn_official, un_official)


def shown(client, board, **params):
    response = client.get(BOARD, params)
    assert response.status_code == 200
    return [board.names[r.pk] for r in response.context["remisser"]]


# The board -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["r3", "r1", "r6", "r2"]),
        ({"view": "pending"}, ["r3", "r1", "r6", "r2"]),
        ({"view": "week"}, ["r1"]),
        ({"view": "overdue"}, ["r3"]),
        ({"view": "answered"}, ["r4"]),
        ({"view": "all"}, ["r4", "r3", "r1", "r6", "r2", "r5"]),
    ],
)
def test_the_views_of_the_board(client, ale, board, params, expected):
    client.force_login(ale.secretary)
    assert shown(client, board, **params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"body": "sn"}, ["r4", "r3", "r1", "r6", "r5"]),
        ({"body": "sn", "direction": "sent"}, ["r4", "r3"]),
        ({"body": "sn", "direction": "received"}, ["r1", "r6", "r5"]),
        ({"body": "ksau", "direction": "sent"}, ["r1", "r2"]),
        ({"body": "ksau", "direction": "received"}, []),
        ({"body": "un", "view": "pending"}, ["r6", "r2"]),
        ({"body": "ks", "view": "overdue"}, ["r3"]),
        ({"direction": "sent"}, ["r4", "r3", "r1", "r6", "r2", "r5"]),
    ],
)
def test_filter_by_body_and_direction(client, ale, board, params, expected):
    client.force_login(ale.secretary)
    if "body" in params:
        params["body"] = getattr(ale, params["body"]).pk
    assert shown(client, board, **{"view": "all", **params}) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("deadline", ["r3", "r1", "r6", "r2"]),
        ("-deadline", ["r2", "r6", "r1", "r3"]),
        ("case", ["r1", "r2", "r3", "r6"]),
        ("to_body", ["r3", "r1", "r6", "r2"]),
    ],
)
def test_sort_orders(client, ale, board, sort, expected):
    client.force_login(ale.secretary)
    assert shown(client, board, sort=sort) == expected


def test_the_to_body_sort_puts_the_nearest_deadline_first_within_a_body(client, ale, board):
    client.force_login(ale.secretary)
    assert shown(client, board, view="all", body=ale.un.pk, direction="received", sort="to_body") == ["r4", "r2"]


def test_the_board_page_shows_each_remiss(client, ale, board):
    client.force_login(ale.secretary)
    page = client.get(BOARD, {"view": "all"}).content.decode()
    assert "Översiktsplan för Ale 2040 – Älvängen och Nödinge" in page
    assert reverse("cases:detail", args=["KS-2017-1"]) in page
    assert reverse("cases:detail", args=["SN-2017-2"]) in page  # r1's response case
    assert "besvarad 2018-03-14" in page
    # r3 only: r4 is past its deadline too, but answered
    assert page.count('<span class="badge badge-late">passerat</span>') == 1
    assert reverse("cases:calendar", args=[ale.secretary.calendar_token]) in page
    assert "format=csv" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"body": "999999"}, "Det angivna organet finns inte i din kommun."),
        ({"body": "Socialnämnden"}, "Det angivna organet finns inte i din kommun."),
        ({"view": "imorgon"}, "Välj ett giltigt alternativ. imorgon finns inte bland tillgängliga alternativ."),
        ({"sort": "title"}, "Välj ett giltigt alternativ. title finns inte bland tillgängliga alternativ."),
        ({"direction": "both"}, "Välj ett giltigt alternativ. both finns inte bland tillgängliga alternativ."),
    ],
)
def test_bad_filters_get_a_swedish_message(client, ale, board, params, message):
    client.force_login(ale.secretary)
    response = client.get(BOARD, params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_body_of_the_other_municipality_filters_nothing_in(client, ale, alingsas, board):
    foreign_case = register_case(alingsas, title="Alingsås kulturplan")
    remiss(alingsas, foreign_case, alingsas.ksau, alingsas.sn, MONDAY + timedelta(days=6))
    client.force_login(ale.secretary)
    response = client.get(BOARD, {"body": alingsas.sn.pk, "view": "all"})
    page = response.content.decode()
    assert "Det angivna organet finns inte i din kommun." in page
    assert "Alingsås kulturplan" not in page
    assert set(shown(client, board, view="all")) == {"r1", "r2", "r3", "r4", "r5", "r6"}


def test_each_municipality_sees_only_its_own_remisser(client, ale, alingsas, board):
    foreign_case = register_case(alingsas, title="Alingsås kulturplan")
    remiss(alingsas, foreign_case, alingsas.ksau, alingsas.sn, MONDAY + timedelta(days=6))
    client.force_login(alingsas.secretary)
    response = client.get(BOARD, {"view": "all"})
    assert [r.case.title for r in response.context["remisser"]] == ["Alingsås kulturplan"]
    assert "Översiktsplan" not in response.content.decode()


# CSV -----------------------------------------------------------------------------------------------


def csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_the_csv_export_has_a_bom_a_swedish_header_and_one_row_per_remiss(client, ale, board):
    client.force_login(ale.secretary)
    response = client.get(BOARD, {"view": "all", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="remissbevakning.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.split(b"\r\n")[0] == (b"\xef\xbb\xbf" + ";".join(CSV_HEADER).encode("utf-8"))
    rows = csv_rows(response)
    assert rows[0] == CSV_HEADER
    assert len(rows) == 1 + 6
    by_deadline = {row[4]: row for row in rows[1:]}
    assert by_deadline[(MONDAY + timedelta(days=6)).isoformat()] == [
        "KS.2017.1",
        "Översiktsplan för Ale 2040 – Älvängen och Nödinge",
        "Kommunstyrelsens arbetsutskott",
        "Socialnämnden",
        (MONDAY + timedelta(days=6)).isoformat(),
        "mottagen",
        "SN.2017.2",
        "",
    ]
    assert by_deadline[(MONDAY - timedelta(days=30)).isoformat()] == [
        "SN.2017.1",
        "Riktlinjer för ekonomiskt bistånd",
        "Socialnämnden",
        "Utbildningsnämnden",
        (MONDAY - timedelta(days=30)).isoformat(),
        "besvarad",
        "",
        "2018-03-14",
    ]
    assert [row[5] for row in rows[1:]] == ["besvarad", "försenad", "mottagen", "skickad", "skickad", "återkallad"]


def test_the_csv_export_follows_the_filters(client, ale, board):
    client.force_login(ale.secretary)
    rows = csv_rows(client.get(BOARD, {"body": ale.sn.pk, "direction": "sent", "view": "all", "format": "csv"}))
    assert [(row[0], row[3]) for row in rows[1:]] == [
        ("SN.2017.1", "Utbildningsnämnden"),
        ("SN.2017.1", "Kommunstyrelsen"),
    ]


def test_the_csv_export_of_an_empty_selection_is_the_header_only(client, ale, board):
    client.force_login(ale.secretary)
    assert csv_rows(client.get(BOARD, {"body": ale.kf.pk, "format": "csv"})) == [CSV_HEADER]


def test_the_csv_answered_date_is_the_swedish_date(client, ale, board):
    just_after_midnight = timezone.make_aware(datetime(2018, 3, 14, 0, 30))
    with scopes_disabled():
        Remiss.objects.filter(pk=board.r4.pk).update(answered_at=just_after_midnight)
    client.force_login(ale.secretary)
    assert "besvarad 2018-03-14" in client.get(BOARD, {"view": "answered"}).content.decode()
    rows = csv_rows(client.get(BOARD, {"view": "answered", "format": "csv"}))
    assert rows[1][7] == "2018-03-14"


def many_remisser(town, count):
    with scopes_disabled():
        for n in range(count):
            case = CaseFactory(body=town.ks, municipality=town.municipality, registered_by=town.registrar)
            response = CaseFactory(
                body=town.sn, municipality=town.municipality, registered_by=town.registrar, handler=town.official
            )
            Remiss.objects.create(
                municipality=town.municipality,
                case=case,
                from_body=town.ksau,
                to_body=town.sn,
                deadline=TODAY + timedelta(days=n),
                sent_by=town.secretary,
                status=RemissStatus.RECEIVED,
                response_case=response,
            )


@pytest.mark.parametrize("params", [{}, {"format": "csv"}])
def test_the_board_costs_the_same_queries_for_3_and_30_remisser(
    client, ale, params, settings, django_assert_num_queries, django_assert_max_num_queries
):
    settings.KEPT_PAGES = False  # the render's queries, each time (a kept page: tests/test_kept_pages.py)
    client.force_login(ale.secretary)
    many_remisser(ale, 3)
    with django_assert_max_num_queries(10) as small:
        response = client.get(BOARD, params)
    assert response.status_code == 200
    many_remisser(ale, 27)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(BOARD, params)
    if params:
        assert len(csv_rows(response)) == 1 + 30
    else:
        assert len(response.context["remisser"]) == 30


# The ICS feed ----------------------------------------------------------------------------------------


def feed(client, user):
    return client.get(reverse("cases:calendar", args=[user.calendar_token]))


def events(response):
    assert response.status_code == 200
    return Calendar.from_ical(response.content).walk("VEVENT")


def followed(board, response):
    by_uid = {f"remiss-{getattr(board, f'r{n}').uuid}@alingsas-ale": f"r{n}" for n in range(1, 7)}
    return [by_uid.get(str(event["UID"]), str(event["UID"])) for event in events(response)]


def test_the_feed_needs_no_login_and_is_a_calendar(client, ale, board):
    response = feed(client, ale.secretary)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Remisser – Maria Sekreterare"
    assert str(calendar["VERSION"]) == "2.0"


def test_one_event_per_pending_remiss_the_secretary_follows(client, ale, board):
    # Kommunledningskontoret serves KF, KS and KSAU: r1 and r2 are sent by KSAU, r3 is to KS.
    response = feed(client, ale.secretary)
    assert followed(board, response) == ["r3", "r1", "r2"]
    by_name = {board.names[r.pk]: r for r in (board.r1, board.r2, board.r3)}
    for event, name in zip(events(response), ["r3", "r1", "r2"], strict=True):
        r = by_name[name]
        assert event.decoded("DTSTART") == r.deadline
        assert str(event["DESCRIPTION"]) == r.case.title
    summaries = [str(event["SUMMARY"]) for event in events(response)]
    assert summaries == [
        "Remissvar: Kommunstyrelsen, SN.2017.1",
        "Remissvar: Socialnämnden, KS.2017.1",
        "Remissvar: Utbildningsnämnden, KS.2017.1",
    ]


def test_a_department_follows_what_is_sent_to_and_from_its_bodies_while_pending(client, ale, board):
    # Socialförvaltningen serves SN: r1 and r6 are to SN, r3 is from SN; r4 is answered, r5 withdrawn.
    assert followed(board, feed(client, board.sn_official)) == ["r3", "r1", "r6"]


def test_a_handler_without_a_department_follows_the_cases_they_handle(client, ale, board):
    assert followed(board, feed(client, board.un_official)) == ["r6"]


def test_the_handler_of_the_response_case_follows_the_remiss(client, ale, board):
    with scopes_disabled():
        board.r1.response_case.handler = board.un_official
        board.r1.response_case.save(update_fields=["handler"])
    assert followed(board, feed(client, board.un_official)) == ["r1", "r6"]


def test_answered_and_withdrawn_remisser_leave_the_feed(client, ale, board):
    with scopes_disabled():
        Remiss.objects.filter(pk=board.r1.pk).update(status=RemissStatus.ANSWERED, answered_at=timezone.now())
        Remiss.objects.filter(pk=board.r6.pk).update(status=RemissStatus.WITHDRAWN)
    assert followed(board, feed(client, board.sn_official)) == ["r3"]


def test_a_feed_never_shows_another_municipalitys_remisser(client, ale, alingsas, board):
    foreign_case = register_case(alingsas, title="Alingsås kulturplan", handler=alingsas.official)
    foreign = remiss(alingsas, foreign_case, alingsas.ksau, alingsas.sn, MONDAY + timedelta(days=9))
    ale_feed = feed(client, ale.secretary)
    assert "kulturplan" not in ale_feed.content.decode()
    assert followed(board, ale_feed) == ["r3", "r1", "r2"]
    alingsas_events = events(feed(client, alingsas.secretary))
    assert [str(e["UID"]) for e in alingsas_events] == [f"remiss-{foreign.uuid}@alingsas-ale"]
    assert str(alingsas_events[0]["SUMMARY"]) == "Remissvar: Socialnämnden, KS 2017/1"
    assert "Översiktsplan" not in feed(client, alingsas.official).content.decode()


def test_a_feed_with_nothing_to_follow_is_an_empty_calendar(client, ale):
    assert events(feed(client, ale.secretary)) == []


def test_an_unknown_token_is_not_found(client, ale, board):
    assert client.get(reverse("cases:calendar", args=[uuid.uuid4()])).status_code == 404
    not_a_uuid = reverse("cases:calendar", args=[ale.secretary.calendar_token]).replace(".ics", "x.ics")
    assert client.get(not_a_uuid).status_code == 404


def test_a_user_without_roles_gets_no_feed(client, ale, board):
    nobody = UserFactory(username="ale.nobody", municipality=ale.municipality, roles=[], department=ale.department)
    assert feed(client, nobody).status_code == 404


def test_an_inactive_user_gets_no_feed(client, ale, board):
    ale.secretary.is_active = False
    ale.secretary.save(update_fields=["is_active"])
    assert feed(client, ale.secretary).status_code == 404


def test_a_user_without_a_municipality_gets_no_feed(client, board):
    superuser = UserFactory(username="root", municipality=None, roles=[Role.ADMIN], is_superuser=True)
    assert feed(client, superuser).status_code == 404
