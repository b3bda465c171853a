"""The permission door of meetings. Views, templates (through the flags views pass) and services
ask these functions, and nothing else decides who may do what with a meeting.

A meeting that does not exist and one the user may not see both answer 404. Tenant isolation is
structural (the scoped managers); these functions decide within a municipality.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from cases.models import Role, User
from cases.permissions import can_use_diarium

from .models import AgendaItem, Meeting, MeetingStatus, Signature


def can_create_meeting(user: User) -> bool:
    return user.has_role(Role.SECRETARY)


def can_manage_meeting(user: User, meeting: Meeting) -> bool:
    """The nämndsekreterare runs a meeting: agenda, attendance, the §§, justering, rättelse."""
    return user.has_role(Role.SECRETARY)


def can_edit_protocol(user: User, meeting: Meeting) -> bool:
    """Agenda, attendance and §§ may change until the protocol is justerat (a cancelled meeting: never)."""
    return can_manage_meeting(user, meeting) and not meeting.is_locked and not meeting.is_cancelled


def can_plan_meeting(user: User, meeting: Meeting) -> bool:
    """Move or cancel: the secretary, while the meeting is planned or called."""
    return can_manage_meeting(user, meeting) and meeting.status in (MeetingStatus.PLANNED, MeetingStatus.CALLED)


def can_correct_protocol(user: User, meeting: Meeting) -> bool:
    """A justerat protocol is never rewritten; the secretary adds a dated rättelse."""
    return can_manage_meeting(user, meeting) and meeting.is_locked


def is_signer(user: User, meeting: Meeting) -> bool:
    """The chair or a justerare of this meeting (whether or not they have approved yet)."""
    return Signature.objects.filter(meeting=meeting, person__user=user).exists()


def can_sign(user: User, meeting: Meeting) -> bool:
    """A signer who has not yet approved, while the protocol is under justering."""
    return (
        meeting.status == MeetingStatus.JUSTERING
        and Signature.objects.filter(meeting=meeting, person__user=user, signed_at=None).exists()
    )


def get_meeting_for_user(user: User, uuid: str | UUID) -> Meeting:
    """Every diarium user reads a meeting of their municipality; anything else is 404."""
    if not can_use_diarium(user):
        raise Http404
    meeting = Meeting.objects.select_related("body", "chair", "secretary", "municipality").filter(uuid=uuid).first()
    if meeting is None:
        raise Http404
    return meeting


def get_managed_meeting(user: User, uuid: str | UUID) -> Meeting:
    """A meeting the user runs; 404 for everyone else, so a politician learns nothing from the URL."""
    meeting = get_meeting_for_user(user, uuid)
    if not can_manage_meeting(user, meeting):
        raise Http404
    return meeting


def get_item_for_user(user: User, meeting: Meeting, uuid: str | UUID) -> AgendaItem:
    """A § of a meeting the user runs (the § page is the secretary's working page)."""
    if not can_manage_meeting(user, meeting):
        raise Http404
    item = AgendaItem.objects.select_related("case", "draft").filter(meeting=meeting, uuid=uuid).first()
    if item is None:
        raise Http404
    item.meeting = meeting
    return item
