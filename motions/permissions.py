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


def get_motion_to_move(user: User, ref: str) -> Motion:
    """A motion the user may take a step with; 404 for anyone else, as for a motion not there."""
    motion = get_motion_for_user(user, ref)
    if not can_move_motion(user):
        raise Http404
    return motion


def motion_actions(user: User, motion: Motion) -> dict[str, bool]:
    """What the motion's page offers this user: the flags its template shows buttons by."""
    may = can_move_motion(user) and not motion.is_decided
    return {
        "refer": may and motion.can("refer"),
        "prepare": may and motion.can("mark_prepared"),
        "note": may and motion.can("decide"),
        "decide": may and motion.can("decide"),
        "remiss": may and motion.can("decide"),
    }
