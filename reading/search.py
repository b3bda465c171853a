"""Search in handlingar: the extracted text of every PDF, DOCX and ODT on the agenda of a meeting
the reader may read, with PostgreSQL's Swedish full-text search and highlighted snippets.

The door is the same as for opening a file (``cases.permissions``): nothing for someone without a
diarium role, and a secret handling only for the case's handläggare or someone granted
``read_secret_document``. A secret text the reader may not read is filtered out in the query that
finds the hits, so neither its snippet nor the fact that it matched reaches the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cases.models import Document, DocumentGroupObjectPermission, DocumentUserObjectPermission, User
from cases.permissions import can_use_diarium
from meetings.models import AgendaItem, Meeting

from .permissions import is_staff_reader, seat_filter, seats_of

# Private-use characters mark the highlighted words, so the snippet can be escaped before <mark> goes in.
START, STOP = "\ue000", "\ue001"
READ_PERMISSION = "read_secret_document"
# A word in most handlingar: rank only the newest this many hits, not tens of thousands.
RANK_WINDOW = 1000


@dataclass
class Hit:
    document: Document
    item: AgendaItem
    snippet: SafeString


def readable_meetings(user: User) -> QuerySet[Meeting]:
    if is_staff_reader(user):
        return Meeting.objects.all()
    return Meeting.objects.filter(seat_filter(seats_of(user)))


def searchable_documents(user: User) -> QuerySet[Document]:
    """The handlingar whose text ``user`` may search: on the agenda of a meeting they read, and
    public or a secret one they may open."""
    if not can_use_diarium(user):
        return Document.objects.none()
    on_agenda = AgendaItem.objects.filter(case_id=OuterRef("case_id"), meeting__in=readable_meetings(user))
    may_read = Q(secrecy_provision="") | Q(case__handler=user) | Q(pk__in=granted_secret_ids(user))
    if user.is_superuser:
        may_read = Q()
    return Document.objects.filter(may_read).filter(Exists(on_agenda))


def granted_secret_ids(user: User) -> list[int]:
    """The secret handlingar granted to ``user`` or a group of theirs (``read_secret_document``), as
    ids: a short list, looked up once, so the search query needs no subquery over every handling."""
    mine = DocumentUserObjectPermission.objects.filter(user=user, permission__codename=READ_PERMISSION)
    theirs = DocumentGroupObjectPermission.objects.filter(group__user=user, permission__codename=READ_PERMISSION)
    return [*mine.values_list("content_object_id", flat=True), *theirs.values_list("content_object_id", flat=True)]


def document_search(user: User, words: str, *, limit: int = 20) -> list[Hit]:
    """The best ``limit`` hits for ``words`` (websearch syntax: "exakt fras", -utan, eller)."""
    words = words.strip()[:200]
    if not words:
        return []
    query = SearchQuery(words, config="swedish", search_type="websearch")
    newest = searchable_documents(user).filter(text_vector=query).order_by("-registered_at", "-pk")
    ranked = list(
        Document.objects.filter(pk__in=newest.values("pk")[:RANK_WINDOW])
        .annotate(rank=SearchRank(F("text_vector"), query))
        .order_by("-rank", "-registered_at")
        .values_list("pk", flat=True)[:limit]
    )
    if not ranked:
        return []
    # The snippets only for the hits shown: ts_headline re-parses the whole text and is the slow part.
    documents = {
        doc.pk: doc
        for doc in Document.objects.filter(pk__in=ranked)
        .select_related("case")
        .annotate(
            headline=SearchHeadline(
                "text",
                query,
                config="swedish",
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
    }
    items = latest_items(user, {doc.case_id for doc in documents.values()})
    hits = []
    for pk in ranked:
        doc = documents[pk]
        item = items.get(doc.case_id)
        if item is not None:
            hits.append(Hit(document=doc, item=item, snippet=highlight(str(getattr(doc, "headline", "")))))
    return hits


def latest_items(user: User, case_ids: set[int]) -> dict[int, AgendaItem]:
    """For each case, the agenda item of the latest meeting the reader may read."""
    items: dict[int, AgendaItem] = {}
    rows = (
        AgendaItem.objects.filter(case_id__in=case_ids, meeting__in=readable_meetings(user))
        .select_related("meeting__body")
        .order_by("-meeting__starts_at", "ordering")
    )
    for item in rows:
        if item.case_id is not None:
            items.setdefault(item.case_id, item)
    return items


def highlight(headline: str) -> SafeString:
    """The snippet escaped, with the matched words in <mark>."""
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above
