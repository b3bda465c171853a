"""Forms of the agenda page and the minute-taking page. Every person choice starts empty."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.forms import choose_from
from cases.models import Case, Document

from .forms import PICK_FROM_LIST, _people_field, _PeopleForm
from .models import AgendaItem, FloorMotion, Meeting, Recusal, Reservation, Vote

TITLE_HELP = _("Till exempel ”Svar på motion angående X – Namn (Parti)”.")
SECRECY_HELP = _(
    "Till exempel ”OSL 26 kap. 1 §”. Lämna tomt om punkten är offentlig. En punkt med sekretess visas på "
    "anslagstavlan och i den offentliga versionen av protokollet bara med nummer och bestämmelse."
)


def _title_field() -> forms.CharField:
    return forms.CharField(
        label=_("Rubrik"),
        max_length=AgendaItem._meta.get_field("title").max_length,
        help_text=TITLE_HELP,
        error_messages={"required": _("Ange en rubrik.")},
    )


class ItemChoiceForm(forms.Form):
    """One item of this meeting, by uuid."""

    item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        to_field_name="uuid",
        error_messages={"required": PICK_FROM_LIST, "invalid_choice": PICK_FROM_LIST},
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["item"], AgendaItem.objects.filter(meeting=meeting).select_related("meeting", "case"))


class MoveToForm(ItemChoiceForm):
    position = forms.IntegerField(
        label=_("Flytta till plats"),
        error_messages={"required": _("Ange en plats."), "invalid": _("Ange platsen som ett heltal.")},
    )


class FreeItemForm(forms.Form):
    """An informationsärende, val or anmälan; a case is optional and must be addressed to the body."""

    title = _title_field()
    case = forms.ChoiceField(
        label=_("Ärende (frivilligt)"),
        required=False,
        error_messages={"invalid_choice": _("Välj ett ärende som är ställt till organet.")},
    )
    description = forms.CharField(
        label=_("Ärendebeskrivning (frivilligt)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, cases: list[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = {c.ref: c for c in cases}
        cast(forms.ChoiceField, self.fields["case"]).choices = [
            ("", _("inget ärende")),
            *[(ref, f"{c.diarienummer} {c.title}") for ref, c in self.cases.items()],
        ]

    def clean_case(self) -> Case | None:
        ref = self.cleaned_data["case"]
        return self.cases[ref] if ref else None


class StandingAddForm(forms.Form):
    title = forms.ChoiceField(
        label=_("Stående punkt"),
        error_messages={"required": PICK_FROM_LIST, "invalid_choice": _("Välj en stående punkt i listan.")},
    )

    def __init__(self, *args: Any, titles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["title"]).choices = [
            ("", _("Välj stående punkt")),
            *[(t, t) for t in titles],
        ]


class DocumentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.sequence}. {obj.description} ({obj.document_date:%Y-%m-%d})"


class AgendaItemForm(forms.Form):
    """The item as it stands on the agenda."""

    title = _title_field()
    description = forms.CharField(
        label=_("Ärendebeskrivning"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    documents = DocumentsField(
        label=_("Beslutsunderlag"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Välj beslutsunderlag bland ärendets handlingar.")},
    )
    secrecy = forms.CharField(
        label=_("Sekretess enligt (bestämmelse i offentlighets- och sekretesslagen)"),
        required=False,
        max_length=200,
        help_text=SECRECY_HELP,
    )

    def __init__(self, *args: Any, item: AgendaItem, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": item.title,
                "description": item.description,
                "secrecy": item.secrecy,
                "documents": list(item.documents.all()),
            },
        )
        super().__init__(*args, **kwargs)
        documents: QuerySet[Document] = (
            item.case.documents.order_by("sequence") if item.case_id and item.case else Document.objects.none()
        )
        field = cast(forms.ModelMultipleChoiceField, self.fields["documents"])
        field.queryset = documents
        if not item.case_id:
            del self.fields["documents"]


class FloorMotionEditForm(_PeopleForm):
    people_fields = ("mover",)
    mover = _people_field()
    text = forms.CharField(
        label=_("Yrkande"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


GONE = _("Det du valde finns inte längre under paragrafen. Ladda om sidan.")


def _choice(queryset: QuerySet[Any]) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=queryset, error_messages={"required": GONE, "invalid_choice": GONE})


class RemoveForm(forms.Form):
    """One of the §'s yrkanden, omröstningar, reservationer or jäv, by its key within the §."""

    def __init__(self, *args: Any, queryset: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["row"] = _choice(queryset)


def rows_of(item: AgendaItem, kind: str) -> QuerySet[Any]:
    model: dict[str, Any] = {"yrkande": FloorMotion, "vote": Vote, "reservation": Reservation, "jav": Recusal}
    return cast(QuerySet[Any], model[kind].objects.filter(item=item))
