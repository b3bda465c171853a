"""Attendance as real protocols record it: who was present for which §§, which ersättare served for
whom and when, övriga närvarande, ajourneringar, start and end, who chaired and who kept the
minutes, and beslutförhet per § from who actually served on it.

A range is two agenda items (from and to, both included; None for the start or the end of the
meeting), because the § numbers are given only when the protocol goes to justering. Every write is
all-or-nothing: the whole set is checked before anything is saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Person, Role, User
from cases.services import CaseError

from .models import Adjournment as AdjournmentRow
from .models import AgendaItem, Attendance, ChairRole, Meeting, Recusal, SeatKind
from .services import ensure_may_manage, ensure_writable, log

Span = tuple[float, float]


@dataclass(frozen=True)
class Presence:
    """One called ledamot's or ersättare's attendance: present or not, for which items, and (an
    ersättare) for whom they serve. ``serving_for`` is a Person id."""

    present: bool
    from_item: AgendaItem | None = None
    to_item: AgendaItem | None = None
    serving_for: int | None = None
    called: bool = True


# Showing ranges -------------------------------------------------------------------------------


def item_ref(item: AgendaItem, items: Sequence[AgendaItem]) -> str:
    """'§ 12' once numbered, else 'punkt 3' (its place on the agenda)."""
    if item.paragraph:
        return f"§ {item.paragraph}"
    position = next((n for n, it in enumerate(items, start=1) if it.pk == item.pk), 0)
    return _("punkt %(n)s") % {"n": position}


def span_text(low: AgendaItem | None, high: AgendaItem | None, items: Sequence[AgendaItem]) -> str:
    """'§§ 1–3', '§ 4', 'punkterna 4–8'; '' for the whole meeting."""
    if not items or (low is None and high is None):
        return ""
    first = low if low is not None else items[0]
    last = high if high is not None else items[-1]
    if first.pk == last.pk:
        return item_ref(first, items)
    if first.paragraph and last.paragraph:
        return f"§§ {first.paragraph}–{last.paragraph}"
    a, b = item_ref(first, items), item_ref(last, items)
    return _("punkterna %(a)s–%(b)s") % {"a": a.split()[-1], "b": b.split()[-1]}


def row_span_text(row: Attendance, items: Sequence[AgendaItem]) -> str:
    return span_text(row.from_item, row.to_item, items) if row.is_partial else ""


def _overlap(a: Span, b: Span) -> Span | None:
    low, high = max(a[0], b[0]), min(a[1], b[1])
    return (low, high) if low <= high else None


def _overlap_text(span: Span, items: Sequence[AgendaItem]) -> str:
    inside = [i for i in items if span[0] <= i.ordering <= span[1]]
    if not inside:
        return ""
    return span_text(inside[0], inside[-1], items)


def meeting_items(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("ordering"))


# Beslutförhet per § ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemQuorum:
    item: AgendaItem
    serving: int
    seats: int

    @property
    def quorate(self) -> bool:
        """More than half of the ledamöter take part (KL 6 kap. 28 §, 5 kap. 52 §)."""
        return self.seats > 0 and self.serving * 2 > self.seats


def quorum_by_item(
    meeting: Meeting, *, items: Sequence[AgendaItem] | None = None, rows: Sequence[Attendance] | None = None
) -> list[ItemQuorum]:
    """For each item, how many ledamot seats were filled: by the ledamot present, by an ersättare
    serving for them, or (jäv) by the one who stepped in. A seat is counted once, so never '12 av 11'."""
    items = list(items) if items is not None else meeting_items(meeting)
    if rows is None:
        rows = list(meeting.attendance.select_related("from_item", "to_item"))
    members = {r.person_id for r in rows if r.kind == SeatKind.MEMBER and r.person_id}
    recusals: dict[int, list[Recusal]] = {}
    for recusal in Recusal.objects.filter(item__meeting=meeting):
        recusals.setdefault(recusal.item_id, []).append(recusal)
    out = []
    for item in items:
        filled = {r.person_id for r in rows if r.kind == SeatKind.MEMBER and r.covers(item)}
        filled |= {r.serving_for_id for r in rows if r.kind == SeatKind.DEPUTY and r.serving_for_id and r.covers(item)}
        for recusal in recusals.get(item.pk, []):
            if recusal.substitute_id is None:
                filled.discard(recusal.person_id)
        out.append(ItemQuorum(item=item, serving=len(filled & members), seats=len(members)))
    return out


def quorum_summary(quorums: Sequence[ItemQuorum], items: Sequence[AgendaItem]) -> list[tuple[str, ItemQuorum]]:
    """Consecutive items with the same count as one line: ('§§ 1–3', 11 of 11), ('§§ 4–8', 10 of 11)."""
    groups: list[list[ItemQuorum]] = []
    for q in quorums:
        if groups and (groups[-1][-1].serving, groups[-1][-1].seats) == (q.serving, q.seats):
            groups[-1].append(q)
        else:
            groups.append([q])
    if len(groups) == 1:
        return [("", groups[0][0])] if groups[0] else []
    return [(span_text(g[0].item, g[-1].item, items), g[0]) for g in groups]


def ensure_quorate(meeting: Meeting) -> None:
    """Refuse a protocol with a § on which the body was not beslutför."""
    items = meeting_items(meeting)
    for q in quorum_by_item(meeting, items=items):
        if not q.quorate:
            raise CaseError(
                _(
                    "%(body)s var inte beslutför: %(n)s av %(seats)s ledamöter tjänstgjorde under %(ref)s "
                    "(%(title)s), mer än hälften krävs."
                )
                % {
                    "body": meeting.body.name,
                    "n": q.serving,
                    "seats": q.seats,
                    "ref": item_ref(q.item, items),
                    "title": q.item.title,
                }
            )


def ensure_chair_present(meeting: Meeting) -> None:
    if meeting.chair_id is None:
        return
    present = meeting.attendance.filter(person_id=meeting.chair_id, present=True).exclude(kind=SeatKind.OTHER)
    if not present.exists():
        raise CaseError(
            _("Ordföranden %(name)s är inte närvarande. Välj en närvarande ledamot som ordförande.")
            % {"name": meeting.chair}
        )


# Ledamöter and ersättare -----------------------------------------------------------------------


def _check_span(row: Attendance, items: Sequence[AgendaItem]) -> None:
    low, high = row.span()
    if low > high:
        raise CaseError(
            _("%(name)s: ”från och med” kommer efter ”till och med” på föredragningslistan.")
            % {"name": row.display_name}
        )


def attendance_save(
    meeting: Meeting, *, rows: Mapping[int, Presence], justerare: Sequence[int], by: User
) -> list[Attendance]:
    """Record who came: each called ledamot and ersättare (by Attendance id) present, absent or
    present for a range of items, and which ersättare serves for whom. Refused as a whole if an
    ersättare serves for a ledamot who is present at the same time, if two ersättare serve for the
    same ledamot at once, if a justerare or the chair is not present, or if a range runs backwards."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="attendance")
    with transaction.atomic():
        items = meeting_items(meeting)
        by_pk = {i.pk: i for i in items}
        current = {
            a.pk: a
            for a in meeting.attendance.select_for_update(of=("self",)).select_related("person", "from_item", "to_item")
        }
        called = [a for a in current.values() if a.kind != SeatKind.OTHER]
        member_rows = {a.person_id: a for a in called if a.kind == SeatKind.MEMBER and a.person_id}
        if any(pk not in current or current[pk].kind == SeatKind.OTHER for pk in rows):
            raise CaseError(_("Närvaron gäller bara ledamöter och ersättare som kallats till sammanträdet."))
        if any(pk not in current or current[pk].kind == SeatKind.OTHER for pk in justerare):
            raise CaseError(_("Justerare måste vara närvarande ledamöter."))
        for pk, presence in rows.items():
            row = current[pk]
            for end in (presence.from_item, presence.to_item):
                if end is not None and end.pk not in by_pk:
                    raise CaseError(_("Välj paragrafer från sammanträdets föredragningslista."))
            if presence.serving_for is not None:
                if row.kind != SeatKind.DEPUTY:
                    raise CaseError(_("Bara en ersättare kan tjänstgöra för en ledamot."))
                if presence.serving_for not in member_rows:
                    raise CaseError(
                        _("%(name)s kan bara tjänstgöra för en ledamot som kallats till sammanträdet.")
                        % {"name": row.display_name}
                    )
                if not presence.present:
                    raise CaseError(
                        _("%(name)s är inte närvarande och kan inte tjänstgöra.") % {"name": row.display_name}
                    )
            row.present = presence.present
            row.called = presence.called or presence.present
            row.from_item = by_pk[presence.from_item.pk] if presence.present and presence.from_item else None
            row.to_item = by_pk[presence.to_item.pk] if presence.present and presence.to_item else None
            row.serving_for_id = presence.serving_for
            row.is_justerare = pk in justerare
        for row in called:
            row.is_justerare = row.pk in justerare
            _check_span(row, items)
            if row.is_justerare and not row.present:
                raise CaseError(
                    _("%(name)s är utsedd till justerare men inte närvarande.") % {"name": row.display_name}
                )
        _check_serving(called, member_rows, items)
        chair_row = next((r for r in called if meeting.chair_id and r.person_id == meeting.chair_id), None)
        if chair_row is not None and not chair_row.present:
            raise CaseError(
                _("Ordföranden %(name)s kan inte vara frånvarande. Välj först en annan ordförande bland de närvarande.")
                % {"name": chair_row.display_name}
            )
        for row in called:
            row.save(update_fields=["present", "called", "from_item", "to_item", "serving_for", "is_justerare"])
        rank = {SeatKind.MEMBER: 0, SeatKind.DEPUTY: 1}
        ordered = sorted(called, key=lambda r: (rank.get(SeatKind(r.kind), 2), r.ordering, r.pk))

        def named(row: Attendance) -> str:
            span = row_span_text(row, items)
            return f"{row.display_name} ({span})" if span else row.display_name

        log(
            meeting,
            "attendance.recorded",
            by=by,
            present=[named(r) for r in ordered if r.present],
            justerare=[r.display_name for r in ordered if r.is_justerare],
            serving={named(r): str(member_rows[r.serving_for_id]) for r in ordered if r.serving_for_id},
        )
    return ordered


