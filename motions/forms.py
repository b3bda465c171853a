from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import choose_from
from cases.models import BodyKind, Case, Person
from cases.services import CaseError
from cases.validation import BoundedDateField

from . import services
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
    raised_on = BoundedDateField(label=_("Väckt vid sammanträdet den"), widget=forms.DateInput(attrs={"type": "date"}))
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
        choose_from(
            self.fields["movers"],
            Person.objects.filter(memberships__body__kind=BodyKind.COUNCIL, memberships__starts_on__lte=today)
            .filter(Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today - relativedelta(years=2)))
            .distinct()
            .order_by("last_name", "first_name"),
        )
        self.council = services.council()
        self.seated: list[services.Mover] = []

    def clean_raised_on(self) -> Any:
        value = self.cleaned_data["raised_on"]
        try:
            services.raised_on_check(value)
        except CaseError as error:
            raise ValidationError(str(error)) from error
        return value

    def clean_att_satser(self) -> list[str]:
        try:
            return services.att_satser_clean(self.cleaned_data["att_satser"].splitlines())
        except CaseError as error:
            raise ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        """The seat check is the service's (``movers_seated``); asked here to mark the field."""
        data = super().clean() or {}
        raised_on, movers = data.get("raised_on"), data.get("movers")
        if self.council and raised_on and movers:
            try:
                self.seated = services.movers_seated(self.council, raised_on, list(movers))
            except CaseError as error:
                self.add_error("movers", str(error))
        return data


class MotionDecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Beslut"), choices=MotionOutcome.choices, widget=forms.RadioSelect)
    decided_on = BoundedDateField(label=_("Beslutsdatum"), widget=forms.DateInput(attrs={"type": "date"}))
    paragraph = forms.IntegerField(label=_("Paragraf (§)"), required=False, min_value=1, max_value=9999)


class MotionReferForm(forms.Form):
    """Fullmäktige's decision to refer the motion for beredning; blank: the meeting where it was raised."""

    referred_on = BoundedDateField(
        label=_("Fullmäktiges beslut att remittera, datum"),
        required=False,
        help_text=_("Lämna tomt om motionen remitterades på sammanträdet där den väcktes."),
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )
    referred_paragraph = forms.IntegerField(
        label=_("Paragraf (§) för remitteringen"),
        required=False,
        min_value=1,
        max_value=9999,
        error_messages={"invalid": _("Ange paragrafen som ett heltal, t.ex. 243.")},
    )


class ReportCutoffForm(forms.Form):
    per = BoundedDateField(
        label=_("Per datum"),
        help_text=_("Redovisningen tar med motioner som väckts senast detta datum och inte var avgjorda då."),
        error_messages={
            "invalid": _("Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-06-30."),
            "required": _("Ange ett datum."),
        },
    )


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
    expected_decision_on = BoundedDateField(
        label=_("Beräknat beslut i fullmäktige"),
        required=False,
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )
