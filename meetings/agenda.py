"""The föredragningslista the secretary controls: the body's standing items, cases ready for the body,
free items (informationsärenden, val, anmälningar) with or without a case; moved, removed, retitled,
described, given their beslutsunderlag and closed to the public. Every write refuses a protocol
under justering (``ensure_writable``) and, once the kallelse has gone out and the meeting has not
begun, renders the kallelse again and tells those called what changed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import clock
from cases.models import Body, BodyKind, Case, CaseStatus, Document, Remiss, User
from cases.models.diarium import CaseQuerySet
from cases.models.remiss import PENDING
from cases.permissions import is_municipal_administrator
from cases.services import CaseError
from cases.services.notifications import notify
from cases.services.organisation import organisation_event_record
from papers.models import DecisionProposal, Draft, DraftStatus
from papers.services import draft_freeze

from .models import STANDING_ITEMS, AgendaItem, ItemKind, Meeting, MeetingEvent, MeetingStatus, StandingAgenda
from .services import ensure_may_manage, ensure_writable, log

TITLE_MAX = AgendaItem._meta.get_field("title").max_length or 255
SECRECY_MAX = AgendaItem._meta.get_field("secrecy").max_length or 200
DESCRIPTION_MAX = 20000
STANDING_MAX = 30


# The body's standing items (the administrator's) ------------------------------------------------


def standing_items_of(body: Body) -> tuple[list[str], bool]:
    """(titles, numbered): what each new meeting of the body starts with."""
    agenda = StandingAgenda.objects.filter(body=body).first()
    if agenda is None:
        return list(STANDING_ITEMS), body.number_standing_items
    return list(agenda.titles), agenda.numbered and body.number_standing_items


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise CaseError(_("Ange en rubrik."))
    if len(title) > TITLE_MAX:
        raise CaseError(
            _("Rubriken får vara högst %(max)s tecken; den är %(n)s.") % {"max": TITLE_MAX, "n": len(title)}
        )
    return title


@transaction.atomic
def standing_items_set(body: Body, *, titles: Iterable[str], numbered: bool, by: User) -> StandingAgenda:
    """The administrator sets the body's standing items (in order) and whether they get § numbers.
    Meetings already created keep their agenda; the next one starts from these."""
    if not is_municipal_administrator(by):
        raise CaseError(_("Bara kommunens administratör kan ändra organets stående punkter."))
    cleaned: list[str] = []
    for title in titles:
        if not title.strip():
            continue
        title = _clean_title(title)
        if title in cleaned:
            raise CaseError(_("”%(title)s” står två gånger.") % {"title": title})
        cleaned.append(title)
    if len(cleaned) > STANDING_MAX:
        raise CaseError(_("Högst %(max)s stående punkter.") % {"max": STANDING_MAX})
    agenda, _created = StandingAgenda.objects.update_or_create(
        body=body, defaults={"municipality_id": body.municipality_id, "titles": cleaned, "numbered": numbered}
    )
    organisation_event_record(
        body.municipality, action="body.standing_items", target=body, by=by, titles=cleaned, numbered=numbered
    )
    from .numbering import standing_items_numbering_set  # one decision: whether standing items get §§

    standing_items_numbering_set(body, numbered=numbered, by=by)
    return agenda


def standing_items_add(meeting: Meeting) -> None:
    """A new meeting starts with its body's standing items (inside meeting_create's transaction)."""
    titles, numbered = standing_items_of(meeting.body)
    for order, title in enumerate(titles):
        AgendaItem.objects.create(
            municipality_id=meeting.municipality_id,
            meeting=meeting,
            ordering=order,
            kind=ItemKind.STANDING,
            title=title,
            numbered=numbered,
        )


def standing_missing(meeting: Meeting) -> list[str]:
    """The body's standing items the secretary has removed from this meeting (to put back)."""
    titles, _numbered = standing_items_of(meeting.body)
    present = set(meeting.items.filter(kind=ItemKind.STANDING).values_list("title", flat=True))
    return [t for t in titles if t not in present]


# What may go on the agenda ---------------------------------------------------------------------


