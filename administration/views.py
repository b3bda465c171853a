"""The municipal administrator's pages. Thin: parse with a form, call one service, show the result."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases import services as case_services
from cases.forms import error_text
from cases.http import AuthedRequest
from cases.models import Body, MandatePeriod, Membership, OrganisationEvent, Person, User
from cases.services.organisation import BODY_FIELDS

from . import services
from .forms import (
    BodyForm,
    MandatePeriodForm,
    NewUserForm,
    PersonForm,
    SeatEndForm,
    SeatForm,
    SeatImportForm,
    UserForm,
)
from .permissions import administrator_required, get_body_for_admin, get_user_for_admin


@administrator_required
@require_safe
def overview(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    held_today = Q(memberships__starts_on__lte=today) & (
        Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today)
    )
    bodies = Body.objects.select_related("parent").annotate(seats=Count("memberships", filter=held_today))
    return render(
        request,
        "administration/overview.html",
        {
            "bodies": bodies.order_by("ordering", "name"),
            "periods": MandatePeriod.objects.all(),
            "user_count": User.in_municipality.filter(is_active=True).count(),
            "person_count": Person.objects.count(),
        },
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def body_new(request: AuthedRequest) -> HttpResponse:
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a refused setting leaves no half-made body behind
                body = case_services.body_create(
                    request.municipality,
                    name=data["name"],
                    short_name=data["short_name"],
                    kind=data["kind"],
                    parent=data["parent"],
                    diarium_series=data["diarium_series"],
                    ordering=data["ordering"],
                    by=request.user,
                )
                case_services.body_update(
                    body,
                    archive_location=data["archive_location"],
                    is_active=data["is_active"],
                    answers_remisser_by_delegation=data["answers_remisser_by_delegation"],
                    secretaries=data["secretaries"],
                    by=request.user,
                )
        except case_services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s är skapat.") % {"name": body.name})
            return redirect("administration:body", short_name=body.short_name)
    return render(request, "administration/body_form.html", {"form": form, "body": None})


@administrator_required
@require_http_methods(["GET", "POST"])
def body_edit(request: AuthedRequest, short_name: str) -> HttpResponse:
    body = get_body_for_admin(short_name)
    initial = {field: getattr(body, field) for field in BODY_FIELDS}
    initial["secretaries"] = list(body.secretaries.all())
    form = BodyForm(request.POST or None, initial=initial, body=body)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        secretaries = data.pop("secretaries")
        try:
            case_services.body_update(body, secretaries=secretaries, by=request.user, **data)
        except case_services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ändringarna i %(name)s är sparade.") % {"name": body.name})
            return redirect("administration:body", short_name=body.short_name)
    return render(request, "administration/body_form.html", {"form": form, "body": body})


@administrator_required
@require_http_methods(["GET"])
def body_detail(request: AuthedRequest, short_name: str) -> HttpResponse:
    body = get_body_for_admin(short_name)
    today = timezone.localdate()
    seats = list(
        Membership.objects.filter(body=body)
        .select_related("person")
        .order_by("role", "party", "deputy_order", "person__last_name")
    )
    current = [s for s in seats if s.starts_on <= today and (s.ends_on is None or s.ends_on >= today)]
    return render(
        request,
        "administration/body_detail.html",
        {
            "body": body,
            "current": current,
            "other": [s for s in seats if s not in current],
            "secretaries": list(body.secretaries.all()),
            "seat_form": SeatForm(initial={"starts_on": today}),
            "end_form": SeatEndForm(initial={"ends_on": today}),
            "today": today,
        },
    )


@administrator_required
@require_POST
def seat_add(request: AuthedRequest, short_name: str) -> HttpResponse:
    body = get_body_for_admin(short_name)
    form = SeatForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case_services.membership_create(
                data["person"],
                body=body,
                role=data["role"],
                party=data["party"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                deputy_order=data["deputy_order"],
                by=request.user,
            )
        except case_services.CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Uppdraget för %(person)s är sparat.") % {"person": data["person"]})
            return redirect("administration:body", short_name=body.short_name)
    else:
        messages.error(request, error_text(form))
    return redirect("administration:body", short_name=body.short_name)


@administrator_required
@require_POST
def seat_end(request: AuthedRequest, short_name: str) -> HttpResponse:
    body = get_body_for_admin(short_name)
    form = SeatEndForm(request.POST)
    seat = Membership.objects.filter(body=body, pk=request.POST.get("seat")).select_related("person").first()
    if seat is None or not form.is_valid():
        messages.error(request, _("Välj ett uppdrag och ange sista dag."))
    else:
        try:
            case_services.membership_end(seat, ends_on=form.cleaned_data["ends_on"], by=request.user)
        except case_services.CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Uppdraget för %(person)s är avslutat.") % {"person": seat.person})
    return redirect("administration:body", short_name=body.short_name)


@administrator_required
@require_http_methods(["GET", "POST"])
def seats_import(request: AuthedRequest, short_name: str) -> HttpResponse:
    """Upload → preview with every row's errors → confirm: all rows are imported, or none."""
    body = get_body_for_admin(short_name)
    form = SeatImportForm(request.POST or None, request.FILES or None)
    preview = None
    text = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            text = services.decode_upload(upload.read()) if upload else form.cleaned_data["text"]
            if "confirm" in request.POST:
                created = services.seats_import(body, text, by=request.user)
                messages.success(request, _("%(n)s uppdrag är inlästa.") % {"n": len(created)})
                return redirect("administration:body", short_name=body.short_name)
            if not text.strip():
                form.add_error("file", _("Välj en CSV-fil."))
            else:
                preview = services.seats_import_parse(body, text)
        except case_services.CaseError as error:
            form.add_error(None, str(error))
            preview = services.seats_import_parse(body, text) if text else None
    return render(
        request,
        "administration/seats_import.html",
        {"body": body, "form": form, "preview": preview, "text": text},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def people(request: AuthedRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = case_services.person_create(
                request.municipality,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                user=data["user"],
                by=request.user,
            )
        except case_services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(person)s är tillagd.") % {"person": person})
            return redirect("administration:people")
    persons = Person.objects.select_related("user").prefetch_related("memberships__body").order_by("last_name")
    return render(request, "administration/people.html", {"form": form, "people": persons})


@administrator_required
@require_safe
def users(request: AuthedRequest) -> HttpResponse:
    listed = User.in_municipality.filter(is_superuser=False).select_related("department").order_by("last_name")
    return render(request, "administration/users.html", {"users": listed})


@administrator_required
@require_http_methods(["GET", "POST"])
def user_new(request: AuthedRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = case_services.user_create(
                request.municipality,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                password=data["password"],
                roles=data["roles"],
                title=data["title"],
                department=data["department"],
                by=request.user,
            )
        except case_services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Kontot %(name)s är skapat.") % {"name": user.username})
            return redirect("administration:users")
    return render(request, "administration/user_form.html", {"form": form, "account": None})


@administrator_required
@require_http_methods(["GET", "POST"])
def user_edit(request: AuthedRequest, username: str) -> HttpResponse:
    account = get_user_for_admin(request.user, username)
    initial = {
        "roles": account.roles,
        "title": account.title,
        "department": account.department,
        "is_active": account.is_active,
    }
    form = UserForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.user_update(account, by=request.user, **form.cleaned_data)
        except case_services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ändringarna för %(name)s är sparade.") % {"name": account})
            return redirect("administration:users")
    return render(
        request,
        "administration/user_form.html",
        {"form": form, "account": account, "is_self": account.pk == request.user.pk},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def periods(request: AuthedRequest) -> HttpResponse:
    form = MandatePeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.mandate_period_create(request.municipality, by=request.user, **form.cleaned_data)
        except case_services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Mandatperioden är sparad."))
            return redirect("administration:periods")
    return render(request, "administration/periods.html", {"form": form, "periods": MandatePeriod.objects.all()})


@administrator_required
@require_safe
def log(request: AuthedRequest) -> HttpResponse:
    events = OrganisationEvent.objects.select_related("actor").order_by("-at", "-id")
    page = Paginator(events, 50).get_page(request.GET.get("sida"))
    return render(request, "administration/log.html", {"page": page})
