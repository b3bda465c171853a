"""Role × URL × method → status, as pretix tests its permissions. 404 hides what a user may not see.

Every named URL the resolver knows must have a row in MATRIX (or be listed in UNCHECKED with the
reason), so a new view cannot ship without someone writing down who may GET and POST it.
Each request runs in its own savepoint that is rolled back, so a POST that changes something
(calls a meeting, closes a protocol) leaves the world as it was for the next role and row.

A row is ``"namespace:name": (GET statuses, POST statuses)``, one status per role in the order of
ROLES; ``"name[variant]"`` rows try the same URL name with other objects (a secret document).
302 for anonymous is the redirect to sign in; 405 is a method the view does not take.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from signin.models import SignInPolicy

from .helpers import register_case, register_document
from .oidc_provider import Provider

ROLES = (
    "anonymous",
    "official",
    "registrar",
    "secretary",
    "head",
    "politician",
    "administrator",
    "outsider",
    "no_role",
)

# Namespaces and names that are not this project's views.
EXCLUDED_NAMESPACES = {"admin"}
# URL names deliberately left out of the matrix, with the reason.
UNCHECKED: dict[str, str] = {}

# fmt: off
MATRIX: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    #  anon official registrar secretary head politician administrator outsider no_role
    "administration:body": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 405, 404, 404),  # POST
    ),
    "administration:body-edit": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # POST
    ),
    "administration:body-new": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # POST
    ),
    "administration:log": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 405, 404, 404),  # POST
    ),
    "administration:overview": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 405, 404, 404),  # POST
    ),
    "administration:people": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # POST
    ),
    "administration:periods": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # POST
    ),
    "administration:seat-add": (
        (302, 404, 404, 404, 404, 404, 405, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 302, 404, 404),  # POST
    ),
    "administration:seat-end": (
        (302, 404, 404, 404, 404, 404, 405, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 302, 404, 404),  # POST
    ),
    "administration:seats-import": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # POST
    ),
    "administration:user": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # POST
    ),
    "administration:user-new": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # POST
    ),
    "administration:users": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 405, 404, 404),  # POST
    ),
    "administration:body-standing": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # POST
    ),
    "administration:numbering": (
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 200, 404, 404),  # POST
    ),
    "audit:entry": (
        (302, 404, 404, 404, 404, 404, 404, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 404, 404, 404),  # POST
    ),
    "audit:export": (
        (302, 404, 404, 404, 404, 404, 404, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 404, 404, 404),  # POST
    ),
    "audit:log": (
        (302, 404, 404, 404, 404, 404, 404, 404, 404),  # GET
        (302, 404, 404, 404, 404, 404, 404, 404, 404),  # POST
    ),
    "meetings:adjournment-add": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:adjournment-remove": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:agenda": (
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "meetings:agenda-add-free": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:motion-report-agenda": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:agenda-add-standing": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:agenda-item": (
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # GET
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:agenda-move-to": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:agenda-remove": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:anslag-publish": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:attendance-other-add": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:attendance-other-remove": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:attendance-page": (
        (302, 200, 200, 200, 200, 200, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "meetings:called-sync": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:cancel": (
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # GET
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:conduct": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:extract": (
        (302, 404, 404, 404, 404, 404, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "meetings:extract-send": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:extract-sign": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 404, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:historic": (
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # GET
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:item-jav-remove": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:item-reservation-remove": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:item-vote-edit": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:item-vote-remove": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:item-yrkande-edit": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:item-yrkande-remove": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:move": (
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # GET
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # POST
    ),
    "papers:comment-add": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 404, 404, 404, 403, 404, 403),  # POST
    ),
    "papers:comment-resolve": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 302, 404, 404, 302, 404, 403, 404, 403),  # POST
    ),
    "papers:preview": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 302, 302, 302, 302, 302, 403, 404, 403),  # POST
    ),
    "reading:absence-call": (
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # GET
        (302, 404, 404, 302, 404, 404, 404, 404, 404),  # POST
    ),
    "reading:absence-report": (
        (302, 404, 404, 404, 404, 200, 404, 404, 404),  # GET
        (302, 404, 404, 404, 404, 200, 404, 404, 404),  # POST
    ),
    "reading:absences": (
        (302, 404, 404, 200, 404, 404, 404, 404, 404),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "reading:note-delete": (
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # GET
        (302, 404, 404, 404, 404, 302, 404, 404, 404),  # POST
    ),
    "reading:note-save": (
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # GET
        (302, 404, 404, 404, 404, 302, 404, 404, 404),  # POST
    ),
    "reading:notes": (
        (302, 200, 200, 200, 200, 200, 404, 404, 404),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "reading:notes-summary": (
        (302, 200, 200, 200, 200, 200, 404, 404, 404),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "reading:offline-package": (
        (302, 200, 200, 200, 200, 200, 404, 404, 404),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "reading:package": (
        (302, 200, 200, 200, 200, 200, 404, 404, 404),  # GET
        (302, 302, 302, 302, 302, 302, 404, 404, 404),  # POST
    ),
    "reading:package-file": (
        (302, 404, 404, 404, 404, 200, 404, 404, 404),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "reading:search": (
        (302, 200, 200, 200, 200, 200, 200, 200, 200),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "reading:service-worker": (
        (200, 200, 200, 200, 200, 200, 200, 200, 200),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "cases:assign": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 302, 404, 302, 404, 403, 404, 403),  # POST
    ),
    "cases:board": (
        (302, 200, 200, 200, 200, 200, 403, 200, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "cases:board-action": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 302, 302, 404, 404, 403, 302, 403),  # POST
    ),
    "cases:calendar": (
        (200, 200, 200, 200, 200, 200, 200, 200, 200),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "cases:detail": (
        (302, 200, 200, 200, 200, 200, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "cases:diarium": (
        (302, 200, 200, 200, 200, 200, 403, 200, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "cases:document-file": (
        (302, 200, 200, 200, 200, 200, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "cases:document-file[secret]": (
        (302, 200, 200, 404, 404, 404, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "cases:document-register": (
        (302, 200, 200, 404, 404, 404, 403, 404, 403),  # GET
        (302, 200, 200, 404, 404, 404, 403, 404, 403),  # POST
    ),
    "cases:inbox": (
        (302, 200, 200, 200, 200, 200, 403, 200, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "cases:inbox-read": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 302, 302, 302, 302, 302, 403, 302, 403),  # POST
    ),
    "cases:mine": (
        (302, 200, 200, 200, 200, 200, 403, 200, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "cases:pdf": (
        (302, 200, 200, 200, 200, 200, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "cases:pdf-status": (
        (302, 200, 200, 200, 200, 200, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "cases:register": (
        (302, 403, 200, 403, 403, 403, 403, 200, 403),  # GET
        (302, 403, 200, 403, 403, 403, 403, 200, 403),  # POST
    ),
    "cases:remiss-answer": (
        (302, 404, 200, 200, 404, 404, 403, 404, 403),  # GET
        (302, 404, 200, 200, 404, 404, 403, 404, 403),  # POST
    ),
    "cases:remiss-send": (
        (302, 200, 200, 200, 404, 404, 403, 404, 403),  # GET
        (302, 200, 200, 200, 404, 404, 403, 404, 403),  # POST
    ),
    "cases:remiss-withdraw": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 302, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "home": (
        (302, 302, 302, 302, 302, 302, 302, 302, 403),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "login": (
        (200, 302, 302, 302, 302, 302, 302, 302, 302),  # GET
        (200, 302, 302, 302, 302, 302, 302, 302, 302),  # POST
    ),
    "logout": (
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # GET
        (302, 302, 302, 302, 302, 302, 302, 302, 302),  # POST
    ),
    "meetings:agenda-add": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:agenda-add-case": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:agenda-down": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 404, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:agenda-up": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 404, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:anslag-pdf": (
        (200, 200, 200, 200, 200, 200, 200, 200, 200),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "meetings:anslag-pdf[not-justerat]": (
        (404, 404, 404, 404, 404, 404, 404, 404, 404),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "meetings:anslagstavla": (
        (200, 200, 200, 200, 200, 200, 200, 200, 200),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "meetings:approve": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 404, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:attendance": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:call": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:close": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:correct": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:create": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:detail": (
        (302, 200, 200, 200, 200, 200, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "meetings:item": (
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # GET
        (302, 404, 404, 307, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:item-jav": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:item-reservation": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:item-save": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:item-vote": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:item-yrkande": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:kungorelse-exception": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:list": (
        (302, 200, 200, 200, 200, 200, 403, 200, 403),  # GET
        (302, 404, 404, 200, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:pdf": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "meetings:sign": (
        (302, 200, 200, 200, 200, 200, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "meetings:withdraw": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 404, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "motions:decide": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 302, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "motions:detail": (
        (302, 200, 200, 200, 200, 200, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "motions:list": (
        (302, 200, 200, 200, 200, 200, 403, 200, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "motions:note": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 302, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "motions:prepare": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 302, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "motions:refer": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 404, 302, 302, 404, 404, 403, 404, 403),  # POST
    ),
    "motions:register": (
        (302, 403, 200, 403, 403, 403, 403, 200, 403),  # GET
        (302, 403, 200, 403, 403, 403, 403, 200, 403),  # POST
    ),
    "motions:report": (
        (302, 200, 200, 200, 200, 200, 403, 200, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "motions:report-pdf": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 302, 302, 302, 302, 302, 403, 302, 403),  # POST
    ),
    "papers:approve": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 302, 302, 302, 302, 302, 403, 404, 403),  # POST
    ),
    "papers:edit": (
        (302, 200, 302, 302, 302, 302, 403, 404, 403),  # GET
        (302, 400, 404, 404, 404, 404, 403, 404, 403),  # POST
    ),
    "papers:history": (
        (302, 200, 200, 200, 200, 200, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "papers:merge": (
        (302, 200, 404, 404, 404, 404, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "papers:new": (
        (302, 200, 404, 404, 200, 404, 403, 404, 403),  # GET
        (302, 200, 404, 404, 200, 404, 403, 404, 403),  # POST
    ),
    "papers:pdf": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 302, 302, 302, 302, 302, 403, 404, 403),  # POST
    ),
    "papers:proposals": (
        (302, 200, 200, 200, 200, 200, 403, 404, 403),  # GET
        (302, 404, 200, 200, 404, 404, 403, 404, 403),  # POST
    ),
    "papers:reopen": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 302, 302, 302, 302, 302, 403, 404, 403),  # POST
    ),
    "papers:return": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 302, 302, 302, 302, 302, 403, 404, 403),  # POST
    ),
    "papers:review": (
        (302, 200, 200, 200, 200, 200, 403, 404, 403),  # GET
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # POST
    ),
    "papers:submit": (
        (302, 405, 405, 405, 405, 405, 403, 405, 403),  # GET
        (302, 302, 404, 404, 404, 404, 403, 404, 403),  # POST
    ),
    "reading:calendar": (
        (200, 200, 200, 200, 200, 200, 200, 200, 200),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "reading:document": (
        (302, 200, 200, 200, 200, 200, 404, 404, 404),  # GET
        (302, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "reading:document[secret]": (
        (302, 404, 404, 404, 404, 404, 404, 404, 404),  # GET
        (302, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "reading:home": (
        (302, 200, 200, 200, 200, 200, 200, 200, 200),  # GET
        (302, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "reading:item": (
        (302, 200, 200, 200, 200, 200, 404, 404, 404),  # GET
        (302, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "reading:meeting": (
        (302, 200, 200, 200, 200, 200, 404, 404, 404),  # GET
        (302, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "signin:oidc-callback": (
        (302, 302, 302, 302, 302, 302, 302, 302, 302),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "signin:oidc-start": (
        (302, 302, 302, 302, 302, 302, 302, 302, 302),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "signin:oidc-start[not-configured]": (
        (404, 404, 404, 404, 404, 404, 404, 404, 404),  # GET
        (405, 405, 405, 405, 405, 405, 405, 405, 405),  # POST
    ),
    "signin:totp-enrol": (
        (302, 200, 200, 200, 200, 200, 200, 200, 200),  # GET
        (302, 200, 200, 200, 200, 200, 200, 200, 200),  # POST
    ),
    "signin:totp-verify": (
        (302, 302, 302, 302, 302, 302, 302, 302, 302),  # GET
        (302, 302, 302, 302, 302, 302, 302, 302, 302),  # POST
    ),
}
# fmt: on


@dataclass
class World:
    clients: dict[str, Client]  # one per role, signed in once
    args: dict[str, Callable[[], list[Any]]]


def url_names(urlconf: str | None = None) -> set[str]:
    """Every named URL of the project as ``namespace:name``, from the resolver itself."""

    def walk(patterns: Iterable[URLPattern | URLResolver], prefix: str) -> Iterable[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in EXCLUDED_NAMESPACES:
                    continue
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                yield from walk(pattern.url_patterns, namespace)
            elif pattern.name:
                yield f"{prefix}{pattern.name}"

    return set(walk(get_resolver(urlconf).url_patterns, ""))


def missing_rows(names: set[str], matrix: dict[str, Any]) -> list[str]:
    covered = {key.split("[")[0] for key in matrix} | set(UNCHECKED)
    return sorted(names - covered)


def observed(world: World, key: str, role: str, method: str) -> int:
    """The status ``role`` gets for ``method`` on the row's URL; nothing it did survives (the
    savepoint is rolled back, the signed-in session cookie put back after a sign-out)."""
    name = key.split("[")[0]
    url = reverse(name, args=world.args[key]())
    client = world.clients[role]
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        status = (client.get if method == "GET" else client.post)(url).status_code
        transaction.set_rollback(True)
    client.cookies = cookies
    return status


def mismatches(world: World, matrix: dict[str, tuple[tuple[int, ...], tuple[int, ...]]]) -> list[str]:
    found = []
    for key, (get_row, post_row) in matrix.items():
        for method, row in (("GET", get_row), ("POST", post_row)):
            for role, expected in zip(ROLES, row, strict=True):
                status = observed(world, key, role, method)
                if status != expected:
                    found.append(f"{key} {method} as {role}: {status}, expected {expected}")
    return found


def observed_rows(world: World, keys: Iterable[str]) -> str:
    """The rows as they are now, in MATRIX's format: to write a new row, after checking it by eye."""
    lines = []
    for key in keys:
        get_row, post_row = (", ".join(str(observed(world, key, role, m)) for role in ROLES) for m in ("GET", "POST"))
        lines.append(f'    "{key}": (\n        ({get_row}),  # GET\n        ({post_row}),  # POST\n    ),')
    return "\n".join(lines)


