from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Body, BodyKind, Case, Membership, Person

from .models import MotionOutcome


class MotionRegisterForm(forms.Form):
    title = forms.CharField(
        label=_("Motionens rubrik"),
        max_length=Case._meta.get_field("title").max_length,
        help_text=_("Som den ska stå i diariet, t.ex. ”Motion angående …”."),
    )
    movers = forms.ModelMultipleChoiceField(
        label=_("Motionärer"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en motionär."), "invalid_choice": _("Välj ledamöter i listan.")},
    )
    raised_on = forms.DateField(label=_("Väckt vid sammanträdet den"), widget=forms.DateInput(attrs={"type": "date"}))
    raised_paragraph = forms.IntegerField(
        label=_("Paragraf (§)"),
        required=False,
        min_value=1,
        max_value=9999,
        error_messages={"invalid": _("Ange paragrafen som ett heltal, t.ex. 243.")},
    )
    att_satser = forms.CharField(
        label=_("Att-satser"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("En att-sats per rad, utan ”att” först. Numreras i den ordning de står."),
        error_messages={"required": _("Skriv minst en att-sats.")},
        max_length=10000,
    )
    text = forms.CharField(
        label=_("Motionstext"), required=False, widget=forms.Textarea(attrs={"rows": 10}), max_length=50000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["movers"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(memberships__body__kind=BodyKind.COUNCIL, memberships__starts_on__lte=today)
            .filter(Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today - relativedelta(years=2)))
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.council = Body.objects.filter(kind=BodyKind.COUNCIL, is_active=True).first()
        self.parties: dict[int, str] = {}

    def clean_raised_on(self) -> Any:
        value = self.cleaned_data["raised_on"]
        if value > timezone.localdate():
            raise ValidationError(_("Datumet kan inte ligga i framtiden."))
        return value

    def clean_att_satser(self) -> list[str]:
        lines = []
        for line in self.cleaned_data["att_satser"].splitlines():
            line = line.strip().lstrip("•-–*·").strip()
            if line[:4].lower() == "att ":
                line = line[4:].strip()
            if line:
                lines.append(line)
        if not lines:
            raise ValidationError(_("Skriv minst en att-sats."))
        return lines

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.council is None:
            raise ValidationError(_("Kommunen har inget kommunfullmäktige konfigurerat."))
        raised_on, movers = data.get("raised_on"), data.get("movers")
        if raised_on and movers:
            seated = Membership.objects.held_on(self.council, raised_on).filter(person__in=movers).order_by("starts_on")
            self.parties = {seat.person_id: seat.party for seat in seated}
            missing = [str(person) for person in movers if person.pk not in self.parties]
            if missing:
                self.add_error(
                    "movers",
                    _("%(names)s hade ingen plats i fullmäktige %(date)s.")
                    % {"names": ", ".join(missing), "date": raised_on.isoformat()},
                )
        return data


class MotionDecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Beslut"), choices=MotionOutcome.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=forms.DateInput(attrs={"type": "date"}))
    paragraph = forms.IntegerField(label=_("Paragraf (§)"), required=False, min_value=1, max_value=9999)


class PreparationNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Beredningens läge"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Var beredningen står och varför motionen inte är avgjord. Visas i redovisningen till fullmäktige."
        ),
    )
