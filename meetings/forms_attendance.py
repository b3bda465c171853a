"""Forms of the attendance page and of planning (move, cancel)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.forms import choose_from
from cases.models import Person, User
from cases.validation import BoundedDateField

from .attendance import Presence, chair_candidates, item_ref, secretary_candidates
from .models import Adjournment, AgendaItem, Attendance, ChairRole, Meeting, SeatKind

PRESENT, ABSENT, PARTIAL = "present", "absent", "partial"
STATES = [(PRESENT, _("närvarande")), (ABSENT, _("frånvarande")), (PARTIAL, _("del av sammanträdet"))]
PICK_ITEM = _("Välj en punkt på föredragningslistan.")


def _item_choices(items: list[AgendaItem], empty: str | Promise) -> list[tuple[str, str]]:
    return [("", str(empty))] + [(str(i.uuid), f"{item_ref(i, items)} {i.title}") for i in items]


class _ItemsForm(forms.Form):
    """A form naming agenda items by uuid."""

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.by_uuid = {str(i.uuid): i for i in items}

    def item(self, key: str) -> AgendaItem | None:
        return self.by_uuid.get(self.cleaned_data.get(key) or "")

    def item_field(self, label: str | Promise, empty: str | Promise) -> forms.ChoiceField:
        return forms.ChoiceField(
            label=str(label),
            required=False,
            choices=_item_choices(self.items, empty),
            error_messages={"invalid_choice": PICK_ITEM},
        )


class AttendanceForm(_ItemsForm):
    """For each called ledamot and ersättare: present, absent or present for some items, justerare,
    and for an ersättare whom they serve for ("tjg för", empty at first)."""

    def __init__(self, *args: Any, rows: list[Attendance], items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, items=items, **kwargs)
        self.rows = [r for r in rows if r.kind != SeatKind.OTHER]
        members = [(str(r.person_id), f"{r.display_name} ({r.party})") for r in self.rows if r.kind == SeatKind.MEMBER]
        for row in self.rows:
            state = PARTIAL if row.present and row.is_partial else PRESENT if row.present else ABSENT
            self.fields[f"state_{row.pk}"] = forms.ChoiceField(
                label=_("Närvaro"), choices=STATES, initial=state, widget=forms.RadioSelect, required=False
            )
            self.fields[f"from_{row.pk}"] = self.item_field(_("Från och med"), _("från början"))
            self.fields[f"from_{row.pk}"].initial = str(row.from_item.uuid) if row.from_item else ""
            self.fields[f"to_{row.pk}"] = self.item_field(_("Till och med"), _("till slutet"))
            self.fields[f"to_{row.pk}"].initial = str(row.to_item.uuid) if row.to_item else ""
            self.fields[f"justerare_{row.pk}"] = forms.BooleanField(
                label=_("Justerare"), required=False, initial=row.is_justerare
            )
            if row.kind == SeatKind.DEPUTY:
                self.fields[f"serving_{row.pk}"] = forms.TypedChoiceField(
                    label=_("Tjg för"),
                    choices=[("", _("tjänstgör inte")), *members],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=str(row.serving_for_id) if row.serving_for_id else "",
                    error_messages={"invalid_choice": _("Välj en ledamot i listan.")},
                )

    def row_fields(self) -> list[tuple[Attendance, dict[str, forms.BoundField]]]:
        out = []
        for row in self.rows:
            names = ["state", "from", "to", "justerare"] + (["serving"] if row.kind == SeatKind.DEPUTY else [])
            out.append((row, {name: self[f"{name}_{row.pk}"] for name in names}))
        return out

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for row in self.rows:
            partial = data.get(f"state_{row.pk}") == PARTIAL
            if partial and not (data.get(f"from_{row.pk}") or data.get(f"to_{row.pk}")):
                raise forms.ValidationError(
                    _("%(name)s är närvarande under en del av sammanträdet: ange från och med eller till och med.")
                    % {"name": row.display_name}
                )
        return data

    def result(self) -> dict[str, Any]:
        data = self.cleaned_data
        rows = {}
        for row in self.rows:
            state = data.get(f"state_{row.pk}") or ABSENT  # as an unticked box: not present
            partial = state == PARTIAL
            rows[row.pk] = Presence(
                present=state != ABSENT,
                from_item=self.item(f"from_{row.pk}") if partial else None,
                to_item=self.item(f"to_{row.pk}") if partial else None,
                serving_for=data.get(f"serving_{row.pk}"),
            )
        return {"rows": rows, "justerare": [r.pk for r in self.rows if data.get(f"justerare_{r.pk}")]}


class OtherPresentForm(_ItemsForm):
    name = forms.CharField(label=_("Namn"), max_length=200)
    title = forms.CharField(label=_("Titel"), max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_item"] = self.item_field(_("Från och med"), _("från början"))
        self.fields["to_item"] = self.item_field(_("Till och med"), _("till slutet"))

    def result(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data["name"],
            "title": self.cleaned_data["title"],
            "from_item": self.item("from_item"),
            "to_item": self.item("to_item"),
        }


class RowForm(forms.Form):
    """One övrig närvarande of the meeting, by id (within the meeting only)."""

    row = forms.ModelChoiceField(
        queryset=Attendance.objects.none(), error_messages={"invalid_choice": _("Välj en person i listan.")}
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["row"], Attendance.objects.filter(meeting=meeting, kind=SeatKind.OTHER))


class AdjournmentForm(forms.Form):
    starts = forms.TimeField(label=_("Ajournering från kl."), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("till kl."), widget=forms.TimeInput(attrs={"type": "time"}))


class AdjournmentRemoveForm(forms.Form):
    adjournment = forms.ModelChoiceField(
        queryset=Adjournment.objects.none(), error_messages={"invalid_choice": _("Välj en ajournering i listan.")}
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["adjournment"], meeting.adjournments.all())


class ConductForm(forms.Form):
    start_time = forms.TimeField(label=_("Sammanträdet började kl."), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(
        label=_("Sammanträdet avslutades kl."), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    chair = forms.ModelChoiceField(
        label=_("Ordförande"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("ingen vald"),
        help_text=_("Bland närvarande ledamöter och tjänstgörande ersättare."),
        error_messages={"invalid_choice": _("Välj ordförande bland de närvarande.")},
    )
    chair_role = forms.ChoiceField(label=_("Ordförande som"), choices=ChairRole.choices, initial=ChairRole.CHAIR)
    secretary = forms.ModelChoiceField(
        label=_("Protokollförare (sekreterare)"),
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Välj en sekreterare i listan.")},
    )
    justering_place_time = forms.CharField(
        label=_("Justeringens plats och tid"),
        max_length=200,
        required=False,
        help_text=_("Till exempel ”Kommunkansliet, 2026-05-28 kl. 10.00”."),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        from django.utils import timezone

        kwargs.setdefault(
            "initial",
            {
                "start_time": timezone.localtime(meeting.starts_at).time().replace(second=0, microsecond=0),
                "end_time": meeting.end_time,
                "chair": meeting.chair_id,
                "chair_role": meeting.chair_role or ChairRole.CHAIR,
                "secretary": meeting.secretary_id,
                "justering_place_time": meeting.justering_place_time,
            },
        )
        super().__init__(*args, **kwargs)
        present = [r.person_id for r in chair_candidates(meeting)]
        if meeting.chair_id:
            present.append(meeting.chair_id)  # shown even if absent, so the refusal can name them
        choose_from(self.fields["chair"], Person.objects.filter(pk__in=present).order_by("last_name", "first_name"))
        choose_from(
            self.fields["secretary"], User.in_municipality.filter(pk__in=[u.pk for u in secretary_candidates(meeting)])
        )


class MoveForm(forms.Form):
    day = BoundedDateField(label=_("Nytt datum"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Klockslag"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Plats"), max_length=200)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför ställs sammanträdet in?"), max_length=1000, widget=forms.Textarea({"rows": 2})
    )
    confirm = forms.BooleanField(
        label=_("Jag förstår att ett inställt sammanträde inte kan kallas, ändras eller hållas."),
        error_messages={"required": _("Kryssa i att du förstår att steget inte kan göras ogjort.")},
    )
