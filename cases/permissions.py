"""The permission door of the core. Every view fetches and authorises through here.

A case that does not exist and a case the user may not see both answer 404, so a
403 never reveals that something exists. Tenant isolation comes first and is
structural (the scoped managers); these functions decide within a municipality.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponseBase

from .models import (
    Case,
    CaseGroupObjectPermission,
    CaseQuerySet,
    CaseUserObjectPermission,
    Document,
    DocumentGroupObjectPermission,
    DocumentUserObjectPermission,
    Membership,
    Remiss,
    Role,
    User,
)

REF_RE = re.compile(r"^(?P<series>[A-ZÅÄÖ0-9]{1,10})-(?P<year>\d{4})-(?P<number>\d{1,7})$")

STAFF_ROLES = (Role.OFFICIAL, Role.REGISTRAR, Role.SECRETARY, Role.HEAD, Role.POLITICIAN)

View = Callable[..., HttpResponseBase]


def can_use_diarium(user: User) -> bool:
    return bool(user.is_authenticated and user.municipality_id and user.has_role(*STAFF_ROLES))


def can_register(user: User) -> bool:
    return bool(user.municipality_id and user.has_role(Role.REGISTRAR))


def cases_visible_to(user: User) -> CaseQuerySet:
    """The cases a user may list. Within the active municipality, every staff role reads the
    diarium (the register is public under offentlighetsprincipen); secrecy lives on documents."""
    if not can_use_diarium(user):
        return Case.objects.none()
    return Case.objects.all()


def get_case_for_user(user: User, ref: str, perm: str | None = None, *, annotate: dict[str, Any] | None = None) -> Case:
    """The case ``ref`` if ``user`` may see it and, when ``perm`` is given, may do that to it
    (``annotate``: expressions to compute on the case's row, as QuerySet.annotate takes them).

    ``perm`` names one of :data:`CASE_PERMISSIONS`; an unknown name is a programming error and
    raises ``ValueError`` (it is never silently ignored). Refusal is a 404, as for a missing case.
    """
    check = None
    if perm is not None:
        try:
            check = CASE_PERMISSIONS[perm]
        except KeyError:
            raise ValueError(f"unknown case permission {perm!r}; known: {sorted(CASE_PERMISSIONS)}") from None
    match = REF_RE.match(ref)
    if not match:
        raise Http404
    case = (
        cases_visible_to(user)
        .select_related("body", "department", "handler", "registered_by", "origin")
        .filter(series=match["series"], year=int(match["year"]), number=int(match["number"]))
        .annotate(**(annotate or {}))
        .first()
    )
    if case is None or (check is not None and not check(user, case)):
        raise Http404
    return case


def handles_case(user: User, case: Case) -> bool:
    """Whether ``user`` holds the case's handläggare grant (guardian's ``cases.handle_case``, given
    to the user or to one of their groups), in one query instead of guardian's two, and asked once
    per user object, case and handläggare (a page asks it for several buttons)."""
    if not user.is_authenticated or not user.is_active or case.pk is None:
        return False
    if user.is_superuser:
        return True
    answers: dict[tuple[int, int | None], bool] = user.__dict__.setdefault("_handles_case", {})
    key = (case.pk, case.handler_id)
    if key not in answers:
        granted = Q(permission__codename="handle_case", content_object_id=case.pk)
        row = (
            User.objects.filter(pk=user.pk)
            .annotate(
                own=Exists(CaseUserObjectPermission.objects.filter(granted, user=OuterRef("pk"))),
                group=Exists(CaseGroupObjectPermission.objects.filter(granted, group__user=OuterRef("pk"))),
            )
            .values_list("own", "group")
            .first()
        )
        answers[key] = bool(row and (row[0] or row[1]))
    return answers[key]


def can_register_document(user: User, case: Case) -> bool:
    if not case.is_open:
        return False
    return user.has_role(Role.REGISTRAR) or handles_case(user, case)


def secret_documents_readable(user: User, documents: Iterable[Document]) -> set[int]:
    """The ids of the secret documents among ``documents`` that ``user`` was granted: the case's
    handläggare, and the grants to the user or a group of theirs, read in one query over guardian's
    direct tables (its ObjectPermissionChecker.prefetch_perms reads them in two), for an active user;
    a superuser reads all, as guardian answers."""
    secret = [doc for doc in documents if doc.is_secret]
    if not secret:
        return set()
    handled = {doc.pk for doc in secret if _handles(user, doc)}
    rest = [doc for doc in secret if doc.pk not in handled]
    if not rest or not user.is_active:
        return handled
    if user.is_superuser:
        return handled | {doc.pk for doc in rest}
    grant = {"content_object": OuterRef("pk"), "permission__codename": "read_secret_document"}
    granted = Document.objects.filter(pk__in=[doc.pk for doc in rest]).filter(
        Exists(DocumentUserObjectPermission.objects.filter(user=user, **grant))
        | Exists(DocumentGroupObjectPermission.objects.filter(group__user=user, **grant))
    )
    return handled | set(granted.values_list("pk", flat=True))


def _handles(user: User, document: Document) -> bool:
    """The case's current handläggare reads its secret handlingar: access follows the case."""
    return user.pk is not None and document.case.handler_id == user.pk


