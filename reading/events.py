"""What the reading room's event codes say: anmält förhinder (reading/absence.py, in a meeting's log) and
notes (reading/notes.py, in NoteEvent; a note's event says that a note exists or changed, never what
it says)."""

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
register("note.created", _("Anteckning skriven"), _("En anteckning skrevs."))
register("note.updated", _("Anteckning ändrad"), _("En anteckning ändrades."))
register("note.shared", _("Anteckning delad"), _("En anteckning delades med partigruppen."))
register("note.unshared", _("Anteckning privat igen"), _("En anteckning gjordes privat igen."))
register("note.deleted", _("Anteckning borttagen"), _("En anteckning togs bort."))