def proposal_addressee(body: Body | None) -> Body | None:
    """Where a body's förslag till beslut goes: an utskott's to its styrelse or nämnd, kommunstyrelsen's
    to fullmäktige; a nämnd or fullmäktige decides itself."""
    if body is None:
        return None
    if body.parent_id:
        return body.parent
    if body.kind == BodyKind.BOARD:
        return Body.objects.filter(kind=BodyKind.COUNCIL, is_active=True).first()
    return None


def _latest_proposal(case: Case) -> DecisionProposal | None:
    return DecisionProposal.objects.filter(case=case).select_related("body").order_by("-stage").first()


def agenda_candidates(meeting: Meeting) -> list[Draft]:
    """Cases ready for this body: an approved tjänsteutlåtande addressed to it, not yet on an agenda."""
    return list(
        Draft.objects.filter(addressee=meeting.body, status=DraftStatus.APPROVED, agenda_items__isnull=True)
        .select_related("case")
        .order_by("approved_at")
    )


def proposal_candidates(meeting: Meeting) -> list[Case]:
    """Open cases whose latest förslag till beslut comes from a body that proposes to this one
    (KSAU's to KS, KS's to KF), not yet on this meeting's agenda."""
    latest = DecisionProposal.objects.filter(case=OuterRef("pk")).order_by("-stage")
    cases = (
        Case.objects.open()
        .annotate(last_body=Subquery(latest.values("body")[:1]))
        .filter(last_body__isnull=False)
        .exclude(last_body=meeting.body_id)
        .exclude(agenda_items__meeting=meeting)
        .order_by("pk")
    )
    bodies = {b.pk: b for b in Body.objects.filter(pk__in={c.last_body for c in cases})}
    proposed = [c for c in cases if _addressed(bodies.get(c.last_body), meeting.body)]
    own = (
        (delegated_remiss_cases(meeting.body) | motions_to_prepare(meeting.body))
        .exclude(agenda_items__meeting=meeting)
        .exclude(pk__in=[c.pk for c in proposed])
    )
    return proposed + list(own.distinct().order_by("pk"))


def motions_to_prepare(body: Body) -> CaseQuerySet:
    """Motions fullmäktige has left to this body (kommunstyrelsen) for beredning and not yet decided:
    the body's own cases, put on its agenda so that its förslag till beslut goes on to fullmäktige."""
    from motions.models import Motion, MotionStatus

    undecided = [MotionStatus.REFERRED, MotionStatus.IN_PREPARATION, MotionStatus.PREPARED]
    waiting = Motion.objects.filter(status__in=undecided)
    return Case.objects.open().filter(body=body, pk__in=waiting.values("case"))


def delegated_remiss_cases(body: Body) -> CaseQuerySet:
    """The parent nämnd's open remiss cases (received, not yet answered) that an utskott answering
    remisser by delegation may decide (an empty queryset for any other body)."""
    parent = body.answers_for
    if parent is None:
        return Case.objects.none()
    pending = Remiss.objects.filter(to_body=parent, status__in=PENDING, answer_source=None)
    return Case.objects.open().filter(body=parent, pk__in=pending.values("response_case"))


def _addressed(proposer: Body | None, body: Body) -> bool:
    addressee = proposal_addressee(proposer)
    return addressee is not None and addressee.pk == body.pk


def free_item_cases(meeting: Meeting) -> list[Case]:
    """The cases a free item may name: open cases addressed to this body (its own, or with a paper or a
    förslag till beslut to it)."""
    own = Q(body=meeting.body) | Q(drafts__addressee=meeting.body)
    return list(Case.objects.filter(own, status=CaseStatus.OPEN).distinct().order_by("-registered_on", "pk")[:200])


def case_addressed_to(case: Case, body: Body) -> bool:
    if case.body_id == body.pk or Draft.objects.filter(case=case, addressee=body).exists():
        return True
    if delegated_remiss_cases(body).filter(pk=case.pk).exists():
        return True
    proposal = _latest_proposal(case)
    return proposal is not None and _addressed(proposal.body, body)


# Adding ------------------------------------------------------------------------------------------


def _next_order(meeting: Meeting) -> int:
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("ordering"))["m"]
    return 0 if last is None else last + 1