def can_read_document(user: User, document: Document) -> bool:
    if not can_use_diarium(user):
        return False
    if not document.is_secret or _handles(user, document):
        return True
    return user.has_perm("cases.read_secret_document", document)


def get_document_for_user(user: User, case: Case, document_uuid: str) -> Document:
    document = case.documents.filter(uuid=document_uuid).first()
    if document is None or not can_read_document(user, document):
        raise Http404
    return document


def can_send_remiss(user: User, case: Case) -> bool:
    if not case.is_open:
        return False
    return user.has_role(Role.SECRETARY, Role.REGISTRAR) or handles_case(user, case)


def get_remiss_for_user(user: User, remiss_uuid: str) -> Remiss:
    if not can_use_diarium(user):
        raise Http404
    remiss = (
        Remiss.objects.select_related("case", "from_body", "to_body", "response_case", "answer_source", "answer")
        .filter(uuid=remiss_uuid)
        .first()
    )
    if remiss is None:
        raise Http404
    return remiss


def can_answer_remiss(user: User, remiss: Remiss) -> bool:
    if remiss.response_case is None or not remiss.can_be_answered():
        return False
    if user.has_role(Role.REGISTRAR, Role.SECRETARY):
        return True
    return handles_case(user, remiss.response_case)


def can_withdraw_remiss(user: User, remiss: Remiss) -> bool:
    return remiss.is_pending and may_act_on_board(user)


def may_act_on_board(user: User) -> bool:
    """Withdraw, remind and extend remisser: the sending side's secretary or registrator."""
    return user.has_role(Role.SECRETARY, Role.REGISTRAR)


def diarium_user_required(view: View) -> View:
    """Signed in, belonging to a municipality, with a role that reads the diarium."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_use_diarium(cast(User, request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def can_assign_handler(user: User, case: Case) -> bool:
    return case.is_open and user.has_role(Role.HEAD, Role.REGISTRAR)


def lands_in_reading_room(user: User) -> bool:
    """A förtroendevald without a staff duty, or a user with no role whose Person holds a seat:
    signing in leads to Mina sammanträden rather than to the diarium."""
    if not user.municipality_id or user.has_role(*(role for role in Role.values if role != Role.POLITICIAN)):
        return False
    return user.has_role(Role.POLITICIAN) or Membership.objects.filter(person__user=user).exists()


def is_municipal_administrator(user: User) -> bool:
    return bool(user.municipality_id) and user.has_role(Role.ADMIN)


def is_auditor(user: User) -> bool:
    """A revisor reads their municipality's audit log (audit/permissions.py), nothing else."""
    return bool(user.municipality_id) and user.has_role(Role.AUDITOR)


def can_see_department_queue(user: User) -> bool:
    """Heads and registrars see their department's unassigned cases on Mina ärenden."""
    return bool(user.department_id) and user.has_role(Role.HEAD, Role.REGISTRAR)


# What get_case_for_user(perm=...) can check, by name.
CASE_PERMISSIONS: dict[str, Callable[[User, Case], bool]] = {
    "register_document": can_register_document,
    "send_remiss": can_send_remiss,
    "assign_handler": can_assign_handler,
}


def acting_user(request: HttpRequest) -> User:
    """The signed-in user, typed (views behind diarium_user_required always have one)."""
    from typing import cast

    return cast(User, request.user)
