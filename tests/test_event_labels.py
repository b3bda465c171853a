"""Event codes are data: every code a service can write has a Swedish text, and no page shows a code.

The set of codes is not a hand-kept list: it is read from the sources of the apps (the literal
``action=`` of ``event_record`` and of ``CaseEvent``/``MeetingEvent.objects.create``, the code given
to ``meetings.services.log``, and ``motion.<transition>`` for each transition in
``motions.models.TRANSITIONS``), so a new code without a text fails here.
"""

from __future__ import annotations

import ast
import logging
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from cases import events
from cases import services as case_services
from cases.models import CaseEvent, Direction, Notification
from meetings import services as meeting_services
from meetings.events import REFUSED_WRITES
from meetings.models import MeetingEvent
from meetings.pdf import extract_html, kallelse_html, protocol_html
from motions import services as motion_services
from motions.models import TRANSITIONS
from papers.services import draft_reopen

from .test_meetings_protocol import approved_draft, held_meeting
from .test_motions import kf_member, raise_motion

APPS = ("cases", "motions", "papers", "meetings", "alingsas_ale")
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
EVENT_MODELS = {"CaseEvent", "MeetingEvent", "OrganisationEvent"}
# Codes built at run time from a prefix: each prefix must be known here, with the names it takes.
DYNAMIC = {"motion.": lambda: {f"motion.{name}" for name in TRANSITIONS}}
# Functions that pass their caller's code on unchanged (the writers themselves).
PASS_THROUGH = {"event_record", "organisation_event_record", "log"}

# How the case page writes a timeline row (templates/cases/case_detail.html), escaped as there.
ROW = Template("{% load events %}{{ event|event_text }}")


@dataclass
class Scan:
    codes: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    unresolved: list[str] = field(default_factory=list)  # "path:line in function"
    refused_writes: set[str] = field(default_factory=set)  # ensure_writable(..., what="...")


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_event_create(func: ast.expr) -> bool:
    """``CaseEvent.objects.create`` / ``MeetingEvent.objects.create``."""
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "create"
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "objects"
        and _name(func.value.value) in EVENT_MODELS
    )


class _Visitor(ast.NodeVisitor):
    def __init__(self, scan: Scan, where: str) -> None:
        self.scan, self.where, self.functions = scan, where, ["<module>"]

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815 - the visitor protocol's name

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        if name in ("event_record", "organisation_event_record") or _is_event_create(node.func):
            for keyword in node.keywords:
                if keyword.arg == "action":
                    self._code(keyword.value, node)
        elif name == "log" and _name(getattr(node.func, "value", node.func)) not in {"logger", "logging"}:
            # meetings.services.log(meeting, action, *, by, **data)
            code = (
                node.args[1]
                if len(node.args) > 1
                else next((k.value for k in node.keywords if k.arg == "action"), None)
            )
            if code is not None:
                self._code(code, node)
        elif name == "ensure_writable":
            for keyword in node.keywords:
                if keyword.arg == "what" and isinstance(keyword.value, ast.Constant):
                    self.scan.refused_writes.add(str(keyword.value.value))
        self.generic_visit(node)

    def _code(self, value: ast.expr, node: ast.Call) -> None:
        if isinstance(value, ast.Constant) and isinstance(value.value, str) and CODE.match(value.value):
            self.scan.codes.add(value.value)
        elif (
            isinstance(value, ast.JoinedStr)
            and isinstance(value.values[0], ast.Constant)
            and all(isinstance(part, ast.FormattedValue) for part in value.values[1:])
        ):
            self.scan.prefixes.add(str(value.values[0].value))
        elif self.functions[-1] not in PASS_THROUGH:
            self.scan.unresolved.append(f"{self.where}:{node.lineno} in {self.functions[-1]}")


def scan_source(source: str, where: str, scan: Scan | None = None) -> Scan:
    scan = scan or Scan()
    _Visitor(scan, where).visit(ast.parse(source))
    return scan


def scan_apps() -> Scan:
    scan = Scan()
    root = Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                scan_source(path.read_text(), str(path.relative_to(root)), scan)
    return scan


def written_codes(scan: Scan) -> set[str]:
    """Every code the scanned sources can write; a prefix nobody can enumerate is an error."""
    unknown = scan.prefixes - DYNAMIC.keys()
    assert not unknown, f"codes built from {unknown} cannot be listed: add the prefix to DYNAMIC"
    assert not scan.unresolved, f"event codes that are neither literals nor known prefixes: {scan.unresolved}"
    codes = set(scan.codes)
    for prefix in scan.prefixes:
        codes |= DYNAMIC[prefix]()
    return codes