def _append_case_item(meeting: Meeting, *, case: Case, by: User, **fields: Any) -> AgendaItem:
    """Add a case at the end of the agenda (inside the caller's transaction), once per meeting."""
    if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
        raise CaseError(_("Ärendet finns redan på föredragningslistan."))
    item = AgendaItem.objects.create(
        municipality_id=meeting.municipality_id,
        meeting=meeting,
        ordering=_next_order(meeting),
        kind=ItemKind.CASE,
        case=case,
        **fields,
    )
    log(meeting, "agenda.added", by=by, item=str(item.uuid), case=case.diarienummer, title=item.title)
    agenda_changed(meeting, by=by, change=_("Nytt ärende: %(title)s") % {"title": item.title})
    return item


def agenda_add(meeting: Meeting, *, draft: Draft, by: User) -> AgendaItem:
    """Put a case on the agenda with its approved tjänsteutlåtande; the paper is frozen."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="agenda.add")
    with transaction.atomic():
        if draft.status != DraftStatus.APPROVED:
            raise CaseError(_("Bara ett godkänt utlåtande kan läggas på föredragningslistan."))
        if draft.addressee_id != meeting.body_id:
            raise CaseError(_("Utlåtandet är inte ställt till %(body)s.") % {"body": meeting.body.name})
        paper = draft.paper
        item = _append_case_item(
            meeting,
            case=draft.case,
            by=by,
            title=draft.title[:TITLE_MAX],
            draft=draft,
            description=_plain(paper.sections.get("arendebeskrivning", "")),
            decision="\n".join(paper.proposal),
            dispatch=list(paper.dispatch),
        )
        draft_freeze(draft, by=by)
    return item


def _plain(html: str) -> str:
    from django.utils.html import strip_tags

    return strip_tags(str(html)).strip()[:DESCRIPTION_MAX]


def agenda_add_case(meeting: Meeting, *, case: Case, by: User) -> AgendaItem:
    """Put a case on the agenda with the previous body's förslag till beslut as the starting point,
    or one of the body's own cases (its decision written at the meeting), or, for an utskott answering
    remisser by delegation, its nämnd's remiss case."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="agenda.add")
    with transaction.atomic():
        proposal = _latest_proposal(case)
        proposed_here = proposal is not None and _addressed(proposal.body, meeting.body)
        delegated = delegated_remiss_cases(meeting.body).filter(pk=case.pk).exists()
        if not proposed_here and not delegated and case.body_id != meeting.body_id:
            raise CaseError(
                _("Ärendet %(dnr)s har inget förslag till beslut ställt till %(body)s.")
                % {"dnr": case.diarienummer, "body": meeting.body.name}
            )
        satser = proposal.satser if proposal is not None and proposed_here else []
        return _append_case_item(meeting, case=case, by=by, title=case.title[:TITLE_MAX], decision="\n".join(satser))


def agenda_add_free(
    meeting: Meeting, *, title: str, case: Case | None = None, description: str = "", by: User
) -> AgendaItem:
    """An informationsärende, a val or an anmälan, with or without a case addressed to this body."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="agenda.add")
    title = _clean_title(title)
    if len(description) > DESCRIPTION_MAX:
        raise CaseError(_("Ärendebeskrivningen får vara högst %(max)s tecken.") % {"max": DESCRIPTION_MAX})
    if case is not None and not case_addressed_to(case, meeting.body):
        raise CaseError(
            _("Ärendet %(dnr)s är inte ställt till %(body)s.") % {"dnr": case.diarienummer, "body": meeting.body.name}
        )
    with transaction.atomic():
        if case is not None and AgendaItem.objects.filter(meeting=meeting, case=case).exists():
            raise CaseError(_("Ärendet finns redan på föredragningslistan."))
        item = AgendaItem.objects.create(
            municipality_id=meeting.municipality_id,
            meeting=meeting,
            ordering=_next_order(meeting),
            kind=ItemKind.FREE,
            case=case,
            title=title,
            description=description.strip(),
        )
        log(meeting, "agenda.added", by=by, item=str(item.uuid), case=case.diarienummer if case else "", title=title)
        agenda_changed(meeting, by=by, change=_("Ny punkt: %(title)s") % {"title": title})
    return item


def agenda_add_standing(meeting: Meeting, *, title: str, by: User) -> AgendaItem:
    """Put back one of the body's standing items the secretary removed from this meeting."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="agenda.add")
    titles, numbered = standing_items_of(meeting.body)
    if title not in titles:
        raise CaseError(_("%(body)s har ingen sådan stående punkt.") % {"body": meeting.body.name})
    with transaction.atomic():
        if meeting.items.filter(kind=ItemKind.STANDING, title=title).exists():
            raise CaseError(_("”%(title)s” finns redan på föredragningslistan.") % {"title": title})
        item = AgendaItem.objects.create(
            municipality_id=meeting.municipality_id,
            meeting=meeting,
            ordering=_next_order(meeting),
            kind=ItemKind.STANDING,
            title=title,
            numbered=numbered,
        )
        log(meeting, "agenda.added", by=by, item=str(item.uuid), case="", title=title)
        agenda_changed(meeting, by=by, change=_("Ny punkt: %(title)s") % {"title": title})
    return item


