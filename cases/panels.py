"""Extension points: apps built on the core add a section to a case's page, or to an official's
desk (Mina ärenden), without the core importing them. A case panel is a function
(request, case) -> HTML or None; a desk panel a function (request) -> HTML or None."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from .models import Case

CasePanel = Callable[[HttpRequest, Case], SafeString | None]
CASE_PANELS: list[CasePanel] = []


def register_case_panel(panel: CasePanel) -> None:
    if panel not in CASE_PANELS:
        CASE_PANELS.append(panel)


def render_case_panels(request: HttpRequest, case: Case) -> list[SafeString]:
    return [html for panel in CASE_PANELS if (html := panel(request, case))]


DeskPanel = Callable[[HttpRequest], SafeString | None]
DESK_PANELS: list[DeskPanel] = []


def register_desk_panel(panel: DeskPanel) -> None:
    if panel not in DESK_PANELS:
        DESK_PANELS.append(panel)


def render_desk_panels(request: HttpRequest) -> list[SafeString]:
    return [html for panel in DESK_PANELS if (html := panel(request))]