def _rendered_pdf(town, kind: str, key: str):
    from cases.models import PdfStatus, RenderedPdf

    pdf, _ = RenderedPdf.objects.update_or_create(
        municipality=town.municipality, kind=kind, key=key, defaults={"status": PdfStatus.DONE, "file_name": "x.pdf"}
    )
    pdf.file.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))  # as the worker leaves it
    return pdf


def _justerat_meeting(town):
    """A Socialnämnden meeting whose protocol both chair and justerare have signed (on the anslagstavla)."""
    from cases.models import SeatRole
    from meetings import services

    from .factories import UserFactory
    from .test_meetings_protocol import at, seat

    chair_user = UserFactory(municipality=town.municipality, roles=["fortroendevald"])
    justerare_user = UserFactory(municipality=town.municipality, roles=["fortroendevald"])
    chair = seat(town, town.sn, "Anna", "Ordförande", "S", SeatRole.CHAIR, user=chair_user)
    justerare = seat(town, town.sn, "Jonas", "Justerare", "M", user=justerare_user)
    meeting = services.meeting_create(body=town.sn, starts_at=at(date(2018, 5, 3)), place="Sal B", by=town.secretary)
    rows = {a.person_id: a.pk for a in meeting.attendance.all()}
    services.attendance_record(
        meeting,
        present=[rows[chair.pk], rows[justerare.pk]],
        justerare=[rows[justerare.pk]],
        serving={},
        by=town.secretary,
    )
    services.protocol_close(meeting, by=town.secretary)
    services.protocol_sign(meeting, by=chair_user)
    services.protocol_sign(meeting, by=justerare_user)
    services.anslag_publish(meeting, on=timezone.localdate(), by=town.secretary)  # the secretary's act
    _rendered_pdf(town, services.PUBLIC_PROTOCOL, str(meeting.uuid))  # what the worker renders on justering
    return meeting


