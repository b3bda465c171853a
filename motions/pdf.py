"""The PDF of the report on undecided motions per a cut-off date (the key), registered with the
core's renderer registry and rendered in the worker."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string

from cases.models import Municipality, User
from cases.pdf import Renderer
from cases.permissions import can_use_diarium

from .queries import open_motions_report

REPORT_KIND = "motion_report"


def report_html(municipality: Municipality, key: str) -> str:
    cutoff = date.fromisoformat(key)
    return render_to_string(
        "motions/report_pdf.html",
        {"rows": open_motions_report(cutoff), "cutoff": cutoff, "municipality": municipality},
    )


def report_title(cutoff: date) -> str:
    from django.utils.translation import gettext as _

    return _("Redovisning av ej avgjorda motioner per %(date)s") % {"date": cutoff.isoformat()}


def report_file_name(municipality: Municipality, key: str) -> str:
    return f"{report_title(date.fromisoformat(key))}.pdf"


def report_can_view(user: User, key: str) -> bool:
    return can_use_diarium(user)


REPORT_RENDERER = Renderer(html=report_html, file_name=report_file_name, can_view=report_can_view)
