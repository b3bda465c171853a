from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import choose_from
from cases.models import Body, Case, Person
from cases.validation import BoundedDateField
from motions.models import MotionOutcome
from papers.models import Draft

from .models import AgendaItem, Attendance, Meeting, VoteChoice

PICK_FROM_LIST = _("Välj ett ärende i listan.")
PICK_PERSON = _("Välj en person i listan.")


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Organ"), queryset=Body.objects.none(), error_messages={"invalid_choice": _("Välj ett organ i listan.")}
    )
    day = BoundedDateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Klockslag"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Plats"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("day", timezone.localdate())
        super().__init__(*args, **kwargs)
        choose_from(self.fields["body"], Body.objects.active())


class ItemForm(forms.Form):
    decision = forms.CharField(label=_("Beslut"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    proposition_order = forms.CharField(
        label=_("Propositionsordning"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    notes = forms.CharField(
        label=_("Protokollsanteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    dispatch = forms.CharField(
        label=_("Expediering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("En mottagare per rad; en e-postadress får utdraget med e-post."),
    )
    immediately_justerad = forms.BooleanField(label=_("Paragrafen justeras omedelbart"), required=False)
    motion_outcome = forms.ChoiceField(
        label=_("Om ärendet är en motion: beslutet"),
        required=False,
        choices=[("", _("ingen motion / inget beslut om motionen")), *MotionOutcome.choices],
    )
    secrecy = forms.CharField(
        label=_("Sekretess enligt (bestämmelse i offentlighets- och sekretesslagen)"),
        required=False,
        max_length=200,
        help_text=_(
            "Till exempel ”OSL 26 kap. 1 §”. Lämna tomt om paragrafen är offentlig. En paragraf med sekretess "
            "visas på anslagstavlan och i den offentliga versionen av protokollet bara med nummer och bestämmelse."
        ),
    )

    def __init__(self, *args: Any, item: AgendaItem, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "decision": item.decision,
            "proposition_order": item.proposition_order,
            "notes": item.notes,
            "dispatch": "\n".join(item.dispatch),
            "immediately_justerad": item.immediately_justerad,
            "motion_outcome": item.motion_outcome,
            "secrecy": item.secrecy,
        }
        super().__init__(*args, **kwargs)

    def clean_dispatch(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["dispatch"].splitlines() if line.strip()]


class VoteForm(forms.Form):
    yes_means = forms.CharField(label=_("Ja betyder"), max_length=300)
    no_means = forms.CharField(label=_("Nej betyder"), max_length=300)

    def __init__(self, *args: Any, voters: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.voters = voters
        for row in voters:
            self.fields[f"ballot_{row.person_id}"] = forms.ChoiceField(
                label=f"{row.display_name} ({row.party})",
                choices=VoteChoice.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Ange hur %(name)s röstade.") % {"name": row.display_name}},
            )

    def result(self) -> dict[str, Any]:
        return {
            "yes_means": self.cleaned_data["yes_means"],
            "no_means": self.cleaned_data["no_means"],
            "ballots": {row.person_id: self.cleaned_data[f"ballot_{row.person_id}"] for row in self.voters},
        }


class AgendaAddForm(forms.Form):
    """One of the cases ready for the body (``agenda_candidates``), by its paper's uuid."""

    draft = forms.ChoiceField(error_messages={"required": PICK_FROM_LIST, "invalid_choice": PICK_FROM_LIST})

    def __init__(self, *args: Any, candidates: list[Draft], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(d.uuid): d for d in candidates}
        cast(forms.ChoiceField, self.fields["draft"]).choices = [(key, str(d)) for key, d in self.candidates.items()]

    def clean_draft(self) -> Draft:
        return self.candidates[self.cleaned_data["draft"]]


class AgendaAddCaseForm(forms.Form):
    """One of the cases with another body's förslag till beslut (``proposal_candidates``), by ref."""

    case = forms.ChoiceField(error_messages={"required": PICK_FROM_LIST, "invalid_choice": PICK_FROM_LIST})

    def __init__(self, *args: Any, candidates: list[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {c.ref: c for c in candidates}
        cast(forms.ChoiceField, self.fields["case"]).choices = [(key, str(c)) for key, c in self.candidates.items()]

    def clean_case(self) -> Case:
        return self.candidates[self.cleaned_data["case"]]


class AgendaMoveForm(forms.Form):
    item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        to_field_name="uuid",
        error_messages={"required": PICK_FROM_LIST, "invalid_choice": PICK_FROM_LIST},
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = AgendaItem.objects.filter(meeting=meeting).select_related("meeting")
        choose_from(self.fields["item"], items)


class CorrectionForm(forms.Form):
    text = forms.CharField(label=_("Vad rättas?"), required=False, max_length=5000)


def _people_field(*, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=required,
        error_messages={"required": PICK_PERSON, "invalid_choice": PICK_PERSON},
    )


class _PeopleForm(forms.Form):
    """A form naming people present at the meeting (those with an attendance row)."""

    people_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.people_fields:
            choose_from(self.fields[name], people)


class FloorMotionForm(_PeopleForm):
    people_fields = ("mover",)
    mover = _people_field()
    text = forms.CharField(required=False, max_length=5000)


class ReservationForm(_PeopleForm):
    people_fields = ("person",)
    person = _people_field()
    text = forms.CharField(required=False, max_length=5000)


class RecusalForm(_PeopleForm):
    people_fields = ("person", "substitute")
    person = _people_field()
    substitute = _people_field(required=False)


class ConfirmForm(forms.Form):
    """An irreversible step (kallelse, justering, the anslag and expediering): the user ticks that they
    understand before the button does anything."""

    confirm = forms.BooleanField(
        label=_("Jag förstår att steget inte kan göras ogjort."),
        error_messages={"required": _("Kryssa i att du förstår att steget inte kan göras ogjort.")},
    )


class WithdrawForm(ConfirmForm):
    reason = forms.CharField(label=_("Varför tas protokollet tillbaka?"), max_length=500)


class KungorelseExceptionForm(forms.Form):
    reason = forms.CharField(
        label=_("Lagligt skäl att hålla sammanträdet utan kungörelse en vecka före"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
