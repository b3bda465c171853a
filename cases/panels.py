"""Extension points: apps built on the core add a section to a case's page, or to an official's
desk (Mina ärenden), without the core importing them. A case panel is a function
(request, case) -> HTML or None; a desk panel a function (request) -> HTML or None."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

from .models import Case

CasePanel = Callable[[HttpRequest, Case], SafeString | None]
CASE_PANELS: list[CasePanel] = []
# What panels ask of the case's own row: functions giving {name: expression over the case} (e.g. an
# Exists of the app's rows, built when asked, inside the request's scope), computed in the query that
# fetches the case page's case, so a panel's yes/no costs no query of its own.
CASE_ANNOTATIONS: list[Callable[[], dict[str, Any]]] = []


def register_case_panel(panel: CasePanel, *, annotations: Callable[[], dict[str, Any]] | None = None) -> None:
    if panel not in CASE_PANELS:
        CASE_PANELS.append(panel)
    if annotations is not None and annotations not in CASE_ANNOTATIONS:
        CASE_ANNOTATIONS.append(annotations)


def case_panel_annotations() -> dict[str, Any]:
    return {name: expression for give in CASE_ANNOTATIONS for name, expression in give().items()}


def render_case_panels(request: HttpRequest, case: Case) -> list[SafeString]:
    return [html for panel in CASE_PANELS if (html := panel(request, case))]


DeskPanel = Callable[[HttpRequest], SafeString | None]
DESK_PANELS: list[DeskPanel] = []


def register_desk_panel(panel: DeskPanel) -> None:
    if panel not in DESK_PANELS:
        DESK_PANELS.append(panel)


def render_desk_panels(request: HttpRequest) -> list[SafeString]:
    return [html for panel in DESK_PANELS if (html := panel(request))]
