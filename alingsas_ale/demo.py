"""Demo data: Alingsås and Ale, their organisation, one user per role, and the two seed cases.

Idempotent: a municipality that already exists is left as it is. The passwords are for the
demo only and are documented in the README.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django_scopes import scope

from cases import clock
from cases import services as case_services
from cases.models import (
    Body,
    BodyKind,
    Case,
    Department,
    Direction,
    Municipality,
    Person,
    Role,
    SeatRole,
    User,
)
from cases.services import remiss as remiss_services
from motions import services as motion_services
from papers import services as paper_services
from papers.defaults import install_default_templates
from papers.models import Draft, PaperKind, PaperTemplate

from . import seeds

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - documented demo credential, created only by this command

BODIES = [
    # name, short name, kind, parent short name, diarium series
    ("Kommunfullmäktige", "KF", BodyKind.COUNCIL, None, "KS"),
    ("Kommunstyrelsen", "KS", BodyKind.BOARD, None, "KS"),
    ("Kommunstyrelsens arbetsutskott", "KSAU", BodyKind.COMMITTEE_OF_BOARD, "KS", "KS"),
    ("Socialnämnden", "SN", BodyKind.COMMITTEE, None, "SN"),
    ("Utbildningsnämnden", "UN", BodyKind.COMMITTEE, None, "UN"),
    ("Kultur- och fritidsnämnden", "KFN", BodyKind.COMMITTEE, None, "KFN"),
    ("Omsorgs- och arbetsmarknadsnämnden", "OAN", BodyKind.COMMITTEE, None, "OAN"),
]


@dataclass(frozen=True)
class DemoUser:
    role: str
    first_name: str
    last_name: str
    title: str
    department: str | None


MUNICIPALITIES: dict[str, dict[str, Any]] = {
    "alingsas": {
        "name": "Alingsås kommun",
        "format": "{series} {year}/{number}",
        "domain": "alingsas.se",
        "archive": "Kommunledningskontoret, Alingsås stadshus",
        "departments": {
            "Kommunledningskontoret": ["KF", "KS", "KSAU"],
            "Socialförvaltningen": ["SN"],
            "Utbildningsförvaltningen": ["UN"],
            "Kultur- och fritidsförvaltningen": ["KFN"],
            "Omsorgs- och arbetsmarknadsförvaltningen": ["OAN"],
        },
        "users": [
            DemoUser(Role.OFFICIAL, "Pernilla", "Melin", "Kvalitets- och nämndcontroller", "Utbildningsförvaltningen"),
            DemoUser(Role.HEAD, "Åsa", "Holmstrand", "Tf förvaltningschef", "Utbildningsförvaltningen"),
            DemoUser(Role.REGISTRAR, "Lena", "Registrator", "Registrator", "Kommunledningskontoret"),
            DemoUser(Role.SECRETARY, "Karin", "Sekreterare", "Kommunsekreterare", "Kommunledningskontoret"),
            DemoUser(Role.POLITICIAN, "Staffan", "Albinsson", "", None),
            DemoUser(Role.ADMIN, "Anna", "Administratör", "Systemförvaltare", "Kommunledningskontoret"),
        ],
    },
    "ale": {
        "name": "Ale kommun",
        "format": "{series}.{year}.{number}",
        "domain": "ale.se",
        "archive": "Sektor kommunstyrelsen, Ale kommunhus, Nödinge",
        "departments": {
            "Sektor kommunstyrelsen": ["KF", "KS", "KSAU"],
            "Sektor Arbete, trygghet, omsorg (ATO)": ["OAN", "SN"],
            "Sektor utbildning, kultur och fritid": ["UN", "KFN"],
        },
        "users": [
            DemoUser(Role.OFFICIAL, "Gunilla", "Dörner Buskas", "Utvecklingschef", "Sektor kommunstyrelsen"),
            DemoUser(Role.HEAD, "Björn", "Järbur", "Kommunchef", "Sektor kommunstyrelsen"),
            DemoUser(Role.REGISTRAR, "Erik", "Registrator", "Registrator", "Sektor kommunstyrelsen"),
            DemoUser(Role.SECRETARY, "Maria", "Sekreterare", "Nämndsekreterare", "Sektor kommunstyrelsen"),
            DemoUser(Role.POLITICIAN, "Per", "Ledamot", "", None),
            DemoUser(Role.ADMIN, "Sara", "Administratör", "Systemförvaltare", "Sektor kommunstyrelsen"),
        ],
    },
}

# The Alingsås seed: the motion's att-satser, in the mover's words.
ALINGSAS_MOTION_TITLE = "Motion angående tillfällig parlamentarisk arbetsgrupp för kommunens integrationsinsatser"
ALINGSAS_ATT_SATSER = [
    "en tillfällig parlamentarisk arbetsgrupp för Alingsås kommuns integrationsarbete inrättas",
    "arbetsgruppen ska återkomma med rapport och förslag till förbättringsåtgärder",
    "arbetsgruppen upphör vid utgången av augusti 2018",
    "kommunstyrelsen får i uppdrag att ta fram förslag till reglemente, inklusive arvodering, "
    "för den tillfälliga arbetsgruppen senast under januari 2018",
    "kommunstyrelsen ges i uppdrag att genom kommunledningskontoret bistå med tjänstemannastöd",
    "kommunfullmäktiges valberedning ges i uppdrag att återkomma med förslag till ledamöter och ersättare, "
    "tillika sammankallande och vice sammankallande",
    "finansiering av den tillfälliga arbetsgruppen beaktas i flerårsstrategi 2018-2020",
]
ALE_TITLE = "Integrationsplan för Ale kommun 2018-2021"


def username(slug: str, role: str) -> str:
    return f"{slug}.{role}"


@transaction.atomic
def load_demo() -> list[str]:
    """Create what is missing; return a line per municipality created."""
    created = []
    for slug, spec in MUNICIPALITIES.items():
        if Municipality.objects.filter(slug=slug).exists():
            continue
        municipality = Municipality.objects.create(
            name=spec["name"], slug=slug, diarienummer_format=spec["format"], email_domain=spec["domain"]
        )
        with scope(municipality=municipality):
            _organisation(municipality, spec)
            install_default_templates(municipality)
            if slug == "alingsas":
                _alingsas_motion(municipality)
            else:
                _ale_tjansteutlatande(municipality)
        created.append(municipality.name)
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@kommun.example", DEMO_PASSWORD)
    return created


def _organisation(municipality: Municipality, spec: dict[str, Any]) -> None:  # noqa: C901 - one step per kind
    bodies: dict[str, Body] = {}
    for order, (name, short, kind, parent, series) in enumerate(BODIES):
        bodies[short] = case_services.body_create(
            municipality,
            name=name,
            short_name=short,
            kind=kind,
            parent=bodies.get(parent) if parent else None,
            diarium_series=series,
            ordering=order * 10,
            by=None,
        )
    departments = {}
    for name, served in spec["departments"].items():
        departments[name] = case_services.department_create(
            municipality, name=name, bodies=[bodies[short] for short in served], by=None
        )
    for demo in spec["users"]:
        user = case_services.user_create(
            municipality,
            username=username(municipality.slug, demo.role),
            password=DEMO_PASSWORD,
            first_name=demo.first_name,
            last_name=demo.last_name,
            email=_email(demo, spec["domain"]),
            roles=[demo.role],
            title=demo.title,
            department=departments.get(demo.department) if demo.department else None,
            by=None,
        )
        if demo.role == Role.SECRETARY:
            for body in bodies.values():
                case_services.body_update(body, secretaries=[user], archive_location=spec["archive"], by=None)
        if demo.role == Role.POLITICIAN:
            person = case_services.person_create(
                municipality, first_name=demo.first_name, last_name=demo.last_name, email=user.email, user=user, by=None
            )
            case_services.membership_create(
                person,
                body=bodies["KF"],
                role=SeatRole.MEMBER,
                party="C" if municipality.slug == "alingsas" else "S",
                starts_on=date(2015, 1, 1) if municipality.slug == "alingsas" else date(2023, 1, 1),
                by=None,
            )


def _email(demo: DemoUser, domain: str) -> str:
    local = f"{demo.first_name}.{demo.last_name}".lower().replace(" ", "-")
    return local.translate(str.maketrans("åäöé", "aaoe")) + "@" + domain


def _user(municipality: Municipality, role: str) -> User:
    return User.objects.get(username=username(municipality.slug, role))


def _alingsas_motion(municipality: Municipality) -> None:
    """KF 2017-11-29 § 243 → KS for beredning → KSAU remiss to SN and UN → UN's yttrande."""
    bodies = {body.short_name: body for body in Body.objects.all()}
    registrar = _user(municipality, Role.REGISTRAR)
    secretary = _user(municipality, Role.SECRETARY)
    mover = Person.objects.get(user__username=username(municipality.slug, Role.POLITICIAN))
    motion = motion_services.motion_register(
        municipality=municipality,
        title=ALINGSAS_MOTION_TITLE,
        movers=[motion_services.Mover(person=mover, party="C")],
        att_satser=ALINGSAS_ATT_SATSER,
        raised_in=bodies["KF"],
        raised_on=date(2017, 11, 29),
        raised_paragraph=243,
        department=Department.objects.get(name="Kommunledningskontoret"),
        by=registrar,
    )
    case = motion.case
    case_services.document_register(
        case,
        direction=Direction.INCOMING,
        document_date=date(2017, 12, 5),
        counterpart="Kommunfullmäktige",
        description="Protokollsutdrag KF 2017-11-29 § 243: motionen lämnas till kommunstyrelsen för beredning",
        by=registrar,
    )
    motion_services.motion_refer(motion, by=secretary)

    # KSAU sends the motion on remiss to SN and UN; the routing step the worker runs is called here
    # directly (the same function), so the demo does not wait for a worker.
    with clock.entered_as_of(date(2018, 1, 17)):
        remisser = {
            r.to_body.short_name: r
            for r in remiss_services.remiss_send(
                case,
                from_body=bodies["KSAU"],
                to_bodies=[bodies["SN"], bodies["UN"]],
                deadline=date(2018, 5, 31),
                cover_note="Kommunstyrelsens arbetsutskott remitterar motionen för yttrande.",
                by=secretary,
            )
        }
        for remiss in remisser.values():
            remiss_services.remiss_route(remiss.pk)
            remiss.refresh_from_db()
    un_step = remisser["UN"].response_case
    assert un_step is not None  # noqa: S101 - routed just above
    case_services.case_assign_handler(un_step, handler=_user(municipality, Role.OFFICIAL), by=registrar)
    with clock.entered_as_of(date(2018, 5, 2)):
        _paper(
            un_step,
            kind=PaperKind.STATEMENT,
            title=seeds.ALINGSAS_YTTRANDE_TITLE,
            content=seeds.alingsas_yttrande_content(ALINGSAS_ATT_SATSER),
            on=date(2018, 5, 2),
            author=_user(municipality, Role.OFFICIAL),
            head=_user(municipality, Role.HEAD),
        )

    _alingsas_meetings(municipality, bodies)

    # UN decided its yttrande at the meeting of 2018-05-24; the protokollsutdrag is the answer.
    with clock.entered_as_of(date(2018, 5, 28)):
        extract = case_services.document_register(
            un_step,
            direction=Direction.INTERNAL,
            document_date=date(2018, 5, 28),
            counterpart="Utbildningsnämnden",
            description="Protokollsutdrag UN 2018-05-24: Utbildningsnämnden antar förvaltningens yttrande som sitt "
            "eget och avslår motionen med tillägg för de synpunkter som framgår av yttrandet",
            by=registrar,
        )
        remiss_services.remiss_answer(remisser["UN"], document=extract, by=registrar)
        remiss_services.remiss_route_answer(remisser["UN"].pk)
    with clock.entered_as_of(date(2018, 6, 1)):
        remiss_services.remiss_deadlines_check()  # Socialnämnden's answer is late: försenad
    motion_services.motion_note_preparation(
        motion,
        note="Utbildningsnämnden har yttrat sig (avslag med tillägg). Socialnämndens yttrande saknas.",
        by=secretary,
    )

    # A secret handling, to show the masking of the diarium (OSL 26 kap. 1 §).
    social = case_services.case_register(
        municipality=municipality,
        title="Ansökan om bistånd enligt socialtjänstlagen",
        body=bodies["SN"],
        department=Department.objects.get(name="Socialförvaltningen"),
        by=registrar,
        registered_on=date(2018, 2, 1),
    )
    case_services.document_register(
        social,
        direction=Direction.INCOMING,
        document_date=date(2018, 2, 1),
        counterpart="Enskild person",
        description="Ansökan om ekonomiskt bistånd",
        secrecy_provision="OSL 26 kap. 1 §",
        secrecy_marked_on=date(2018, 2, 1),
        secrecy_marked_by=bodies["SN"],
        by=registrar,
    )


def _alingsas_meetings(municipality: Municipality, bodies: dict[str, Body]) -> None:
    """UN's meeting of 2018-05-24 where the yttrande was decided, justerat by two demo politicians
    (fictional names; the seed does not name UN's members), and a coming KF meeting, kungjord."""
    from meetings import services as meeting_services

    secretary = _user(municipality, Role.SECRETARY)
    people = {}
    for username, first, last, party, role in (
        ("alingsas.ordforande", "Eva", "Ordförande", "S", SeatRole.CHAIR),
        ("alingsas.justerare", "Lars", "Justerare", "M", SeatRole.MEMBER),
        (None, "Karin", "Ledamot", "C", SeatRole.MEMBER),
        (None, "Olof", "Ersättare", "L", SeatRole.DEPUTY),
    ):
        user = None
        if username:
            user = case_services.user_create(
                municipality,
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email="",
                roles=[Role.POLITICIAN],
                by=None,
            )
        person = case_services.person_create(municipality, first_name=first, last_name=last, user=user, by=None)
        case_services.membership_create(
            person, body=bodies["UN"], role=role, party=party, starts_on=date(2015, 1, 1), by=None
        )
        people[last] = (person, user)
    draft = Draft.objects.get(title=seeds.ALINGSAS_YTTRANDE_TITLE)
    meeting = meeting_services.meeting_create(
        body=bodies["UN"],
        starts_at=_at(date(2018, 5, 24), 17),
        place="Stadshuset, sammanträdesrum Alströmer",
        by=secretary,
    )
    meeting_services.agenda_add(meeting, draft=draft, by=secretary)
    rows = {a.person_id: a.pk for a in meeting.attendance.all()}
    present = [rows[p.pk] for p, _user in people.values() if p.last_name != "Ersättare"]
    meeting_services.attendance_record(
        meeting, present=present, justerare=[rows[people["Justerare"][0].pk]], serving={}, by=secretary
    )
    meeting_services.protocol_close(meeting, by=secretary)
    for _person, signer in (people["Ordförande"], people["Justerare"]):
        assert signer is not None  # noqa: S101 - both signers were created with a user above
        meeting_services.protocol_sign(meeting, by=signer)

    from django.utils import timezone as tz

    from meetings import anslag

    # The secretary puts the anslag up on the day of justering (the day the demo loads), so the
    # justerat protocol is on the public anslagstavla for its three weeks.
    meeting.refresh_from_db()
    anslag.anslag_publish(meeting, on=tz.localdate(), by=secretary)

    coming = tz.localdate() + timedelta(days=21)
    kf = meeting_services.meeting_create(
        body=bodies["KF"], starts_at=_at(coming, 18), place="Alingsås stadshus, fullmäktigesalen", by=secretary
    )
    meeting_services.meeting_call(kf, by=secretary)


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def _ale_tjansteutlatande(municipality: Municipality) -> None:
    """Ale's tjänsteutlåtande KS.2017.407 of 2017-12-13."""
    bodies = {body.short_name: body for body in Body.objects.all()}
    registrar = _user(municipality, Role.REGISTRAR)
    handler = _user(municipality, Role.OFFICIAL)
    case = case_services.case_import(
        municipality=municipality,
        series="KS",
        year=2017,
        number=407,
        title=ALE_TITLE,
        body=bodies["KS"],
        department=Department.objects.get(name="Sektor kommunstyrelsen"),
        handler=handler,
        by=registrar,
        registered_on=date(2017, 9, 1),
    )
    plan = case_services.document_register(
        case,
        direction=Direction.INTERNAL,
        document_date=date(2017, 12, 13),
        description=ALE_TITLE,
        by=handler,
    )
    content = dict(seeds.ALE_CONTENT)
    content["basis"] = [
        {"text": seeds.ALE_BASIS[0], "document": None},
        {"text": seeds.ALE_BASIS[1], "document": str(plan.uuid)},
    ]
    _paper(
        case,
        kind=PaperKind.REPORT,
        title=seeds.ALE_TITLE,
        content=content,
        on=date(2017, 12, 13),
        author=handler,
        head=_user(municipality, Role.HEAD),
    )


def _paper(case: Case, *, kind: str, title: str, content: dict[str, Any], on: date, author: User, head: User) -> None:
    """Write, submit and approve a paper as its author and head would; the worker renders its PDF."""
    template = PaperTemplate.objects.get(kind=kind)
    draft = paper_services.draft_create(case, template=template, by=author, title=title)
    draft = paper_services.draft_save(
        draft,
        base_version=draft.version,
        content=content,
        title=title,
        header={"paper_date": on},
        by=author,
    )
    paper_services.draft_submit(draft, by=author)
    paper_services.draft_approve(draft, by=head)


def demo_case(municipality: Municipality) -> Case:
    with scope(municipality=municipality):
        return Case.objects.get(title=ALINGSAS_MOTION_TITLE if municipality.slug == "alingsas" else ALE_TITLE)
