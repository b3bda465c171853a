"""The meeting package: one PDF with the kallelse (with its föredragningslista and the items'
papers), then each item in agenda order, a cover page listing its handlingar and every handling the
reader may open, with a bookmark per item and one per handling under it. Built by the worker.

The package is per reader: a secret handling is in it only when that reader may open it (the
core's door); otherwise the item's cover says "Sekretess (OSL …) – du har inte behörighet att läsa
handlingen", as the reading room does. A package is the reader's own copy, like a visit, so no
MeetingEvent is written for it.

Progress (``steps_done`` of ``steps_total``) is written on a connection of its own: the build runs
inside the outbox's transaction (cases/taskbase.py), which the page polling the status cannot see
into until it commits.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Document, PdfStatus, User
from cases.pdf import html_to_pdf
from cases.permissions import can_use_diarium
from meetings.models import AgendaItem, Meeting
from meetings.pdf import kallelse_html

from .models import MeetingPackage
from .permissions import readable_documents

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


@dataclass
class Part:
    """A stretch of the package: its PDF bytes and the bookmarks in it."""

    title: str
    pdf: bytes
    children: list[tuple[str, int]] = field(default_factory=list)  # (title, page offset within part)


@transaction.atomic
def package_request(meeting: Meeting, *, by: User) -> MeetingPackage:
    """Ask the worker for a fresh package of ``meeting`` for ``by`` (the view checked the door)."""
    from cases.outbox import outbox_enqueue

    from .tasks import build_meeting_package

    package, _created = MeetingPackage.objects.select_for_update().get_or_create(
        meeting=meeting, user=by, defaults={"municipality_id": meeting.municipality_id}
    )
    package.status = PdfStatus.PENDING
    package.steps_done = 0
    package.steps_total = 0
    package.error = ""
    package.requested_at = timezone.now()
    package.save(update_fields=["status", "steps_done", "steps_total", "error", "requested_at"])
    outbox_enqueue(build_meeting_package, package.pk, municipality_id=meeting.municipality_id)
    return package


class Progress:
    """Writes ``steps_done`` of ``steps_total`` on a connection of its own, so the polling page sees it
    at once, outside the build's transaction. Never touches a row the build has locked."""

    def __init__(self, package_id: int, total: int) -> None:
        self.package_id, self.total = package_id, total
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, done: int) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE reading_meetingpackage SET steps_done = %s, steps_total = %s WHERE id = %s AND status = %s",
                [done, self.total, self.package_id, PdfStatus.PENDING],
            )

    def close(self) -> None:
        self.connection.close()


def item_entries(user: User, item: AgendaItem) -> list[dict[str, object]]:
    """The item's handlingar in order, each marked whether ``user`` may open it."""
    if item.case is None:
        return []
    documents = list(item.case.documents.select_related("case").order_by("sequence"))
    readable = readable_documents(user, documents)
    # Opening a file takes a diarium role (cases.permissions); without it the list is all one gets.
    opens = can_use_diarium(user)
    return [{"doc": doc, "readable": doc.pk in readable, "opens": opens and doc.pk in readable} for doc in documents]


def document_pdf(doc: Document) -> bytes | None:
    """The handling as PDF pages: the file itself, the PDF made of a DOCX/ODT, or a picture on a page."""
    if doc.display_pdf:
        with doc.display_pdf.open("rb") as handle:
            return handle.read()
    if not doc.file:
        return None
    with doc.file.open("rb") as handle:
        data = handle.read()
    if doc.content_type == "application/pdf":
        return data
    if doc.content_type in IMAGE_TYPES:
        source = f"data:{doc.content_type};base64,{base64.b64encode(data).decode()}"
        return html_to_pdf(
            render_to_string("reading/package_image.html", {"doc": doc, "source": source}),
        )
    return None


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def item_part(user: User, meeting: Meeting, item: AgendaItem) -> Part:
    entries = item_entries(user, item)
    attached: list[tuple[Document, bytes]] = []
    for entry in entries:
        doc = entry["doc"]
        assert isinstance(doc, Document)  # noqa: S101 - narrows the type for mypy
        pdf = document_pdf(doc) if entry["opens"] else None
        if pdf is not None:
            try:
                _pages(pdf)
            except Exception:  # noqa: BLE001 - a broken upload is named on the cover, never fatal
                entry["broken"] = True
                continue
            attached.append((doc, pdf))
            entry["attached"] = True
    cover = html_to_pdf(
        render_to_string("reading/package_item.html", {"meeting": meeting, "item": item, "entries": entries})
    )
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(cover)))
    children = []
    for doc, pdf in attached:
        children.append((f"{doc.number} {doc.description}", len(writer.pages)))
        writer.append(PdfReader(BytesIO(pdf)))
    out = BytesIO()
    writer.write(out)
    return Part(title=f"{item.ordering}. {item.title}", pdf=out.getvalue(), children=children)


def merge(parts: list[Part]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        start = len(writer.pages)
        writer.append(PdfReader(BytesIO(part.pdf)), import_outline=False)
        parent = writer.add_outline_item(title=part.title, page_number=start)
        for title, offset in part.children:
            writer.add_outline_item(title=title, page_number=start + offset, parent=parent)
    writer.page_mode = "/UseOutlines"
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def package_build(package_id: int) -> bool:
    """Worker step: build the package. A second run of a finished package changes nothing."""
    package = MeetingPackage.objects.select_related("meeting__body", "user").get(pk=package_id)
    if package.status != PdfStatus.PENDING:
        return False
    meeting, user = package.meeting, package.user
    items = list(meeting.items.select_related("case", "draft").order_by("ordering"))
    total = len(items) + 2
    progress = Progress(package_id, total)
    try:
        progress(0)
        kallelse = html_to_pdf(kallelse_html(meeting.municipality, str(meeting.uuid)))
        parts = [Part(title="Kallelse och föredragningslista", pdf=kallelse)]
        progress(1)
        for number, item in enumerate(items, start=2):
            parts.append(item_part(user, meeting, item))
            progress(number)
    finally:
        progress.close()
    content = merge(parts)
    with transaction.atomic():
        locked = MeetingPackage.objects.select_for_update().get(pk=package_id)
        body = meeting.body.short_name
        locked.file.save(
            f"Sammanträdespaket {body} {timezone.localtime(meeting.starts_at):%Y-%m-%d}.pdf",
            ContentFile(content),
            save=False,
        )
        locked.checksum = hashlib.sha256(content).hexdigest()
        locked.status = PdfStatus.DONE
        locked.steps_done = locked.steps_total = total
        locked.built_at = timezone.now()
        locked.save()
    return True


def package_build_failed(package_id: int, reason: str) -> None:
    """The worker gave up: the page shows "misslyckades" with the reason instead of waiting forever."""
    MeetingPackage.objects.filter(pk=package_id, status=PdfStatus.PENDING).update(status=PdfStatus.FAILED, error=reason)
