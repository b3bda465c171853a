"""Anmäl förhinder: the member's form, the secretary's list with proposed ersättare (reading/absence.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms import choose_from, error_text
from cases.http import AuthedRequest
from cases.models import Person
from cases.services import CaseError
from meetings.models import AgendaItem, Meeting
from meetings.permissions import can_manage_meeting

from . import permissions
from .absence import absence_call_substitute, absence_report, absences_of, seat_for_absence
from .models import Absence
from .views import reader_required


class ItemChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.ordering}. {obj.title}"


class AbsenceForm(forms.Form):
    items = ItemChoice(
        queryset=AgendaItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Bara för de här punkterna (lämna tomt för hela sammanträdet)"),
    )
    reason = forms.CharField(label=gettext_lazy("Orsak (frivilligt, t.ex. jäv)"), required=False, max_length=200)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["items"], meeting.items.order_by("ordering"))


class CallForm(forms.Form):
    substitute = forms.IntegerField(min_value=1)


@require_http_methods(["GET", "POST"])
@reader_required
def report(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = permissions.get_meeting_for_reader(request.user, meeting)
    seat = seat_for_absence(obj, request.user)
    if seat is None:
        raise Http404
    form = AbsenceForm(request.POST or None, meeting=obj)
    if request.method == "POST" and form.is_valid():
        try:
            absence_report(
                obj, items=list(form.cleaned_data["items"]), reason=form.cleaned_data["reason"], by=request.user
            )
        except CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Ditt förhinder är anmält. Sekreteraren kallar in en ersättare."))
            return redirect("reading:meeting", obj.uuid)
    current = Absence.objects.filter(meeting=obj, person=seat.person).first()
    return render(request, "reading/absence_report.html", {"meeting": obj, "form": form, "current": current})


def _managed(request: AuthedRequest, meeting: str) -> Meeting:
    obj = permissions.get_meeting_for_reader(request.user, meeting)
    if not can_manage_meeting(request.user, obj):
        raise Http404
    return obj


@require_http_methods(["GET"])
@reader_required
def absences(request: AuthedRequest, meeting: str) -> HttpResponse:
    obj = _managed(request, meeting)
    return render(request, "reading/absences.html", {"meeting": obj, "absences": absences_of(obj)})


@require_POST
@reader_required
def call_substitute(request: AuthedRequest, meeting: str, absence: str) -> HttpResponse:
    obj = _managed(request, meeting)
    current = Absence.objects.select_related("meeting__body", "person").filter(meeting=obj, uuid=absence).first()
    if current is None:
        raise Http404
    form = CallForm(request.POST)
    person = Person.objects.filter(pk=form.cleaned_data["substitute"]).first() if form.is_valid() else None
    if person is None:
        messages.error(request, error_text(form) or _("Välj en ersättare i listan."))
        return redirect("reading:absences", obj.uuid)
    try:
        absence_call_substitute(current, substitute=person, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(person)s är inkallad och har fått besked.") % {"person": person})
    return redirect("reading:absences", obj.uuid)
