"""Minute-taking: one page per §, with the previous and next § a link away. Each part of the page
(yrkanden, beslut, omröstning, reservationer and jäv) is its own form posting to its own URL; with
htmx the answer is that part alone, swapped in place (no reload, no jump to the top: focus moves to the
part's confirmation), without htmx a redirect back to the page. Only the secretary reaches these (404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms import error_text
from cases.http import AuthedRequest
from cases.models import Person
from cases.permissions import diarium_user_required
from cases.services import CaseError

from . import minutes, services
from .agenda import is_frozen
from .forms import FloorMotionForm, ItemForm, RecusalForm, ReservationForm, VoteForm
from .forms_agenda import FloorMotionEditForm, RemoveForm, rows_of
from .models import AgendaItem, Attendance, Vote
from .permissions import get_item_for_user, get_managed_meeting

SECTIONS = ("yrkanden", "beslut", "omrostning", "reservationer")


def _item_for(request: AuthedRequest, meeting: str, item: str) -> AgendaItem:
    return get_item_for_user(request.user, get_managed_meeting(request.user, meeting), item)


def _people(item: AgendaItem) -> QuerySet[Person]:
    """Those with an attendance row at the meeting: the people a § can name."""
    return Person.objects.filter(pk__in=item.meeting.attendance.exclude(person=None).values("person")).order_by(
        "last_name", "first_name"
    )


def _vote_edit_form(vote: Vote, voters: list[Attendance]) -> VoteForm:
    """The omröstning as recorded, to correct: its own prefix, so its fields' ids are its own."""
    initial: dict[str, Any] = {"yes_means": vote.yes_means, "no_means": vote.no_means}
    initial |= {f"ballot_{b.person_id}": b.choice for b in vote.ballots.all()}
    return VoteForm(voters=voters, prefix=f"vote{vote.pk}", initial=initial)


