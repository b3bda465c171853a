"""Use cases of meetings and protocols. From the moment the protocol is sent to justering its text is
frozen: every attempt to change it is refused, and the refusal is logged in its own transaction so
the trace survives the rollback. Only protocol_withdraw (which withdraws every signature) opens it
again; a justerat protocol never opens again (a rättelse is added instead)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import clock, workdays
from cases.models import Body, BodyKind, Case, Membership, Person, RenderedPdf, SeatRole, User
from cases.services import CaseError
from cases.services.notifications import notify
from motions.models import MotionOutcome
from papers.models import DecisionProposal, Draft, DraftStatus
from papers.services import draft_freeze

from .integrity import protocol_digest
from .models import (
    STANDING_ITEMS,
    AgendaItem,
    Attendance,
    Ballot,
    Correction,
    FloorMotion,
    ItemKind,
    Meeting,
    MeetingEvent,
    MeetingStatus,
    ParagraphCounter,
    Recusal,
    Reservation,
    SeatKind,
    Signature,
    Vote,
    VoteChoice,
)
from .permissions import can_create_meeting, can_manage_meeting, can_sign

PUBLIC_PROTOCOL = "protocol-public"  # the anslagstavla's PDF: §§ under sekretess show only number and provision
KUNGORELSE_DAYS = 7  # Kommunallagen 5 kap. 53 §: a week before the KF meeting


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
    if current in frozen:
        with transaction.atomic(durable=not connection.in_atomic_block):
            log(meeting, "write.refused", by=by, what=what, status=current)
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
    for order, title in enumerate(STANDING_ITEMS):
        AgendaItem.objects.create(
            municipality_id=body.municipality_id, meeting=meeting, ordering=order, kind=ItemKind.STANDING, title=title
        )
    log(meeting, "meeting.created", by=by)
    return meeting


def agenda_candidates(meeting: Meeting) -> list[Draft]:
    """Cases ready for this body: an approved tjänsteutlåtande addressed to it, not yet on an agenda."""
    return list(
        Draft.objects.filter(addressee=meeting.body, status=DraftStatus.APPROVED, agenda_items__isnull=True)
        .select_related("case")
        .order_by("approved_at")
    )


def _append_case_item(meeting: Meeting, *, case: Case, by: User, **fields: Any) -> AgendaItem:
    """Add a case at the end of the agenda (inside the caller's transaction), once per meeting."""
    if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
        raise CaseError(_("Ärendet finns redan på föredragningslistan."))
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("ordering"))["m"] or 0
    item = AgendaItem.objects.create(
        municipality_id=meeting.municipality_id,
        meeting=meeting,
        ordering=last + 1,
        kind=ItemKind.CASE,
        case=case,
        **fields,
    )
    log(meeting, "agenda.added", by=by, item=str(item.uuid), case=case.diarienummer)
    return item


def agenda_add(meeting: Meeting, *, draft: Draft, by: User) -> AgendaItem:
    """Put a case on the agenda with its approved tjänsteutlåtande; the paper is frozen."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="agenda.add")
    with transaction.atomic():
        if draft.status != DraftStatus.APPROVED:
            raise CaseError(_("Bara ett godkänt utlåtande kan läggas på föredragningslistan."))
        item = _append_case_item(
            meeting,
            case=draft.case,
            by=by,
            title=draft.title,
            draft=draft,
            decision="\n".join(draft.paper.proposal),
            dispatch=list(draft.paper.dispatch),
        )
        draft_freeze(draft, by=by)
    return item


def proposal_candidates(meeting: Meeting) -> list[Case]:
    """Open cases carrying a förslag till beslut from another body (KSAU's to KS, KS's to KF) that are
    not yet on this meeting's agenda."""
    latest = DecisionProposal.objects.filter(case=OuterRef("pk")).order_by("-stage")
    return list(
        Case.objects.open()
        .annotate(last_body=Subquery(latest.values("body")[:1]))
        .filter(last_body__isnull=False)
        .exclude(last_body=meeting.body_id)
        .exclude(agenda_items__meeting=meeting)
        .order_by("pk")
    )


