"""Use cases of meetings and protocols. From the moment the protocol is sent to justering its text is
frozen: every attempt to change it is refused, and the refusal is logged in its own transaction so
the trace survives the rollback. Only protocol_withdraw (which withdraws every signature) opens it
again; a justerat protocol never opens again (a rättelse is added instead)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import clock
from cases.models import Body, BodyKind, Membership, Person, RenderedPdf, SeatRole, User
from cases.services import CaseError
from cases.services.notifications import notify
from motions.models import MotionOutcome

from .integrity import protocol_digest
from .models import (
    AgendaItem,
    Attendance,
    Ballot,
    ChairRole,
    Correction,
    FloorMotion,
    Meeting,
    MeetingEvent,
    MeetingStatus,
    Recusal,
    Reservation,
    SeatKind,
    Signature,
    Vote,
    VoteChoice,
)
from .numbering import paragraphs_assign
from .permissions import can_create_meeting, can_manage_meeting, can_sign

PUBLIC_PROTOCOL = "protocol-public"  # the anslagstavla's PDF: §§ under sekretess show only number and provision
KUNGORELSE_DAYS = 7  # Kommunallagen 5 kap. 53 §: a week before the KF meeting


# The agenda's use cases live in meetings.agenda; the old names still answer here.
MOVED_TO_AGENDA = {"agenda_candidates", "agenda_add", "proposal_candidates", "agenda_add_case", "agenda_move"}


def __getattr__(name: str) -> Any:
    if name in MOVED_TO_AGENDA:
        from . import agenda

        return getattr(agenda, name)
    raise AttributeError(name)


def log(meeting: Meeting, action: str, *, by: User | None, **data: Any) -> MeetingEvent:
    return MeetingEvent.objects.create(
        municipality_id=meeting.municipality_id, meeting=meeting, action=action, actor=by, data=data
    )


def ensure_may_manage(meeting: Meeting, *, by: User) -> None:
    """The services' own guard: the same question the views ask, so a command or an API call
    gets the same answer as the page."""
    if not can_manage_meeting(by, meeting):
        raise CaseError(_("Bara nämndsekreteraren kan ändra sammanträdet."))


FROZEN = (MeetingStatus.JUSTERING, MeetingStatus.JUSTERAT)


def ensure_writable(meeting: Meeting, *, by: User, what: str, frozen: Sequence[str] = FROZEN) -> None:
    """Refuse any change to a protocol under justering or justerat, and leave a trace that outlives
    the refusal. ``frozen``: the statuses in which ``what`` is refused (signing is refused only once
    the protocol is justerat)."""
    current = Meeting.objects.filter(pk=meeting.pk).values_list("status", flat=True).first()
    if current in frozen or current == MeetingStatus.CANCELLED:
        with transaction.atomic(durable=not connection.in_atomic_block):
            log(meeting, "write.refused", by=by, what=what, status=current)
        if current == MeetingStatus.CANCELLED:
            raise CaseError(
                _("Sammanträdet är inställt. Ett inställt sammanträde kan inte kallas, ändras eller avslutas.")
            )
        if current == MeetingStatus.JUSTERING:
            raise CaseError(
                _(
                    "Protokollet är skickat för justering och kan inte ändras. Ta tillbaka det från justering "
                    "om något måste ändras; de underskrifter som getts dras då tillbaka."
                )
            )
        raise CaseError(_("Protokollet är justerat och kan inte ändras. Gör en rättelse om något är fel."))


@transaction.atomic
def meeting_create(*, body: Body, starts_at: datetime, place: str, by: User) -> Meeting:
    if not can_create_meeting(by):
        raise CaseError(_("Bara nämndsekreteraren kan skapa sammanträden."))
    if not body.is_active:
        raise CaseError(_("Organet är inte längre aktivt."))
    if not place.strip():
        raise CaseError(_("Ange plats."))
    day = timezone.localtime(starts_at).date()
    seats = list(Membership.objects.held_on(body, day).select_related("person").order_by("role", "person__last_name"))
    chair = next((s.person for s in seats if s.role == SeatRole.CHAIR), None)
    meeting = Meeting.objects.create(
        municipality_id=body.municipality_id,
        body=body,
        starts_at=starts_at,
        place=place.strip(),
        secretary=by,
        chair=chair,
        chair_role=ChairRole.CHAIR if chair else "",
    )
    for order, seat in enumerate(seats):
        Attendance.objects.create(
            municipality_id=body.municipality_id,
            meeting=meeting,
            person=seat.person,
            party=seat.party,
            role_text=seat.get_role_display(),
            kind=SeatKind.DEPUTY if seat.role == SeatRole.DEPUTY else SeatKind.MEMBER,
            ordering=order,
        )
    from .agenda import standing_items_add

    standing_items_add(meeting)
    log(meeting, "meeting.created", by=by)
    return meeting


def meeting_call(meeting: Meeting, *, by: User, today: date | None = None) -> Meeting:
    """Send the kallelse; for kommunfullmäktige, the kungörelse goes on the anslagstavla a week ahead."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="meeting.call")
    if not meeting.can_call():
        raise CaseError(_("Kallelsen är redan skickad."))
    today = today or clock.today()
    day = timezone.localtime(meeting.starts_at).date()
    if day < today:
        raise CaseError(_("Sammanträdet har redan varit."))
    if meeting.body.kind == BodyKind.COUNCIL and (day - today).days < KUNGORELSE_DAYS:
        raise CaseError(
            _("Kungörelsen ska upp på anslagstavlan minst en vecka före fullmäktiges sammanträde (senast %(d)s).")
            % {"d": (day - timedelta(days=KUNGORELSE_DAYS)).isoformat()}
        )
    with transaction.atomic():
        meeting.call()
        meeting.called_at = clock.now()
        meeting.save(update_fields=["status", "called_at"])
        log(meeting, "meeting.called", by=by, kungorelse=meeting.body.kind == BodyKind.COUNCIL)
        from cases.pdf import pdf_request

        pdf_request(municipality=meeting.body.municipality, kind="kallelse", key=str(meeting.uuid))
        users = [a.person.user for a in meeting.attendance.select_related("person__user") if a.person and a.person.user]
        notify(
            users,
            key=f"meeting:{meeting.pk}:called",
            subject=_("Kallelse: %(body)s %(date)s") % {"body": meeting.body.name, "date": day.isoformat()},
            body=_("Du kallas till %(body)s %(when)s i %(place)s. Föredragningslista och handlingar finns i systemet.")
            % {
                "body": meeting.body.name,
                "when": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d kl. %H.%M"),
                "place": meeting.place,
            },
            url=reverse("meetings:detail", args=[meeting.uuid]),
            municipality_id=meeting.municipality_id,
        )
    return meeting


