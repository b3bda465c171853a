"""Minute-taking under a §: what the secretary changes or takes back while the meeting runs. Adding
a yrkande, an omröstning, a reservation or a jäv is in ``meetings.services``; here each can be
changed or removed, until the protocol goes to justering (``ensure_writable``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Person, User
from cases.services import CaseError

from .models import FloorMotion, Recusal, Reservation, Vote
from .services import ensure_may_manage, ensure_writable, log, vote_record

TEXT_MAX = 5000


def floor_motion_update(motion: FloorMotion, *, mover: Person, text: str, by: User) -> FloorMotion:
    item = motion.item
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="item.yrkande_edit")
    text = text.strip()
    if not text:
        raise CaseError(_("Skriv yrkandet."))
    if len(text) > TEXT_MAX:
        raise CaseError(_("Yrkandet får vara högst %(max)s tecken.") % {"max": TEXT_MAX})
    if not item.meeting.attendance.filter(person=mover).exists():
        raise CaseError(_("Välj en person som är kallad till sammanträdet."))
    with transaction.atomic():
        motion.mover, motion.text = mover, text
        motion.save(update_fields=["mover", "text"])
        log(item.meeting, "item.yrkande_changed", by=by, item=str(item.uuid), mover=str(mover), text=text)
    return motion


def floor_motion_remove(motion: FloorMotion, *, by: User) -> None:
    item = motion.item
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="item.yrkande_edit")
    with transaction.atomic():
        log(item.meeting, "item.yrkande_removed", by=by, item=str(item.uuid), mover=str(motion.mover), text=motion.text)
        motion.delete()


def vote_remove(vote: Vote, *, by: User) -> None:
    """An omröstning recorded by mistake (or to be recorded again) is removed with its ballots."""
    item = vote.item
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="item.vote_remove")
    with transaction.atomic():
        log(
            item.meeting,
            "item.vote_removed",
            by=by,
            item=str(item.uuid),
            title=item.title,
            yes_means=vote.yes_means,
            no_means=vote.no_means,
            result=vote.result,
        )
        vote.delete()


def vote_update(vote: Vote, *, yes_means: str, no_means: str, ballots: dict[int, str], by: User) -> Vote:
    """An omröstning recorded wrongly is recorded again: the old one (with its ballots) is removed and
    the new one counted, in one transaction, so a refused new one leaves the old in place."""
    item = vote.item
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="item.vote_remove")
    with transaction.atomic():
        vote_remove(vote, by=by)
        return vote_record(item, yes_means=yes_means, no_means=no_means, ballots=ballots, by=by)


def reservation_remove(reservation: Reservation, *, by: User) -> None:
    item = reservation.item
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="item.reservation_remove")
    with transaction.atomic():
        log(item.meeting, "item.reservation_removed", by=by, item=str(item.uuid), person=str(reservation.person))
        reservation.delete()


def recusal_remove(recusal: Recusal, *, by: User) -> None:
    item = recusal.item
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="item.jav_remove")
    with transaction.atomic():
        log(item.meeting, "item.jav_removed", by=by, item=str(item.uuid), person=str(recusal.person))
        recusal.delete()
