"""Input at the edges: text cleaning and date bounds, said once for every form, service and command.

- :func:`clean_text`: Unicode NFC (text pasted from macOS arrives decomposed and would not match a
  search typed in composed form) with NUL and the other control characters removed (tab, line
  feed and carriage return stay). ``alingsas_ale.middleware.CleanInputMiddleware`` applies it to
  every GET and POST value; services apply it again, so a command or an API gets the same text.
- :class:`BoundedDateField` and :func:`validate_date_in_range`: dates between 1900-01-01 and
  2100-12-31. A year 9999 or 0001 is a typing error in a diarium, never a real date.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
DATE_OUT_OF_RANGE = _("Ange ett datum mellan 1900-01-01 och 2100-12-31.")

_KEPT_CONTROLS = {"\t", "\n", "\r"}
_CONTROLS = {chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]} - _KEPT_CONTROLS
_DROP_CONTROLS = str.maketrans(dict.fromkeys(_CONTROLS))


def clean_text(value: str) -> str:
    """NFC-normalised, with NUL and other control characters (except tab, LF, CR) removed."""
    return unicodedata.normalize("NFC", value.translate(_DROP_CONTROLS))


def date_in_range(value: date) -> bool:
    return DATE_MIN <= value <= DATE_MAX


def validate_date_in_range(value: date) -> None:
    if not date_in_range(value):
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_out_of_range")


class BoundedDateField(forms.DateField):
    """A form date between 1900 and 2100, drawn as a native date input with those bounds."""

    default_validators = [validate_date_in_range]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.DateInput(attrs={"type": "date", "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}),
        )
        super().__init__(**kwargs)