def attendance_record(
    meeting: Meeting,
    *,
    present: Sequence[int],
    justerare: Sequence[int],
    serving: dict[int, tuple[int | None, str]],
    by: User,
) -> None:
    """Whole-meeting attendance in one call. present / justerare: Attendance ids; serving: deputy's
    Attendance id -> (Person id served for, ""). Partial attendance (§-ranges) goes through
    ``meetings.attendance.attendance_save``, which this calls."""
    from .attendance import Presence, attendance_save

    if any(paragraphs for _served, paragraphs in serving.values()):
        raise CaseError(_("Ange paragrafer med från och med och till och med, inte som text."))
    rows = meeting.attendance.exclude(kind=SeatKind.OTHER).values_list("pk", flat=True)
    attendance_save(
        meeting,
        rows={
            pk: Presence(present=pk in present, serving_for=serving[pk][0] if pk in serving else None) for pk in rows
        },
        justerare=justerare,
        by=by,
    )


def item_record(
    item: AgendaItem,
    *,
    decision: str,
    proposition_order: str = "",
    notes: str = "",
    immediately_justerad: bool = False,
    dispatch: Sequence[str] = (),
    motion_outcome: str = "",
    secrecy: str = "",
    by: User,
) -> AgendaItem:
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="item.decision")
    ensure_item_open(item, by=by, what="item.decision")
    if motion_outcome and motion_outcome not in MotionOutcome.values:
        raise CaseError(_("Okänt beslut om motionen."))
    with transaction.atomic():
        item.decision = decision.strip()
        item.proposition_order = proposition_order.strip()
        item.notes = notes.strip()
        item.immediately_justerad = immediately_justerad
        item.dispatch = [d.strip() for d in dispatch if d.strip()]
        item.motion_outcome = motion_outcome
        item.secrecy = secrecy.strip()
        item.save(
            update_fields=[
                "decision",
                "proposition_order",
                "notes",
                "immediately_justerad",
                "dispatch",
                "motion_outcome",
                "secrecy",
            ]
        )
        log(
            item.meeting,
            "item.recorded",
            by=by,
            item=str(item.uuid),
            paragraph=item.paragraph,
            title=item.title,
            decision=item.decision,
            notes=item.notes,
            secrecy=item.secrecy,
        )
    return item


