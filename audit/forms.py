from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import User

from .models import Action
from .queries import SYSTEM, table_labels


class LogFilterForm(forms.Form):
    who = forms.ChoiceField(
        label=_("Vem"), required=False, error_messages={"invalid_choice": _("Välj en person i listan.")}
    )
    table = forms.ChoiceField(label=_("Vad"), required=False, error_messages={"invalid_choice": _("Välj i listan.")})
    action = forms.ChoiceField(label=_("Händelse"), choices=[("", _("Alla")), *Action.choices], required=False)
    row = forms.CharField(label=_("Rad (id)"), required=False, max_length=64)
    start = forms.DateField(
        label=_("Från och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )
    end = forms.DateField(
        label=_("Till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.in_municipality.order_by("last_name", "first_name", "username")
        cast(forms.ChoiceField, self.fields["who"]).choices = [
            ("", _("Alla")),
            (SYSTEM, _("Systemet")),
            *((str(user.pk), str(user)) for user in people),
        ]
        cast(forms.ChoiceField, self.fields["table"]).choices = [("", _("Allt")), *table_labels().items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("Slutdatumet kan inte vara före startdatumet."))
        return data
