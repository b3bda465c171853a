"""Remisser: send, answer, withdraw; the secretary's deadline board with CSV; the ICS feed."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_scopes import scope

from alingsas_ale.pagecache import kept_for_user

from .. import permissions, services
from ..exports import csv_writer
from ..forms import BoardActionForm, BoardFilterForm, RemissAnswerForm, RemissSendForm, error_text
from ..http import AuthedRequest
from ..models import Remiss, User
from ..permissions import diarium_user_required
from ..queries import remiss_board, remisser_followed_by

BOARD_LIMIT = 500
DUE_SOON_DAYS = 7


@diarium_user_required
@require_http_methods(["GET", "POST"])
def remiss_send(request: AuthedRequest, ref: str) -> HttpResponse:
    case = permissions.get_case_for_user(request.user, ref, "send_remiss")
    form = RemissSendForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            remisser = services.remiss_send(
                case,
                from_body=form.cleaned_data["from_body"],
                to_bodies=list(form.cleaned_data["to_bodies"]),
                deadline=form.cleaned_data["deadline"],
                deadlines=form.cleaned_data["deadlines"],
                cover_note=form.cleaned_data["cover_note"],
                by=request.user,
            )
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            names = ", ".join(r.to_body.name for r in remisser)
            queued = Remiss.objects.filter(pk__in=[r.pk for r in remisser], awaiting_queue=True).exists()
            if queued:  # the send is committed; the outbox hands it over when the queue answers again
                messages.warning(
                    request,
                    _("Remissen till %(names)s är sparad och köad. Den skickas när systemet är tillbaka.")
                    % {"names": names},
                )
            else:
                messages.success(request, _("Remissen är skickad till %(names)s.") % {"names": names})
            return redirect("cases:detail", ref=case.ref)
    return render(request, "cases/remiss_send.html", {"case": case, "form": form})


@diarium_user_required
@require_http_methods(["GET", "POST"])
def remiss_answer(request: AuthedRequest, remiss: str) -> HttpResponse:
    obj = permissions.get_remiss_for_user(request.user, remiss)
    response_case = obj.response_case
    if response_case is None or not permissions.can_answer_remiss(request.user, obj):
        raise Http404
    form = RemissAnswerForm(request.POST or None, response_case=response_case)
    if request.method == "POST" and form.is_valid():
        try:
            services.remiss_answer(
                obj,
                document=form.cleaned_data["document"],
                attachments=list(form.cleaned_data["attachments"]),
                by=request.user,
            )
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Svaret skickas till %(dnr)s. Det syns där inom kort.") % {"dnr": obj.case.diarienummer},
            )
            return redirect("cases:detail", ref=response_case.ref)
    return render(request, "cases/remiss_answer.html", {"remiss": obj, "form": form})


@diarium_user_required
@require_POST
def remiss_withdraw(request: AuthedRequest, remiss: str) -> HttpResponse:
    obj = permissions.get_remiss_for_user(request.user, remiss)
    if not permissions.can_withdraw_remiss(request.user, obj):
        raise Http404
    try:
        services.remiss_withdraw(obj, by=request.user)
    except services.CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Remissen till %(body)s är återkallad.") % {"body": obj.to_body.name})
    return redirect("cases:detail", ref=obj.case.ref)


@never_cache  # the page and its CSV export name people and cases: no copy in any cache
@diarium_user_required
@kept_for_user
@require_safe
def board(request: AuthedRequest) -> HttpResponseBase:
    form = BoardFilterForm(request.GET or None)
    today = timezone.localdate()
    if form.is_bound and not form.is_valid():
        remisser: list[Remiss] = []  # a bad filter shows its message and no rows, as the diarium does
    else:
        data = form.cleaned_data if form.is_bound else {}
        remisser = list(remiss_board(Remiss.objects.for_board(), data, today)[: BOARD_LIMIT + 1])
    truncated = len(remisser) > BOARD_LIMIT
    remisser = remisser[:BOARD_LIMIT]
    if request.GET.get("format") == "csv":
        return _board_csv(remisser)
    query = request.GET.copy()
    query["format"] = "csv"
    soon = today + timedelta(days=DUE_SOON_DAYS)

    def urgency(r: Remiss) -> str:  # amber for due within a week, red for passed, each with a word, not colour alone
        if not r.is_pending:
            return ""
        return "passed" if r.deadline < today else "soon" if r.deadline <= soon else ""

    return render(
        request,
        "cases/board.html",
        {
            "form": form,
            "remisser": remisser,
            "rows": [(r, urgency(r)) for r in remisser],
            "truncated": truncated,
            "today": today,
            "csv_query": query.urlencode(),
            "filter_query": request.GET.urlencode(),
            "may_act": permissions.may_act_on_board(request.user),
            "action_form": BoardActionForm(),
        },
    )


@diarium_user_required
@require_POST
def board_action(request: AuthedRequest) -> HttpResponse:
    """Remind, or give a later deadline to, the rows ticked on the deadline board."""
    if not permissions.may_act_on_board(request.user):
        raise Http404
    form = BoardActionForm(request.POST)
    back = request.POST.get("next", "")
    target = f"{reverse('cases:board')}?{back}" if back and "//" not in back else reverse("cases:board")
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect(target)
    remisser = list(form.cleaned_data["remisser"])
    try:
        if form.cleaned_data["action"] == BoardActionForm.REMIND:
            count = services.remisser_remind(remisser, by=request.user)
            messages.success(request, _("Påminnelse skickad för %(n)s remisser.") % {"n": count})
        else:
            deadline = form.cleaned_data["deadline"]
            count = services.remisser_extend(remisser, deadline=deadline, by=request.user)
            text = _("Svarsdatumet är nu %(date)s för %(n)s remisser.")
            messages.success(request, text % {"date": deadline.isoformat(), "n": count})
    except services.CaseError as error:
        messages.error(request, str(error))
    return redirect(target)


def _board_csv(remisser: list[Remiss]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="remissbevakning.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 (åäö) only with a byte-order mark
    writer = csv_writer(response)
    writer.writerow(["Diarienummer", "Ärende", "Från", "Till", "Svarsdatum", "Status", "Remissärende", "Besvarad"])
    for r in remisser:
        writer.writerow(
            [
                r.case.diarienummer,
                r.case.title,
                r.from_body.name,
                r.to_body.name,
                r.deadline.isoformat(),
                r.get_status_display(),
                r.response_case.diarienummer if r.response_case else "",
                timezone.localdate(r.answered_at).isoformat() if r.answered_at else "",
            ]
        )
    return response


@never_cache  # one person's deadlines, reached by a secret address
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's remiss deadlines as an ICS feed. The secret token in the address signs them in
    for this feed only, since calendar programs cannot log in."""
    from icalendar import Calendar, Event

    user = User.objects.filter(calendar_token=token, is_active=True).exclude(municipality=None).first()
    if user is None:
        raise Http404
    with scope(municipality=user.municipality_id):
        if not permissions.can_use_diarium(user):
            raise Http404
        remisser = (
            Remiss.objects.for_board()
            .pending()
            .filter(remisser_followed_by(user))
            .distinct()
            .order_by("deadline")[:500]
        )
        cal = Calendar()
        cal.add("prodid", "-//Alingsås–Ale ärendehantering//remissbevakning//SV")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", _("Remisser – %(name)s") % {"name": user.get_full_name() or user.username})
        for r in remisser:
            event = Event()
            event.add("uid", f"remiss-{r.uuid}@alingsas-ale")
            event.add(
                "summary", _("Remissvar: %(body)s, %(dnr)s") % {"body": r.to_body.name, "dnr": r.case.diarienummer}
            )
            event.add("dtstart", r.deadline)
            event.add("dtstamp", timezone.now())
            event.add("description", r.case.title)
            cal.add_component(event)
    return HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
