"""The permission door of motions."""

from __future__ import annotations

from django.http import Http404

from cases.models import Role, User
from cases.permissions import REF_RE, can_use_diarium

from .models import Motion


def get_motion_for_user(user: User, ref: str) -> Motion:
    match = REF_RE.match(ref)
    if not match or not can_use_diarium(user):
        raise Http404
    motion = (
        Motion.objects.select_related("case", "case__body", "raised_in")
        .filter(case__series=match["series"], case__year=int(match["year"]), case__number=int(match["number"]))
        .first()
    )
    if motion is None:
        raise Http404
    return motion


def can_register_motion(user: User) -> bool:
    return user.has_role(Role.REGISTRAR)


def can_move_motion(user: User) -> bool:
    """The secretary (and registrar) record what the bodies decided."""
    return user.has_role(Role.SECRETARY, Role.REGISTRAR)
