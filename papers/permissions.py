"""The permission door of papers. Politicians read; officials write their own; heads review.

Every rule about who may do what with a paper lives here; views, templates (through context
flags) and services (as guards) all ask these functions.
"""

from __future__ import annotations

from django.http import Http404

from cases.models import Case, Role, User
from cases.permissions import can_use_diarium, handles_case

from .models import Draft, DraftStatus


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
    return case.is_open and (user.has_role(Role.OFFICIAL, Role.HEAD) or handles_case(user, case))


def can_record_proposal(user: User, case: Case) -> bool:
    return user.has_role(Role.SECRETARY, Role.REGISTRAR)


def can_edit(draft: Draft, user: User) -> bool:
    """The author, or whoever handles the case, while the paper is neither in review nor approved."""
    return not draft.is_locked and (draft.author_id == user.pk or handles_case(user, draft.case))


def can_submit(draft: Draft, user: User) -> bool:
    return can_edit(draft, user) and draft.status in (DraftStatus.DRAFT, DraftStatus.RETURNED)


def can_review(draft: Draft, user: User) -> bool:
    """A head other than the author, while the paper waits for review (approve or return)."""
    return draft.status == DraftStatus.REVIEW and user.has_role(Role.HEAD) and user.pk != draft.author_id


def can_reopen(draft: Draft, user: User) -> bool:
    """An approved paper opens again for a new version by its author or a head."""
    return draft.status == DraftStatus.APPROVED and (draft.author_id == user.pk or user.has_role(Role.HEAD))


def can_request_pdf(draft: Draft, user: User) -> bool:
    """Anyone who reads the paper may ask for the PDF of an approved one."""
    return draft.status == DraftStatus.APPROVED and can_use_diarium(user)


def can_comment(draft: Draft, user: User) -> bool:
    """The reviewing head comments on passages while the paper waits for review."""
    return can_review(draft, user)


def can_resolve_comment(draft: Draft, comment_author_id: int, user: User) -> bool:
    """Whoever may edit the paper resolves a comment once it is dealt with; so may its writer."""
    return can_edit(draft, user) or comment_author_id == user.pk


def can_preview_pdf(draft: Draft, user: User) -> bool:
    """Anyone who reads the paper may see it as a PDF marked UTKAST, at any stage."""
    return can_use_diarium(user)
