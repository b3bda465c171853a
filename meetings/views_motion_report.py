"""Putting the report on undecided motions on a KS or KF agenda, from the report's own page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.forms import error_text
from cases.http import AuthedRequest
from cases.permissions import diarium_user_required
from cases.services import CaseError
from cases.validation import BoundedDateField

from .motion_report import motion_report_to_agenda
from .permissions import can_create_meeting, get_managed_meeting


class MotionReportAgendaForm(forms.Form):
    meeting = forms.UUIDField(error_messages={"required": gettext_lazy("Välj ett sammanträde.")})
    per = BoundedDateField(error_messages={"invalid": gettext_lazy("Ange datumet som ÅÅÅÅ-MM-DD.")})


@diarium_user_required
@require_POST
def motion_report_agenda(request: AuthedRequest) -> HttpResponse:
    if not can_create_meeting(request.user):  # the secretary's action: 404 for anyone else
        raise Http404
    form = MotionReportAgendaForm(request.POST)
    back = reverse("motions:report")
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect(back)
    cutoff = form.cleaned_data["per"]
    back = f"{back}?per={cutoff.isoformat()}"
    meeting = get_managed_meeting(request.user, form.cleaned_data["meeting"])  # 404 for anyone else
    try:
        report = motion_report_to_agenda(meeting, cutoff=cutoff, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(
        request,
        _(
            "Redovisningen per %(date)s ligger på föredragningslistan till %(body)s %(day)s (ärende %(dnr)s). "
            "PDF:en registreras i ärendet och blir punktens beslutsunderlag."
        )
        % {
            "date": cutoff.isoformat(),
            "body": meeting.body.name,
            "day": timezone.localtime(meeting.starts_at).date().isoformat(),
            "dnr": report.case.diarienummer,
        },
    )
    return redirect(back)