def _check_serving(
    called: Sequence[Attendance], members: Mapping[int, Attendance], items: Sequence[AgendaItem]
) -> None:
    """An ersättare serves only while the ledamot is away, and one ersättare at a time per seat."""
    deputies = [r for r in called if r.kind == SeatKind.DEPUTY and r.serving_for_id]
    for deputy in deputies:
        member = members.get(deputy.serving_for_id or 0)
        if member is not None and member.present:
            both = _overlap(deputy.span(), member.span())
            if both is not None:
                raise CaseError(
                    _("%(deputy)s kan inte tjänstgöra för %(member)s under %(span)s: %(member)s är närvarande då.")
                    % {
                        "deputy": deputy.display_name,
                        "member": member.display_name,
                        "span": _overlap_text(both, items) or _("sammanträdet"),
                    }
                )
    for n, first in enumerate(deputies):
        for second in deputies[n + 1 :]:
            member = members.get(first.serving_for_id or 0)
            if member is None or first.serving_for_id != second.serving_for_id:
                continue
            both = _overlap(first.span(), second.span())
            if both is not None:
                raise CaseError(
                    _("Både %(a)s och %(b)s tjänstgör för %(member)s under %(span)s. Paragraferna får inte överlappa.")
                    % {
                        "a": first.display_name,
                        "b": second.display_name,
                        "member": member.display_name,
                        "span": _overlap_text(both, items) or _("sammanträdet"),
                    }
                )


