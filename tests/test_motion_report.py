"""The report on undecided motions (KL 5 kap. 35 §) as a real agenda item: the KF referral and the
expected decision date, every column of a row, a constant number of queries, the cut-off date, and
putting the report on a KS or KF agenda (the worker's step is called here as a plain function;
tests/test_motion_report_pdf.py runs it in a real worker)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from cases import services as case_services
from cases.events import describe
from cases.models import Case, CaseEvent, Direction, Document, OutboxMessage, Remiss, RemissStatus, RenderedPdf
from cases.services import CaseError
from meetings import services as meeting_services
from meetings.models import AgendaItem, Meeting, MeetingStatus, MotionReport, MotionReportStatus
from meetings.motion_report import motion_report_register, motion_report_to_agenda
from motions import services
from motions.clock import motion_clock
from motions.models import Motion
from motions.queries import open_motions_report, whole_months

from .test_meetings_protocol import at
from .test_motions import kf_member, raise_motion

REPORT = reverse("motions:report")
AGENDA = reverse("meetings:motion-report-agenda")
TODAY = timezone.localdate()


@pytest.fixture
def movers(ale):
    return [kf_member(ale, "Anna", "Andersson", "S"), kf_member(ale, "Östen", "Åberg", "KD")]


def reload(motion):
    with scopes_disabled():
        return Motion.objects.get(pk=motion.pk)


def message_after(client, response):
    """The message this response left (the last one queued)."""
    assert response.status_code == 302
    return [str(m) for m in response.wsgi_request._messages][-1]


# The KF referral and the expected decision date ------------------------------------------------


def refer(client, motion, **data):
    return client.post(reverse("motions:refer", args=[motion.case.ref]), data)


def test_the_referral_defaults_to_the_meeting_where_the_motion_was_raised(client, ale, movers):
    motion = raise_motion(ale, "Motion om lekplatser", movers[:1], on=date(2025, 3, 10), paragraph=31)
    client.force_login(ale.secretary)
    page = client.get(reverse("motions:detail", args=[motion.case.ref])).content.decode()
    assert 'name="referred_on" value="2025-03-10"' in page
    assert 'name="referred_paragraph" value="31"' in page
    message_after(client, refer(client, motion))
    motion = reload(motion)
    assert (motion.referred_on, motion.referred_paragraph) == (date(2025, 3, 10), 31)


def test_the_secretary_records_a_later_referral_with_its_paragraph(client, ale, movers):
    motion = raise_motion(ale, "Motion om lekplatser", movers[:1], on=date(2025, 3, 10), paragraph=31)
    client.force_login(ale.secretary)
    message_after(client, refer(client, motion, referred_on="2025-04-14", referred_paragraph="52"))
    motion = reload(motion)
    assert (motion.referred_on, motion.referred_paragraph, motion.status) == (date(2025, 4, 14), 52, "referred")
    with scopes_disabled():
        event = CaseEvent.objects.get(case=motion.case, action="motion.refer")
    assert describe(event.action, event.data) == (
        "Fullmäktige lämnade motionen till kommunstyrelsen för beredning. Beslutet fattades 2025-04-14, § 52."
    )
    page = client.get(reverse("motions:detail", args=[motion.case.ref])).content.decode()
    assert "2025-04-14, § 52" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"referred_on": "2025-03-09"}, "Fullmäktige kan inte ha remitterat motionen innan den väcktes."),
        (
            {"referred_on": (TODAY + timedelta(days=1)).isoformat()},
            "Datumet för remitteringen kan inte ligga i framtiden.",
        ),
        ({"referred_on": "14 april"}, "Ange datumet som ÅÅÅÅ-MM-DD."),
        ({"referred_paragraph": "§ 5"}, "Ange paragrafen som ett heltal, t.ex. 243."),
    ],
)
def test_a_bad_referral_is_refused_in_swedish_and_the_motion_stays_raised(client, ale, movers, data, message):
    motion = raise_motion(ale, "Motion om lekplatser", movers[:1], on=date(2025, 3, 10), paragraph=31)
    client.force_login(ale.secretary)
    assert message in message_after(client, refer(client, motion, **data))
    motion = reload(motion)
    assert (motion.status, motion.referred_on) == ("raised", None)


def note(client, motion, **data):
    return client.post(reverse("motions:note", args=[motion.case.ref]), data)


def test_the_expected_decision_date_is_noted_with_the_preparation_and_may_not_lie_in_the_past(client, ale, movers):
    motion = raise_motion(ale, "Motion om lekplatser", movers[:1], on=date(2025, 3, 10))
    with ale.scope():
        services.motion_refer(motion, by=ale.secretary)
    client.force_login(ale.secretary)
    yesterday, later = TODAY - timedelta(days=1), TODAY + timedelta(days=60)
    refused = message_after(client, note(client, motion, note="x", expected_decision_on=yesterday.isoformat()))
    assert "Det beräknade beslutsdatumet kan inte ligga i det förflutna." in refused
    assert reload(motion).expected_decision_on is None
    message_after(client, note(client, motion, note="Inväntar yttrande.", expected_decision_on=later.isoformat()))
    motion = reload(motion)
    assert (motion.preparation_note, motion.expected_decision_on) == ("Inväntar yttrande.", later)
    with scopes_disabled():
        event = CaseEvent.objects.filter(case=motion.case, action="motion.preparation_noted").get()
    assert later.isoformat() in describe(event.action, event.data)
    page = client.get(reverse("motions:detail", args=[motion.case.ref])).content.decode()
    assert f'name="expected_decision_on" value="{later.isoformat()}"' in page


def test_a_recorded_expected_date_that_has_passed_may_stay_when_the_note_changes(ale, movers):
    motion = raise_motion(ale, "Motion om lekplatser", movers[:1], on=date(2025, 3, 10))
    with ale.scope():
        services.motion_refer(motion, by=ale.secretary)
        Motion.objects.filter(pk=motion.pk).update(expected_decision_on=date(2025, 9, 1))
        motion = Motion.objects.get(pk=motion.pk)
        services.motion_note_preparation(
            motion, note="Försenad.", expected_decision_on=date(2025, 9, 1), by=ale.secretary
        )
        with pytest.raises(CaseError, match="förflutna"):
            services.motion_note_preparation(
                motion, note="Försenad.", expected_decision_on=date(2025, 8, 1), by=ale.secretary
            )
    assert reload(motion).preparation_note == "Försenad."


# The rows ----------------------------------------------------------------------------------------


def full_motion(town, movers, *, on, title="Motion om äldreboende i Surte", paragraph=243):
    """A referred motion with a handläggare, a department, two remisser, a note and an expected date."""
    motion = raise_motion(town, title, movers, on=on, paragraph=paragraph)
    with town.scope():
        services.motion_refer(motion, referred_on=on + timedelta(days=14), paragraph=paragraph + 20, by=town.secretary)
        case = Case.objects.get(pk=motion.case_id)
        case.department = town.department
        case.save(update_fields=["department"])
        case_services.case_assign_handler(case, handler=town.official, by=town.registrar)
        for to_body, status, days in [(town.sn, RemissStatus.OVERDUE, 3), (town.un, RemissStatus.ANSWERED, 10)]:
            Remiss.objects.create(
                municipality=town.municipality,
                case=case,
                from_body=town.ksau,
                to_body=to_body,
                deadline=TODAY - timedelta(days=days),
                sent_by=town.secretary,
                status=status,
            )
        motion = Motion.objects.get(pk=motion.pk)
        services.motion_note_preparation(
            motion,
            note="Inväntar socialnämndens yttrande.",
            expected_decision_on=TODAY + timedelta(days=45),
            by=town.secretary,
        )
    return motion


def test_each_row_has_every_column_the_law_and_the_council_ask_for(client, ale, movers):
    raised = TODAY - relativedelta(months=14)
    motion = full_motion(ale, movers, on=raised)
    sn_deadline, un_deadline = (TODAY - timedelta(days=3)).isoformat(), (TODAY - timedelta(days=10)).isoformat()
    client.force_login(ale.head)
    response = client.get(REPORT)
    page = response.content.decode()
    (row,) = response.context["rows"]
    assert row.motion.pk == motion.pk
    assert row.months == 14 and row.over_one_year
    for piece in [
        motion.case.diarienummer,
        "Motion om äldreboende i Surte",
        "Anna Andersson (S), Östen Åberg (KD)",
        f'Väckt <span class="nowrap">{raised.isoformat()}, § 243</span>',
        f'Remitterad <span class="nowrap">{(raised + timedelta(days=14)).isoformat()}, § 263</span>',
        "Kommunstyrelsen<br>Kommunledningskontoret<br>Handläggare: Gunilla Handläggare",
        f'Remiss Socialnämnden, svar senast <span class="nowrap">{sn_deadline}</span>: försenad',
        f'Remiss Utbildningsnämnden, svar senast <span class="nowrap">{un_deadline}</span>',
        '<span class="nowrap">14 månader</span>',
        '<strong class="clock-late">Över ett år</strong>',
        "remitterad till KS för beredning",
        f'Beräknat beslut: <span class="nowrap">{(TODAY + timedelta(days=45)).isoformat()}</span>',
        "Inväntar socialnämndens yttrande.",
    ]:
        assert piece in page, piece
    assert page.index("Remiss Utbildningsnämnden") < page.index("Remiss Socialnämnden")  # by deadline


def test_a_motion_within_the_year_has_no_flag_and_says_what_is_missing(client, ale, movers):
    raise_motion(ale, "Motion om ny simhall", movers[1:], on=TODAY - relativedelta(months=11, days=-1))
    client.force_login(ale.head)
    page = client.get(REPORT).content.decode()
    assert '<span class="nowrap">10 månader</span>' in page
    assert "Över ett år" not in page
    assert "Inte remitterad" in page
    assert "Handläggare: ingen utsedd" in page
    assert "Beräknat beslut: inte angivet" in page


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2025, 1, 30), date(2025, 2, 27), 0),
        (date(2025, 1, 31), date(2025, 2, 28), 1),  # the month ends on the shorter month's last day
        (date(2024, 11, 29), date(2025, 11, 28), 11),
        (date(2024, 11, 29), date(2025, 11, 29), 12),
        (date(2024, 2, 29), date(2025, 2, 28), 12),
        (date(2023, 5, 2), date(2025, 5, 1), 23),
    ],
)
def test_months_since_raised_are_whole_months_and_agree_with_the_flag(start, end, months):
    assert whole_months(start, end) == months
    assert (motion_clock(start, end).level == "late") == (months >= 12)


@pytest.mark.parametrize("count", [1, 10])
def test_the_report_costs_the_same_queries_for_1_and_10_motions(ale, movers, count, django_assert_num_queries):
    for n in range(count):
        full_motion(ale, movers, on=TODAY - relativedelta(months=n + 1), title=f"Motion nummer {n}", paragraph=n + 1)
    with ale.scope(), django_assert_num_queries(4):
        rows = open_motions_report(TODAY)
        assert len(rows) == count
        # Every column the template reads, read here, must already be loaded.
        for row in rows:
            m = row.motion
            assert m.case.body.name and m.case.department.name and m.case.handler.get_full_name()
            assert [str(mover) for mover in m.movers.all()] and len(row.remisser) == 2
            assert all(r.to_body.name for r in row.remisser)


@pytest.mark.parametrize("count", [1, 10])
def test_the_report_page_costs_the_same_queries_for_1_and_10_motions(
    client, ale, movers, count, django_assert_num_queries
):
    client.force_login(ale.secretary)
    for n in range(count):
        full_motion(ale, movers, on=TODAY - relativedelta(months=n + 1), title=f"Motion nummer {n}", paragraph=n + 1)
    with ale.scope():
        meeting_services.meeting_create(
            body=ale.ks, starts_at=at(TODAY + timedelta(days=20)), place="Sal", by=ale.secretary
        )
    with django_assert_num_queries(QUERIES_OF_THE_PAGE):
        response = client.get(REPORT)
    assert len(response.context["rows"]) == count


# The same with one motion and with ten: the session, the user with the municipality and the menu's
# facts (one statement), the report's four, the PDF, the meetings and the reports on agendas.
QUERIES_OF_THE_PAGE = 9


# The cut-off date ------------------------------------------------------------------------------


def test_the_cut_off_date_decides_what_is_listed_and_to_when_months_are_counted(client, ale, movers):
    cutoff = date(2025, 6, 30)
    listed = raise_motion(ale, "Motion väckt före", movers[:1], on=date(2024, 5, 15))
    raise_motion(ale, "Motion väckt efter", movers[:1], on=date(2025, 7, 1))
    decided_later = raise_motion(ale, "Motion avgjord efter", movers[1:], on=date(2025, 1, 20))
    decided_before = raise_motion(ale, "Motion avgjord före", movers[1:], on=date(2025, 1, 21))
    with ale.scope():
        for m, on in [(decided_later, date(2025, 9, 3)), (decided_before, date(2025, 6, 30))]:
            services.motion_refer(m, by=ale.secretary)
            services.motion_decide(m, outcome="avslag", decided_on=on, paragraph=7, by=ale.secretary)
    client.force_login(ale.head)
    response = client.get(REPORT, {"per": "2025-06-30"})
    page = response.content.decode()
    assert response.context["cutoff"] == cutoff
    assert [row.motion.case.title for row in response.context["rows"]] == [
        "Motion väckt före",
        "Motion avgjord efter",
    ]
    first, second = response.context["rows"]
    assert (first.motion.pk, first.months, first.over_one_year) == (listed.pk, 13, True)
    assert (second.months, second.over_one_year) == (5, False)
    assert "inte avgjord per 2025-06-30" in page
    assert 'name="per" value="2025-06-30"' in page
    assert "Motioner som väckts senast 2025-06-30 och inte var avgjorda per 2025-06-30." in page


@pytest.mark.parametrize(
    ("per", "message"),
    [
        ("30 juni", "Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-06-30."),
        ("2025-02-30", "Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-06-30."),
        ("1066-10-14", "1900"),
    ],
)
def test_a_bad_cut_off_date_is_answered_in_swedish(client, ale, movers, per, message):
    raise_motion(ale, "Motion om lekplatser", movers[:1])
    client.force_login(ale.head)
    response = client.get(REPORT, {"per": per})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Något behöver rättas" in page
    assert "Motion om lekplatser" not in page


def test_the_pdf_is_keyed_by_the_cut_off_date(client, ale, movers):
    raise_motion(ale, "Motion om lekplatser", movers[:1])
    client.force_login(ale.head)
    response = client.post(reverse("motions:report-pdf"), {"per": "2025-06-30"})
    assert response["Location"] == f"{REPORT}?per=2025-06-30"
    with scopes_disabled():
        assert list(RenderedPdf.objects.values_list("kind", "key")) == [("motion_report", "2025-06-30")]
    bad = client.post(reverse("motions:report-pdf"), {"per": "igår"})
    assert "Ange datumet som ÅÅÅÅ-MM-DD" in message_after(client, bad)
    with scopes_disabled():
        assert RenderedPdf.objects.count() == 1


# On the agenda -------------------------------------------------------------------------------------


def meeting_of(town, body, *, days=20):
    with town.scope():
        return meeting_services.meeting_create(
            body=body, starts_at=at(TODAY + timedelta(days=days)), place="Sessionssalen", by=town.secretary
        )


def put(client, meeting, per="2025-06-30"):
    return client.post(AGENDA, {"meeting": str(meeting.uuid), "per": per})


def state():
    with scopes_disabled():
        return (
            Case.objects.count(),
            AgendaItem.objects.count(),
            MotionReport.objects.count(),
            OutboxMessage.objects.filter(task="meetings.tasks.motion_report_file").count(),
        )


def test_the_secretary_puts_the_report_on_the_ks_agenda_from_the_report_page(client, ale, movers):
    raise_motion(ale, "Motion om lekplatser", movers[:1], on=date(2024, 5, 15))
    ks = meeting_of(ale, ale.ks)
    meeting_of(ale, ale.sn)  # a nämnd's meeting is not offered
    client.force_login(ale.secretary)
    page = client.get(REPORT, {"per": "2025-06-30"}).content.decode()
    assert f'<option value="{ks.uuid}">Kommunstyrelsen' in page
    assert "Socialnämnden 20" not in page
    assert "Lägg på föredragningslistan" in page
    before = state()
    message = message_after(client, put(client, ks))
    assert "Redovisningen per 2025-06-30 ligger på föredragningslistan till Kommunstyrelsen" in message
    assert state() == (before[0] + 1, before[1] + 1, 1, 1)
    with scopes_disabled():
        report = MotionReport.objects.select_related("case", "item").get()
        assert report.case.body_id == ale.ks.pk
        assert report.case.title == f"Redovisning av ej avgjorda motioner {TODAY.year}"
        assert report.item.meeting_id == ks.pk and report.item.case_id == report.case_id
        assert report.item.title == "Redovisning av ej avgjorda motioner per 2025-06-30"
        assert report.status == MotionReportStatus.PENDING
        assert "motion_report.on_agenda" in CaseEvent.objects.filter(case=report.case).values_list("action", flat=True)
    page = " ".join(client.get(REPORT, {"per": "2025-06-30"}).content.decode().split())
    assert f"ärende {report.case.diarienummer}: PDF:en skapas och registreras i ärendet" in page


def test_the_worker_step_registers_the_pdf_and_makes_it_the_items_beslutsunderlag(ale, movers):
    raise_motion(ale, "Motion om lekplatser", movers[:1], on=date(2024, 5, 15))
    kf = meeting_of(ale, ale.kf)
    with ale.scope():
        report = motion_report_to_agenda(kf, cutoff=date(2025, 6, 30), by=ale.secretary)
        assert report.case.body_id == ale.kf.pk  # fullmäktige's agenda takes fullmäktige's own case
        assert motion_report_register(report.pk) is True
        assert motion_report_register(report.pk) is False  # a second run changes nothing
        report = MotionReport.objects.get(pk=report.pk)
        document = Document.objects.get(case=report.case)
        assert report.document_id == document.pk and report.status == MotionReportStatus.DONE
        assert document.direction == Direction.INTERNAL
        assert document.description == "Redovisning av ej avgjorda motioner per 2025-06-30"
        assert document.content_type == "application/pdf" and document.checksum
        assert document.file.read(5) == b"%PDF-"
        assert list(report.item.documents.all()) == [document]


def test_one_case_per_body_and_year_takes_every_report(ale, movers):
    first, second = meeting_of(ale, ale.ks, days=10), meeting_of(ale, ale.ks, days=40)
    kf = meeting_of(ale, ale.kf, days=50)
    with ale.scope():
        a = motion_report_to_agenda(first, cutoff=date(2025, 6, 30), by=ale.secretary)
        b = motion_report_to_agenda(second, cutoff=date(2025, 12, 31), by=ale.secretary)
        c = motion_report_to_agenda(kf, cutoff=date(2025, 12, 31), by=ale.secretary)
    assert a.case_id == b.case_id != c.case_id


def test_the_same_cut_off_on_the_same_meeting_twice_is_refused_and_nothing_changes(client, ale, movers):
    ks = meeting_of(ale, ale.ks)
    client.force_login(ale.secretary)
    message_after(client, put(client, ks))
    before = state()
    message = message_after(client, put(client, ks))
    assert message == "Redovisningen per 2025-06-30 finns redan på föredragningslistan till det här sammanträdet."
    other = message_after(client, put(client, ks, per="2025-12-31"))
    assert other == "Sammanträdet har redan redovisningen per 2025-06-30 på föredragningslistan."
    assert state() == before


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (MeetingStatus.HELD, "Välj ett sammanträde som är planerat eller kallat och ännu inte har hållits."),
        (MeetingStatus.JUSTERING, "Välj ett sammanträde som är planerat eller kallat och ännu inte har hållits."),
        (MeetingStatus.CANCELLED, "Välj ett sammanträde som är planerat eller kallat och ännu inte har hållits."),
    ],
)
def test_a_meeting_that_is_no_longer_planned_is_refused(client, ale, status, message):
    ks = meeting_of(ale, ale.ks)
    with scopes_disabled():
        Meeting.objects.filter(pk=ks.pk).update(status=status)
    client.force_login(ale.secretary)
    before = state()
    assert message_after(client, put(client, ks)) == message
    assert state() == before
    assert f'value="{ks.uuid}"' not in client.get(REPORT).content.decode()


def test_a_nämnd_meeting_is_refused(client, ale):
    sn = meeting_of(ale, ale.sn)
    client.force_login(ale.secretary)
    before = state()
    message = message_after(client, put(client, sn))
    assert message == "Redovisningen av ej avgjorda motioner går till kommunstyrelsen eller fullmäktige."
    assert state() == before


def test_an_error_after_the_case_was_registered_leaves_nothing_half_done(ale, monkeypatch):
    ks = meeting_of(ale, ale.ks)
    before = state()

    def broken(*args, **kwargs):
        raise CaseError("Avbrutet i testet.")

    monkeypatch.setattr("meetings.motion_report.agenda_item_update", broken)
    with ale.scope(), pytest.raises(CaseError, match="Avbrutet"):
        motion_report_to_agenda(ks, cutoff=date(2025, 6, 30), by=ale.secretary)
    assert state() == before


def test_a_bad_form_is_answered_in_swedish(client, ale):
    ks = meeting_of(ale, ale.ks)
    client.force_login(ale.secretary)
    before = state()
    assert "Välj ett sammanträde." in message_after(client, client.post(AGENDA, {"per": "2025-06-30"}))
    bad_date = client.post(AGENDA, {"meeting": str(ks.uuid), "per": "juni"})
    assert "Ange datumet som ÅÅÅÅ-MM-DD." in message_after(client, bad_date)
    assert state() == before


@pytest.mark.parametrize("role", ["politician", "official", "head", "registrar"])
def test_only_whoever_may_edit_the_agenda_may_put_the_report_on_it(client, ale, role):
    ks = meeting_of(ale, ale.ks)
    client.force_login(getattr(ale, role))
    assert "Lägg på föredragningslistan" not in client.get(REPORT).content.decode()
    before = state()
    assert put(client, ks).status_code == 404
    assert state() == before


def test_a_meeting_of_another_municipality_is_not_found(client, ale, alingsas):
    ks = meeting_of(ale, ale.ks)
    client.force_login(alingsas.secretary)
    before = state()
    assert put(client, ks).status_code == 404
    assert state() == before
    assert str(ks.uuid) not in client.get(REPORT).content.decode()


def test_the_report_page_offers_the_agenda_only_to_the_secretary(client, ale):
    meeting_of(ale, ale.ks)
    client.force_login(ale.politician)
    page = client.get(REPORT).content.decode()
    assert AGENDA not in page and "Till kommunstyrelsen eller fullmäktige" not in page
    with scopes_disabled():
        Meeting.objects.update(status=MeetingStatus.HELD)
    client.force_login(ale.secretary)
    page = client.get(REPORT).content.decode()
    assert AGENDA not in page
    assert "Det finns inget planerat sammanträde i kommunstyrelsen eller fullmäktige" in page


def test_a_worker_step_that_fails_registers_nothing_and_the_page_says_why(client, ale, movers, monkeypatch):
    from meetings.motion_report import motion_report_failed

    ks = meeting_of(ale, ale.ks)
    with ale.scope():
        report = motion_report_to_agenda(ks, cutoff=date(2025, 6, 30), by=ale.secretary)

    def refused(*args, **kwargs):
        raise CaseError("Protokollet är justerat och kan inte ändras.")

    monkeypatch.setattr("meetings.motion_report.agenda_item_update", refused)
    with ale.scope():
        with pytest.raises(CaseError):
            motion_report_register(report.pk)
        assert not Document.objects.filter(case=report.case).exists()  # the PDF went with the transaction
        motion_report_failed(report.pk, "Protokollet är justerat och kan inte ändras.")
        assert MotionReport.objects.get(pk=report.pk).status == MotionReportStatus.FAILED
    client.force_login(ale.secretary)
    page = " ".join(client.get(REPORT, {"per": "2025-06-30"}).content.decode().split())
    assert "PDF:en kunde inte registreras (Protokollet är justerat och kan inte ändras.)" in page
