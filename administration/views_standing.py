"""A body's standing agenda items (val av justerare, godkännande av dagordning, …): the administrator
keeps them; each new meeting of the body starts with them (``meetings.agenda.standing_items_add``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cases.http import AuthedRequest
from cases.services import CaseError
from meetings.agenda import standing_items_of, standing_items_set

from .permissions import administrator_required, get_body_for_admin


class StandingItemsForm(forms.Form):
    titles = forms.CharField(
        label=gettext_lazy("Stående punkter, en per rad i den ordning de ska stå"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Till exempel Val av justerare, Godkännande av dagordning, Anmälan av delegationsbeslut, "
            "Informationsärenden. Sekreteraren kan ta bort en punkt ur ett enskilt sammanträde."
        ),
    )
    numbered = forms.BooleanField(label=gettext_lazy("De stående punkterna får paragrafnummer"), required=False)

    def lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["titles"].splitlines() if line.strip()]


@administrator_required
@require_http_methods(["GET", "POST"])
def body_standing_items(request: AuthedRequest, short_name: str) -> HttpResponse:
    body = get_body_for_admin(short_name)
    titles, numbered = standing_items_of(body)
    initial: dict[str, Any] = {"titles": "\n".join(titles), "numbered": numbered}
    form = StandingItemsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            standing_items_set(body, titles=form.lines(), numbered=form.cleaned_data["numbered"], by=request.user)
        except CaseError as error:
            form.add_error("titles", str(error))
        else:
            messages.success(request, _("De stående punkterna för %(name)s är sparade.") % {"name": body.name})
            return redirect("administration:body", short_name=body.short_name)
    return render(request, "administration/standing_items.html", {"body": body, "form": form})
