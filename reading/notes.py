"""A förtroendevald's private notes: one function per use case, each writing its NoteEvent.

A note is saved under the id the browser made for it, so sending the same note twice (a retry, a
sync after a day offline) leaves one note. The event records that a note exists or changed and by
whom, never its text, and nothing here logs a note's content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Document, Membership, User
from meetings.models import AgendaItem, Meeting

from .models import Note, NoteEvent, NoteSource
from .permissions import get_own_note, party_in

QUOTE_CONTEXT = 32  # characters of prefix and suffix kept around a highlight


class NoteError(Exception):
    """A note that cannot be saved as asked; the message is for the reader."""


@dataclass(frozen=True)
class Highlight:
    """A passage of a handling, as a W3C TextQuoteSelector on the item's paper or one of its PDFs."""

    source: str
    exact: str
    prefix: str = ""
    suffix: str = ""
    document: Document | None = None


def _event(note: Note, action: str, *, by: User) -> None:
    NoteEvent.objects.create(
        municipality_id=note.municipality_id, actor=by, meeting_id=note.meeting_id, note=note.uuid, action=action
    )


def _check(meeting: Meeting, item: AgendaItem | None, highlight: Highlight | None) -> None:
    if item is not None and item.meeting_id != meeting.pk:
        raise NoteError(_("Punkten hör inte till sammanträdet."))
    if highlight is None:
        return
    if item is None:
        raise NoteError(_("En markering hör till en punkt."))
    if not highlight.exact.strip():
        raise NoteError(_("Markera en text först."))
    if highlight.source == NoteSource.PAPER and item.draft_id is None:
        raise NoteError(_("Punkten har inget tjänsteutlåtande att markera i."))
    if highlight.source == NoteSource.DOCUMENT and (
        highlight.document is None or item.case_id is None or highlight.document.case_id != item.case_id
    ):
        raise NoteError(_("Handlingen hör inte till punkten."))
    if highlight.source not in (NoteSource.PAPER, NoteSource.DOCUMENT):
        raise NoteError(_("Okänd handling för markeringen."))


@transaction.atomic
def note_save(
    meeting: Meeting,
    *,
    uuid: UUID,
    text: str,
    by: User,
    item: AgendaItem | None = None,
    highlight: Highlight | None = None,
    shared: bool = False,
) -> tuple[Note, bool]:
    """Write or rewrite the reader's note ``uuid``; returns the note and whether it was new.

    Saving the same note again changes nothing and writes no event. Where a note sits (meeting,
    item, highlight) is fixed when it is first written; the text and the sharing may change.
    """
    party = party_in(by, meeting) if shared else ""
    if shared and not party:
        raise NoteError(_("Du har ingen plats för ett parti i %(body)s att dela med.") % {"body": meeting.body.name})
    note = get_own_note(by, meeting, uuid)
    if note is None:
        _check(meeting, item, highlight)
        if not text.strip() and highlight is None:
            raise NoteError(_("Skriv en anteckning."))
        try:
            note, created = Note.objects.get_or_create(
                uuid=uuid,
                defaults={
                    "municipality_id": meeting.municipality_id,
                    "author": by,
                    "meeting": meeting,
                    "item": item,
                    "source": highlight.source if highlight else NoteSource.NONE,
                    "document": highlight.document if highlight else None,
                    "exact": highlight.exact if highlight else "",
                    "prefix": highlight.prefix[-QUOTE_CONTEXT:] if highlight else "",
                    "suffix": highlight.suffix[:QUOTE_CONTEXT] if highlight else "",
                    "text": text,
                    "shared": shared,
                    "party": party,
                },
            )
        except IntegrityError:  # the id is taken in another municipality: not this reader's note
            raise NoteError(_("Anteckningen kunde inte sparas.")) from None
        if created:
            _event(note, "note.created", by=by)
            if shared:
                _event(note, "note.shared", by=by)
            return note, True
        if note.author_id != by.pk or note.meeting_id != meeting.pk:  # a race on one id: not honest use
            raise NoteError(_("Anteckningen kunde inte sparas."))
    note = Note.objects.select_for_update().get(pk=note.pk)
    changed = []
    if note.text != text:
        note.text = text
        changed.append("text")
    if note.shared != shared:
        note.shared, note.party = shared, party
        changed += ["shared", "party"]
    if not changed:
        return note, False
    note.updated_at = timezone.now()
    note.save(update_fields=[*changed, "updated_at"])
    if "text" in changed:
        _event(note, "note.updated", by=by)
    if "shared" in changed:
        _event(note, "note.shared" if shared else "note.unshared", by=by)
    return note, False


@transaction.atomic
def note_delete(meeting: Meeting, *, uuid: UUID, by: User) -> bool:
    """Remove the reader's note; removing one already gone is no error (a retried sync)."""
    note = get_own_note(by, meeting, uuid)
    if note is None:
        return False
    _event(note, "note.deleted", by=by)
    note.delete()
    return True


def note_panel(
    user: User, meeting: Meeting, *, new_note: UUID, seats: Sequence[Membership] | None = None
) -> dict[str, object]:
    """What a page's notes panel needs: a fresh id for a note written without script (one per
    response: alingsas_ale.pagecache.fresh_id), and the party the reader may share with (none for
    staff; ``seats``: the reader's seats in the meeting's body on its day, if already read)."""
    return {"new_note": new_note, "party": party_in(user, meeting, seats)}
