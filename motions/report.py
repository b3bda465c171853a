"""The report on undecided motions as a handling: rendered to PDF and registered in a case. Called
by the worker (meetings.motion_report puts the report on an agenda); never in a request."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from cases import clock
from cases import services as case_services
from cases.models import Case, Direction, Document, User
from cases.pdf import html_to_pdf

from .pdf import report_file_name, report_html, report_title


def report_case_title(year: int) -> str:
    from django.utils.translation import gettext as _

    return _("Redovisning av ej avgjorda motioner %(year)s") % {"year": year}


def report_pdf(case: Case, *, cutoff: date) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the report per the cut-off, in the case's municipality."""
    key = cutoff.isoformat()
    return report_file_name(case.municipality, key), html_to_pdf(report_html(case.municipality, key))


def report_document_register(case: Case, *, cutoff: date, by: User) -> Document:
    """Register the report per the cut-off as an upprättad handling of the case, the PDF as its file."""
    name, content = report_pdf(case, cutoff=cutoff)
    return case_services.document_register(
        case,
        direction=Direction.INTERNAL,
        document_date=clock.today(),
        description=report_title(cutoff),
        upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
        by=by,
    )
