"""A called Utbildningsnämnden meeting with a paper, a real PDF, a picture and a secret handling,
shared by the reading-room tests (tests/test_reading_room.py and the browser test)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services as case_services
from cases.models import Document, Person, SeatRole
from cases.pdf import html_to_pdf
from meetings import services
from meetings.models import AgendaItem, Meeting

from .helpers import register_document
from .test_meetings_protocol import approved_draft, at, seat

PDF_WORD = "Skolskjutsplanering"


def png_bytes() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 160)).save(out, format="PNG")
    return out.getvalue()


@dataclass
class Reading:
    meeting: Meeting
    item: AgendaItem
    member: Person
    pdf: Document
    image: Document
    secret: Document


def pdf_bytes(text: str) -> bytes:
    return html_to_pdf(f"<html lang='sv'><body><h1>Bilaga</h1><p>{text} för läsåret.</p></body></html>")


def called_meeting(town, *, days_ahead: int = 5) -> Reading:
    """The politician holds a seat (ledamot) in UN; the meeting is called with one case on it."""
    with town.scope():
        member = seat(town, town.un, "Staffan", "Politiker", "S", SeatRole.MEMBER, user=town.politician)
        case = case_services.case_register(
            municipality=town.municipality, title="Ny skolskjutsplan", body=town.un, by=town.registrar
        )
        pdf = register_document(
            town,
            case,
            description="Karta över skolskjutsarna",
            upload=SimpleUploadedFile("karta.pdf", pdf_bytes(PDF_WORD), content_type="application/pdf"),
        )
        photo = SimpleUploadedFile("foto.png", png_bytes(), "image/png")
        image = register_document(town, case, description="Foto av hållplatsen", upload=photo)
        secret = register_document(town, case, secret=True, description="Ansökan från vårdnadshavare")
        draft = approved_draft(town, case, "Utbildningsnämnden fastställer skolskjutsplanen.")
        meeting = services.meeting_create(
            body=town.un, starts_at=at(date.today() + timedelta(days=days_ahead)), place="Sal A", by=town.secretary
        )
        item = services.agenda_add(meeting, draft=draft, by=town.secretary)
        services.meeting_call(meeting, by=town.secretary)
    return Reading(meeting=meeting, item=item, member=member, pdf=pdf, image=image, secret=secret)
