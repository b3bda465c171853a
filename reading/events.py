"""What the reading room's event codes say (reading/notes.py writes them to NoteEvent).

A note's event says that a note exists or changed, never what it says."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.events import register

register("note.created", _("Anteckning skriven"), _("En anteckning skrevs."))
register("note.updated", _("Anteckning ändrad"), _("En anteckning ändrades."))
register("note.shared", _("Anteckning delad"), _("En anteckning delades med partigruppen."))
register("note.unshared", _("Anteckning privat igen"), _("En anteckning gjordes privat igen."))
register("note.deleted", _("Anteckning borttagen"), _("En anteckning togs bort."))
