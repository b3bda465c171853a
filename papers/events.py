"""What the drafting codes on a case's timeline say (papers.services writes them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.events import register

register("draft.created", _("Utkast påbörjat"), _("Ett utkast till %(kind)s påbörjades: ”%(title)s”."))
register("draft.submitted", _("Utkast skickat för granskning"), _("Version %(version)s skickades för granskning."))
register("draft.returned", _("Utkast återsänt"), _("Utkastet återsändes för ändring."))
register(
    "draft.approved",
    _("Utkast godkänt"),
    _("Version %(version)s godkändes och registrerades som handling %(document)s."),
)
register(
    "draft.frozen",
    _("Utkast på föredragningslistan"),
    _("Det godkända utlåtandet lades på en föredragningslista."),
)
register("draft.reopened", _("Utkast öppnat igen"), _("Det godkända utlåtandet öppnades för en ny version."))
register("proposal.recorded", _("Förslag till beslut"), _("Förslag till beslut, steg %(stage)s: %(label)s."))
register("draft.commented", _("Granskningskommentar"), _("En granskare kommenterade delen %(section)s."))
register("draft.comment_resolved", _("Kommentar åtgärdad"), _("En granskningskommentar markerades som åtgärdad."))
register(
    "draft.pdf_registered",
    _("Utlåtandets PDF registrerad"),
    _("PDF:en av det godkända utlåtandet blev fil till handling %(document)s."),
)
