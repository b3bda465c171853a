"""Forms of the administrator's pages: they parse and show input; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import choose_from
from cases.models import Body, BodyKind, Department, Person, Role, SeatRole, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BodyForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=120)
    short_name = forms.CharField(label=_("Förkortning"), max_length=10, help_text=_("T.ex. KS, SN, BUN."))
    kind = forms.ChoiceField(label=_("Typ"), choices=BodyKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Överordnat organ"),
        queryset=Body.objects.none(),
        required=False,
        help_text=_("För ett utskott: nämnden eller styrelsen det hör till."),
    )
    diarium_series = forms.CharField(
        label=_("Diarieserie"), max_length=10, help_text=_("Serien i diarienumret för organets ärenden, t.ex. KS.")
    )
    archive_location = forms.CharField(label=_("Förvaringsplats för protokoll"), max_length=200, required=False)
    secretaries = forms.ModelMultipleChoiceField(
        label=_("Sekreterare"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    ordering = forms.IntegerField(label=_("Sortering"), min_value=0, max_value=1000, initial=100)
    is_active = forms.BooleanField(label=_("Aktivt (tar emot nya ärenden)"), required=False, initial=True)
    answers_remisser_by_delegation = forms.BooleanField(
        label=_("Får besvara remisser på nämndens vägnar (delegation)"),
        required=False,
        help_text=_(
            "Bara för ett utskott: när utskottets beslut om yttrande är justerat besvarar det remissen till "
            "nämnden eller styrelsen ovan, på delegation. "
            "Utan delegation är utskottets beslut ett förslag till nämnden."
        ),
    )

    def __init__(self, *args: Any, body: Body | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = Body.objects.order_by("ordering", "name")
        choose_from(self.fields["parent"], bodies.exclude(pk=body.pk) if body else bodies)
        secretaries = User.in_municipality.filter(roles__contains=[Role.SECRETARY], is_active=True)
        choose_from(self.fields["secretaries"], secretaries.order_by("last_name", "first_name"))


class SeatForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(), empty_label=_("Välj person"))
    role = forms.ChoiceField(label=_("Roll"), choices=[("", _("Välj roll")), *SeatRole.choices])
    party = forms.CharField(label=_("Parti"), max_length=10)
    starts_on = forms.DateField(label=_("Från"), widget=DATE)
    ends_on = forms.DateField(label=_("Till"), widget=DATE, required=False)
    deputy_order = forms.IntegerField(
        label=_("Inkallelseordning (ersättare)"),
        min_value=1,
        max_value=99,
        required=False,
        help_text=_("1 kallas först inom partiet när en ledamot har förhinder."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["person"], Person.objects.order_by("last_name", "first_name"))


class SeatEndForm(forms.Form):
    seat = forms.IntegerField(widget=forms.HiddenInput)
    ends_on = forms.DateField(label=_("Sista dag"), widget=DATE)


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    email = forms.EmailField(label=_("E-post"), required=False)
    user = forms.ModelChoiceField(
        label=_("Användarkonto"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Inget konto"),
        help_text=_("Koppla personen till ett konto om hen loggar in (t.ex. för justering)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["user"], User.in_municipality.filter(person=None).order_by("last_name"))


class UserForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roller"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Titel"), max_length=100, required=False)
    department = forms.ModelChoiceField(
        label=_("Förvaltning"), queryset=Department.objects.none(), required=False, empty_label=_("Ingen")
    )
    is_active = forms.BooleanField(label=_("Kontot är aktivt"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["department"], Department.objects.order_by("name"))


class NewUserForm(UserForm):
    username = forms.RegexField(
        label=_("Användarnamn"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Använd bokstäver, siffror och . @ + - _ utan mellanslag.")},
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    email = forms.EmailField(label=_("E-post"))
    password = forms.CharField(
        label=_("Tillfälligt lösenord"),
        widget=forms.PasswordInput(render_value=False),
        min_length=12,
        help_text=_("Minst 12 tecken. Lämna det till användaren på ett säkert sätt."),
    )

    field_order = ["username", "first_name", "last_name", "email", "password", "roles", "title", "department"]


class MandatePeriodForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=40, help_text=_("T.ex. 2023–2026."))
    starts_on = forms.DateField(label=_("Från"), widget=DATE)
    ends_on = forms.DateField(label=_("Till"), widget=DATE)


class SeatImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        required=False,
        help_text=_("Rubrikrad: namn;parti;roll;från;till (och gärna ordning). Datum som ÅÅÅÅ-MM-DD."),
    )
    text = forms.CharField(widget=forms.HiddenInput, required=False)