def missing_labels(codes: set[str]) -> set[str]:
    return {code for code in codes if code not in events.registered_codes()}


# (a) every code the services can write has a label and a text


def test_the_scan_finds_the_codes_the_services_write():
    codes = written_codes(scan_apps())
    assert len(codes) >= 30, sorted(codes)
    for code in ("meeting.called", "protocol.signed", "draft.approved", "write.refused", "anslag.removed"):
        assert code in codes
    for code in ("motion.refer", "motion.start_preparation", "motion.mark_prepared", "motion.decide"):
        assert code in codes  # built at run time from the transition's name


def test_every_code_the_services_can_write_has_a_swedish_label_and_text():
    codes = written_codes(scan_apps())
    assert missing_labels(codes) == set()
    for code in codes:
        label, text = events.label(code), events.describe(code, {})
        assert label and label != str(events.UNKNOWN_LABEL), code
        assert text and text != str(events.UNKNOWN_TEXT), code
        assert code not in text and code not in label


def test_every_refused_write_is_named_in_swedish():
    refused = scan_apps().refused_writes
    assert {"protocol.sign", "agenda.add", "attendance"} <= refused
    assert refused - REFUSED_WRITES.keys() == set()


# (b) negative controls: the check fails when a code has no label


def test_a_new_code_without_a_label_is_reported_missing():
    fake = scan_source(
        'def case_reopen(case, *, by):\n    event_record(case, action="case.reopened_by_mistake", by=by)\n'
        '    log(meeting, "meeting.forgotten", by=by)\n',
        "fake.py",
    )
    assert missing_labels(written_codes(fake)) == {"case.reopened_by_mistake", "meeting.forgotten"}


def test_removing_a_registered_label_makes_the_real_check_fail(monkeypatch):
    monkeypatch.delitem(events.EVENT_TYPES, "meeting.called")
    assert missing_labels(written_codes(scan_apps())) == {"meeting.called"}


def test_a_code_built_from_an_unknown_prefix_or_a_variable_fails_the_scan():
    fake = scan_source(
        'def remiss_bounce(case, how, *, by):\n    event_record(case, action=f"remiss.{how}", by=by)\n', "f.py"
    )
    with pytest.raises(AssertionError, match="cannot be listed"):
        written_codes(fake)
    fake = scan_source(
        "def remiss_bounce(case, code, *, by):\n    CaseEvent.objects.create(case=case, action=code)\n", "v.py"
    )
    with pytest.raises(AssertionError, match=r"v\.py:2 in remiss_bounce"):
        written_codes(fake)


def test_a_refused_write_without_a_swedish_name_is_reported():
    fake = scan_source('ensure_writable(meeting, by=by, what="item.secret_edit")\n', "w.py")
    assert fake.refused_writes - REFUSED_WRITES.keys() == {"item.secret_edit"}


# (c) pages after real service calls show the sentences and never a code


def assert_only_sentences(html: str, logged: list[tuple[str, dict]]) -> None:
    assert logged
    for action, data in logged:
        assert escape(events.describe(action, data)) in html, action
        assert action not in html, action
    assert escape(str(events.UNKNOWN_TEXT)) not in html


def test_a_case_page_shows_every_event_in_swedish_and_no_code(client, ale):
    mover = kf_member(ale, "Maja", "Motionär", "C")
    motion = raise_motion(ale, "Motion om fler cykelbanor", [mover])
    with ale.scope():
        case = motion.case
        motion_services.motion_refer(motion, by=ale.registrar)
        motion_services.motion_note_preparation(motion, note="Väntar på yttrande.", by=ale.registrar)
        case_services.case_assign_handler(case, handler=ale.official, by=ale.registrar)
        case_services.document_register(
            case,
            direction=Direction.INCOMING,
            document_date=date(2017, 12, 13),
            counterpart="Enskild",
            description="Skrivelse",
            secrecy_provision="OSL 26 kap. 1 §",
            by=ale.registrar,
        )
        draft = approved_draft(ale, case, "Kommunstyrelsen föreslår fullmäktige att bifalla motionen.")
        sequence = draft.document.sequence
        draft_reopen(draft, by=ale.official)
        logged = list(CaseEvent.objects.filter(case=case).values_list("action", "data"))
    actions = {action for action, _data in logged}
    assert {"motion.raised", "motion.refer", "draft.approved", "document.secret_access_granted"} <= actions
    client.force_login(ale.registrar)
    html = client.get(reverse("cases:detail", args=[case.ref])).content.decode()
    assert_only_sentences(html, logged)
    assert "Motionen väcktes i Kommunfullmäktige 2017-11-29, § 243." in html
    assert "Fullmäktige lämnade motionen till kommunstyrelsen för beredning." in html
    assert f"Handling {sequence} registrerades." in html
    assert "Handling 2 registrerades (sekretess)." in html