# Övriga närvarande -----------------------------------------------------------------------------


def other_present_add(
    meeting: Meeting,
    *,
    name: str,
    title: str,
    from_item: AgendaItem | None = None,
    to_item: AgendaItem | None = None,
    by: User,
) -> Attendance:
    """An official (or anyone else) present, with title, for the whole meeting or some items."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="attendance.other")
    if not name.strip():
        raise CaseError(_("Ange namnet på den som är närvarande."))
    with transaction.atomic():
        items = meeting_items(meeting)
        if any(end is not None and end.meeting_id != meeting.pk for end in (from_item, to_item)):
            raise CaseError(_("Välj paragrafer från sammanträdets föredragningslista."))
        last = meeting.attendance.filter(kind=SeatKind.OTHER).count()
        row = Attendance(
            municipality_id=meeting.municipality_id,
            meeting=meeting,
            name=name.strip(),
            role_text=title.strip(),
            kind=SeatKind.OTHER,
            called=False,
            present=True,
            from_item=from_item,
            to_item=to_item,
            ordering=1000 + last,
        )
        _check_span(row, items)
        row.save()
        log(
            meeting,
            "attendance.other_added",
            by=by,
            name=row.name,
            title=row.role_text,
            span=row_span_text(row, items),
        )
    return row


def other_present_remove(meeting: Meeting, *, row: Attendance, by: User) -> None:
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="attendance.other")
    if row.meeting_id != meeting.pk or row.kind != SeatKind.OTHER:
        raise CaseError(_("Bara övriga närvarande kan tas bort här."))
    with transaction.atomic():
        name = row.display_name
        row.delete()
        log(meeting, "attendance.other_removed", by=by, name=name)


# Ajourneringar ---------------------------------------------------------------------------------


def _start_time(meeting: Meeting) -> time:
    return timezone.localtime(meeting.starts_at).time().replace(second=0, microsecond=0)


def _hm(t: time) -> str:
    return f"{t:%H.%M}"


def adjournment_add(meeting: Meeting, *, starts: time, ends: time, by: User) -> AdjournmentRow:
    """An ajournering: after the start, before the end (if recorded), overlapping no other."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="adjournment")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if ends <= starts:
            raise CaseError(_("Ajourneringen måste sluta efter att den börjar."))
        if starts < _start_time(meeting) or (meeting.end_time is not None and ends > meeting.end_time):
            raise CaseError(
                _("Ajourneringen måste ligga mellan sammanträdets start (kl. %(start)s) och slut.")
                % {"start": _hm(_start_time(meeting))}
            )
        for other in meeting.adjournments.all():
            if starts < other.ends and other.starts < ends:
                raise CaseError(
                    _("Ajourneringen kl. %(a)s–%(b)s överlappar ajourneringen kl. %(c)s–%(d)s.")
                    % {"a": _hm(starts), "b": _hm(ends), "c": _hm(other.starts), "d": _hm(other.ends)}
                )
        adjournment = AdjournmentRow.objects.create(
            municipality_id=meeting.municipality_id, meeting=meeting, starts=starts, ends=ends
        )
        log(meeting, "adjournment.added", by=by, starts=_hm(starts), ends=_hm(ends))
    return adjournment


