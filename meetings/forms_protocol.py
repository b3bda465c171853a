"""Forms of the protocol's legal life: the anslag, omedelbar justering and historic protocols."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import choose_from
from cases.models import Body
from cases.validation import BoundedDateField

from .forms import ConfirmForm


class AnslagPublishForm(ConfirmForm):
    on = BoundedDateField(
        label=_("Anslaget sätts upp"),
        help_text=_("Som standard justeringsdagen. Överklagandetiden räknas från den dag anslaget sätts upp."),
    )


class HistoricMeetingForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Organ"), queryset=Body.objects.none(), error_messages={"invalid_choice": _("Välj ett organ i listan.")}
    )
    day = BoundedDateField(label=_("Sammanträdesdatum"))
    time = forms.TimeField(label=_("Klockslag"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Plats"), max_length=200)
    justerat_on = BoundedDateField(label=_("Justerat"))
    anslag_on = BoundedDateField(label=_("Anslaget sattes upp"))
    items = forms.CharField(
        label=_("Paragrafer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("En paragraf per rad: numret och rubriken, t.ex. ”§ 12 Budget 2024”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["body"], Body.objects.active())