# Changing --------------------------------------------------------------------------------------


def _renumber(items: list[AgendaItem]) -> None:
    """Store the list's order (the unique constraint on ordering is deferred to the commit)."""
    for order, it in enumerate(items):
        if it.ordering != order:
            it.ordering = order
            it.save(update_fields=["ordering"])


def agenda_move(item: AgendaItem, *, up: bool, by: User) -> None:
    """One step up or down; the first item cannot go further up, nor the last further down."""
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="agenda.move")
    with transaction.atomic():
        items = list(AgendaItem.objects.select_for_update().filter(meeting=item.meeting_id).order_by("ordering"))
        index = next(i for i, it in enumerate(items) if it.pk == item.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
            _renumber(items)
            log(
                item.meeting,
                "agenda.moved",
                by=by,
                item=str(item.uuid),
                title=item.title,
                direction="up" if up else "down",
                position=other + 1,
            )
            agenda_changed(
                item.meeting,
                by=by,
                change=_("%(title)s flyttades till plats %(n)s") % {"title": item.title, "n": other + 1},
            )


def agenda_move_to(item: AgendaItem, *, position: int, by: User) -> None:
    """Move an item to a place on the list, 1 being the first."""
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="agenda.move")
    with transaction.atomic():
        items = list(AgendaItem.objects.select_for_update().filter(meeting=item.meeting_id).order_by("ordering"))
        if not 1 <= position <= len(items):
            raise CaseError(_("Ange en plats mellan 1 och %(n)s.") % {"n": len(items)})
        index = next(i for i, it in enumerate(items) if it.pk == item.pk)
        if index == position - 1:
            return
        moving = items.pop(index)
        items.insert(position - 1, moving)
        _renumber(items)
        log(item.meeting, "agenda.moved", by=by, item=str(item.uuid), title=item.title, position=position)
        agenda_changed(
            item.meeting, by=by, change=_("%(title)s flyttades till plats %(n)s") % {"title": item.title, "n": position}
        )


def agenda_remove(item: AgendaItem, *, by: User) -> None:
    """Take an item off the agenda, with whatever was recorded under it. A case's paper becomes a
    candidate again (it stays frozen: it has been sent out)."""
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="agenda.remove")
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().filter(pk=item.pk).first()
        if locked is None:
            raise CaseError(_("Punkten finns inte längre på föredragningslistan."))
        if locked.paragraph is not None:
            # The § numbers run without gaps per body and year; a numbered § stays, its decision can say "utgår".
            raise CaseError(
                _(
                    "Punkten har fått § %(n)s och kan inte tas bort, eftersom paragrafnumren löper utan luckor. "
                    "Skriv i stället i beslutet att ärendet utgår."
                )
                % {"n": locked.paragraph}
            )
        title = locked.title
        locked.delete()
        items = list(AgendaItem.objects.select_for_update().filter(meeting=item.meeting_id).order_by("ordering"))
        _renumber(items)
        log(
            item.meeting,
            "agenda.removed",
            by=by,
            item=str(item.uuid),
            title=title,
            case=item.case.diarienummer if item.case_id and item.case else "",
        )
        agenda_changed(item.meeting, by=by, change=_("%(title)s togs bort") % {"title": title})