@pytest.fixture
def world(ale, alingsas, pdf_upload) -> Iterator[World]:
    from cases.models import Role
    from meetings import services as meeting_services
    from motions import services as motion_services
    from papers import services as paper_services
    from papers.defaults import install_default_templates
    from papers.models import DraftVersion, PaperTemplate

    from .factories import UserFactory
    from .reading_setup import called_meeting
    from .test_motions import kf_member

    case = register_case(ale, handler=ale.official)
    public = register_document(ale, case, upload=pdf_upload)
    secret = register_document(ale, case, secret=True, upload=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n"))
    reading = called_meeting(ale)
    member = kf_member(ale, "Anna", "Andersson", "S")
    with ale.scope():
        from cases import workdays
        from cases.services import remiss_route, remiss_send

        deadline = workdays.next_working_day(date.today() + timedelta(days=30))
        (remiss,) = remiss_send(case, from_body=ale.ks, to_bodies=[ale.sn], deadline=deadline, by=ale.registrar)
        remiss_route(remiss.pk)  # what the worker does: opens the response case in SN
        install_default_templates(ale.municipality)
        draft = paper_services.draft_create(case, template=PaperTemplate.objects.get(name="Yttrande"), by=ale.official)
        try:
            paper_services.draft_save(draft, base_version=draft.version - 1, content={}, by=ale.official)
        except paper_services.DraftConflict:
            pass
        refused = DraftVersion.objects.get(draft=draft, refused=True)
        draft_pdf = _rendered_pdf(ale, "draft", str(draft.uuid))
        planned = meeting_services.meeting_create(
            body=ale.un, starts_at=timezone.now() + timedelta(days=30), place="Sal A", by=ale.secretary
        )
        planned_item = planned.items.first()
        justerat = _justerat_meeting(ale)
        motion = motion_services.motion_register(
            municipality=ale.municipality,
            title="Motion om bänkar",
            movers=[member],
            att_satser=["kommunen ställer ut bänkar"],
            raised_in=ale.kf,
            raised_on=date(2017, 11, 29),
            raised_paragraph=None,
            by=ale.registrar,
        )
    with ale.scope():  # one of each object the newer URLs name
        import uuid as uuid_module

        from django.core.files.base import ContentFile

        from audit.models import AuditEntry
        from papers.models import ReviewComment
        from reading.models import Absence, MeetingPackage, Note

        comment = ReviewComment.objects.create(
            municipality=ale.municipality,
            draft=draft,
            section_key="bakgrund",
            quote="x",
            body="Se över.",
            author=ale.head,
        )
        absence = Absence.objects.create(
            municipality=ale.municipality, meeting=reading.meeting, person=reading.member, reported_by=ale.politician
        )
        package = MeetingPackage.objects.create(
            municipality=ale.municipality, meeting=reading.meeting, user=ale.politician, status="done"
        )
        package.file.save("paket.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
        note = Note.objects.create(
            municipality=ale.municipality,
            uuid=uuid_module.uuid4(),
            author=ale.politician,
            meeting=reading.meeting,
            text="Min anteckning",
        )
        audit_row = AuditEntry.objects.order_by("pk").first()
        assert audit_row is not None
    users = {
        "official": ale.official,
        "registrar": ale.registrar,
        "secretary": ale.secretary,
        "head": ale.head,
        "politician": ale.politician,
        "administrator": UserFactory(username="ale.admin", municipality=ale.municipality, roles=[Role.ADMIN]),
        "outsider": alingsas.registrar,
        "no_role": UserFactory(username="ale.none", municipality=ale.municipality, roles=[]),
    }
    ref = case.ref
    m, item = planned.uuid, planned_item.uuid
    args: dict[str, Callable[[], list[Any]]] = {
        "home": lambda: [],
        "login": lambda: [],
        "logout": lambda: [],
        # cases
        "cases:mine": lambda: [],
        "cases:diarium": lambda: [],
        "cases:register": lambda: [],
        "cases:detail": lambda: [ref],
        "cases:document-register": lambda: [ref],
        "cases:document-file": lambda: [ref, public.uuid],
        "cases:document-file[secret]": lambda: [ref, secret.uuid],
        "cases:assign": lambda: [ref],
        "cases:remiss-send": lambda: [ref],
        "cases:remiss-answer": lambda: [remiss.uuid],
        "cases:remiss-withdraw": lambda: [remiss.uuid],
        "cases:board": lambda: [],
        "cases:board-action": lambda: [],
        "cases:calendar": lambda: [ale.secretary.calendar_token],
        "cases:inbox": lambda: [],
        "cases:inbox-read": lambda: [],
        "cases:pdf-status": lambda: [draft_pdf.uuid],
        "cases:pdf": lambda: [draft_pdf.uuid],
        # motions
        "motions:list": lambda: [],
        "motions:register": lambda: [],
        "motions:report": lambda: [],
        "motions:report-pdf": lambda: [],
        "motions:detail": lambda: [motion.case.ref],
        "motions:refer": lambda: [motion.case.ref],
        "motions:prepare": lambda: [motion.case.ref],
        "motions:note": lambda: [motion.case.ref],
        "motions:decide": lambda: [motion.case.ref],
        # papers
        "papers:new": lambda: [ref],
        "papers:proposals": lambda: [ref],
        "papers:review": lambda: [draft.uuid],
        "papers:edit": lambda: [draft.uuid],
        "papers:history": lambda: [draft.uuid],
        "papers:merge": lambda: [draft.uuid, refused.pk],
        "papers:submit": lambda: [draft.uuid],
        "papers:approve": lambda: [draft.uuid],
        "papers:return": lambda: [draft.uuid],
        "papers:reopen": lambda: [draft.uuid],
        "papers:pdf": lambda: [draft.uuid],
        # meetings: a planned UN meeting (not yet called) and its standing item
        "meetings:list": lambda: [],
        "meetings:create": lambda: [],
        "meetings:detail": lambda: [m],
        "meetings:call": lambda: [m],
        "meetings:agenda-add": lambda: [m],
        "meetings:agenda-add-case": lambda: [m],
        "meetings:agenda-up": lambda: [m],
        "meetings:agenda-down": lambda: [m],
        "meetings:attendance": lambda: [m],
        "meetings:close": lambda: [m],
        "meetings:withdraw": lambda: [m],
        "meetings:kungorelse-exception": lambda: [m],
        "meetings:pdf": lambda: [m],
        "meetings:correct": lambda: [m],
        "meetings:sign": lambda: [m],
        "meetings:approve": lambda: [m],
        "meetings:item": lambda: [m, item],
        "meetings:item-save": lambda: [m, item],
        "meetings:item-yrkande": lambda: [m, item],
        "meetings:item-vote": lambda: [m, item],
        "meetings:item-reservation": lambda: [m, item],
        "meetings:item-jav": lambda: [m, item],
        "meetings:agenda": lambda: [m],
        "meetings:agenda-add-free": lambda: [m],
        "meetings:agenda-add-standing": lambda: [m],
        "meetings:motion-report-agenda": lambda: [],
        "meetings:agenda-move-to": lambda: [m],
        "meetings:agenda-remove": lambda: [m],
        "meetings:agenda-item": lambda: [m, item],
        "meetings:attendance-page": lambda: [m],
        "meetings:attendance-other-add": lambda: [m],
        "meetings:attendance-other-remove": lambda: [m],
        "meetings:adjournment-add": lambda: [m],
        "meetings:adjournment-remove": lambda: [m],
        "meetings:conduct": lambda: [m],
        "meetings:called-sync": lambda: [m],
        "meetings:move": lambda: [m],
        "meetings:cancel": lambda: [m],
        "meetings:anslag-publish": lambda: [justerat.uuid],
        "meetings:historic": lambda: [],
        "meetings:extract": lambda: [m, item],
        "meetings:extract-send": lambda: [m, item],
        "meetings:extract-sign": lambda: [m, item],
        "meetings:item-yrkande-edit": lambda: [m, item],
        "meetings:item-yrkande-remove": lambda: [m, item],
        "meetings:item-vote-edit": lambda: [m, item],
        "meetings:item-vote-remove": lambda: [m, item],
        "meetings:item-reservation-remove": lambda: [m, item],
        "meetings:item-jav-remove": lambda: [m, item],
        "meetings:anslagstavla": lambda: ["ale"],
        "meetings:anslag-pdf": lambda: ["ale", justerat.uuid],
        "meetings:anslag-pdf[not-justerat]": lambda: ["ale", reading.meeting.uuid],
        # administration
        "administration:overview": lambda: [],
        "administration:body-new": lambda: [],
        "administration:body": lambda: ["UN"],
        "administration:body-edit": lambda: ["UN"],
        "administration:seat-add": lambda: ["UN"],
        "administration:seat-end": lambda: ["UN"],
        "administration:seats-import": lambda: ["UN"],
        "administration:people": lambda: [],
        "administration:users": lambda: [],
        "administration:user-new": lambda: [],
        "administration:user": lambda: [ale.official.username],
        "administration:periods": lambda: [],
        "administration:log": lambda: [],
        "administration:body-standing": lambda: ["UN"],
        "administration:numbering": lambda: [],
        # audit: the revisor's log (no role here holds revisor: everyone but anonymous gets 404)
        "audit:log": lambda: [],
        "audit:export": lambda: [],
        "audit:entry": lambda: [audit_row.pk],
        # reading room: the called UN meeting with the politician's seat
        "reading:home": lambda: [],
        "reading:meeting": lambda: [reading.meeting.uuid],
        "reading:item": lambda: [reading.meeting.uuid, reading.item.uuid],
        "reading:document": lambda: [reading.meeting.uuid, reading.item.uuid, reading.pdf.uuid],
        "reading:document[secret]": lambda: [reading.meeting.uuid, reading.item.uuid, reading.secret.uuid],
        "reading:calendar": lambda: [ale.politician.calendar_token],
        "reading:search": lambda: [],
        "reading:service-worker": lambda: [],
        "reading:package": lambda: [reading.meeting.uuid],
        "reading:package-file": lambda: [reading.meeting.uuid, package.uuid],
        "reading:absence-report": lambda: [reading.meeting.uuid],
        "reading:absences": lambda: [reading.meeting.uuid],
        "reading:absence-call": lambda: [reading.meeting.uuid, absence.uuid],
        "reading:notes": lambda: [reading.meeting.uuid],
        "reading:notes-summary": lambda: [reading.meeting.uuid],
        "reading:note-save": lambda: [reading.meeting.uuid, note.uuid],
        "reading:note-delete": lambda: [reading.meeting.uuid, note.uuid],
        "reading:offline-package": lambda: [reading.meeting.uuid],
        # papers: the draft's preview, a head's comment on it
        "papers:preview": lambda: [draft.uuid],
        "papers:comment-add": lambda: [draft.uuid],
        "papers:comment-resolve": lambda: [comment.uuid],
        # sign-in: Ale has its own OpenID provider (a real one on a local port), Alingsås none
        "signin:oidc-start": lambda: ["ale"],
        "signin:oidc-start[not-configured]": lambda: ["alingsas"],
        "signin:oidc-callback": lambda: [],
        "signin:totp-verify": lambda: [],
        "signin:totp-enrol": lambda: [],
    }
    with Provider(
        client_id="diariet-ale", client_secret="hemligt", redirect_uri="http://testserver/oidc/callback/"
    ) as idp:
        SignInPolicy.objects.create(
            municipality=ale.municipality,
            oidc_issuer=idp.issuer,
            oidc_client_id="diariet-ale",
            oidc_client_secret="hemligt",
        )
        clients = {"anonymous": Client()}
        for role, user in users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        yield World(clients=clients, args=args)


def test_every_url_name_has_a_row():
    assert missing_rows(url_names(), MATRIX) == []


def test_every_row_names_a_url_that_exists():
    names = url_names()
    assert sorted(key for key in MATRIX if key.split("[")[0] not in names) == []


def test_every_role_gets_what_the_matrix_says(world):
    assert mismatches(world, MATRIX) == []


def test_the_matrix_notices_a_view_without_a_row_or_without_a_door(world, settings):
    """Negative control: a URL added without a permission check is reported twice over."""
    settings.ROOT_URLCONF = "tests.urls_with_an_open_view"
    assert missing_rows(url_names(), MATRIX) == ["opened-case"]

    world.args["opened-case"] = world.args["cases:detail"]
    found = mismatches(world, {"opened-case": MATRIX["cases:detail"]})
    assert "opened-case GET as anonymous: 200, expected 302" in found
    assert "opened-case GET as outsider: 200, expected 404" in found
    assert "opened-case POST as no_role: 200, expected 403" in found