def quorum(meeting: Meeting) -> tuple[int, int, bool]:
    """(serving, seats, beslutför): more than half of the ledamöter must take part, ersättare serving
    for absent ledamöter counting (Kommunallagen 6 kap. 28 § for nämnder, 5 kap. 52 § for KF)."""
    serving, seats = quorum_counts(list(meeting.attendance.all()))
    return serving, seats, seats > 0 and serving * 2 > seats


def quorum_counts(rows: Sequence[Attendance]) -> tuple[int, int]:
    """(ledamöter and serving ersättare present, ledamot seats)."""
    seats = sum(1 for a in rows if a.kind == SeatKind.MEMBER)
    serving = sum(
        1 for a in rows if a.present and (a.kind == SeatKind.MEMBER or (a.kind == SeatKind.DEPUTY and a.serving_for_id))
    )
    return serving, seats


def floor_motion_add(item: AgendaItem, *, mover: Person, text: str, by: User) -> FloorMotion:
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="item.yrkande")
    ensure_item_open(item, by=by, what="item.yrkande")
    if not text.strip():
        raise CaseError(_("Skriv yrkandet."))
    with transaction.atomic():
        last = item.yrkanden.aggregate(m=Max("ordering"))["m"] or 0
        motion = FloorMotion.objects.create(
            municipality_id=item.municipality_id, item=item, mover=mover, text=text.strip(), ordering=last + 1
        )
        log(item.meeting, "item.yrkande", by=by, item=str(item.uuid), mover=str(mover), text=motion.text)
    return motion


def vote_record(item: AgendaItem, *, yes_means: str, no_means: str, ballots: dict[int, str], by: User) -> Vote:
    """An omröstning: each present voter's ja, nej or avstår; the result follows from the count."""
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="item.vote")
    ensure_item_open(item, by=by, what="item.vote")
    if not yes_means.strip() or not no_means.strip():
        raise CaseError(_("Ange vad ja och nej betyder i omröstningen."))
    voters = {a.person_id: a for a in voters_of(item)}
    unknown = set(ballots) - set(voters)
    if unknown:
        raise CaseError(_("Bara tjänstgörande ledamöter och ersättare kan rösta."))
    for row in voters.values():
        choice = ballots.get(row.person_id) if row.person_id else None
        if choice is None or choice not in VoteChoice.values:
            raise CaseError(_("Ange hur %(name)s röstade.") % {"name": row.display_name})
    with transaction.atomic():
        vote = Vote.objects.create(
            municipality_id=item.municipality_id, item=item, yes_means=yes_means.strip(), no_means=no_means.strip()
        )
        for person_id, choice in ballots.items():
            Ballot.objects.create(
                municipality_id=item.municipality_id,
                vote=vote,
                person_id=person_id,
                party=voters[person_id].party,
                choice=choice,
            )
        yes = sum(1 for c in ballots.values() if c == "ja")
        no = sum(1 for c in ballots.values() if c == "nej")
        abstain = sum(1 for c in ballots.values() if c == "avstar")
        winner = vote.yes_means if yes > no else vote.no_means
        if yes == no:
            winner = _("lika röstetal: ordförandens utslagsröst avgör")
        vote.result = _("%(yes)s ja, %(no)s nej, %(abstain)s avstår. %(winner)s.") % {
            "yes": yes,
            "no": no,
            "abstain": abstain,
            "winner": winner[:1].upper() + winner[1:],
        }
        vote.save(update_fields=["result"])
        log(
            item.meeting,
            "item.vote",
            by=by,
            item=str(item.uuid),
            title=item.title,
            yes_means=vote.yes_means,
            no_means=vote.no_means,
            result=vote.result,
            ballots=[[str(voters[pid]), choice] for pid, choice in sorted(ballots.items())],
        )
    return vote


