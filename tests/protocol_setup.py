"""Meetings ready for the protocol's legal life: held, with a chair and a justerare who sign in."""

from __future__ import annotations

from datetime import date

from cases import services as case_services
from meetings import services
from meetings.models import Meeting

from .test_meetings_protocol import at, council


def people(town):
    """(chair, justerare, member, deputy, justerare_user); the chair signs in as town.politician."""
    return council(town)


def ready_meeting(town, day: date, cast, *, case_title: str | None = "Skolskjuts för elever i Nödinge") -> Meeting:
    """A meeting of Utbildningsnämnden on ``day`` with the chair and the justerare present, and one case."""
    chair, justerare, _member, _deputy, _user = cast
    meeting = services.meeting_create(body=town.un, starts_at=at(day), place="Stadshuset, sal A", by=town.secretary)
    if case_title:
        case = case_services.case_register(
            municipality=town.municipality, title=case_title, body=town.un, by=town.registrar
        )
        services.agenda_add_case(meeting, case=case, by=town.secretary)
    rows = {a.person_id: a.pk for a in meeting.attendance.all()}
    services.attendance_record(
        meeting,
        present=[rows[chair.pk], rows[justerare.pk]],
        justerare=[rows[justerare.pk]],
        serving={},
        by=town.secretary,
    )
    return meeting


def justera(town, meeting: Meeting, cast) -> Meeting:
    services.protocol_close(meeting, by=town.secretary)
    services.protocol_sign(meeting, by=town.politician)
    services.protocol_sign(meeting, by=cast[4])
    meeting.refresh_from_db()
    return meeting