def adjournment_remove(meeting: Meeting, *, adjournment: AdjournmentRow, by: User) -> None:
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="adjournment")
    if adjournment.meeting_id != meeting.pk:
        raise CaseError(_("Ajourneringen hör till ett annat sammanträde."))
    with transaction.atomic():
        starts, ends = _hm(adjournment.starts), _hm(adjournment.ends)
        adjournment.delete()
        log(meeting, "adjournment.removed", by=by, starts=starts, ends=ends)


# Start, end, chair, minute-taker, justering ----------------------------------------------------


def secretary_candidates(meeting: Meeting) -> list[User]:
    """Who may keep the minutes: the municipality's nämndsekreterare (the body's own first)."""
    users = User.in_municipality.filter(is_active=True, roles__contains=[Role.SECRETARY])
    own = set(meeting.body.secretaries.values_list("pk", flat=True))
    return sorted(users, key=lambda u: (u.pk not in own, u.last_name, u.first_name))


def chair_candidates(meeting: Meeting) -> list[Attendance]:
    """Present ledamöter and serving ersättare: the chair (an ålderspresident too) is one of them."""
    rows = meeting.attendance.filter(present=True).exclude(kind=SeatKind.OTHER).select_related("person")
    return [r for r in rows if r.person_id and (r.kind == SeatKind.MEMBER or r.serving_for_id)]


