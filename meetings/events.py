"""What the codes in a meeting's log say (meetings.services.log writes them)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.events import Payload, register

# ensure_writable(meeting, what=...) names the refused change; the log says it in Swedish.
REFUSED_WRITES: dict[str, str | Promise] = {
    "agenda.add": _("lägga till ett ärende på föredragningslistan"),
    "agenda.move": _("ändra ordningen på föredragningslistan"),
    "agenda.remove": _("ta bort en punkt från föredragningslistan"),
    "agenda.edit": _("ändra en punkt på föredragningslistan"),
    "item.yrkande_edit": _("ändra eller ta bort ett yrkande"),
    "item.vote_remove": _("ta bort en omröstning"),
    "item.reservation_remove": _("ta bort en reservation"),
    "item.jav_remove": _("ta bort ett jäv"),
    "meeting.call": _("skicka kallelse"),
    "attendance": _("ändra närvaron"),
    "item.decision": _("ändra ett beslut"),
    "item.yrkande": _("lägga till ett yrkande"),
    "item.vote": _("föra in en omröstning"),
    "item.reservation": _("föra in en reservation"),
    "item.jav": _("föra in ett jäv"),
    "protocol.close": _("skicka protokollet för justering"),
    "protocol.sign": _("justera protokollet"),
    "protocol.withdraw": _("ta tillbaka protokollet från justering"),
    "kungorelse.exception": _("ange skäl för sammanträde utan kungörelse"),
}


def _refused(data: Payload) -> str:
    what = REFUSED_WRITES.get(str(data.get("what", "")))
    if data.get("status") == "justering":
        if what is None:
            return gettext("Ett försök att ändra protokollet under justering avvisades.")
        return gettext("Ett försök att %(what)s medan protokollet var under justering avvisades.") % {"what": what}
    if what is None:
        return gettext("Ett försök att ändra det justerade protokollet avvisades.")
    return gettext("Ett försök att %(what)s i det justerade protokollet avvisades.") % {"what": what}


def _names(value: Any) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) and value else "–"


def _attendance(data: Payload) -> str:
    if "present" not in data:
        return gettext("Närvaron fördes in.")
    text = gettext("Närvaron fördes in. Närvarande: %(present)s. Justerare: %(justerare)s.") % {
        "present": _names(data.get("present")),
        "justerare": _names(data.get("justerare")),
    }
    serving = data.get("serving")
    if isinstance(serving, dict) and serving:
        text += " " + gettext("Tjänstgörande ersättare: %(serving)s.") % {
            "serving": ", ".join(gettext("%(d)s för %(m)s") % {"d": d, "m": m} for d, m in serving.items())
        }
    return text


def _vote(data: Payload) -> str:
    ballots = data.get("ballots")
    names = {"ja": gettext("ja"), "nej": gettext("nej"), "avstar": gettext("avstår")}
    pairs = ballots.items() if isinstance(ballots, dict) else ballots if isinstance(ballots, list) else []
    listed = ", ".join(f"{name}: {names.get(str(choice), choice)}" for name, choice in pairs)
    return gettext("Omröstning i %(title)s (ja: %(yes)s; nej: %(no)s). %(result)s Röster: %(ballots)s.") % {
        "title": data.get("title") or gettext("paragrafen"),
        "yes": data.get("yes_means", ""),
        "no": data.get("no_means", ""),
        "result": data.get("result", ""),
        "ballots": listed or "–",
    }


def _withdrawn(data: Payload) -> str:
    withdrawn = data.get("withdrawn")
    signers = (
        ", ".join(f"{w.get('person')} ({w.get('role')})" for w in withdrawn if isinstance(w, dict))
        if isinstance(withdrawn, list)
        else ""
    )
    return gettext("Protokollet togs tillbaka från justering (%(reason)s). Återkallade underskrifter: %(signers)s.") % {
        "reason": data.get("reason", ""),
        "signers": signers or gettext("inga"),
    }


def _agenda_edited(data: Payload) -> str:
    text = gettext("Punkten %(title)s ändrades på föredragningslistan.") % {"title": data.get("title", "")}
    if data.get("before") and data.get("before") != data.get("title"):
        text += " " + gettext("Tidigare rubrik: %(before)s.") % {"before": data.get("before")}
    if data.get("secrecy"):
        text += " " + gettext("Sekretess enligt %(p)s.") % {"p": data.get("secrecy")}
    return text


def _standing_items(data: Payload) -> str:
    text = gettext("Stående punkter för %(target)s: %(titles)s.") % {
        "target": data.get("target", ""),
        "titles": _names(data.get("titles")),
    }
    if data.get("numbered"):
        return text + " " + gettext("De får paragrafnummer.")
    return text + " " + gettext("De får inte paragrafnummer.")


def _called(data: Payload) -> str:
    if data.get("kungorelse"):
        return gettext("Kallelsen skickades och kungörelsen sattes upp på anslagstavlan.")
    return gettext("Kallelsen skickades.")


register("meeting.created", _("Sammanträde planerat"), _("Sammanträdet planerades."))
register("meeting.called", _("Kallelse skickad"), _called)
register("agenda.added", _("Ärende på föredragningslistan"), _("Ärende %(case)s lades på föredragningslistan."))
register(
    "agenda.removed", _("Punkt borttagen från föredragningslistan"), _("%(title)s togs bort från föredragningslistan.")
)
register("agenda.edited", _("Punkt på föredragningslistan ändrad"), _agenda_edited)
register(
    "kallelse.revised",
    _("Kallelsen förnyad"),
    _("Föredragningslistan ändrades efter kallelsen (%(change)s); en ny kallelse gick ut till de kallade."),
)
register(
    "body.standing_items",
    _("Stående punkter ändrade"),
    _standing_items,
)
register("item.yrkande_changed", _("Yrkande ändrat"), _("Yrkandet ändrades: %(mover)s yrkade: %(text)s"))
register("item.yrkande_removed", _("Yrkande borttaget"), _("Yrkandet av %(mover)s togs bort: %(text)s"))
register("item.vote_removed", _("Omröstning borttagen"), _("Omröstningen i %(title)s togs bort (%(result)s)."))
register("item.reservation_removed", _("Reservation borttagen"), _("Reservationen av %(person)s togs bort."))
register("item.jav_removed", _("Jäv borttaget"), _("Jävet för %(person)s togs bort."))
register("attendance.recorded", _("Närvaro förd"), _attendance)
register(
    "agenda.moved",
    _("Föredragningslistan ändrad"),
    _("%(title)s flyttades på föredragningslistan."),
)
register(
    "item.recorded",
    _("Paragraf sparad"),
    _("Paragrafen %(title)s sparades. Beslut: %(decision)s"),
)
register("item.yrkande", _("Yrkande infört"), _("%(mover)s yrkade: %(text)s"))
register("item.vote", _("Omröstning förd"), _vote)
register("item.reservation", _("Reservation införd"), _("%(person)s reserverade sig. %(text)s"))
register("item.jav", _("Jäv infört"), _("%(person)s anmälde jäv och deltog inte i handläggningen."))
register("protocol.withdrawn", _("Protokoll taget tillbaka från justering"), _withdrawn)
register(
    "kungorelse.exception",
    _("Skäl för sammanträde utan kungörelse"),
    _("Sekreteraren angav skälet till att sammanträdet hölls utan kungörelse en vecka före: %(reason)s"),
)
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
register("write.refused", _("Ändring av låst protokoll avvisad"), _refused)
