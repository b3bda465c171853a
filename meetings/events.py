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
    "attendance.other": _("ändra övriga närvarande"),
    "attendance.called": _("ändra vilka som kallas"),
    "adjournment": _("föra in en ajournering"),
    "meeting.conduct": _("ändra tid, ordförande, protokollförare eller justering"),
    "meeting.move": _("flytta sammanträdet"),
    "meeting.cancel": _("ställa in sammanträdet"),
}


def _refused(data: Payload) -> str:
    what = REFUSED_WRITES.get(str(data.get("what", "")))
    if data.get("status") == "cancelled":
        if what is None:
            return gettext("Ett försök att ändra det inställda sammanträdet avvisades.")
        return gettext("Ett försök att %(what)s på det inställda sammanträdet avvisades.") % {"what": what}
    if data.get("status") == "omedelbart":
        return gettext("Ett försök att %(what)s i en paragraf som justeras omedelbart avvisades.") % {
            "what": what or gettext("ändra")
        }
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


def _moved(data: Payload) -> str:
    text = gettext("Sammanträdet flyttades från %(before)s, %(before_place)s till %(after)s, %(place)s.") % {
        "before": data.get("before", ""),
        "before_place": data.get("before_place", ""),
        "after": data.get("after", ""),
        "place": data.get("place", ""),
    }
    return text + _synced_text(data)


def _synced_text(data: Payload) -> str:
    text = ""
    if data.get("added"):
        text += " " + gettext("Kallas nu också: %(names)s.") % {"names": _names(data.get("added"))}
    if data.get("removed"):
        text += " " + gettext("Kallas inte längre: %(names)s.") % {"names": _names(data.get("removed"))}
    return text


def _synced(data: Payload) -> str:
    return gettext("De kallade hämtades från uppdragen.") + _synced_text(data)


def _other_added(data: Payload) -> str:
    text = gettext("%(name)s antecknades som övrig närvarande") % {"name": data.get("name", "")}
    if data.get("title"):
        text += f", {data['title']}"
    if data.get("span"):
        text += f", {data['span']}"
    return text + "."


def _conduct(data: Payload) -> str:
    return gettext(
        "Tid kl. %(starts)s–%(ends)s; ordförande: %(chair)s (%(chair_role)s); protokollförare: %(secretary)s; "
        "justering: %(justering)s."
    ) % {
        "starts": data.get("starts", ""),
        "ends": data.get("ends") or "–",
        "chair": data.get("chair") or "–",
        "chair_role": data.get("chair_role") or "–",
        "secretary": data.get("secretary", ""),
        "justering": data.get("justering") or "–",
    }


def _cancelled(data: Payload) -> str:
    text = gettext("Sammanträdet ställdes in. Skäl: %(reason)s") % {"reason": data.get("reason", "")}
    if data.get("called"):
        text += " " + gettext("De kallade fick besked.")
    return text


register("meeting.moved", _("Sammanträde flyttat"), _moved)
register("meeting.cancelled", _("Sammanträde inställt"), _cancelled)
register("attendance.called_synced", _("Kallade hämtade från uppdragen"), _synced)
register("attendance.other_added", _("Övrig närvarande tillagd"), _other_added)
register("attendance.other_removed", _("Övrig närvarande borttagen"), _("%(name)s togs bort från övriga närvarande."))
register("adjournment.added", _("Ajournering införd"), _("Sammanträdet ajournerades kl. %(starts)s–%(ends)s."))
register("adjournment.removed", _("Ajournering borttagen"), _("Ajourneringen kl. %(starts)s–%(ends)s togs bort."))
register("meeting.conduct", _("Tid, ordförande och protokollförare"), _conduct)
register("write.refused", _("Ändring av låst protokoll avvisad"), _refused)


# Issue 11: the anslag as a legal act, § numbering, omedelbar justering, historic protocols.
REFUSED_WRITES["extract.send"] = _("skicka en paragraf för omedelbar justering")


def _renumbered(data: Payload) -> str:
    moved = data.get("moved")
    listed = (
        ", ".join(f"{m[0]}: § {m[1]} → § {m[2]}" for m in moved if isinstance(m, list) and len(m) == 3)
        if isinstance(moved, list)
        else ""
    )
    text = gettext(
        "Paragraferna numrerades om så att numren följer sammanträdenas datum (ett tidigare sammanträde fick "
        "sina nummer): %(moved)s."
    ) % {"moved": listed or "–"}
    if data.get("withdrawn"):
        text += " " + gettext("Underskrifter som återkallades: %(names)s.") % {"names": _names(data.get("withdrawn"))}
    return text


def _numbered(data: Payload) -> str:
    if data.get("first") is None:
        return gettext("Paragraferna numrerades.")
    return gettext("Paragraferna numrerades, § %(first)s–%(last)s.") % {
        "first": data["first"],
        "last": data.get("last"),
    }


def _entered(data: Payload) -> str:
    return gettext(
        "Protokollet fördes in i efterhand från ett tidigare system: paragrafer %(paragraphs)s, justerat %(justerat)s, "
        "anslaget uppsatt %(on)s."
    ) % {"paragraphs": _names(data.get("paragraphs")), "justerat": data.get("justerat", ""), "on": data.get("on", "")}


register("protocol.justerat", _("Protokoll justerat"), _("Alla har justerat protokollet. Det är låst."))
register("paragraphs.numbered", _("Paragrafer numrerade"), _numbered)
register("paragraphs.renumbered", _("Paragrafer omnumrerade"), _renumbered)
register(
    "anslag.late",
    _("Anslaget inte uppsatt i tid"),
    _(
        "Anslaget om justeringen var inte uppsatt senast %(deadline)s (kommunallagen 8 kap. 12 §); "
        "sekreteraren och ordföranden har fått en påminnelse."
    ),
)
register(
    "extract.sent",
    _("Paragraf skickad för omedelbar justering"),
    _("§ %(paragraph)s %(title)s skickades för omedelbar justering."),
)
register(
    "extract.signed",
    _("Omedelbart justerad paragraf godkänd"),
    _("§ %(paragraph)s godkändes vid omedelbar justering (%(role)s)."),
)
register(
    "extract.justerat",
    _("Paragraf justerad omedelbart"),
    _(
        "§ %(paragraph)s %(title)s justerades omedelbart. Utdraget sattes upp på anslagstavlan %(on)s; "
        "överklagandetiden går ut %(appeal_ends)s."
    ),
)
register("meeting.entered_afterwards", _("Protokoll infört i efterhand"), _entered)
register(
    "numbering.format",
    _("Format för paragrafnummer ändrat"),
    _("Formatet för paragrafnummer ändrades från %(before)s till %(after)s."),
)
register(
    "numbering.start",
    _("Första paragrafnummer satt"),
    _("%(target)s börjar år %(year)s på § %(first)s."),
)
register(
    "numbering.standing",
    _("Numrering av stående punkter ändrad"),
    _("Inställningen för om %(target)s numrerar stående punkter ändrades."),
)
