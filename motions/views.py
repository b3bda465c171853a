from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import RenderedPdf
from cases.pdf import pdf_request
from cases.permissions import diarium_user_required
from cases.services import CaseError

from . import services
from .clock import motion_clock
from .forms import MotionDecideForm, MotionRegisterForm, PreparationNoteForm
from .permissions import can_move_motion, can_register_motion, get_motion_for_user
from .queries import motions_for_list, open_motions_report

REPORT_KIND = "motion_report"


@diarium_user_required
def motion_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [(m, None if m.is_decided else motion_clock(m.raised_on, today)) for m in motions_for_list()]
    can_register = can_register_motion(request.user)  # type: ignore[arg-type]
    return render(request, "motions/motion_list.html", {"rows": rows, "can_register": can_register})


@diarium_user_required
@require_http_methods(["GET", "POST"])
def motion_register(request: HttpRequest) -> HttpResponse:
    if not can_register_motion(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    form = MotionRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parties = form.parties
        try:
            motion = services.motion_register(
                municipality=request.municipality,  # type: ignore[attr-defined]
                title=data["title"],
                movers=[services.Mover(person=p, party=parties.get(p.pk, "")) for p in data["movers"]],
                att_satser=data["att_satser"],
                raised_in=form.council,  # type: ignore[arg-type]
                raised_on=data["raised_on"],
                raised_paragraph=data["raised_paragraph"],
                text=data["text"],
                by=request.user,  # type: ignore[arg-type]
            )
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Motionen är registrerad som %(dnr)s.") % {"dnr": motion.case.diarienummer})
            return redirect("motions:detail", ref=motion.case.ref)
    return render(request, "motions/motion_register.html", {"form": form})


@diarium_user_required
def motion_detail(request: HttpRequest, ref: str) -> HttpResponse:
    motion = get_motion_for_user(request.user, ref)  # type: ignore[arg-type]
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
            "can_move": can_move_motion(request.user),  # type: ignore[arg-type]
            "decide_form": MotionDecideForm(initial={"decided_on": today}),
            "note_form": PreparationNoteForm(initial={"note": motion.preparation_note}),
        },
    )


@diarium_user_required
@require_POST
def motion_act(request: HttpRequest, ref: str, action: str) -> HttpResponse:
    motion = get_motion_for_user(request.user, ref)  # type: ignore[arg-type]
    if not can_move_motion(request.user):  # type: ignore[arg-type]
        raise Http404
    try:
        if action == "refer":
            services.motion_refer(motion, by=request.user)  # type: ignore[arg-type]
        elif action == "prepared":
            services.motion_mark_prepared(motion, by=request.user)  # type: ignore[arg-type]
        elif action == "note":
            form = PreparationNoteForm(request.POST)
            if not form.is_valid():
                raise CaseError(" ".join(str(e) for e in form.errors["note"]))
            services.motion_note_preparation(motion, note=form.cleaned_data["note"], by=request.user)  # type: ignore[arg-type]
        elif action == "decide":
            decide = MotionDecideForm(request.POST)
            if not decide.is_valid():
                raise CaseError(" ".join(str(e) for errors in decide.errors.values() for e in errors))
            services.motion_decide(
                motion,
                outcome=decide.cleaned_data["outcome"],
                decided_on=decide.cleaned_data["decided_on"],
                paragraph=decide.cleaned_data["paragraph"],
                by=request.user,  # type: ignore[arg-type]
            )
        else:
            raise Http404
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Motionen är uppdaterad: %(status)s.") % {"status": motion.get_status_display()})
    return redirect("motions:detail", ref=motion.case.ref)


@diarium_user_required
def motion_report(request: HttpRequest) -> HttpResponse:
    """Redovisning av ej avgjorda motioner (Kommunallagen 5 kap. 35 §), as a page and a PDF."""
    today = timezone.localdate()
    pdf = RenderedPdf.objects.filter(kind=REPORT_KIND, key=today.isoformat()).first()
    return render(
        request,
        "motions/report.html",
        {"rows": open_motions_report(today), "today": today, "pdf": pdf},
    )


@diarium_user_required
@require_POST
def motion_report_pdf(request: HttpRequest) -> HttpResponse:
    pdf = pdf_request(municipality=request.municipality, kind=REPORT_KIND, key=timezone.localdate().isoformat())  # type: ignore[attr-defined]
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "cases/_pdf_status.html", {"pdf": pdf})
    return redirect("motions:report")
