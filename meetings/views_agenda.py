"""The secretary's föredragningslista: one page to build it, one view per change. Every view answers
404 to anyone but the secretary (``get_managed_meeting``)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.forms import error_text
from cases.http import AuthedRequest
from cases.models import RenderedPdf
from cases.permissions import diarium_user_required
from cases.services import CaseError

from . import agenda
from .forms import AgendaAddCaseForm, AgendaAddForm, AgendaMoveForm
from .forms_agenda import AgendaItemForm, FreeItemForm, ItemChoiceForm, MoveToForm, StandingAddForm
from .models import Meeting
from .permissions import can_edit_protocol, get_item_for_user, get_managed_meeting


def _to_agenda(meeting: Meeting) -> HttpResponseRedirect:
    return redirect("meetings:agenda", meeting=meeting.uuid)


@diarium_user_required
@require_safe
def agenda_page(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    items = list(obj.items.select_related("case", "draft", "draft__template").order_by("ordering"))
    writable = can_edit_protocol(request.user, obj) and not agenda.is_frozen(obj)
    return render(
        request,
        "meetings/agenda/agenda.html",
        {
            "meeting": obj,
            "items": items,
            "writable": writable,
            "candidates": agenda.agenda_candidates(obj) if writable else [],
            "proposal_cases": agenda.proposal_candidates(obj) if writable else [],
            "free_form": FreeItemForm(cases=agenda.free_item_cases(obj), prefix="free") if writable else None,
            "standing_form": (
                StandingAddForm(titles=agenda.standing_missing(obj), prefix="standing") if writable else None
            ),
            "kallelse": RenderedPdf.objects.filter(kind="kallelse", key=str(obj.uuid)).first(),
        },
    )


def _run(request: AuthedRequest, form: forms.Form | None, action: Callable[[], object]) -> bool:
    """Validate the form, call the service, and say in Swedish what went wrong."""
    try:
        if form is not None and not form.is_valid():
            raise CaseError(error_text(form))
        action()
    except CaseError as exc:
        messages.error(request, str(exc))
        return False
    return True


@diarium_user_required
@require_POST
def agenda_add(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = AgendaAddForm(request.POST, candidates=agenda.agenda_candidates(obj))
    _run(request, form, lambda: agenda.agenda_add(obj, draft=form.cleaned_data["draft"], by=request.user))
    return _to_agenda(obj)


@diarium_user_required
@require_POST
def agenda_add_case(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = AgendaAddCaseForm(request.POST, candidates=agenda.proposal_candidates(obj))
    _run(request, form, lambda: agenda.agenda_add_case(obj, case=form.cleaned_data["case"], by=request.user))
    return _to_agenda(obj)


@diarium_user_required
@require_POST
def agenda_add_free(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = FreeItemForm(request.POST, cases=agenda.free_item_cases(obj), prefix="free")
    _run(
        request,
        form,
        lambda: agenda.agenda_add_free(obj, by=request.user, **form.cleaned_data),
    )
    return _to_agenda(obj)


@diarium_user_required
@require_POST
def agenda_add_standing(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = StandingAddForm(request.POST, titles=agenda.standing_missing(obj), prefix="standing")
    _run(
        request,
        form,
        lambda: agenda.agenda_add_standing(obj, title=form.cleaned_data["title"], by=request.user),
    )
    return _to_agenda(obj)


def _move(request: AuthedRequest, meeting: str, *, up: bool) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = AgendaMoveForm(request.POST, meeting=obj)
    if not form.is_valid():
        raise Http404
    _run(request, None, lambda: agenda.agenda_move(form.cleaned_data["item"], up=up, by=request.user))
    return _to_agenda(obj)


@diarium_user_required
@require_POST
def agenda_move_up(request: AuthedRequest, meeting: str) -> HttpResponse:
    return _move(request, meeting, up=True)


@diarium_user_required
@require_POST
def agenda_move_down(request: AuthedRequest, meeting: str) -> HttpResponse:
    return _move(request, meeting, up=False)


@diarium_user_required
@require_POST
def agenda_move_to(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = MoveToForm(request.POST, meeting=obj)
    _run(
        request,
        form,
        lambda: agenda.agenda_move_to(
            form.cleaned_data["item"], position=form.cleaned_data["position"], by=request.user
        ),
    )
    return _to_agenda(obj)


@diarium_user_required
@require_POST
def agenda_remove(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = ItemChoiceForm(request.POST, meeting=obj)
    if _run(request, form, lambda: agenda.agenda_remove(form.cleaned_data["item"], by=request.user)):
        messages.success(request, _("%(title)s är borttagen.") % {"title": form.cleaned_data["item"].title})
    return _to_agenda(obj)


@diarium_user_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request: AuthedRequest, meeting: str, item: str) -> HttpResponse:
    """The item as it stands on the agenda: title, ärendebeskrivning, beslutsunderlag, sekretess."""
    obj = get_managed_meeting(request.user, meeting)
    agenda_item = get_item_for_user(request.user, obj, item)
    form = AgendaItemForm(request.POST or None, item=agenda_item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agenda.agenda_item_update(
                agenda_item,
                title=data["title"],
                description=data["description"],
                secrecy=data["secrecy"],
                documents=data.get("documents") or [],
                by=request.user,
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Punkten är sparad."))
            return _to_agenda(obj)
    return render(
        request,
        "meetings/agenda/item_form.html",
        {"meeting": obj, "item": agenda_item, "form": form, "writable": not agenda.is_frozen(obj)},
    )
