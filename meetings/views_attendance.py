"""The attendance page (närvaro, övriga närvarande, ajourneringar, tid, ordförande, protokollförare,
justering, beslutförhet per §) and planning (move, cancel). Reading: every diarium user of the
municipality; writing: the secretary who runs the meeting (404 for anyone else)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.forms import error_text
from cases.http import AuthedRequest
from cases.permissions import diarium_user_required
from cases.services import CaseError

from . import attendance, planning
from .forms_attendance import (
    AdjournmentForm,
    AdjournmentRemoveForm,
    AttendanceForm,
    CancelForm,
    ConductForm,
    MoveForm,
    OtherPresentForm,
    RowForm,
)
from .models import Meeting
from .permissions import can_edit_protocol, can_plan_meeting, get_managed_meeting, get_meeting_for_user


def _rows(meeting: Meeting) -> list:
    return list(
        meeting.attendance.select_related("person", "serving_for", "from_item", "to_item").order_by(
            "kind", "ordering", "pk"
        )
    )


@diarium_user_required
@require_safe
def attendance_page(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_meeting_for_user(request.user, meeting)
    items = attendance.meeting_items(obj)
    rows = _rows(obj)
    can_edit = can_edit_protocol(request.user, obj)
    context = {
        "meeting": obj,
        "items": items,
        "can_edit": can_edit,
        "can_plan": can_plan_meeting(request.user, obj),
        **attendance.protocol_people(obj, items, rows),
    }
    if can_edit:
        context.update(
            {
                "form": AttendanceForm(rows=rows, items=items),
                "other_form": OtherPresentForm(items=items, prefix="other"),
                "adjournment_form": AdjournmentForm(prefix="adj"),
                "conduct_form": ConductForm(meeting=obj),
            }
        )
    return render(request, "meetings/attendance/page.html", context)


def _back(meeting: Meeting, anchor: str = "") -> HttpResponseRedirect:
    response = redirect("meetings:attendance-page", meeting=meeting.uuid)
    response["Location"] += anchor
    return response


F = TypeVar("F", bound=Form)


def _apply(request: AuthedRequest, form: F, action: Callable[[F], object], done: str | Callable[[F], str] = "") -> None:
    """One form of the attendance page: valid or its errors in Swedish, then the service; a refusal
    (CaseError) becomes the message, nothing is saved."""
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        action(form)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        if done:
            messages.success(request, done(form) if callable(done) else done)


@diarium_user_required
@require_POST
def attendance_save(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = AttendanceForm(request.POST, rows=_rows(obj), items=attendance.meeting_items(obj))
    _apply(
        request,
        form,
        lambda f: attendance.attendance_save(obj, by=request.user, **f.result()),
        _("Närvaron är sparad."),
    )
    return _back(obj, "#narvaro")


@diarium_user_required
@require_POST
def other_add(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = OtherPresentForm(request.POST, items=attendance.meeting_items(obj), prefix="other")
    _apply(
        request,
        form,
        lambda f: attendance.other_present_add(obj, by=request.user, **f.result()),
        lambda f: _("%(name)s är tillagd bland övriga närvarande.") % {"name": f.cleaned_data["name"]},
    )
    return _back(obj, "#ovriga")


@diarium_user_required
@require_POST
def other_remove(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = RowForm(request.POST, meeting=obj)
    _apply(request, form, lambda f: attendance.other_present_remove(obj, row=f.cleaned_data["row"], by=request.user))
    return _back(obj, "#ovriga")


@diarium_user_required
@require_POST
def adjournment_add(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = AdjournmentForm(request.POST, prefix="adj")
    _apply(
        request,
        form,
        lambda f: attendance.adjournment_add(obj, by=request.user, **f.cleaned_data),
        _("Ajourneringen är införd."),
    )
    return _back(obj, "#ajourneringar")


@diarium_user_required
@require_POST
def adjournment_remove(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = AdjournmentRemoveForm(request.POST, meeting=obj)
    _apply(
        request,
        form,
        lambda f: attendance.adjournment_remove(obj, adjournment=f.cleaned_data["adjournment"], by=request.user),
    )
    return _back(obj, "#ajourneringar")


@diarium_user_required
@require_POST
def conduct_save(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = ConductForm(request.POST, meeting=obj)
    _apply(
        request,
        form,
        lambda f: attendance.meeting_conduct_record(obj, by=request.user, **f.cleaned_data),
        _("Tid, ordförande, protokollförare och justering är sparade."),
    )
    return _back(obj, "#ordforande")


@diarium_user_required
@require_POST
def called_sync(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    try:
        added, removed = planning.called_sync(obj, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("De kallade är hämtade från uppdragen: %(added)s tillagda, %(removed)s borttagna.")
            % {"added": len(added), "removed": len(removed)},
        )
    return _back(obj, "#narvaro")


# Planning ---------------------------------------------------------------------------------------


@diarium_user_required
@require_http_methods(["GET", "POST"])
def meeting_move(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    local = timezone.localtime(obj.starts_at)
    form = MoveForm(request.POST or None, initial={"day": local.date(), "time": local.time(), "place": obj.place})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planning.meeting_move(
                obj,
                starts_at=timezone.make_aware(datetime.combine(data["day"], data["time"])),
                place=data["place"],
                by=request.user,
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Sammanträdet är flyttat."))
            return redirect("meetings:detail", meeting=obj.uuid)
    return render(
        request,
        "meetings/attendance/move.html",
        {"meeting": obj, "form": form, "can_plan": can_plan_meeting(request.user, obj)},
    )


@diarium_user_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = get_managed_meeting(request.user, meeting)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            planning.meeting_cancel(obj, reason=form.cleaned_data["reason"], by=request.user)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Sammanträdet är inställt."))
            return redirect("meetings:detail", meeting=obj.uuid)
    return render(
        request,
        "meetings/attendance/cancel.html",
        {"meeting": obj, "form": form, "can_plan": can_plan_meeting(request.user, obj)},
    )