def voters_of(item: AgendaItem) -> list[Attendance]:
    """Present ledamöter and tjänstgörande ersättare, less those who stood aside for jäv."""
    recused = set(item.recusals.values_list("person_id", flat=True))
    substitutes = set(item.recusals.exclude(substitute=None).values_list("substitute_id", flat=True))
    rows = item.meeting.attendance.filter(present=True).select_related("person", "from_item", "to_item")
    return [
        a
        for a in rows
        if a.person_id
        and a.covers(item)
        and a.person_id not in recused
        and (a.kind == SeatKind.MEMBER or a.serving_for_id or a.person_id in substitutes)
    ]


def reservation_add(item: AgendaItem, *, person: Person, text: str = "", by: User) -> Reservation:
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="item.reservation")
    ensure_item_open(item, by=by, what="item.reservation")
    party = item.meeting.attendance.filter(person=person).values_list("party", flat=True).first() or ""
    with transaction.atomic():
        reservation, _created = Reservation.objects.update_or_create(
            item=item,
            person=person,
            defaults={"municipality_id": item.municipality_id, "party": party, "text": text.strip()},
        )
        log(item.meeting, "item.reservation", by=by, item=str(item.uuid), person=str(person), text=reservation.text)
    return reservation


def recusal_add(item: AgendaItem, *, person: Person, substitute: Person | None, by: User) -> Recusal:
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="item.jav")
    ensure_item_open(item, by=by, what="item.jav")
    with transaction.atomic():
        recusal, _created = Recusal.objects.update_or_create(
            item=item, person=person, defaults={"municipality_id": item.municipality_id, "substitute": substitute}
        )
        log(
            item.meeting,
            "item.jav",
            by=by,
            item=str(item.uuid),
            person=str(person),
            substitute=str(substitute) if substitute else "",
        )
    return recusal


def protocol_close(meeting: Meeting, *, by: User) -> Meeting:
    """The secretary finishes the protocol: §-numbers are given and it goes to justering."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="protocol.close", frozen=[MeetingStatus.JUSTERAT])
    from cases.pdf import pdf_request

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("body", "chair").get(pk=meeting.pk)
        if not meeting.can_close():
            raise CaseError(_("Protokollet är redan skickat för justering."))
        ensure_held(meeting)
        ensure_kungjord(meeting)
        justerare = [a for a in meeting.attendance.filter(is_justerare=True).select_related("person") if a.person]
        if meeting.chair is None:
            raise CaseError(_("Ange ordförande innan protokollet skickas för justering."))
        if not justerare:
            raise CaseError(_("Utse minst en justerare innan protokollet skickas för justering."))
        from .attendance import ensure_chair_present, ensure_quorate

        ensure_chair_present(meeting)
        ensure_quorate(meeting)
        paragraphs_assign(meeting, by=by)
        meeting.close()
        meeting.save(update_fields=["status"])
        signers = [(meeting.chair, "ordförande")] + [
            (a.person, "justerare") for a in justerare if a.person != meeting.chair
        ]
        # After a withdrawal the justerare may have changed: only this round's signers sign.
        Signature.objects.filter(meeting=meeting).exclude(person__in=[p for p, _role in signers]).delete()
        for person, role in signers:
            Signature.objects.get_or_create(
                meeting=meeting, person=person, defaults={"municipality_id": meeting.municipality_id, "role": role}
            )
        log(meeting, "protocol.closed", by=by)
        rounds = MeetingEvent.objects.filter(meeting=meeting, action="protocol.withdrawn").count()
        notify(
            [p.user for p, _role in signers if p is not None and p.user is not None],
            key=f"meeting:{meeting.pk}:justering" + (f":{rounds}" if rounds else ""),
            subject=_("Protokoll att justera: %(body)s %(date)s")
            % {"body": meeting.body.name, "date": timezone.localtime(meeting.starts_at).date().isoformat()},
            body=_("Protokollet är klart för justering. Läs det och godkänn i systemet."),
            url=reverse("meetings:sign", args=[meeting.uuid]),
            municipality_id=meeting.municipality_id,
        )
        pdf_request(municipality=meeting.body.municipality, kind="protocol", key=str(meeting.uuid))
    return meeting


def ensure_item_open(item: AgendaItem, *, by: User, what: str) -> None:
    """A § sent to omedelbar justering is frozen (meetings/immediate.py)."""
    from .immediate import ensure_item_open as ensure

    ensure(item, by=by, what=what)


def ensure_held(meeting: Meeting) -> None:
    """No protocol goes to justering, and none is justerat, before the meeting has begun."""
    if clock.now() < meeting.starts_at:
        raise CaseError(
            _("Sammanträdet börjar %(when)s. Protokollet kan inte justeras före sammanträdet.")
            % {"when": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d kl. %H.%M")}
        )


def kungorelse_on(meeting: Meeting) -> date | None:
    """The day the kungörelse went up: a kommunfullmäktige meeting's kallelse puts it on the anslagstavla."""
    if meeting.body.kind != BodyKind.COUNCIL or meeting.called_at is None:
        return None
    return timezone.localdate(meeting.called_at)


