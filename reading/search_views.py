"""Search in handlingar across the meetings one may read (reading/search.py)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

from cases.http import AuthedRequest

from .search import document_search
from .views import reader_required


@require_GET
@reader_required
@require_safe
def search(request: AuthedRequest) -> HttpResponse:
    words = request.GET.get("q", "").strip()
    hits = document_search(request.user, words) if words else []
    return render(request, "reading/search.html", {"q": words, "hits": hits, "searched": bool(words)})
