"""Extension point: apps built on the core add a section to a case's page without the core
importing them. A panel is a function (request, case) -> HTML or None."""

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