def ensure_kungjord(meeting: Meeting) -> None:
    """Kommunallagen 5 kap. 53–54 §§: fullmäktige meets only after a kungörelse on the anslagstavla at
    least a week before, unless the secretary has recorded the legal reason it could not be."""
    if meeting.body.kind != BodyKind.COUNCIL or meeting.kungorelse_exception.strip():
        return
    day = timezone.localtime(meeting.starts_at).date()
    posted = kungorelse_on(meeting)
    if posted is None or (day - posted).days < KUNGORELSE_DAYS:
        raise CaseError(
            _(
                "Fullmäktiges sammanträde kungjordes inte på anslagstavlan minst en vecka i förväg "
                "(kommunallagen 5 kap. 53–54 §§). Ange det lagliga skälet innan protokollet skickas för justering."
            )
        )


@transaction.atomic
def kungorelse_exception_record(meeting: Meeting, *, reason: str, by: User) -> Meeting:
    """The secretary records why a fullmäktige meeting was held without a kungörelse a week ahead
    (e.g. kommunallagen 5 kap. 54 § andra stycket: an extra meeting kungjord at least a day before)."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="kungorelse.exception")
    if meeting.body.kind != BodyKind.COUNCIL:
        raise CaseError(_("Bara fullmäktiges sammanträden kungörs."))
    if not reason.strip():
        raise CaseError(_("Ange det lagliga skälet."))
    meeting.kungorelse_exception = reason.strip()
    meeting.save(update_fields=["kungorelse_exception"])
    log(meeting, "kungorelse.exception", by=by, reason=meeting.kungorelse_exception)
    return meeting


def protocol_sign(meeting: Meeting, *, by: User) -> Meeting:
    """A signer approves exactly the text in front of them: the signature stores the protocol's digest.
    When the last has signed and every signature is over the same digest, the protocol is justerat and
    locked, the anslag goes up on the anslagstavla the same day, and expediering starts."""
    ensure_writable(meeting, by=by, what="protocol.sign", frozen=[MeetingStatus.JUSTERAT])
    from .tasks import expedite_meeting

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
        if meeting.status != MeetingStatus.JUSTERING:
            raise CaseError(_("Protokollet är inte klart för justering."))
        ensure_held(meeting)
        signature = Signature.objects.filter(meeting=meeting, person__user=by, signed_at=None).first()
        if signature is None or not can_sign(by, meeting):
            raise CaseError(_("Du ska inte justera det här protokollet, eller har redan gjort det."))
        signature.user = by
        signature.signed_at = clock.now()
        signature.protocol_hash = protocol_digest(meeting)
        signature.save(update_fields=["user", "signed_at", "protocol_hash"])
        log(meeting, "protocol.signed", by=by, role=signature.role, hash=signature.protocol_hash)
        if not Signature.objects.filter(meeting=meeting, signed_at=None).exists():
            hashes = set(Signature.objects.filter(meeting=meeting).values_list("protocol_hash", flat=True))
            if hashes != {signature.protocol_hash}:
                # Cannot happen through the services (the text is frozen); the guard is for anything else.
                raise CaseError(
                    _(
                        "Underskrifterna gäller inte samma text. Protokollet kan inte bli justerat; "
                        "sekreteraren behöver ta tillbaka det från justering."
                    )
                )
            from cases.pdf import pdf_request

            meeting.protocol_hash = signature.protocol_hash
            _justera(meeting)
            log(meeting, "protocol.justerat", by=by, hash=meeting.protocol_hash)
            pdf_request(municipality=meeting.body.municipality, kind="protocol", key=str(meeting.uuid))
            pdf_request(municipality=meeting.body.municipality, kind=PUBLIC_PROTOCOL, key=str(meeting.uuid))
            from cases.outbox import outbox_enqueue

            outbox_enqueue(expedite_meeting, meeting.pk, municipality_id=meeting.municipality_id)
    return meeting


def protocol_withdraw(meeting: Meeting, *, reason: str, by: User) -> Meeting:
    """The secretary takes the protocol back from justering to change it: every signature given so far
    is withdrawn, the signers are told, and the log keeps what each had signed."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="protocol.withdraw", frozen=[MeetingStatus.JUSTERAT])
    if not reason.strip():
        raise CaseError(_("Ange varför protokollet tas tillbaka från justering."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
        if meeting.status != MeetingStatus.JUSTERING:
            raise CaseError(_("Protokollet är inte under justering."))
        signatures = list(meeting.signatures.select_related("person__user").order_by("pk"))
        withdrawn = [
            {"person": str(s.person), "role": s.role, "hash": s.protocol_hash} for s in signatures if s.signed_at
        ]
        meeting.withdraw()
        meeting.save(update_fields=["status"])
        Signature.objects.filter(meeting=meeting).update(user=None, signed_at=None, protocol_hash="")
        rounds = MeetingEvent.objects.filter(meeting=meeting, action="protocol.withdrawn").count() + 1
        log(meeting, "protocol.withdrawn", by=by, reason=reason.strip(), withdrawn=withdrawn)
        day = timezone.localtime(meeting.starts_at).date().isoformat()
        notify(
            [s.person.user for s in signatures if s.person.user is not None],
            key=f"meeting:{meeting.pk}:withdrawn:{rounds}",
            subject=_("Protokollet har tagits tillbaka från justering: %(body)s %(date)s")
            % {"body": meeting.body.name, "date": day},
            body=_(
                "Sekreteraren har tagit tillbaka protokollet från justering för att ändra det (%(reason)s). "
                "Underskrifter som redan getts är återkallade; du får justera på nytt när protokollet skickas igen."
            )
            % {"reason": reason.strip()},
            url=reverse("meetings:detail", args=[meeting.uuid]),
            municipality_id=meeting.municipality_id,
        )
    return meeting


def _justera(meeting: Meeting) -> None:
    """The last signature: the protocol is locked. The anslag is the secretary's own act
    (meetings.anslag.anslag_publish), by default on the day of justering."""
    meeting.justera()
    meeting.justerat_at = clock.now()
    meeting.storage = meeting.storage or _("%(dept)s, %(name)s") % {
        "dept": meeting.body.name,
        "name": meeting.body.municipality.name,
    }
    meeting.save(update_fields=["status", "justerat_at", "storage", "protocol_hash"])


def protocol_render(meeting: Meeting, *, by: User) -> RenderedPdf:
    """Ask for a fresh protocol PDF (the worker renders it only if the protocol changed)."""
    ensure_may_manage(meeting, by=by)
    from cases.pdf import pdf_request

    return pdf_request(municipality=meeting.body.municipality, kind="protocol", key=str(meeting.uuid))


def correction_add(meeting: Meeting, *, text: str, by: User) -> Correction:
    ensure_may_manage(meeting, by=by)
    if meeting.status != MeetingStatus.JUSTERAT:
        raise CaseError(_("Rättelser görs i justerade protokoll. Ändra protokollet direkt i stället."))
    if not text.strip():
        raise CaseError(_("Skriv vad som rättas."))
    correction = Correction.objects.create(
        municipality_id=meeting.municipality_id, meeting=meeting, text=text.strip(), made_by=by
    )
    log(meeting, "protocol.corrected", by=by, correction=correction.pk)
    return correction


from .anslag import anslag_dates, anslag_publish, anslag_sweep  # noqa: E402, F401 - re-exported for callers
