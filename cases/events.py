"""Event codes are data: the registry of what each timeline code means, in Swedish.

Services write a namespaced code (``case.registered``, ``meeting.called``) and a JSON payload. Each
app registers the codes it writes, with a short label and the sentence the timeline shows, in its
own ``events.py``, imported from its ``AppConfig.ready()``. The core holds the registry and its own
codes and imports no app above it (pretix's log-entry types are the model).

A page, a PDF or an e-mail asks ``describe(action, data)`` and never prints the code itself; a code
nobody registered reads as a neutral sentence and leaves a warning in the log.
``tests/test_event_labels.py`` scans the services for every code they can write and fails on one
without a label.

The sentences are plain text: callers escape them (templates do so automatically), so a payload
value such as a body's name cannot inject markup.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

Payload = Mapping[str, Any]
Sentence = Callable[[Payload], str]


class _Blank(dict[str, Any]):
    """A payload for %-formatting: a field the writer left out reads as empty, never as an error."""

    def __missing__(self, key: str) -> str:
        return ""


def _value(value: Any) -> Any:
    return "" if value is None else value


@dataclass(frozen=True)
class EventType:
    code: str
    label: str | Promise  # a noun phrase for lists and filters: "Ärende registrerat"
    text: str | Promise | Sentence  # "%(field)s" placeholders filled from the payload, or a function

    def render(self, data: Payload | None) -> str:
        payload = data if isinstance(data, Mapping) else {}  # a JSON payload that is not an object: no fields
        if callable(self.text):
            return str(self.text(payload))
        return str(self.text) % _Blank({key: _value(value) for key, value in payload.items()})


EVENT_TYPES: dict[str, EventType] = {}
UNKNOWN_TEXT = _("Händelse registrerades.")
UNKNOWN_LABEL = _("Händelse")


def register(code: str, label: str | Promise, text: str | Promise | Sentence) -> EventType:
    """Register what an event code means. Registering a code twice with another meaning is a bug."""
    event_type = EventType(code=code, label=label, text=text)
    existing = EVENT_TYPES.get(code)
    if existing is not None and existing != event_type:
        raise ValueError(f"event code {code!r} is already registered")
    EVENT_TYPES[code] = event_type
    return event_type


def registered_codes() -> frozenset[str]:
    return frozenset(EVENT_TYPES)


def label(action: str) -> str:
    event_type = EVENT_TYPES.get(action)
    if event_type is None:
        logger.warning("no label registered for event code %r", action)
        return str(UNKNOWN_LABEL)
    return str(event_type.label)


def describe(action: str, data: Payload | None = None) -> str:
    """The Swedish sentence for one event; never the code itself."""
    event_type = EVENT_TYPES.get(action)
    if event_type is None:
        logger.warning("no text registered for event code %r", action)
        return str(UNKNOWN_TEXT)
    return event_type.render(data)


# The core's own codes: the diarium, documents and remisser.


def _document_registered(data: Payload) -> str:
    if data.get("secret"):
        return gettext("Handling %(n)s registrerades (sekretess).") % {"n": _value(data.get("sequence"))}
    return gettext("Handling %(n)s registrerades.") % {"n": _value(data.get("sequence"))}


register("case.registered", _("Ärende registrerat"), _("Ärendet registrerades som %(diarienummer)s."))
register("case.handler_assigned", _("Handläggare utsedd"), _("%(name)s blev handläggare."))
register("case.closed", _("Ärende avslutat"), _("Ärendet avslutades."))
register("document.registered", _("Handling registrerad"), _document_registered)


def _text_extracted(data: Payload) -> str:
    if data.get("converted"):
        return gettext("Texten i handling %(n)s lästes in för sökning och filen visas som PDF.") % {
            "n": _value(data.get("sequence"))
        }
    return gettext("Texten i handling %(n)s lästes in för sökning.") % {"n": _value(data.get("sequence"))}


register("document.text_extracted", _("Text inläst för sökning"), _text_extracted)
register(
    "document.secret_access_granted",
    _("Läsrätt till sekretessbelagd handling given"),
    _("%(name)s fick läsrätt till en sekretessbelagd handling."),
)
register(
    "document.secret_access_revoked",
    _("Läsrätt till sekretessbelagd handling återtagen"),
    _("%(name)s miste läsrätten till en sekretessbelagd handling."),
)
register(
    "case.secret_access_moved",
    _("Läsrätt flyttad med ärendet"),
    _("Läsrätten till ärendets %(documents)s sekretessbelagda handlingar följde ärendet till %(name)s."),
)
register("remiss.sent", _("Remiss skickad"), _("Remiss skickades till %(to_name)s med svar senast %(deadline)s."))
register("remiss.received", _("Remiss mottagen"), _("%(to_name)s tog emot remissen som %(response)s."))
register("remiss.received_from", _("Remiss inkommen"), _("Remiss från %(from_name)s i ärendet %(origin)s."))
register("remiss.answer_sent", _("Remissvar skickat"), _("Handling %(sequence)s skickades som remissvar."))
register("remiss.answered", _("Remiss besvarad"), _("%(to_name)s besvarade remissen."))
register("remiss.overdue", _("Remiss försenad"), _("Remissen till %(to_name)s är försenad."))
register(
    "remiss.failed",
    _("Remiss kunde inte skickas"),
    _("Remissen till %(to_name)s kunde inte skickas: %(reason)s"),
)
register("remiss.answer_failed", _("Remissvar kunde inte skickas"), _("Remissvaret kunde inte skickas: %(reason)s"))


def _remiss_withdrawn(data: Payload) -> str:
    text = gettext("Remissen till %(to_name)s återkallades.") % {"to_name": _value(data.get("to_name"))}
    return f"{text} {data['reason']}" if data.get("reason") else text


register("remiss.withdrawn", _("Remiss återkallad"), _remiss_withdrawn)
register("remiss.reminded", _("Påminnelse skickad"), _("%(to_name)s påmindes om remissen."))
register(
    "remiss.extended",
    _("Svarsdatum förlängt"),
    _("Svarsdatumet för %(to_name)s ändrades från %(before)s till %(deadline)s."),
)


# The organisation (cases.services.organisation): what the administrator's log shows.
register("body.created", _("Organ skapat"), _("Organet %(target)s skapades."))
register("body.updated", _("Organ ändrat"), _("Organet %(target)s ändrades."))
register("department.created", _("Förvaltning skapad"), _("Förvaltningen %(target)s skapades."))
register("user.created", _("Konto skapat"), _("Kontot %(target)s skapades."))
register("user.updated", _("Konto ändrat"), _("Kontot %(target)s ändrades."))
register("person.created", _("Person tillagd"), _("Personen %(target)s lades till."))
register("membership.created", _("Uppdrag tillagt"), _("Uppdrag: %(target)s."))
register("membership.ended", _("Uppdrag avslutat"), _("Uppdraget avslutades: %(target)s."))
register("mandate_period.created", _("Mandatperiod tillagd"), _("Mandatperioden %(target)s lades till."))
register("seats.imported", _("Uppdrag inlästa"), _("%(rows)s uppdrag lästes in från CSV till %(target)s."))
