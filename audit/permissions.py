"""The permission door of the audit log: a revisor (role ``revisor``) of a municipality reads that
municipality's log; everyone else is answered 404, as if the pages did not exist."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase

from cases.models import User
from cases.permissions import is_auditor

from .models import AuditEntry

View = Callable[..., HttpResponseBase]


def can_audit(user: User) -> bool:
    return bool(user.is_authenticated and is_auditor(user))


def auditor_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_audit(cast(User, request.user)):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def get_entry_for_auditor(number: int) -> AuditEntry:
    """A row of the log by its number; the scope hides another municipality's rows (404)."""
    entry = AuditEntry.objects.select_related("actor", "on_behalf_of").filter(pk=number).first()
    if entry is None:
        raise Http404
    return cast(AuditEntry, entry)
