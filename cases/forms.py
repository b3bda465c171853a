from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alingsas_ale.forms import RowSelect

from .models import Body, Case, CaseStatus, Department, Direction, Document, Municipality, Remiss, Role, User
from .services.diarium import CaseError, case_registered_on_check, case_title_check, document_date_check
from .uploads import check_upload
from .validation import BoundedDateField


def choose_from(field: forms.Field, queryset: QuerySet[Any]) -> None:
    """Set a model choice field's choices: they are per municipality, so per request."""
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{field!r} is not a model choice field")
    field.queryset = queryset


def error_text(form: forms.Form) -> str:
    """A refused form's errors as one message, for actions that answer with a redirect."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


class UserChoiceField(forms.TypedChoiceField):
    """A choice of user by id among ``users`` (``offer``). A large municipality's 2,000 users built
    as model instances for a filter cost the diarium page 0.2–0.4 s (bench/pages.py); their options
    are now written once and kept in the shared cache (cases/user_options.py), and a chosen id is
    checked with one query. The cleaned value is the user's id, which filters as well as the user."""

    widget = RowSelect

    def __init__(self, *, empty_label: str | Promise, **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.empty_label = empty_label
        self.users: QuerySet[User] = User.objects.none()

    def offer(self, users: QuerySet[User]) -> None:
        """Offer ``users``, by name."""
        from .user_options import options_html

        self.users = users
        # Set past the setters of ChoiceField and of the widget, whose normalising cost the diarium
        # page 27 ms, then 19 ms, per request: the rows are written by options_html.
        widget = cast(RowSelect, self.widget)
        self._choices = widget._choices = [("", self.empty_label)]
        widget.more_options = lambda: options_html(users)

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit() and self.users.filter(pk=int(value)).exists()


T = TypeVar("T")

UNKNOWN_BODY = _("Välj ett organ som finns i listan. Det angivna organet finns inte i din kommun.")


def _checked(check: Callable[[T], T], value: T) -> T:
    """Run a service's check on one field's value; its CaseError becomes that field's error."""
    try:
        return check(value)
    except CaseError as error:
        raise ValidationError(str(error)) from error


class CaseRegisterForm(forms.Form):
    title = forms.CharField(
        label=_("Ärendemening"),
        max_length=Case._meta.get_field("title").max_length,
        help_text=_("En kort mening som beskriver ärendet, t.ex. ”Motion om …”."),
    )
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Ansvarigt organ"),
        queryset=Body.objects.none(),
        error_messages={"invalid_choice": UNKNOWN_BODY},
        empty_label=_("Välj organ"),
    )
    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        label=_("Förvaltning"), queryset=Department.objects.none(), required=False, empty_label=_("Ingen vald")
    )
    handler: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Handläggare"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Ingen ännu"),
        error_messages={"invalid_choice": _("Välj en handläggare i din kommun.")},
    )
    registered_on = BoundedDateField(
        label=_("Registreringsdatum"),
        help_text=_("Lämna som dagens datum om inget annat gäller."),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("registered_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        choose_from(self.fields["body"], Body.objects.active())
        choose_from(self.fields["department"], Department.objects.all())
        choose_from(
            self.fields["handler"],
            User.in_municipality.filter(roles__overlap=[Role.OFFICIAL, Role.HEAD], is_active=True),
        )

    # The rules are the service's (the same answer for a form, a command or an API); shown at the field.
    def clean_title(self) -> str:
        return _checked(case_title_check, self.cleaned_data["title"])

    def clean_registered_on(self) -> Any:
        return _checked(case_registered_on_check, self.cleaned_data["registered_on"])


class DocumentRegisterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Riktning"), choices=Direction.choices, widget=forms.RadioSelect)
    document_date = BoundedDateField(
        label=_("Datum"),
        help_text=_("Dagen handlingen kom in eller upprättades."),
    )
    counterpart = forms.CharField(
        label=_("Avsändare eller mottagare"),
        max_length=Document._meta.get_field("counterpart").max_length,
        required=False,
    )
    description = forms.CharField(
        label=_("Kort beskrivning av innehållet"),
        max_length=Document._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label=_("Fil"),
        required=False,
        help_text=_("PDF, Word (DOCX), OpenDocument (ODT) eller bild (PNG, JPEG). Högst %(mb)s MB.")
        % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
    )
    is_secret = forms.BooleanField(label=_("Handlingen omfattas av sekretess"), required=False)
    secrecy_provision = forms.CharField(
        label=_("Sekretessbestämmelse"),
        max_length=40,
        required=False,
        help_text=_("Till exempel ”OSL 26 kap. 1 §”."),
    )
    secrecy_marked_by: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Myndighet som sekretessmarkerar"),
        queryset=Body.objects.none(),
        required=False,
        error_messages={"invalid_choice": UNKNOWN_BODY},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("document_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        choose_from(self.fields["secrecy_marked_by"], Body.objects.active())

    def clean_document_date(self) -> Any:
        return _checked(document_date_check, self.cleaned_data["document_date"])

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        direction = data.get("direction")
        if direction in (Direction.INCOMING, Direction.OUTGOING) and not data.get("counterpart", "").strip():
            self.add_error("counterpart", _("Ange avsändare (inkommande) eller mottagare (utgående) för handlingen."))
        if data.get("is_secret"):
            provision = data.get("secrecy_provision", "").strip()
            if not provision:
                self.add_error("secrecy_provision", _("Ange vilken bestämmelse i OSL som sekretessen grundas på."))
            else:
                field = Document._meta.get_field("secrecy_provision")
                try:
                    field.run_validators(provision)
                except ValidationError as error:
                    self.add_error("secrecy_provision", error)
                data["secrecy_provision"] = provision
        else:
            data["secrecy_provision"] = ""
        return data


class DiariumFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök i ärendemening eller diarienummer"), required=False, max_length=200)
    body: forms.ModelChoiceField[Body] = forms.ModelChoiceField(
        label=_("Organ"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("Alla"),
        error_messages={"invalid_choice": UNKNOWN_BODY},
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Alla")), *CaseStatus.choices], required=False)
    year = forms.IntegerField(
        label=_("År"),
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": _("Ange året med fyra siffror, t.ex. 2017."),
            "min_value": _("Ange ett år från 1900 och framåt."),
            "max_value": _("Ange ett år före 2100."),
        },
    )
    handler = UserChoiceField(
        label=_("Handläggare"),
        required=False,
        empty_label=_("Alla"),
        error_messages={"invalid_choice": _("Välj en handläggare i listan.")},
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        choose_from(self.fields["body"], Body.objects.all())
        self.handler_field.offer(User.in_municipality.filter(roles__overlap=[Role.OFFICIAL, Role.HEAD]))

    @property
    def handler_field(self) -> UserChoiceField:
        return cast(UserChoiceField, self.fields["handler"])


class RemissSendForm(forms.Form):
    from_body = forms.ModelChoiceField(
        label=_("Remitterande organ"),
        queryset=Body.objects.none(),
        error_messages={"invalid_choice": UNKNOWN_BODY},
    )
    to_bodies = forms.ModelMultipleChoiceField(
        label=_("Remissinstanser"),
        queryset=Body.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Välj minst en remissinstans."),
            "invalid_choice": _("Remissinstansen finns inte i din kommun."),
            "invalid_pk_value": _("Remissinstansen finns inte i din kommun."),
        },
    )
    deadline = BoundedDateField(
        label=_("Svarsdatum"),
        help_text=_("Sista dag för svar. Måste vara en arbetsdag (inte lördag, söndag eller helgdag)."),
    )
    cover_note = forms.CharField(
        label=_("Missiv"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad remissinstanserna ska yttra sig över och eventuella frågor."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        from . import workdays

        default_deadline = workdays.deadline_after(timezone.localdate(), weeks=6)
        kwargs.setdefault("initial", {}).setdefault("deadline", default_deadline)
        super().__init__(*args, **kwargs)
        self.case = case
        bodies = Body.objects.active()
        choose_from(self.fields["from_body"], bodies)
        choose_from(self.fields["to_bodies"], bodies)
        preparing = bodies.filter(kind="utskott").first() or case.body
        self.fields["from_body"].initial = preparing.pk
        self.bodies = list(bodies)
        for body in self.bodies:  # a deadline of its own for any recipient, else the common one
            self.fields[f"deadline_{body.pk}"] = BoundedDateField(
                label=_("Eget svarsdatum för %(body)s") % {"body": body.name}, required=False
            )

    @property
    def recipient_rows(self) -> list[tuple[Any, Any]]:
        """Each recipient's checkbox beside its own deadline field, for the template."""
        checkboxes = {str(c.data["value"]): c for c in self["to_bodies"]}
        return [(checkboxes[str(b.pk)], self[f"deadline_{b.pk}"]) for b in self.bodies if str(b.pk) in checkboxes]

    def clean(self) -> dict[str, Any]:
        from .services import CaseError, remiss_check

        data = super().clean() or {}
        if not self.errors:
            chosen = list(data["to_bodies"])
            deadlines = {b.pk: data[f"deadline_{b.pk}"] for b in chosen if data.get(f"deadline_{b.pk}")}
            data["deadlines"] = deadlines
            try:
                remiss_check(
                    self.case,
                    from_body=data["from_body"],
                    to_bodies=chosen,
                    deadline=data["deadline"],
                    deadlines=deadlines,
                )
            except CaseError as error:
                raise ValidationError(str(error)) from error
        return data


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.sequence}. {obj.document_date:%Y-%m-%d} {obj.description}"


class DocumentMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.sequence}. {obj.document_date:%Y-%m-%d} {obj.description}"


class RemissAnswerForm(forms.Form):
    document = DocumentChoiceField(
        label=_("Handling som är svaret"),
        queryset=Document.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj den handling som är remissvaret."),
            "invalid_choice": _("Välj en handling i remissärendet."),
        },
        help_text=_("Normalt protokollsutdraget med nämndens beslut om yttrandet."),
    )
    attachments = DocumentMultipleChoiceField(
        label=_("Skicka också med"),
        queryset=Document.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Välj handlingar i remissärendet.")},
        help_text=_("Till exempel yttrandet som nämnden antog. Allt skickat hamnar i det remitterande ärendet."),
    )

    def __init__(self, *args: Any, response_case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        public = response_case.documents.filter(secrecy_provision="").order_by("-sequence")
        choose_from(self.fields["document"], public)
        choose_from(self.fields["attachments"], public)


BOARD_VIEWS = [
    ("pending", _("Obesvarade")),
    ("week", _("Svar senast denna vecka")),
    ("overdue", _("Försenade")),
    ("answered", _("Besvarade")),
    ("all", _("Alla")),
]
BOARD_SORTS = [
    ("deadline", _("Svarsdatum, tidigast först")),
    ("-deadline", _("Svarsdatum, senast först")),
    ("case", _("Diarienummer")),
    ("to_body", _("Remissinstans")),
]


class BoardFilterForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Organ"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("Alla organ"),
        error_messages={"invalid_choice": UNKNOWN_BODY},
    )
    direction = forms.ChoiceField(
        label=_("Riktning"),
        required=False,
        choices=[
            ("", _("Skickade och mottagna")),
            ("sent", _("Skickade av organet")),
            ("received", _("Mottagna av organet")),
        ],
    )
    view = forms.ChoiceField(label=_("Visa"), required=False, choices=BOARD_VIEWS)
    sort = forms.ChoiceField(label=_("Sortera"), required=False, choices=BOARD_SORTS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["body"], Body.objects.all())


class BoardActionForm(forms.Form):
    """Rows chosen on the deadline board, and what to do with them: remind, or give a later deadline."""

    REMIND, EXTEND = "remind", "extend"
    remisser = forms.ModelMultipleChoiceField(
        queryset=Remiss.objects.none(),
        error_messages={
            "required": _("Markera minst en remiss i listan."),
            "invalid_choice": _("En markerad remiss finns inte längre i listan."),
            "invalid_pk_value": _("En markerad remiss finns inte längre i listan."),
        },
    )
    action = forms.ChoiceField(choices=[(REMIND, _("Skicka påminnelse")), (EXTEND, _("Förläng svarsdatum"))])
    deadline = BoundedDateField(label=_("Nytt svarsdatum"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["remisser"], Remiss.objects.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == self.EXTEND and not data.get("deadline"):
            self.add_error("deadline", _("Ange det nya svarsdatumet."))
        return data


class AssignHandlerForm(forms.Form):
    """The handläggare among the municipality's active officials and heads, offered as (id, name)
    rows: the case page draws this for every registrar, in a municipality of thousands of users."""

    handler = UserChoiceField(
        label=_("Handläggare"),
        empty_label=_("Välj handläggare"),
        error_messages={
            "required": _("Välj en handläggare."),
            "invalid_choice": _("Välj en handläggare i din kommun."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(UserChoiceField, self.fields["handler"])
        field.offer(User.in_municipality.filter(roles__overlap=[Role.OFFICIAL, Role.HEAD], is_active=True))

    def clean_handler(self) -> User:
        return User.in_municipality.get(pk=self.cleaned_data["handler"])
