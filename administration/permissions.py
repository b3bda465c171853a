"""The permission door of administration: the municipal administrator (role ``admin``,
"administratör") manages their own municipality's organisation and users, nothing else.

Tenant isolation is structural (scoped managers); a body, seat or user of another
municipality is simply not found (404). Django staff status is never involved.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase

from cases.models import Body, Role, User

View = Callable[..., HttpResponseBase]


def can_administer(user: User) -> bool:
    return bool(user.is_authenticated and user.municipality_id and Role.ADMIN in user.roles)


def administrator_required(view: View) -> View:
    """Signed in as an administrator of a municipality; anyone else gets 404 (the pages do not exist for them)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_administer(cast(User, request.user)):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def get_body_for_admin(short_name: str) -> Body:
    body = Body.objects.select_related("parent").filter(short_name=short_name).first()
    if body is None:
        raise Http404
    return body


def get_user_for_admin(admin: User, username: str) -> User:
    user = User.in_municipality.select_related("department").filter(username=username).first()
    if user is None or user.municipality_id != admin.municipality_id or user.is_superuser:
        raise Http404
    return cast(User, user)
