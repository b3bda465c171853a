"""The municipal administrator's page for § numbering: the municipality's format, and per body
whether stående punkter are numbered and which § a year starts on (continuing an earlier system)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cases.forms import choose_from
from cases.http import AuthedRequest
from cases.models import Body
from cases.services import CaseError
from meetings import numbering
from meetings.models import ParagraphCounter

from .permissions import administrator_required


class FormatForm(forms.Form):
    paragraph_format = forms.ChoiceField(
        label=gettext_lazy("Format för paragrafnummer"),
        choices=[("§ {number}", "§ 12"), ("§ {number}/{yy}", gettext_lazy("§ 12/24 (nummer/tvåsiffrigt år)"))],
    )


class BodyNumberingForm(forms.Form):
    body = forms.ModelChoiceField(label=gettext_lazy("Organ"), queryset=Body.objects.none())
    number_standing_items = forms.BooleanField(label=gettext_lazy("Numrera stående punkter"), required=False)
    year = forms.IntegerField(label=gettext_lazy("År"), min_value=1990, max_value=2100, required=False)
    first_number = forms.IntegerField(
        label=gettext_lazy("Första paragrafnummer det året"),
        min_value=1,
        max_value=99999,
        required=False,
        help_text=gettext_lazy("Fyll i för att fortsätta numreringen från ett tidigare system."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["body"], Body.objects.active().order_by("ordering", "name"))


@administrator_required
@require_http_methods(["GET", "POST"])
def numbering_settings(request: AuthedRequest) -> HttpResponse:
    municipality = request.municipality
    posted = request.POST.get("form") if request.method == "POST" else None
    format_form = FormatForm(
        request.POST if posted == "format" else None, initial={"paragraph_format": municipality.paragraph_format}
    )
    body_form = BodyNumberingForm(
        request.POST if posted == "body" else None, initial={"year": timezone.localdate().year}
    )
    try:
        if posted == "format" and format_form.is_valid():
            numbering.paragraph_format_set(
                municipality, fmt=format_form.cleaned_data["paragraph_format"], by=request.user
            )
            messages.success(request, _("Formatet för paragrafnummer är sparat."))
            return redirect("administration:numbering")
        if posted == "body" and body_form.is_valid():
            data = body_form.cleaned_data
            numbering.standing_items_numbering_set(
                data["body"], numbered=data["number_standing_items"], by=request.user
            )
            if data["first_number"]:
                numbering.paragraph_start_set(
                    data["body"],
                    year=data["year"] or timezone.localdate().year,
                    first_number=data["first_number"],
                    by=request.user,
                )
            messages.success(request, _("Numreringen för %(body)s är sparad.") % {"body": data["body"].name})
            return redirect("administration:numbering")
    except CaseError as error:
        (format_form if posted == "format" else body_form).add_error(None, str(error))
    return render(
        request,
        "administration/numbering.html",
        {
            "format_form": format_form,
            "body_form": body_form,
            "bodies": Body.objects.active().order_by("ordering", "name"),
            "starts": ParagraphCounter.objects.select_related("body").filter(first_number__gt=1).order_by("-year"),
        },
    )
