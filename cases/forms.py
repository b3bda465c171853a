from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Body, Case, CaseStatus, Department, Direction, Document, Municipality, Role, User
from .uploads import check_upload

UNKNOWN_BODY = _("Välj ett organ som finns i listan. Det angivna organet finns inte i din kommun.")


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
    registered_on = forms.DateField(
        label=_("Registreringsdatum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lämna som dagens datum om inget annat gäller."),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("registered_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["body"].queryset = Body.objects.active()  # type: ignore[attr-defined]
        self.fields["department"].queryset = Department.objects.all()  # type: ignore[attr-defined]
        self.fields["handler"].queryset = User.in_municipality.filter(  # type: ignore[attr-defined]
            roles__overlap=[Role.OFFICIAL, Role.HEAD], is_active=True
        )

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if len(title) < 3:
            raise ValidationError(_("Ärendemeningen är för kort. Skriv vad ärendet gäller."))
        return title

    def clean_registered_on(self) -> Any:
        value = self.cleaned_data["registered_on"]
        if value > timezone.localdate():
            raise ValidationError(_("Registreringsdatumet kan inte ligga i framtiden."))
        return value


class DocumentRegisterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Riktning"), choices=Direction.choices, widget=forms.RadioSelect)
    document_date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}),
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
        self.fields["secrecy_marked_by"].queryset = Body.objects.active()  # type: ignore[attr-defined]

    def clean_document_date(self) -> Any:
        value = self.cleaned_data["document_date"]
        if value > timezone.localdate():
            raise ValidationError(_("Datumet kan inte ligga i framtiden."))
        return value

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
    handler: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Handläggare"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Alla"),
        error_messages={"invalid_choice": _("Välj en handläggare i listan.")},
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["body"].queryset = Body.objects.all()  # type: ignore[attr-defined]
        self.fields["handler"].queryset = User.in_municipality.filter(  # type: ignore[attr-defined]
            roles__overlap=[Role.OFFICIAL, Role.HEAD]
        )