def agenda_item_update(
    item: AgendaItem,
    *,
    title: str,
    description: str = "",
    secrecy: str = "",
    documents: Iterable[Document] = (),
    by: User,
) -> AgendaItem:
    """The item as it stands on the agenda: its title (e.g. "Svar på motion angående X – Namn (Parti)"),
    its ärendebeskrivning, the case documents chosen as beslutsunderlag, and sekretess with the OSL
    provision that closes it to the public."""
    ensure_may_manage(item.meeting, by=by)
    ensure_writable(item.meeting, by=by, what="agenda.edit")
    title = _clean_title(title)
    description = description.strip()
    secrecy = " ".join(secrecy.split())
    if len(description) > DESCRIPTION_MAX:
        raise CaseError(_("Ärendebeskrivningen får vara högst %(max)s tecken.") % {"max": DESCRIPTION_MAX})
    if len(secrecy) > SECRECY_MAX:
        raise CaseError(_("Sekretessbestämmelsen får vara högst %(max)s tecken.") % {"max": SECRECY_MAX})
    documents = list(documents)
    if any(d.case_id != item.case_id for d in documents):
        raise CaseError(_("Beslutsunderlaget väljs bland ärendets egna handlingar."))
    with transaction.atomic():
        before = (item.title, item.secrecy, sorted(item.documents.values_list("pk", flat=True)), item.description)
        item.title, item.description, item.secrecy = title, description, secrecy
        item.save(update_fields=["title", "description", "secrecy"])
        item.documents.set(documents)
        after = (title, secrecy, sorted(d.pk for d in documents), description)
        if before == after:
            return item
        log(
            item.meeting,
            "agenda.edited",
            by=by,
            item=str(item.uuid),
            title=title,
            before=before[0],
            secrecy=secrecy,
            documents=[f"{d.case.diarienummer}:{d.sequence}" for d in documents],
        )
        change = _("%(title)s ändrades") % {"title": title}
        if before[0] != title:
            change = _("%(before)s heter nu %(title)s") % {"before": before[0], "title": title}
        agenda_changed(item.meeting, by=by, change=change)
    return item


# The kallelse after a change -------------------------------------------------------------------


def agenda_changed(meeting: Meeting, *, by: User, change: str) -> None:
    """Once the kallelse is out and until the meeting begins, a change to the agenda renders the
    kallelse again (it lists the changes since it went out) and tells everyone called, in the inbox
    and by e-mail. Inside the caller's transaction."""
    if meeting.status != MeetingStatus.CALLED or meeting.called_at is None or clock.now() >= meeting.starts_at:
        return
    from cases.pdf import pdf_request

    pdf_request(municipality=meeting.body.municipality, kind="kallelse", key=str(meeting.uuid))
    rounds = MeetingEvent.objects.filter(meeting=meeting, action="kallelse.revised").count() + 1
    log(meeting, "kallelse.revised", by=by, change=change, round=rounds)
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    users = [a.person.user for a in meeting.attendance.select_related("person__user") if a.person and a.person.user]
    notify(
        users,
        key=f"meeting:{meeting.pk}:revised:{rounds}",
        subject=_("Ändrad föredragningslista: %(body)s %(date)s") % {"body": meeting.body.name, "date": day},
        body=_(
            "Föredragningslistan till %(body)s %(date)s har ändrats: %(change)s. Den nya kallelsen finns i systemet."
        )
        % {"body": meeting.body.name, "date": day, "change": change},
        url=reverse("meetings:detail", args=[meeting.uuid]),
        municipality_id=meeting.municipality_id,
    )


def kallelse_revisions(meeting: Meeting) -> list[MeetingEvent]:
    """The changes to the agenda since the kallelse went out, oldest first (shown in the kallelse)."""
    return list(MeetingEvent.objects.filter(meeting=meeting, action="kallelse.revised").order_by("at", "pk"))


def is_frozen(meeting: Meeting) -> bool:
    return meeting.status in (MeetingStatus.JUSTERING, MeetingStatus.JUSTERAT)
