"""Reading the editor's POST into a paper's content, with Swedish messages for what is wrong."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cases.forms import choose_from, error_text
from cases.models import Body, Case

from .content import BasisItem, PaperContent, Signatory
from .models import BlockType, Draft, PaperTemplate
from .services import draft_input_errors


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def parse_signatories(value: str) -> list[Signatory]:
    people = []
    for line in _lines(value):
        name, _sep, title = line.partition(",")
        people.append(Signatory(name=name.strip(), title=title.strip()))
    return people


class EditorInput:
    """The editor's fields. ``errors`` maps a field name to a Swedish message."""

    def __init__(self, draft: Draft, data: QueryDict) -> None:
        self.draft, self.data = draft, data
        self.errors: dict[str, str] = {}
        self.base_version = self._int("base_version")
        self.title = (data.get("title") or "").strip()
        self.header: dict[str, Any] = {}
        raw_date = data.get("paper_date") or ""
        try:
            self.header["paper_date"] = date.fromisoformat(raw_date)
        except ValueError:
            self.errors["paper_date"] = _("Ange datumet som ÅÅÅÅ-MM-DD.")
        # The rules themselves (no empty title, no future date) are the service's, asked here too
        # so the editor shows every error at once.
        self.errors = draft_input_errors(title=self.title, paper_date=self.header.get("paper_date")) | self.errors
        addressee = data.get("addressee") or ""
        body = Body.objects.active().filter(pk=addressee).first() if addressee.isdigit() else None
        if body is None:
            self.errors["addressee"] = _("Välj ett organ som finns i din kommun.")
        self.header["addressee"] = body
        self.content = self._content(draft.template, draft.case)

    def _int(self, name: str) -> int:
        value = self.data.get(name) or ""
        if not value.isdigit():
            self.errors[name] = _("Sidan saknar versionsnummer. Ladda om sidan.")
            return -1
        return int(value)

    def _content(self, template: PaperTemplate, case: Case) -> PaperContent:
        sections = {}
        for section in template.sections.all():
            if section.block_type in (BlockType.TEXT, BlockType.SUMMARY):
                sections[section.key] = self.data.get(f"section-{section.key}", "")
        documents = {str(d.uuid): d for d in case.documents.filter(secrecy_provision="")}
        basis = [
            BasisItem(text=documents[uuid].description, document=uuid)
            for uuid in self.data.getlist("basis-doc")
            if uuid in documents
        ]
        basis += [BasisItem(text=line) for line in _lines(self.data.get("basis-extra", ""))]
        return PaperContent(
            sections=sections,
            proposal=_lines(self.data.get("proposal", "")),
            basis=basis,
            dispatch=_lines(self.data.get("dispatch", "")),
            signatories=parse_signatories(self.data.get("signatories", "")),
        )

    @property
    def is_valid(self) -> bool:
        return not self.errors


class NewDraftForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_lazy("Mall"),
        queryset=PaperTemplate.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _lazy("Välj en mall."), "invalid_choice": _lazy("Välj en mall i listan.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["template"], PaperTemplate.objects.all())


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_lazy("Vad behöver ändras?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _lazy("Skriv vad som behöver ändras.")},
    )


class ProposalForm(forms.Form):
    label = forms.CharField(
        label=_lazy("Vems förslag"), max_length=120, help_text=_lazy("T.ex. ”Kommunstyrelsens förslag”.")
    )
    body = forms.ModelChoiceField(
        label=_lazy("Organ"),
        queryset=Body.objects.none(),
        error_messages={"invalid_choice": _lazy("Välj ett organ som finns i din kommun.")},
    )
    satser = forms.CharField(
        label=_lazy("Beslutssatser"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_lazy("En beslutssats per rad."),
        max_length=20000,
        error_messages={"required": _lazy("Skriv minst en beslutssats.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["body"], Body.objects.active())

    def clean_satser(self) -> list[str]:
        return _lines(self.cleaned_data["satser"])


class CommentForm(forms.Form):
    """A reviewer's comment: the part, the words it is about (filled from the marked text), the comment."""

    section_key = forms.ChoiceField(label=_lazy("Del"))
    quote = forms.CharField(
        label=_lazy("Ord ur texten som kommentaren gäller"),
        max_length=500,
        help_text=_lazy("Markera ord i utlåtandet, så fylls de i här."),
        error_messages={"required": _lazy("Markera eller skriv ord ur texten.")},
    )
    body = forms.CharField(
        label=_lazy("Kommentar"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _lazy("Skriv en kommentar.")},
    )

    def __init__(self, draft: Draft, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["section_key"])
        field.choices = [
            (s.key, s.label_for(draft.addressee) if s.block_type == BlockType.TEXT else _("Sammanfattning"))
            for s in draft.template.sections.all()
            if s.block_type in (BlockType.TEXT, BlockType.SUMMARY)
        ]

    def first_error(self) -> str:
        return error_text(self)
