"""Notes and the meeting stored for offline reading: the JSON the reading room's scripts use, the
printable summary of one's notes, and the service worker at the site's root."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from cases.http import AuthedRequest
from meetings.models import AgendaItem, Meeting

from . import permissions
from .models import Note, NoteSource
from .notes import Highlight, NoteError, note_delete, note_save
from .views import INLINE_TYPES, _items, _kallelse, reader_required

# What a page of the reading room loads, stored with every meeting taken offline.
OFFLINE_ASSETS = (
    "css/app.css",
    "reading/notes.css",
    "reading/notes.js",
    "reading/offline.js",
    "js/reading-pdf.mjs",
    "vendor/pdfjs/pdf.min.mjs",
    "vendor/pdfjs/pdf.worker.min.mjs",
    "vendor/htmx/htmx.min.js",
    "reading/manifest.webmanifest",
)


class NoteForm(forms.Form):
    text = forms.CharField(required=False, max_length=20_000, strip=False)
    item = forms.UUIDField(required=False)
    source = forms.ChoiceField(required=False, choices=NoteSource.choices)
    document = forms.UUIDField(required=False)
    exact = forms.CharField(required=False, max_length=5_000, strip=False)
    # The selector's prefix and suffix (named so because a form's ``prefix`` is taken).
    quote_prefix = forms.CharField(required=False, max_length=200, strip=False)
    quote_suffix = forms.CharField(required=False, max_length=200, strip=False)
    shared = forms.BooleanField(required=False)


def note_json(note: Note, user_pk: int) -> dict[str, Any]:
    return {
        "uuid": str(note.uuid),
        "item": str(note.item.uuid) if note.item else None,
        "source": note.source,
        "document": str(note.document.uuid) if note.document else None,
        "exact": note.exact,
        "prefix": note.prefix,
        "suffix": note.suffix,
        "text": note.text,
        "shared": note.shared,
        "party": note.party,
        "own": note.author_id == user_pk,
        "author": note.author.get_full_name() or note.author.username,
        "updated_at": note.updated_at.isoformat(),
    }


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("reading:meeting", args=[meeting.uuid])
    return redirect(target)


@require_GET
@reader_required
@require_safe
def notes(request: AuthedRequest, meeting: str) -> JsonResponse:
    obj = permissions.get_meeting_for_reader(request.user, meeting)
    found = [note_json(n, request.user.pk) for n in permissions.notes_visible_to(request.user, obj)]
    response = JsonResponse({"notes": found, "csrf": get_token(request)})
    response["Cache-Control"] = "private, no-store"
    return response


def _highlight(request: AuthedRequest, form: NoteForm, item: AgendaItem | None) -> Highlight | None:
    data = form.cleaned_data
    if not data["source"]:
        return None
    document = None
    if data["source"] == NoteSource.DOCUMENT:
        if item is None or data["document"] is None:
            raise NoteError(_("Handlingen hör inte till punkten."))
        document = permissions.get_document_for_reader(request.user, item, data["document"])
    return Highlight(
        source=data["source"],
        exact=data["exact"],
        prefix=data["quote_prefix"],
        suffix=data["quote_suffix"],
        document=document,
    )


@require_POST
@reader_required
def note_save_view(request: AuthedRequest, meeting: str, note: UUID) -> HttpResponseBase:
    """Write the note ``note`` (an id the browser made). Sending it again is harmless."""
    obj = permissions.get_meeting_for_reader(request.user, meeting)
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise NoteError(_("Anteckningen kunde inte sparas: kontrollera fälten."))
        data = form.cleaned_data
        item = permissions.get_item_for_reader(obj, data["item"]) if data["item"] else None
        saved, created = note_save(
            obj,
            uuid=note,
            text=data["text"],
            item=item,
            highlight=_highlight(request, form, item),
            shared=data["shared"],
            by=request.user,
        )
    except NoteError as error:
        if _wants_json(request):
            return JsonResponse({"error": str(error)}, status=400)
        messages.error(request, str(error))
        return _back(request, obj)
    if _wants_json(request):
        return JsonResponse({"note": note_json(saved, request.user.pk)}, status=201 if created else 200)
    messages.success(request, _("Anteckningen är sparad."))
    return _back(request, obj)


@require_POST
@reader_required
def note_delete_view(request: AuthedRequest, meeting: str, note: UUID) -> HttpResponseBase:
    obj = permissions.get_meeting_for_reader(request.user, meeting)
    note_delete(obj, uuid=note, by=request.user)
    if _wants_json(request):
        return JsonResponse({"deleted": str(note)})
    messages.success(request, _("Anteckningen är borttagen."))
    return _back(request, obj)


def _summary_groups(meeting: Meeting, own: list[Note]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = [{"item": None, "notes": [n for n in own if n.item_id is None]}]
    for item in _items(meeting):
        groups.append({"item": item, "notes": [n for n in own if n.item_id == item.pk]})
    return [g for g in groups if g["notes"]]


@require_GET
@reader_required
@require_safe
def notes_summary(request: AuthedRequest, meeting: str) -> HttpResponse:
    """One's own notes on the meeting, item by item, to print or to save as a text file."""
    obj = permissions.get_meeting_for_reader(request.user, meeting)
    own = [n for n in permissions.notes_visible_to(request.user, obj) if n.author_id == request.user.pk]
    context = {"meeting": obj, "groups": _summary_groups(obj, own), "count": len(own)}
    if request.GET.get("format") == "txt":
        response = render(request, "reading/notes/summary.txt", context, content_type="text/plain; charset=utf-8")
        name = f"anteckningar-{obj.starts_at:%Y-%m-%d}.txt"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        response = render(request, "reading/notes/summary.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@reader_required
@require_safe
def offline_package(request: AuthedRequest, meeting: str) -> JsonResponse:
    """The addresses a device stores to read the meeting offline: its pages, its readable files,
    one's notes and the scripts and styles the pages load."""
    obj = permissions.get_meeting_for_reader(request.user, meeting)
    urls = [
        reverse("reading:home"),
        reverse("reading:meeting", args=[obj.uuid]),
        reverse("reading:notes", args=[obj.uuid]),
        reverse("reading:notes-summary", args=[obj.uuid]),
    ]
    files = 0
    items = _items(obj)
    for item in items:
        urls.append(reverse("reading:item", args=[obj.uuid, item.uuid]))
        if item.case is None:
            continue
        documents = list(item.case.documents.exclude(file=""))
        readable = permissions.readable_documents(request.user, documents)
        for doc in documents:
            if doc.pk in readable and doc.content_type in INLINE_TYPES:
                urls.append(reverse("reading:document", args=[obj.uuid, item.uuid, doc.uuid]))
                files += 1
    kallelse = _kallelse(obj)
    if kallelse is not None:
        urls.append(reverse("cases:pdf", args=[kallelse.uuid]))
        files += 1
    urls += [static(path) for path in OFFLINE_ASSETS]
    response = JsonResponse(
        {"meeting": str(obj.uuid), "title": str(obj), "urls": urls, "pages": len(items) + 1, "files": files}
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker at the root, so its scope is the whole site; its code is a static file (by
    its hashed name under the manifest storage, which has no entry for the static root itself)."""
    body = (
        f"self.STATIC_URL = {json.dumps(settings.STATIC_URL)};\nimportScripts({json.dumps(static('reading/sw.js'))});\n"
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
