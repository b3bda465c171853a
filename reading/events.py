"""What the reading room's codes in a meeting's log say (reading/absence.py writes them)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.events import Payload, register


def _reported(data: Payload) -> str:
    items = data.get("items")
    if isinstance(items, list) and items:
        return gettext("%(person)s anmälde förhinder för %(items)s.") % {
            "person": data.get("person", ""),
            "items": ", ".join(str(i) for i in items),
        }
    return gettext("%(person)s anmälde förhinder för hela sammanträdet.") % {"person": data.get("person", "")}


register("absence.reported", _("Förhinder anmält"), _reported)
register(
    "absence.substitute_called",
    _("Ersättare inkallad"),
    _("%(substitute)s kallades in som ersättare för %(person)s."),
)