def test_a_meeting_page_shows_its_log_in_swedish_and_no_code(client, ale):
    with ale.scope():
        meeting, item, (_chair, _justerare, _member, _deputy, justerare_user) = held_meeting(ale)
        meeting_services.meeting_call(meeting, by=ale.secretary, today=date(2018, 5, 14))
        meeting_services.protocol_close(meeting, by=ale.secretary)
        meeting_services.protocol_sign(meeting, by=ale.politician)
        meeting_services.protocol_sign(meeting, by=justerare_user)
        meeting_services.anslag_publish(meeting, on=meeting_services.clock.today(), by=ale.secretary)
        with pytest.raises(case_services.CaseError):
            meeting_services.item_record(item, decision="Ändrat i efterhand", by=ale.secretary)
        meeting.refresh_from_db()
        meeting_services.correction_add(meeting, text="I § 6 ska det stå sal B.", by=ale.secretary)
        meeting_services.anslag_sweep(meeting.anslag_removed_on + timedelta(days=1))
        logged = list(MeetingEvent.objects.filter(meeting=meeting).values_list("action", "data"))
    actions = {action for action, _data in logged}
    assert {"meeting.called", "protocol.signed", "write.refused", "anslag.posted", "anslag.removed"} <= actions
    client.force_login(ale.secretary)
    html = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert_only_sentences(html, logged)
    assert "Kallelsen skickades." in html
    assert "Ett försök att ändra ett beslut i det justerade protokollet avvisades." in html
    assert "Protokollet godkändes vid justering (justerare)." in html

    # The same flow's PDFs and e-mails (kallelse, justering, the approved draft) carry no code either.
    with ale.scope():
        key = str(meeting.uuid)
        documents = [protocol_html(ale.municipality, key), kallelse_html(ale.municipality, key)]
        documents += [extract_html(ale.municipality, str(i.uuid)) for i in meeting.items.filter(case__isnull=False)]
        notifications = list(Notification.objects.all())
    mails = [render_to_string("notifications/email.txt", {"notification": n, "site_url": ""}) for n in notifications]
    subjects = [n.subject for n in notifications]
    assert len(documents) == 3 and len(mails) >= 3  # kallelse, justering and the approved draft notified someone
    codes = written_codes(scan_apps())
    for text in documents + mails + subjects:
        assert not [code for code in codes if code in text]


# (d) a code nobody registered reads as a neutral sentence, and payloads cannot inject markup


def test_an_unknown_code_renders_a_neutral_sentence_and_warns(caplog):
    event = SimpleNamespace(action="case.teleported", data={"to": "Mars"})
    with caplog.at_level(logging.WARNING, logger="cases.events"):
        html = ROW.render(Context({"event": event}))
    assert html.strip() == "Händelse registrerades."
    assert "case.teleported" not in html
    assert "case.teleported" in caplog.text
    assert events.label("case.teleported") == "Händelse"


def test_a_payload_value_is_escaped_on_the_page():
    event = SimpleNamespace(action="remiss.sent", data={"to_name": "<script>x()</script>", "deadline": "2018-05-31"})
    html = ROW.render(Context({"event": event}))
    assert "<script>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "Remiss skickades till" in html and "med svar senast 2018-05-31." in html


def test_a_missing_payload_field_reads_as_empty_not_as_an_error():
    assert events.describe("case.registered", {}) == "Ärendet registrerades som ."
    assert events.describe("motion.raised", {"body": "KF", "date": "2017-11-29", "paragraph": None}) == (
        "Motionen väcktes i KF 2017-11-29."
    )
    assert events.describe("case.closed", ["not", "an", "object"]) == "Ärendet avslutades."
