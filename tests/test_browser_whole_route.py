"""The whole route of issue 14 in Chromium, by seven people each in their own browser: a new motion in
KF, referred to KS, sent by KSAU on remiss to two nämnder; UN answers through a reviewed yttrande and a
nämnd meeting, SN's remiss goes overdue; KS and KF decide. It ends with the motion avgjord and its case
closed, every remiss answered or withdrawn (SN told), and both handläggare's Mina ärenden empty.
axe-core checks every page visited.

Set up beforehand, as the municipality has it before the route starts: the bodies, people and seats,
the year's meetings (fullmäktige's kallelse sent two weeks ahead), and SN's registrar assigning the
remiss to SN's handläggare. Time passing is the one thing not done in a browser: the SN remiss's
deadline is moved to yesterday and the daily deadline job runs, as it would the day after."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from cases import clock, workdays
from cases import services as case_services
from cases.models import Department, Notification, Remiss, RemissStatus, Role, SeatRole
from meetings import services as meeting_services
from motions.models import Motion, MotionStatus
from papers.defaults import install_default_templates

from .browser import assert_accessible, sign_in
from .factories import UserFactory
from .test_meetings_protocol import at, seat

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.worker]

TITLE = "Motion om läxhjälp på fritidshemmen"
YESTERDAY = date.today() - timedelta(days=1)
WORKER = 120_000  # ms: what the worker does (routing, expediering) may take a while on a busy machine


def _setup():
    from .conftest import _make_town

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    with town.scope():
        install_default_templates(town.municipality)
        uf = Department.objects.create(municipality=town.municipality, name="Utbildningsförvaltningen")
        uf.bodies.set([town.un])
        sf = Department.objects.create(municipality=town.municipality, name="Socialförvaltningen")
        sf.bodies.set([town.sn])

        def user(username, first, last, role, department):
            return UserFactory(
                username=username,
                municipality=town.municipality,
                roles=[role],
                first_name=first,
                last_name=last,
                department=department,
            )

        people = {
            "kf_registrar": town.registrar,
            "ksau_secretary": town.secretary,
            "un_official": user("un.handlaggare", "Ulla", "Utredare", Role.OFFICIAL, uf),
            "un_head": user("un.chef", "Ingrid", "Förvaltningschef", Role.HEAD, uf),
            "un_secretary": user("un.sekreterare", "Lena", "Nämndsekreterare", Role.SECRETARY, uf),
            "sn_official": user("sn.handlaggare", "Sven", "Socialsekreterare", Role.OFFICIAL, sf),
            "ks_secretary": user("ks.sekreterare", "Karin", "Kanslisekreterare", Role.SECRETARY, town.department),
        }
        sn_registrar = user("sn.registrator", "Siv", "Registrator", Role.REGISTRAR, sf)
        chairs = {}
        for body, first in ((town.un, "Ulf"), (town.ks, "Kerstin"), (town.kf, "Fredrik")):
            chairs[body.short_name] = UserFactory(
                username=f"ordf.{body.short_name.lower()}", municipality=town.municipality, roles=[Role.POLITICIAN]
            )
            seat(town, body, first, "Ordförande", "S", SeatRole.CHAIR, user=chairs[body.short_name])
        seat(town, town.kf, "Staffan", "Motionär", "C")
        meetings = {
            "UN": meeting_services.meeting_create(
                body=town.un, starts_at=at(YESTERDAY, 9), place="Sal A", by=people["un_secretary"]
            ),
            "KS": meeting_services.meeting_create(
                body=town.ks, starts_at=at(YESTERDAY, 13), place="Sal B", by=people["ks_secretary"]
            ),
            "KF": meeting_services.meeting_create(
                body=town.kf, starts_at=at(YESTERDAY, 18), place="Fullmäktigesalen", by=people["ks_secretary"]
            ),
        }
        with clock.entered_as_of(YESTERDAY - timedelta(days=14)):  # fullmäktige is kungjort a week ahead
            meeting_services.meeting_call(meetings["KF"], by=people["ks_secretary"])
    return town, people, sn_registrar, chairs, meetings


class Browser:
    """One person's own browser (context): every page visited is checked with axe-core."""

    def __init__(self, browser, base: str, user) -> None:
        self.context = browser.new_context()
        self.page: Page = self.context.new_page()
        self.base, self.user = base, user

    def sign_in(self, lands: str = "**/arenden/mina/") -> Page:
        sign_in(self.page, self.base, self.user.username, lands=lands)
        assert_accessible(self.page)
        return self.page

    def go(self, path: str) -> Page:
        self.page.goto(f"{self.base}{path}")
        assert_accessible(self.page)
        return self.page

    def click(self, role: str, name: str, **kwargs) -> Page:
        self.page.get_by_role(role, name=name, **kwargs).first.click()
        self.page.wait_for_load_state()
        assert_accessible(self.page)
        return self.page

    def reload_until(self, locator, what: str, timeout_ms: int = WORKER) -> None:
        """Reload until the worker's result shows (each try waits for it, no fixed sleep)."""
        for _attempt in range(timeout_ms // 1000):
            try:
                expect(locator.first).to_be_attached(timeout=1000)
                assert_accessible(self.page)
                return
            except AssertionError:
                self.page.reload()
        raise AssertionError(f"{what} never showed on {self.page.url}")


def _run_meeting(secretary: Browser, chair_browser: Browser, meeting, chair_name: str, *others: str) -> None:
    """Attendance (the chair present and justerare, the others present), the protocol to justering,
    the chair signs."""
    page = secretary.go(f"/sammantraden/{meeting.uuid}/")
    secretary.click("link", "Närvaro, ordförande, ajourneringar och justering")
    for name in (chair_name, *others):
        page.get_by_role("group", name=f"Närvaro för {name}", exact=True).get_by_label("närvarande", exact=True).check()
    page.get_by_label(f"{chair_name} justerar").check()
    page.get_by_role("button", name="Spara närvaro").click()
    expect(page.get_by_role("status").first).to_contain_text("Närvaron är sparad.")
    assert_accessible(page)
    page = secretary.go(f"/sammantraden/{meeting.uuid}/")
    page.get_by_label("Jag förstår att protokollet får paragrafnummer").check()
    page.get_by_role("button", name="Skicka protokollet för justering").click()
    expect(page.get_by_role("status").first).to_contain_text("skickat för justering")
    assert_accessible(page)

    chair_browser.sign_in(lands="**/lasesal/")  # politicians land in the reading room
    page = chair_browser.go(f"/sammantraden/{meeting.uuid}/justera/")
    page.get_by_label("Jag förstår att").check()
    page.get_by_role("button", name="Justera som").click()
    expect(page.get_by_role("main")).to_contain_text("Du justerade protokollet")
    assert_accessible(page)


def _record_decision(secretary: Browser, meeting, title: str, decision: str, outcome: str = "") -> None:
    page = secretary.go(f"/sammantraden/{meeting.uuid}/foredragningslista/")
    secretary.click("link", f"Protokollför {title}")
    page.locator("#id_decision").fill(decision)
    if outcome:
        page.locator("#id_motion_outcome").select_option(label=outcome)
    page.locator("#item-save").click()
    expect(page.locator("#beslut")).to_contain_text("Paragrafen är sparad.")
    assert_accessible(page)


def _work_list_is_empty(person: Browser) -> None:
    """Nothing left to do on Mina ärenden: no case, no remiss to answer or wait for, no paper
    unfinished (an approved one stays listed under Godkänd for a while, as a record, not as work)."""
    page = person.go("/arenden/mina/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Du har inga pågående ärenden.")
    expect(main).to_contain_text("Du och din förvaltning har inga remisser att besvara.")
    expect(main).to_contain_text("Inga remisser väntar på svar i dina ärenden.")
    for unfinished in ("Utkast (", "För granskning (", "Återsänd för ändring ("):
        expect(main).not_to_contain_text(unfinished)


@pytest.fixture
def browsers(browser):
    """Each person's own browser context, closed after the test."""
    opened: list[Browser] = []

    def open_for(base: str, user) -> Browser:
        opened.append(Browser(browser, base, user))
        return opened[-1]

    yield open_for
    for each in opened:
        each.context.close()


def test_the_whole_route_with_seven_people(browsers, live_server, worker):
    town, people, sn_registrar, chairs, meetings = _setup()
    base = live_server.url
    you = {key: browsers(base, user) for key, user in people.items()}
    chair = {short: browsers(base, user) for short, user in chairs.items()}

    # 1. KF's registrar registers the new motion; fullmäktige left it to KS for beredning.
    page = you["kf_registrar"].sign_in()
    page = you["kf_registrar"].go("/motioner/registrera/")
    page.get_by_label("Motionens rubrik").fill(TITLE)
    page.get_by_label("Staffan Motionär").check()
    page.get_by_label("Väckt vid sammanträdet den").fill((date.today() - timedelta(days=60)).isoformat())
    page.get_by_label("Paragraf (§)").fill("112")
    page.get_by_label("Att-satser").fill("alla fritidshem erbjuder läxhjälp\nläxhjälpen utvärderas efter ett år")
    page.get_by_role("button", name="Registrera motion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    assert_accessible(page)
    page.get_by_role("button", name="Fullmäktige har lämnat motionen till kommunstyrelsen för beredning").click()
    expect(page.get_by_role("main")).to_contain_text("remitterad till KS för beredning")
    assert_accessible(page)
    with town.scope():
        motion = Motion.objects.select_related("case").get()
    case = motion.case

    # 2. KSAU's secretary sends it on remiss to UN and SN.
    page = you["ksau_secretary"].sign_in()
    page = you["ksau_secretary"].go(f"/motioner/{case.ref}/")
    you["ksau_secretary"].click("link", "Skicka på remiss")
    page.get_by_label("Remitterande organ").select_option(label="Kommunstyrelsens arbetsutskott")
    page.get_by_label("Utbildningsnämnden", exact=True).check()
    page.get_by_label("Socialnämnden", exact=True).check()
    deadline = workdays.next_working_day(date.today() + timedelta(days=30))
    page.locator("#id_deadline").fill(deadline.isoformat())
    page.get_by_label("Missiv").fill("Nämnderna ombeds yttra sig över motionen.")
    page.get_by_role("button", name="Skicka remiss").click()
    expect(page.get_by_role("status").first).to_contain_text("Remissen är skickad")
    assert_accessible(page)

    def routed():
        with scopes_disabled():
            return Remiss.objects.filter(status=RemissStatus.RECEIVED).count() == 2

    from .servers import wait_for

    wait_for(routed, timeout=WORKER / 1000, what="both remisser routed by the worker")
    with town.scope():
        un_remiss = Remiss.objects.select_related("response_case").get(to_body=town.un)
        sn_remiss = Remiss.objects.select_related("response_case").get(to_body=town.sn)
        un_step, sn_step = un_remiss.response_case, sn_remiss.response_case
        # SN's registrar gives the remiss to SN's handläggare at the desk (not one of the seven).
        case_services.case_assign_handler(sn_step, handler=people["sn_official"], by=sn_registrar)

    # 3. UN's chef gives the remiss to UN's handläggare.
    page = you["un_head"].sign_in()
    page = you["un_head"].go("/inkorg/")
    you["un_head"].click("link", "Ny remiss till Utbildningsnämnden")
    expect(page.get_by_role("heading", level=1)).to_contain_text(un_step.diarienummer)
    page.get_by_label("Ny handläggare").select_option(label="Ulla Utredare")
    page.get_by_role("button", name="Tilldela").click()
    expect(page.get_by_role("main")).to_contain_text("Ulla Utredare")
    assert_accessible(page)

    # 4. UN's handläggare writes the yttrande and sends it for review.
    page = you["un_official"].sign_in()
    expect(page.get_by_role("main")).to_contain_text(un_step.diarienummer)
    you["un_official"].click("link", un_step.diarienummer)
    you["un_official"].click("link", "Skriv tjänsteutlåtande eller yttrande")
    page.get_by_label("Yttrande").check()
    page.get_by_role("button", name="Börja skriva").click()
    page.wait_for_url("**/redigera/")
    assert_accessible(page)
    for key, text in (
        ("arendebeskrivning", "Motionen föreslår läxhjälp på alla fritidshem."),
        ("yttrande", "Förvaltningen ser positivt på läxhjälp men den ryms inte i budgeten."),
    ):
        page.locator(f".paper-editor[data-input='section-{key}'] .paper-content").click()
        page.keyboard.insert_text(text)
    page.locator("#id_proposal").fill("Utbildningsnämnden antar förvaltningens yttrande som sitt eget.")
    page.locator("#id_dispatch").fill("Kommunstyrelsen")
    page.locator("#id_signatories").fill("Ingrid Förvaltningschef, förvaltningschef\nUlla Utredare, utredare")
    expect(page.locator("#save-status")).to_contain_text("Sparat kl.", timeout=15000)
    assert_accessible(page)
    you["un_official"].click("link", "Förhandsgranska och skicka för granskning")
    page.get_by_role("button", name="Skicka för granskning").click()
    expect(page.get_by_role("status").first).to_contain_text("Skickat för granskning.")
    assert_accessible(page)

    # 5. UN's chef reviews and approves it.
    page = you["un_head"].go("/inkorg/")
    you["un_head"].click("link", re.compile("^Att granska: yttrande"))
    page.get_by_role("button", name="Godkänn och underteckna").click()
    expect(page.get_by_role("link", name="Öppna Yttrande")).to_be_visible(timeout=WORKER)
    assert_accessible(page)

    # 6. UN's secretary: the yttrande on the agenda, the meeting, justering; the worker expedites.
    page = you["un_secretary"].sign_in()
    page = you["un_secretary"].go(f"/sammantraden/{meetings['UN'].uuid}/")
    you["un_secretary"].click("link", "Ändra föredragningslistan")
    page.get_by_label("Ärende med godkänt tjänsteutlåtande eller yttrande till organet").select_option(index=1)
    page.locator("#add-draft").click()
    expect(page.get_by_role("table")).to_contain_text(un_step.diarienummer)
    assert_accessible(page)
    _run_meeting(you["un_secretary"], chair["UN"], meetings["UN"], "Ulf Ordförande")

    # 7. Time passes: SN's deadline goes by (the daily job marks the remiss försenad).
    with town.scope():
        Remiss.objects.filter(pk=sn_remiss.pk).update(deadline=date.today() - timedelta(days=1))
        case_services.remiss_deadlines_check()
        assert Remiss.objects.get(pk=sn_remiss.pk).status == RemissStatus.OVERDUE
    page = you["sn_official"].sign_in()
    expect(page.get_by_role("main")).to_contain_text(sn_step.diarienummer)
    assert_accessible(page)

    # 8. KSAU's secretary follows the remisser: UN has answered, SN is overdue.
    page = you["ksau_secretary"].go("/remissbevakning/?view=all")
    you["ksau_secretary"].reload_until(
        page.get_by_role("row", name=re.compile("Utbildningsnämnden.*besvarad")), "UN's answer on the board"
    )
    expect(page.get_by_role("row", name=re.compile("Socialnämnden"))).to_contain_text("försenad")
    page = you["ksau_secretary"].go(f"/arenden/{case.ref}/")
    expect(page.get_by_role("main")).to_contain_text("Remissvar från Utbildningsnämnden")

    # 9. The KS secretary: the motion on KS's agenda, its förslag till beslut to KF.
    ks = you["ks_secretary"]
    page = ks.sign_in()
    page = ks.go(f"/sammantraden/{meetings['KS'].uuid}/foredragningslista/")
    page.get_by_label("Ärende med förslag till beslut från annat organ, motion att bereda").select_option(
        label=f"{case.diarienummer} {TITLE}"
    )
    page.locator("#add-proposal").click()
    expect(page.get_by_role("table")).to_contain_text(TITLE)
    assert_accessible(page)
    _record_decision(
        ks, meetings["KS"], TITLE, "Kommunstyrelsen föreslår kommunfullmäktige att anse motionen besvarad."
    )
    _run_meeting(ks, chair["KS"], meetings["KS"], "Kerstin Ordförande")

    # 10. ... and at KF, once KS's extract has been expedited: KF decides, the motion is avgjord.
    page = ks.go(f"/sammantraden/{meetings['KF'].uuid}/foredragningslista/")
    ks.reload_until(page.locator("#id_case option", has_text=TITLE), "KS's förslag for KF")
    page.get_by_label("Ärende med förslag till beslut från annat organ, motion att bereda").select_option(
        label=f"{case.diarienummer} {TITLE}"
    )
    page.locator("#add-proposal").click()
    expect(page.get_by_role("table")).to_contain_text(TITLE)
    assert_accessible(page)
    _record_decision(ks, meetings["KF"], TITLE, "Kommunfullmäktige anser motionen besvarad.", outcome="besvarad")
    _run_meeting(ks, chair["KF"], meetings["KF"], "Fredrik Ordförande", "Staffan Motionär")

    page = ks.go(f"/motioner/{case.ref}/")
    ks.reload_until(page.get_by_text(f"avgjord: besvarad {YESTERDAY.isoformat()}"), "the motion decided")
    expect(page.get_by_role("main")).to_contain_text("Utbildningsnämnden: besvarad")
    expect(page.get_by_role("main")).to_contain_text("Socialnämnden: återkallad")

    # The end: the motion avgjord and its case closed; every remiss answered or withdrawn.
    with town.scope():
        motion.refresh_from_db()
        case.refresh_from_db()
        assert motion.status == MotionStatus.DECIDED and motion.outcome == "besvarad"
        assert case.status == "closed"
        statuses = dict(Remiss.objects.values_list("to_body__short_name", "status"))
        assert statuses == {"UN": RemissStatus.ANSWERED, "SN": RemissStatus.WITHDRAWN}
        un_step.refresh_from_db()
        sn_step.refresh_from_db()
        assert (un_step.status, sn_step.status) == ("closed", "closed")
        told = Notification.objects.filter(key=f"remiss:{sn_remiss.pk}:withdrawn")
        assert people["sn_official"] in {n.recipient for n in told}

    page = you["ksau_secretary"].go("/remissbevakning/?view=all")
    expect(page.get_by_role("row", name=re.compile("Socialnämnden"))).to_contain_text("återkallad")
    expect(page.get_by_role("row", name=re.compile("Utbildningsnämnden"))).to_contain_text("besvarad")

    # SN's handläggare is told, and neither handläggare has anything left.
    page = you["sn_official"].go("/inkorg/")
    expect(page.get_by_role("main")).to_contain_text(f"Remissen i {case.diarienummer} är återkallad")
    for key in ("sn_official", "un_official"):
        _work_list_is_empty(you[key])
    page = you["un_head"].go("/arenden/mina/")
    expect(page.get_by_role("main")).to_contain_text("Inget väntar på din granskning.")
