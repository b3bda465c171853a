"""Reviewer comments anchored to the words they quote (issue 14.3): add one, resolve one."""

from __future__ import annotations

import json
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import User
from cases.services import CaseError

from .models import BlockType, Draft, ReviewComment
from .permissions import can_comment, can_resolve_comment
from .sanitize import plain_text

SPACE_RE = re.compile(r"\s+")


def _words(text: str) -> str:
    return SPACE_RE.sub(" ", text).strip()


@transaction.atomic
def comment_add(draft: Draft, *, section_key: str, quote: str, body: str, by: User) -> ReviewComment:
    if not can_comment(draft, by):
        raise CaseError(_("Du kan inte kommentera det här utkastet."))
    section = draft.template.sections.filter(
        key=section_key, block_type__in=(BlockType.TEXT, BlockType.SUMMARY)
    ).first()
    if section is None:
        raise CaseError(_("Välj en del av texten att kommentera."))
    quote, body = _words(quote)[:500], body.strip()[:2000]
    if not body:
        raise CaseError(_("Skriv en kommentar."))
    if not quote or quote not in _words(plain_text(draft.paper.sections.get(section_key, ""))):
        raise CaseError(_("Markera eller skriv ord som står i delen du kommenterar."))
    comment = ReviewComment.objects.create(
        municipality_id=draft.municipality_id, draft=draft, section_key=section_key, quote=quote, body=body, author=by
    )
    case_services.event_record(
        draft.case, action="draft.commented", by=by, draft=str(draft.uuid), section=section.label_for(draft.addressee)
    )
    return comment


@transaction.atomic
def comment_resolve(comment: ReviewComment, *, by: User) -> ReviewComment:
    comment = (
        ReviewComment.objects.select_for_update(of=("self",)).select_related("draft", "draft__case").get(pk=comment.pk)
    )
    if not can_resolve_comment(comment.draft, comment.author_id, by):
        raise CaseError(_("Du kan inte markera kommentaren som åtgärdad."))
    if comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by = timezone.now(), by
        comment.save(update_fields=["resolved_at", "resolved_by"])
        case_services.event_record(
            comment.draft.case, action="draft.comment_resolved", by=by, draft=str(comment.draft.uuid)
        )
    return comment


def open_comments(draft: Draft) -> dict[str, list[ReviewComment]]:
    """The open comments of a paper by part, oldest first."""
    by_part: dict[str, list[ReviewComment]] = {}
    for comment in draft.comments.filter(resolved_at__isnull=True).select_related("author"):
        by_part.setdefault(comment.section_key, []).append(comment)
    return by_part


def anchors_json(comments: dict[str, list[ReviewComment]]) -> dict[str, str]:
    """What the editor needs to draw each part's comments at their words: [{id, quote}] as JSON."""
    return {
        key: json.dumps([{"id": str(c.uuid), "quote": c.quote, "body": c.body} for c in items], ensure_ascii=False)
        for key, items in comments.items()
    }