def meeting_conduct_record(
    meeting: Meeting,
    *,
    start_time: time,
    end_time: time | None,
    chair: Person | None,
    chair_role: str,
    secretary: User,
    justering_place_time: str,
    by: User,
) -> Meeting:
    """When the meeting began and ended, who chaired it (and as what), who kept the minutes, and
    where and when the justering takes place."""
    ensure_may_manage(meeting, by=by)
    ensure_writable(meeting, by=by, what="meeting.conduct")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
        if chair is not None and chair.pk not in {r.person_id for r in chair_candidates(meeting)}:
            raise CaseError(
                _("%(name)s är inte närvarande och kan inte vara ordförande. Välj en närvarande ledamot.")
                % {"name": chair}
            )
        if chair is not None and chair_role not in ChairRole.values:
            raise CaseError(_("Ange som vad ordföranden leder sammanträdet."))
        if end_time is not None and end_time <= start_time:
            raise CaseError(_("Sammanträdet måste sluta efter att det börjar."))
        if secretary.pk not in {u.pk for u in secretary_candidates(meeting)}:
            raise CaseError(_("Protokollföraren måste vara en av kommunens nämndsekreterare."))
        for adjournment in meeting.adjournments.all():
            if adjournment.starts < start_time or (end_time is not None and adjournment.ends > end_time):
                raise CaseError(
                    _("Ajourneringen kl. %(a)s–%(b)s ligger utanför sammanträdets tid. Ändra eller ta bort den först.")
                    % {"a": _hm(adjournment.starts), "b": _hm(adjournment.ends)}
                )
        local = timezone.localtime(meeting.starts_at)
        meeting.starts_at = local.replace(hour=start_time.hour, minute=start_time.minute, second=0, microsecond=0)
        meeting.end_time = end_time
        meeting.chair = chair
        meeting.chair_role = chair_role if chair is not None else ""
        meeting.secretary = secretary
        meeting.justering_place_time = justering_place_time.strip()
        meeting.save(
            update_fields=["starts_at", "end_time", "chair", "chair_role", "secretary", "justering_place_time"]
        )
        log(
            meeting,
            "meeting.conduct",
            by=by,
            starts=_hm(start_time),
            ends=_hm(end_time) if end_time else "",
            chair=str(chair) if chair else "",
            chair_role=str(ChairRole(chair_role).label) if chair is not None else "",
            secretary=secretary.get_full_name() or secretary.username,
            justering=meeting.justering_place_time,
        )
    return meeting


# What the protocol's first page and the meeting page show ---------------------------------------


@dataclass(frozen=True)
class Line:
    """One person as the protocol lists them, with the §§ they were there for ('' = all)."""

    row: Attendance
    span: str


def protocol_people(meeting: Meeting, items: Sequence[AgendaItem], rows: Sequence[Attendance]) -> dict[str, object]:
    """Beslutande (with §-ranges), tjänstgörande ersättare (tjg för, §-ranges), övriga närvarande
    (title, §-ranges), justerare, ajourneringar and beslutförhet per §, ready to print. ``rows`` need
    ``from_item``, ``to_item``, ``person`` and ``serving_for`` loaded."""
    present = [r for r in rows if r.present]

    def lines(selected: list[Attendance]) -> list[Line]:
        return [Line(row=r, span=row_span_text(r, items)) for r in selected]

    quorums = quorum_by_item(meeting, items=items, rows=rows)
    return {
        "members": lines([r for r in present if r.kind == SeatKind.MEMBER]),
        "serving_deputies": lines([r for r in present if r.kind == SeatKind.DEPUTY and r.serving_for_id]),
        "present_deputies": lines([r for r in present if r.kind == SeatKind.DEPUTY and not r.serving_for_id]),
        "others": lines([r for r in present if r.kind == SeatKind.OTHER]),
        "justerare": [r for r in rows if r.is_justerare],
        "adjournments": list(meeting.adjournments.all()),
        "quorum_lines": quorum_summary(quorums, items),
        "quorum_by_item": {q.item.pk: q for q in quorums},
        "chair_label": meeting.get_chair_role_display() if meeting.chair_role else _("ordförande"),
    }