def _context(item: AgendaItem, **overrides: Any) -> dict[str, Any]:
    voters = services.voters_of(item)
    items = list(item.meeting.items.order_by("ordering").only("uuid", "title", "paragraph", "ordering"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    context: dict[str, Any] = {
        "meeting": item.meeting,
        "item": item,
        "position": index + 1,
        "count": len(items),
        "previous": items[index - 1] if index > 0 else None,
        "next": items[index + 1] if index + 1 < len(items) else None,
        "writable": not is_frozen(item.meeting),
        "form": ItemForm(item=item),
        "vote_form": VoteForm(voters=voters, prefix="vote"),
        "people": list(_people(item)),
        "yrkanden": list(item.yrkanden.select_related("mover")),
        "votes": [(vote, _vote_edit_form(vote, voters)) for vote in item.votes.prefetch_related("ballots__person")],
        "reservations": list(item.reservations.select_related("person")),
        "recusals": list(item.recusals.select_related("person", "substitute")),
    }
    context.update(overrides)
    return context


def _page(request: AuthedRequest, item: AgendaItem, **overrides: Any) -> HttpResponse:
    return render(request, "meetings/item_edit.html", _context(item, **overrides))


def _to_item(item: AgendaItem) -> HttpResponseRedirect:
    return redirect("meetings:item", meeting=item.meeting.uuid, item=item.uuid)


def _answer(
    request: AuthedRequest,
    item: AgendaItem,
    section: str,
    *,
    done: str = "",
    error: str = "",
    **overrides: Any,
) -> HttpResponse:
    """htmx: the section alone, saying what happened; otherwise back to the page with a message."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif done and section == "beslut":  # the other parts show themselves on the page
            messages.success(request, done)
        return _to_item(item)
    context = _context(item, **overrides)
    html = render_to_string(
        f"meetings/agenda/_minutes_{section}.html", {**context, "done": done, "error": error}, request=request
    )
    if section == "reservationer":  # a jäv changes who votes: the omröstning's form follows
        html += render_to_string("meetings/agenda/_minutes_omrostning.html", {**context, "oob": True}, request=request)
    return HttpResponse(html)


# Old forms posted every action to the § page with action=…; a 307 keeps the method and the body.
LEGACY_ITEM_ACTIONS = {
    "save": "meetings:item-save",
    "yrkande": "meetings:item-yrkande",
    "vote": "meetings:item-vote",
    "reservation": "meetings:item-reservation",
    "jav": "meetings:item-jav",
}


@diarium_user_required
@require_http_methods(["GET", "POST"])
def item_edit(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    if request.method == "POST":
        name = LEGACY_ITEM_ACTIONS.get(request.POST.get("action", "save"))
        if name is None:
            raise Http404
        return HttpResponseRedirect(reverse(name, args=[agenda_item.meeting.uuid, agenda_item.uuid]), status=307)
    return _page(request, agenda_item)


@diarium_user_required
@require_POST
def item_save(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    form = ItemForm(request.POST, item=agenda_item)
    if form.is_valid():
        try:
            services.item_record(agenda_item, by=request.user, **form.cleaned_data)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            return _answer(request, agenda_item, "beslut", done=_("Paragrafen är sparad."))
    if request.htmx:
        return _answer(request, agenda_item, "beslut", form=form)  # the section's error summary names each
    return _page(request, agenda_item, form=form)


@diarium_user_required
@require_POST
def floor_motion_add(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    form = FloorMotionForm(request.POST, people=_people(agenda_item))
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.floor_motion_add(
            agenda_item, mover=form.cleaned_data["mover"], text=form.cleaned_data["text"], by=request.user
        )
    except CaseError as error:
        return _answer(request, agenda_item, "yrkanden", error=str(error))
    return _answer(request, agenda_item, "yrkanden", done=_("Yrkandet är infört."))


@diarium_user_required
@require_POST
def floor_motion_edit(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    chosen = RemoveForm(request.POST, queryset=rows_of(agenda_item, "yrkande"))
    form = FloorMotionEditForm(request.POST, people=_people(agenda_item))
    try:
        if not chosen.is_valid():
            raise CaseError(error_text(chosen))
        if not form.is_valid():
            raise CaseError(error_text(form))
        minutes.floor_motion_update(
            chosen.cleaned_data["row"],
            mover=form.cleaned_data["mover"],
            text=form.cleaned_data["text"],
            by=request.user,
        )
    except CaseError as error:
        return _answer(request, agenda_item, "yrkanden", error=str(error))
    return _answer(request, agenda_item, "yrkanden", done=_("Yrkandet är ändrat."))


@diarium_user_required
@require_POST
def vote_record(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    vote_form = VoteForm(request.POST, voters=services.voters_of(agenda_item), prefix="vote")
    if vote_form.is_valid():
        try:
            services.vote_record(agenda_item, by=request.user, **vote_form.result())
        except CaseError as error:
            return _answer(request, agenda_item, "omrostning", error=str(error), vote_form=vote_form)
        return _answer(request, agenda_item, "omrostning", done=_("Omröstningen är förd."))
    if request.htmx:
        return _answer(request, agenda_item, "omrostning", error=error_text(vote_form), vote_form=vote_form)
    return _page(request, agenda_item, vote_form=vote_form)


@diarium_user_required
@require_POST
def vote_edit(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    chosen = RemoveForm(request.POST, queryset=rows_of(agenda_item, "vote"))
    if not chosen.is_valid():
        return _answer(request, agenda_item, "omrostning", error=error_text(chosen))
    vote = chosen.cleaned_data["row"]
    vote.item = agenda_item
    form = VoteForm(request.POST, voters=services.voters_of(agenda_item), prefix=f"vote{vote.pk}")
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        minutes.vote_update(vote, by=request.user, **form.result())
    except CaseError as error:
        return _answer(request, agenda_item, "omrostning", error=str(error))
    return _answer(request, agenda_item, "omrostning", done=_("Omröstningen är ändrad."))


@diarium_user_required
@require_POST
def reservation_add(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    form = ReservationForm(request.POST, people=_people(agenda_item))
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.reservation_add(
            agenda_item, person=form.cleaned_data["person"], text=form.cleaned_data["text"], by=request.user
        )
    except CaseError as error:
        return _answer(request, agenda_item, "reservationer", error=str(error))
    return _answer(request, agenda_item, "reservationer", done=_("Reservationen är införd."))


@diarium_user_required
@require_POST
def recusal_add(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    form = RecusalForm(request.POST, people=_people(agenda_item))
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        if form.cleaned_data["substitute"] == form.cleaned_data["person"]:
            raise CaseError(_("Den som anmäler jäv kan inte tjänstgöra i sitt eget ställe."))
        services.recusal_add(
            agenda_item, person=form.cleaned_data["person"], substitute=form.cleaned_data["substitute"], by=request.user
        )
    except CaseError as error:
        return _answer(request, agenda_item, "reservationer", error=str(error))
    return _answer(request, agenda_item, "reservationer", done=_("Jävet är infört."))


REMOVALS: dict[str, tuple[str, Callable[..., None], Promise]] = {
    # kind: (section, service, what the page says)
    "yrkande": ("yrkanden", minutes.floor_motion_remove, gettext_lazy("Yrkandet är borttaget.")),
    "vote": ("omrostning", minutes.vote_remove, gettext_lazy("Omröstningen är borttagen.")),
    "reservation": ("reservationer", minutes.reservation_remove, gettext_lazy("Reservationen är borttagen.")),
    "jav": ("reservationer", minutes.recusal_remove, gettext_lazy("Jävet är borttaget.")),
}


def _remove(request: AuthedRequest, meeting: str, item: str, kind: str) -> HttpResponse:
    agenda_item = _item_for(request, meeting, item)
    section, service, done = REMOVALS[kind]
    form = RemoveForm(request.POST, queryset=rows_of(agenda_item, kind))
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        row = form.cleaned_data["row"]
        row.item = agenda_item
        service(row, by=request.user)
    except CaseError as error:
        return _answer(request, agenda_item, section, error=str(error))
    return _answer(request, agenda_item, section, done=str(done))


@diarium_user_required
@require_POST
def floor_motion_remove(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    return _remove(request, meeting, item, "yrkande")


@diarium_user_required
@require_POST
def vote_remove(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    return _remove(request, meeting, item, "vote")


@diarium_user_required
@require_POST
def reservation_remove(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    return _remove(request, meeting, item, "reservation")


@diarium_user_required
@require_POST
def recusal_remove(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    return _remove(request, meeting, item, "jav")
