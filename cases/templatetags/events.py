"""``{% load events %}{{ event|event_text }}``: a timeline row's Swedish sentence, never its code."""

from __future__ import annotations

from typing import Any, Protocol

from django import template

from cases import events

register = template.Library()


class LoggedEvent(Protocol):
    action: str
    data: Any


@register.filter
def event_text(event: LoggedEvent) -> str:
    """A CaseEvent's or MeetingEvent's sentence; plain text, escaped by the template."""
    return events.describe(event.action, event.data)


@register.filter
def event_label(event: LoggedEvent) -> str:
    return events.label(event.action)
