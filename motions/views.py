from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.forms import error_text
from cases.http import AuthedRequest
from cases.models import RenderedPdf
from cases.pdf import pdf_request
from cases.permissions import diarium_user_required
from cases.services import CaseError

from . import services
from .clock import motion_clock
from .forms import MotionDecideForm, MotionReferForm, MotionRegisterForm, PreparationNoteForm, ReportCutoffForm
from .models import Motion
from .pdf import REPORT_KIND
from .permissions import can_register_motion, get_motion_for_user, get_motion_to_move, motion_actions
from .queries import motions_for_list, open_motions_report


@diarium_user_required
@require_safe
def motion_list(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [(m, None if m.is_decided else motion_clock(m.raised_on, today)) for m in motions_for_list()]
    return render(
        request, "motions/motion_list.html", {"rows": rows, "can_register": can_register_motion(request.user)}
    )


@diarium_user_required
@require_http_methods(["GET", "POST"])
def motion_register(request: AuthedRequest) -> HttpResponse:
    if not can_register_motion(request.user):
        raise PermissionDenied
    form = MotionRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            motion = services.motion_register(
                municipality=request.municipality,
                title=data["title"],
                movers=form.seated,
                att_satser=data["att_satser"],
                raised_in=form.council,
                raised_on=data["raised_on"],
                raised_paragraph=data["raised_paragraph"],
                text=data["text"],
                by=request.user,
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Motionen är registrerad som %(dnr)s.") % {"dnr": motion.case.diarienummer})
            return redirect("motions:detail", ref=motion.case.ref)
    return render(request, "motions/motion_register.html", {"form": form})


@diarium_user_required
@require_safe
def motion_detail(request: AuthedRequest, ref: str) -> HttpResponse:
    motion = get_motion_for_user(request.user, ref)
    today = timezone.localdate()
    return render(
        request,
        "motions/motion_detail.html",
        {
            "motion": motion,
            "movers": motion.movers.select_related("person"),
            "att_satser": motion.att_satser.all(),
            "remisser": motion.case.remisser.select_related("to_body", "response_case").order_by("to_body__name"),
            "clock": None if motion.is_decided else motion_clock(motion.raised_on, today),
            "may": motion_actions(request.user, motion),
            "decide_form": MotionDecideForm(initial={"decided_on": today}),
            "note_form": PreparationNoteForm(
                initial={"note": motion.preparation_note, "expected_decision_on": motion.expected_decision_on}
            ),
            "refer_form": MotionReferForm(
                initial={"referred_on": motion.raised_on, "referred_paragraph": motion.raised_paragraph}
            ),
        },
    )


def _done(request: AuthedRequest, motion: Motion) -> HttpResponseRedirect:
    messages.success(request, _("Motionen är uppdaterad: %(status)s.") % {"status": motion.get_status_display()})
    return redirect("motions:detail", ref=motion.case.ref)


def _refused(request: AuthedRequest, motion: Motion, error: CaseError) -> HttpResponseRedirect:
    messages.error(request, str(error))
    return redirect("motions:detail", ref=motion.case.ref)


@diarium_user_required
@require_POST
def motion_refer(request: AuthedRequest, ref: str) -> HttpResponse:
    motion = get_motion_to_move(request.user, ref)
    form = MotionReferForm(request.POST)
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.motion_refer(
            motion,
            referred_on=form.cleaned_data["referred_on"],
            paragraph=form.cleaned_data["referred_paragraph"],
            by=request.user,
        )
    except CaseError as error:
        return _refused(request, motion, error)
    return _done(request, motion)


@diarium_user_required
@require_POST
def motion_mark_prepared(request: AuthedRequest, ref: str) -> HttpResponse:
    motion = get_motion_to_move(request.user, ref)
    try:
        services.motion_mark_prepared(motion, by=request.user)
    except CaseError as error:
        return _refused(request, motion, error)
    return _done(request, motion)


@diarium_user_required
@require_POST
def motion_note_preparation(request: AuthedRequest, ref: str) -> HttpResponse:
    motion = get_motion_to_move(request.user, ref)
    form = PreparationNoteForm(request.POST)
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.motion_note_preparation(
            motion,
            note=form.cleaned_data["note"],
            expected_decision_on=form.cleaned_data["expected_decision_on"],
            by=request.user,
        )
    except CaseError as error:
        return _refused(request, motion, error)
    return _done(request, motion)


@diarium_user_required
@require_POST
def motion_decide(request: AuthedRequest, ref: str) -> HttpResponse:
    motion = get_motion_to_move(request.user, ref)
    form = MotionDecideForm(request.POST)
    try:
        if not form.is_valid():
            raise CaseError(error_text(form))
        services.motion_decide(
            motion,
            outcome=form.cleaned_data["outcome"],
            decided_on=form.cleaned_data["decided_on"],
            paragraph=form.cleaned_data["paragraph"],
            by=request.user,
        )
    except CaseError as error:
        return _refused(request, motion, error)
    return _done(request, motion)


def _cutoff(data: QueryDict) -> tuple[ReportCutoffForm, date | None]:
    """The report's cut-off date (``per``), today when none is given; None when the one given is not a date."""
    if not data.get("per"):
        today = timezone.localdate()
        return ReportCutoffForm(initial={"per": today}), today
    form = ReportCutoffForm(data)
    return form, form.cleaned_data["per"] if form.is_valid() else None


@diarium_user_required
@require_safe
def motion_report(request: AuthedRequest) -> HttpResponse:
    """Redovisning av ej avgjorda motioner (Kommunallagen 5 kap. 35 §) per a cut-off date, as a page and a PDF."""
    form, cutoff = _cutoff(request.GET)
    pdf = RenderedPdf.objects.filter(kind=REPORT_KIND, key=cutoff.isoformat()).first() if cutoff else None
    return render(
        request,
        "motions/report.html",
        {
            "form": form,
            "rows": open_motions_report(cutoff) if cutoff else [],
            "cutoff": cutoff,
            "pdf": pdf,
        },
        status=200 if cutoff else 400,
    )


@diarium_user_required
@require_POST
def motion_report_pdf(request: AuthedRequest) -> HttpResponse:
    form, cutoff = _cutoff(request.POST)
    if cutoff is None:
        messages.error(request, error_text(form))
        return redirect("motions:report")
    pdf = pdf_request(municipality=request.municipality, kind=REPORT_KIND, key=cutoff.isoformat())
    if request.htmx:
        return render(request, "cases/_pdf_status.html", {"pdf": pdf})
    return redirect(f"{reverse('motions:report')}?per={cutoff.isoformat()}")