def agenda_add_case(meeting: Meeting, *, case: Case, by: User) -> AgendaItem:
    """Put a case on the agenda with the latest body's förslag till beslut as the starting point."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="agenda.add")
    with transaction.atomic():
        proposal = DecisionProposal.objects.filter(case=case).order_by("-stage").first()
        return _append_case_item(
            meeting, case=case, by=by, title=case.title, decision="\n".join(proposal.satser) if proposal else ""
        )


def agenda_move(item: AgendaItem, *, up: bool, by: User) -> None:
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="agenda.move")
    with transaction.atomic():
        items = list(AgendaItem.objects.select_for_update().filter(meeting=item.meeting_id).order_by("ordering"))
        index = next(i for i, it in enumerate(items) if it.pk == item.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(items):
            items[index].ordering, items[other].ordering = items[other].ordering, items[index].ordering
            for it in (items[index], items[other]):
                it.save(update_fields=["ordering"])
            log(
                item.meeting,
                "agenda.moved",
                by=by,
                item=str(item.uuid),
                title=item.title,
                direction="up" if up else "down",
            )


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
    """present / justerare: Attendance ids; serving: deputy's Attendance id -> (Person id served for, §§)."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="attendance")
    with transaction.atomic():
        rows = {a.pk: a for a in meeting.attendance.select_for_update()}
        if len([pk for pk in justerare if pk in rows]) != len(justerare):
            raise CaseError(_("Justerare måste vara närvarande ledamöter."))
        members = {a.person_id for a in rows.values() if a.kind == SeatKind.MEMBER and a.person_id}
        for pk, (served_for, _paragraphs) in serving.items():
            if pk not in rows or rows[pk].kind != SeatKind.DEPUTY:
                raise CaseError(_("Bara en ersättare kan tjänstgöra för en ledamot."))
            if served_for is not None and served_for not in members:
                raise CaseError(
                    _("%(name)s kan bara tjänstgöra för en ledamot som kallats till sammanträdet.")
                    % {"name": rows[pk].display_name}
                )
        for pk, row in rows.items():
            row.present = pk in present
            row.is_justerare = pk in justerare
            served = serving.get(pk)
            row.serving_for_id, row.serving_paragraphs = served if served else (None, "")
            if row.is_justerare and not row.present:
                raise CaseError(
                    _("%(name)s är utsedd till justerare men inte närvarande.") % {"name": row.display_name}
                )
            row.save(update_fields=["present", "is_justerare", "serving_for", "serving_paragraphs"])
        rank = {SeatKind.MEMBER: 0, SeatKind.DEPUTY: 1, SeatKind.OTHER: 2}
        ordered = sorted(rows.values(), key=lambda r: (rank.get(SeatKind(r.kind), 3), r.ordering, r.pk))
        log(
            meeting,
            "attendance.recorded",
            by=by,
            present=[r.display_name for r in ordered if r.present],
            justerare=[r.display_name for r in ordered if r.is_justerare],
            serving={r.display_name: str(r.serving_for) for r in ordered if r.serving_for_id},
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
    rows = item.meeting.attendance.filter(present=True).select_related("person")
    return [
        a
        for a in rows
        if a.person_id
        and a.person_id not in recused
        and (a.kind == SeatKind.MEMBER or a.serving_for_id or a.person_id in substitutes)
    ]


def reservation_add(item: AgendaItem, *, person: Person, text: str = "", by: User) -> Reservation:
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="item.reservation")
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


def paragraphs_assign(meeting: Meeting) -> None:
    """Give the meeting's items §-numbers, running per body and calendar year, gap-free: one upsert
    reserves the whole block under the counter row's lock, inside the closing transaction."""
    items = list(meeting.items.filter(paragraph=None).order_by("ordering"))
    if not items:
        return
    year = timezone.localtime(meeting.starts_at).year
    table = ParagraphCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (municipality_id, body_id, year, last_number) VALUES (%s, %s, %s, %s)
            ON CONFLICT (body_id, year) DO UPDATE SET last_number = {table}.last_number + EXCLUDED.last_number
            RETURNING last_number
            """,  # noqa: S608 - the table name comes from the model
            [meeting.municipality_id, meeting.body_id, year, len(items)],
        )
        (last,) = cursor.fetchone()
    first = last - len(items) + 1
    for offset, item in enumerate(items):
        item.paragraph = first + offset
        item.save(update_fields=["paragraph"])


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
        serving, seats, quorate = quorum(meeting)
        if not quorate:
            raise CaseError(
                _("%(body)s var inte beslutför: %(n)s av %(seats)s ledamöter tjänstgjorde, mer än hälften krävs.")
                % {"body": meeting.body.name, "n": serving, "seats": seats}
            )
        paragraphs_assign(meeting)
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
        meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
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
            anslag_post(meeting, by=by, on=clock.today())
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


def anslag_dates(posted_on: date) -> tuple[date, date]:
    """(last day to appeal, earliest day the notice may come down): KL 13 kap. 5 § and 8 kap. 12 §."""
    appeal_ends = workdays.appeal_period_ends(posted_on)
    return appeal_ends, appeal_ends + timedelta(days=1)


def anslag_post(meeting: Meeting, *, by: User, on: date) -> None:
    meeting.justera()
    meeting.justerat_at = clock.now()
    meeting.anslag_on = on
    meeting.appeal_ends_on, meeting.anslag_removed_on = anslag_dates(on)
    meeting.storage = meeting.storage or _("%(dept)s, %(name)s") % {
        "dept": meeting.body.name,
        "name": meeting.body.municipality.name,
    }
    meeting.save(
        update_fields=[
            "status",
            "justerat_at",
            "anslag_on",
            "appeal_ends_on",
            "anslag_removed_on",
            "storage",
            "protocol_hash",
        ]
    )
    log(meeting, "anslag.posted", by=by, on=on.isoformat(), appeal_ends=meeting.appeal_ends_on.isoformat())


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


def anslag_sweep(today: date | None = None) -> int:
    """Daily: record in each meeting's log the day its anslag came down (the evidence of how long
    the notice was up). Idempotent: a meeting gets one 'anslag.removed' entry."""
    today = today or clock.today()
    done = 0
    due = Meeting.objects.filter(status=MeetingStatus.JUSTERAT, anslag_removed_on__lte=today).exclude(
        events__action="anslag.removed"
    )
    for meeting in due:
        log(
            meeting,
            "anslag.removed",
            by=None,
            on=meeting.anslag_removed_on.isoformat(),
            up_since=meeting.anslag_on.isoformat(),
        )
        done += 1
    return done
