"""The PDF of the report on undecided motions, registered with the core's renderer registry."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string

from cases.models import Municipality, User
from cases.pdf import Renderer
from cases.permissions import can_use_diarium

from .queries import open_motions_report


def report_html(municipality: Municipality, key: str) -> str:
    today = date.fromisoformat(key)
    return render_to_string(
        "motions/report_pdf.html", {"rows": open_motions_report(today), "today": today, "municipality": municipality}
    )


def report_file_name(municipality: Municipality, key: str) -> str:
    return f"Redovisning av ej avgjorda motioner {key}.pdf"


def report_can_view(user: User, key: str) -> bool:
    return can_use_diarium(user)


REPORT_RENDERER = Renderer(html=report_html, file_name=report_file_name, can_view=report_can_view)
