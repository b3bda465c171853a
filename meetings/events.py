"""What the codes in a meeting's log say (meetings.services.log writes them)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.events import Payload, register

# ensure_writable(meeting, what=...) names the refused change; the log says it in Swedish.
REFUSED_WRITES: dict[str, str | Promise] = {
    "agenda.add": _("lägga till ett ärende på föredragningslistan"),
    "agenda.move": _("ändra ordningen på föredragningslistan"),
    "meeting.call": _("skicka kallelse"),
    "attendance": _("ändra närvaron"),
    "item.decision": _("ändra ett beslut"),
    "item.yrkande": _("lägga till ett yrkande"),
    "item.vote": _("föra in en omröstning"),
    "item.reservation": _("föra in en reservation"),
    "item.jav": _("föra in ett jäv"),
    "protocol.close": _("skicka protokollet för justering"),
    "protocol.sign": _("justera protokollet"),
}


def _refused(data: Payload) -> str:
    what = REFUSED_WRITES.get(str(data.get("what", "")))
    if what is None:
        return gettext("Ett försök att ändra det justerade protokollet avvisades.")
    return gettext("Ett försök att %(what)s i det justerade protokollet avvisades.") % {"what": what}


def _called(data: Payload) -> str:
    if data.get("kungorelse"):
        return gettext("Kallelsen skickades och kungörelsen sattes upp på anslagstavlan.")
    return gettext("Kallelsen skickades.")


register("meeting.created", _("Sammanträde planerat"), _("Sammanträdet planerades."))
register("meeting.called", _("Kallelse skickad"), _called)
register("agenda.added", _("Ärende på föredragningslistan"), _("Ärende %(case)s lades på föredragningslistan."))
register("attendance.recorded", _("Närvaro förd"), _("Närvaron fördes in."))
register("protocol.closed", _("Protokoll skickat för justering"), _("Protokollet skickades för justering."))
register(
    "protocol.signed", _("Protokoll justerat av en justerare"), _("Protokollet godkändes vid justering (%(role)s).")
)
register("protocol.corrected", _("Rättelse införd"), _("En rättelse fördes in i det justerade protokollet."))
register(
    "anslag.posted",
    _("Anslag uppsatt"),
    _("Anslaget om justeringen sattes upp %(on)s; överklagandetiden går ut %(appeal_ends)s."),
)
register("anslag.removed", _("Anslag nedtaget"), _("Anslaget togs ned %(on)s; det sattes upp %(up_since)s."))
register("write.refused", _("Ändring av justerat protokoll avvisad"), _refused)
