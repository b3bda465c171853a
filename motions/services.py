"""Use cases of motions. Each transition has its guard in motions.models.TRANSITIONS and writes a CaseEvent."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from cases import clock
from cases import services as case_services
from cases.models import Body, BodyKind, Case, CaseStatus, Department, Direction, Membership, Municipality, Person, User
from cases.services import CaseError
from cases.signals import remisser_sent

from .models import TRANSITIONS, AttSats, Motion, MotionMover, MotionOutcome
from .permissions import can_move_motion, can_register_motion


@dataclass(frozen=True)
class Mover:
    person: Person
    party: str = ""  # blank: the party of the person's seat in fullmäktige on the day


# The rules of a motion's registration, asked by the service and by the form (so a wrong field is
# marked where it was typed), and so a command or an API gets the same Swedish answer as the page.


def council() -> Body | None:
    """The municipality's kommunfullmäktige, where motions are raised."""
    return Body.objects.filter(kind=BodyKind.COUNCIL, is_active=True).order_by("pk").first()


def raised_on_check(raised_on: date) -> None:
    if raised_on > clock.today():
        raise CaseError(_("Datumet då motionen väcktes kan inte ligga i framtiden."))


LEADING_ATT = re.compile(r"^att(\s+|$)", re.IGNORECASE)


def att_satser_clean(lines: Iterable[str]) -> list[str]:
    """One att-sats per line; a leading bullet and a leading 'att' are dropped (the protocol adds 'att')."""
    out = []
    for line in lines:
        line = LEADING_ATT.sub("", line.strip().lstrip("•-–*·").strip())
        if line:
            out.append(line)
    if not out:
        raise CaseError(_("Skriv minst en att-sats."))
    return out


def movers_seated(raised_in: Body, raised_on: date, movers: Sequence[Person | Mover]) -> list[Mover]:
    """Each mover must hold a seat in fullmäktige on the day the motion was raised; the party
    is the seat's (the latest seat, if several overlap) unless the caller names one."""
    if not movers:
        raise CaseError(_("Ange minst en motionär."))
    given = [m if isinstance(m, Mover) else Mover(person=m) for m in movers]
    seats = Membership.objects.held_on(raised_in, raised_on).filter(person__in=[m.person for m in given])
    parties = {seat.person_id: seat.party for seat in seats.order_by("starts_on")}
    missing = [str(m.person) for m in given if m.person.pk not in parties]
    if missing:
        raise CaseError(
            _("%(names)s hade ingen plats i fullmäktige %(date)s.")
            % {"names": ", ".join(missing), "date": raised_on.isoformat()}
        )
    return [Mover(person=m.person, party=m.party or parties[m.person.pk]) for m in given]


def ensure_may_move(by: User) -> None:
    """The services' own guard: the same question the views ask."""
    if not can_move_motion(by):
        raise CaseError(_("Bara nämndsekreteraren och registratorn för motionen vidare."))


def _transition(motion: Motion, action: str, *, by: User | None, **data: Any) -> Motion:
    if not motion.can(action):
        raise CaseError(
            _("Motionen kan inte gå vidare härifrån: den är %(status)s.") % {"status": motion.get_status_display()}
        )
    _sources, target = TRANSITIONS[action]
    previous = motion.status
    motion.status = target
    motion.save(update_fields=["status"])
    case_services.event_record(motion.case, action=f"motion.{action}", by=by, previous=previous, status=target, **data)
    return motion


@transaction.atomic
def motion_register(
    *,
    municipality: Municipality,
    title: str,
    movers: Sequence[Person | Mover],
    att_satser: Sequence[str],
    raised_in: Body | None,
    raised_on: date,
    raised_paragraph: int | None,
    text: str = "",
    by: User,
    registered_on: date | None = None,
    department: Department | None = None,
) -> Motion:
    """Register a motion raised in fullmäktige as a case in kommunstyrelsen's diarium."""
    if not can_register_motion(by):
        raise CaseError(_("Bara registratorn registrerar motioner."))
    if raised_in is None:
        raise CaseError(_("Kommunen har inget kommunfullmäktige konfigurerat."))
    if raised_in.kind != BodyKind.COUNCIL:
        raise CaseError(_("En motion väcks i kommunfullmäktige."))
    raised_on_check(raised_on)
    att_satser = att_satser_clean(att_satser)
    movers = movers_seated(raised_in, raised_on, movers)
    board = Body.objects.filter(kind=BodyKind.BOARD, is_active=True).order_by("pk").first()
    if board is None:
        raise CaseError(_("Kommunen har ingen kommunstyrelse konfigurerad."))
    case = case_services.case_register(
        municipality=municipality,
        title=title,
        body=board,
        by=by,
        department=department,
        registered_on=registered_on or raised_on,
    )
    motion = Motion.objects.create(
        municipality=municipality,
        case=case,
        raised_in=raised_in,
        raised_on=raised_on,
        raised_paragraph=raised_paragraph,
        text=text.strip(),
    )
    for order, mover in enumerate(movers, start=1):
        MotionMover.objects.create(
            municipality=municipality, motion=motion, person=mover.person, party=mover.party, ordering=order
        )
    for number, att in enumerate(att_satser, start=1):
        AttSats.objects.create(municipality=municipality, motion=motion, number=number, text=att)
    names = ", ".join(f"{m.person} ({m.party})" for m in movers)
    case_services.document_register(
        case,
        direction=Direction.INCOMING,
        document_date=raised_on,
        counterpart=names,
        description=_("Motion: %(title)s") % {"title": title},
        by=by,
    )
    case_services.event_record(
        case,
        action="motion.raised",
        by=by,
        body=raised_in.name,
        date=raised_on.isoformat(),
        paragraph=raised_paragraph,
    )
    return motion


