"""What the motion codes on a case's timeline say. Transition codes are ``motion.<transition>``,
one per entry in motions.models.TRANSITIONS (motions.services._transition writes them)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.events import Payload, register

from .models import MotionOutcome


def _raised(data: Payload) -> str:
    values = {"body": data.get("body") or "", "date": data.get("date") or ""}
    if data.get("paragraph") is None:
        return gettext("Motionen väcktes i %(body)s %(date)s.") % values
    return gettext("Motionen väcktes i %(body)s %(date)s, § %(par)s.") % {**values, "par": data["paragraph"]}


def _decided(data: Payload) -> str:
    outcome = data.get("outcome") or ""
    if outcome in MotionOutcome.values:
        outcome = MotionOutcome(outcome).label
    return gettext("Fullmäktige beslutade %(date)s: %(outcome)s.") % {
        "date": data.get("date") or "",
        "outcome": outcome,
    }


REFERRED = _("Fullmäktige lämnade motionen till kommunstyrelsen för beredning.")


def _referred(data: Payload) -> str:
    if not data.get("date"):
        return str(REFERRED)
    if data.get("paragraph") is None:
        when = gettext("Beslutet fattades %(date)s.") % {"date": data["date"]}
    else:
        when = gettext("Beslutet fattades %(date)s, § %(par)s.") % {"date": data["date"], "par": data["paragraph"]}
    return f"{REFERRED} {when}"


def _noted(data: Payload) -> str:
    if not data.get("expected"):
        return gettext("Beredningens läge uppdaterades.")
    return gettext("Beredningens läge uppdaterades; beräknat beslut i fullmäktige %(date)s.") % {
        "date": data["expected"]
    }


def _report_on_agenda(data: Payload) -> str:
    return gettext("Redovisningen per %(date)s lades på föredragningslistan till %(body)s %(meeting)s.") % {
        "date": data.get("date") or "",
        "body": data.get("body") or "",
        "meeting": data.get("meeting") or "",
    }


register("motion.raised", _("Motion väckt"), _raised)
register("motion.refer", _("Motion lämnad för beredning"), _referred)
register("motion.referred", _("Motion lämnad för beredning"), REFERRED)  # the code's name before TRANSITIONS
register("motion.start_preparation", _("Motion under beredning"), _("Motionen är under beredning."))
register("motion.mark_prepared", _("Motion beredd"), _("Motionen är beredd och klar för beslut."))
register("motion.decide", _("Motion avgjord"), _decided)
register("motion.preparation_noted", _("Beredningens läge uppdaterat"), _noted)
register("motion_report.on_agenda", _("Redovisning av motioner på föredragningslistan"), _report_on_agenda)
