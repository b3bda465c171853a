"""The permission door of papers. Politicians read; officials write their own; heads review."""

from __future__ import annotations

from django.http import Http404

from cases.models import Case, Role, User
from cases.permissions import can_use_diarium

from .models import Draft


def get_draft_for_user(user: User, draft_uuid: str) -> Draft:
    if not can_use_diarium(user):
        raise Http404
    draft = (
        Draft.objects.select_related("case", "case__municipality", "template", "department", "addressee", "author")
        .filter(uuid=draft_uuid)
        .first()
    )
    if draft is None:
        raise Http404
    return draft


def can_create_draft(user: User, case: Case) -> bool:
    return case.is_open and (user.has_role(Role.OFFICIAL, Role.HEAD) or user.has_perm("cases.handle_case", case))


def can_record_proposal(user: User, case: Case) -> bool:
    return user.has_role(Role.SECRETARY, Role.REGISTRAR)