def referral_check(motion: Motion, referred_on: date) -> None:
    if referred_on < motion.raised_on:
        raise CaseError(_("Fullmäktige kan inte ha remitterat motionen innan den väcktes."))
    if referred_on > clock.today():
        raise CaseError(_("Datumet för remitteringen kan inte ligga i framtiden."))


def expected_decision_check(motion: Motion, expected: date | None) -> None:
    """A new expected decision date lies ahead; one already recorded may stay as it is."""
    if expected is not None and expected != motion.expected_decision_on and expected < clock.today():
        raise CaseError(_("Det beräknade beslutsdatumet kan inte ligga i det förflutna."))


@transaction.atomic
def motion_refer(motion: Motion, *, by: User, referred_on: date | None = None, paragraph: int | None = None) -> Motion:
    """Fullmäktige leaves the motion to kommunstyrelsen for beredning, on a date and under a §
    (by default those of the meeting where it was raised)."""
    ensure_may_move(by)
    if referred_on is None:
        referred_on = motion.raised_on
        paragraph = paragraph if paragraph is not None else motion.raised_paragraph
    if not motion.can("refer"):
        return _transition(motion, "refer", by=by)  # refused with the lifecycle's own message
    referral_check(motion, referred_on)
    motion.referred_on, motion.referred_paragraph = referred_on, paragraph
    motion.save(update_fields=["referred_on", "referred_paragraph"])
    return _transition(motion, "refer", by=by, date=referred_on.isoformat(), paragraph=paragraph)


@transaction.atomic
def motion_mark_prepared(motion: Motion, *, by: User) -> Motion:
    ensure_may_move(by)
    return _transition(motion, "mark_prepared", by=by)


@transaction.atomic
def motion_decide(motion: Motion, *, outcome: str, decided_on: date, paragraph: int | None, by: User) -> Motion:
    """Fullmäktige decides (bifall, avslag, besvarad) or writes the motion off; the case is closed."""
    ensure_may_move(by)
    if outcome not in MotionOutcome.values:
        raise CaseError(_("Okänt beslut."))
    if decided_on < motion.raised_on:
        raise CaseError(_("Beslutet kan inte fattas innan motionen väcktes."))
    if decided_on > clock.today():
        raise CaseError(_("Beslutsdatumet kan inte ligga i framtiden."))
    motion.outcome = outcome
    motion.decided_on = decided_on
    motion.decided_paragraph = paragraph
    motion.save(update_fields=["outcome", "decided_on", "decided_paragraph"])
    _transition(motion, "decide", by=by, outcome=outcome, date=decided_on.isoformat(), paragraph=paragraph)
    case = Case.objects.get(pk=motion.case_id)
    if case.status == CaseStatus.OPEN:
        case_services.case_close(case, by=by, on=decided_on)
    return motion


@transaction.atomic
def motion_note_preparation(motion: Motion, *, note: str, by: User, expected_decision_on: date | None = None) -> Motion:
    """Where the beredning stands and when fullmäktige is expected to decide (both in the report)."""
    ensure_may_move(by)
    expected_decision_check(motion, expected_decision_on)
    motion.preparation_note = note.strip()
    motion.expected_decision_on = expected_decision_on
    motion.save(update_fields=["preparation_note", "expected_decision_on"])
    case_services.event_record(
        motion.case,
        action="motion.preparation_noted",
        by=by,
        expected=expected_decision_on.isoformat() if expected_decision_on else None,
    )
    return motion


@receiver(remisser_sent, sender=Case, dispatch_uid="motions.remisser_sent")
def _motion_under_preparation(sender: type, *, case: Case, by: User, **kwargs: Any) -> None:
    """A motion whose case goes out on remiss is under beredning."""
    motion = Motion.objects.filter(case=case).first()
    if motion is not None and motion.can("start_preparation"):
        _transition(motion, "start_preparation", by=by)
