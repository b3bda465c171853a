"""Use cases of the diarium. One typed function each; every write records a CaseEvent."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from .. import clock
from ..models import Body, Case, CaseEvent, CaseStatus, DiariumCounter, Direction, Document, Municipality, User
from ..textextract import kind_of
from ..validation import DATE_OUT_OF_RANGE, clean_text, date_in_range

TITLE_MIN_LENGTH = 3


class CaseError(Exception):
    """A business rule refused the action; the message is for the user, in Swedish."""


def event_build(case: Case, *, action: str, by: User | None, **data: Any) -> CaseEvent:
    """An event not yet saved: for a step that writes all its events in one ``events_record``."""
    return CaseEvent(municipality_id=case.municipality_id, case=case, actor=by, action=action, data=data)


def event_record(case: Case, *, action: str, by: User | None, **data: Any) -> CaseEvent:
    event = event_build(case, action=action, by=by, **data)
    event.save(force_insert=True)
    return event


def events_record(events: list[CaseEvent]) -> list[CaseEvent]:
    """Save events built with ``event_build`` in one INSERT, in the order given."""
    return CaseEvent.objects.bulk_create(events)


def case_title_check(title: str) -> str:
    """The ärendemening as it will be stored (clean, trimmed), or CaseError when it says too little."""
    title = clean_text(title).strip()
    if len(title) < TITLE_MIN_LENGTH:
        raise CaseError(_("Ärendemeningen är för kort. Skriv vad ärendet gäller."))
    longest = Case._meta.get_field("title").max_length or 255
    if len(title) > longest:
        raise CaseError(
            _(
                "Ärendemeningen får vara högst %(max)s tecken; den är %(n)s. "
                "Korta den: detaljerna hör hemma i handlingarna."
            )
            % {"max": longest, "n": len(title)}
        )
    return title


def _date_check(value: date, *, future: str) -> date:
    if not date_in_range(value):
        raise CaseError(str(DATE_OUT_OF_RANGE))
    if value > clock.today():
        raise CaseError(future)
    return value


def case_registered_on_check(registered_on: date) -> date:
    return _date_check(registered_on, future=_("Registreringsdatumet kan inte ligga i framtiden."))


def document_date_check(document_date: date) -> date:
    return _date_check(document_date, future=_("Datumet kan inte ligga i framtiden."))


def diarium_number_allocate(*, municipality: Municipality, series: str, year: int) -> int:
    """Hand out the next number in a series and year.

    One upsert takes the counter row's lock until the surrounding transaction ends,
    so concurrent registrations queue up and a rolled-back registration gives its
    number back: no gaps, no duplicates.
    """
    (number,) = diarium_numbers_allocate(municipality=municipality, wanted=[(series, year)])
    return number


def diarium_numbers_allocate(*, municipality: Municipality, wanted: Sequence[tuple[str, int]]) -> list[int]:
    """``diarium_number_allocate`` for several cases at once (series and year each), in one upsert:
    the numbers in the order asked for. The counter rows are locked in one order (series, year)
    whoever asks, so two steps that both number in two series cannot deadlock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("diarium_number_allocate must run inside the registering transaction")
    counts = Counter(wanted)
    keys = sorted(counts)
    table = DiariumCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (municipality_id, series, year, last_number)
            SELECT %s, series, year, n
            FROM unnest(%s::text[], %s::int[], %s::int[]) WITH ORDINALITY AS t(series, year, n, i) ORDER BY i
            ON CONFLICT (municipality_id, series, year)
            DO UPDATE SET last_number = {table}.last_number + EXCLUDED.last_number
            RETURNING series, year, last_number
            """,  # noqa: S608 - the table name comes from the model, values are parameters
            [municipality.pk, [k[0] for k in keys], [k[1] for k in keys], [counts[k] for k in keys]],
        )
        following = {(series, year): last - counts[(series, year)] + 1 for series, year, last in cursor.fetchall()}
    numbers = []
    for key in wanted:
        numbers.append(following[key])
        following[key] += 1
    return numbers


@transaction.atomic
def case_register(
    *,
    municipality: Municipality,
    title: str,
    body: Body,
    by: User,
    handler: User | None = None,
    department: Any = None,
    series: str = "",
    registered_on: date | None = None,
    origin: Case | None = None,
) -> Case:
    case, registered = case_open(
        municipality=municipality,
        title=title,
        body=body,
        by=by,
        handler=handler,
        department_id=department.pk if department is not None else None,
        series=series,
        registered_on=registered_on,
        origin=origin,
    )
    registered.save(force_insert=True)
    if handler is not None:
        _grant_handler(case, handler)
        event_record(case, action="case.handler_assigned", by=by, handler=handler.pk, name=str(handler))
    return case


def case_open(
    *,
    municipality: Municipality,
    title: str,
    body: Body,
    by: User,
    handler: User | None = None,
    department_id: int | None = None,
    series: str = "",
    registered_on: date | None = None,
    origin: Case | None = None,
) -> tuple[Case, CaseEvent]:
    """The heart of ``case_register``: the checks, the number and the case row, with its
    ``case.registered`` event built but not saved. For a caller that already holds the transaction
    and saves all its events in one INSERT."""
    (opened,) = cases_open(
        municipality=municipality,
        cases=[CaseOpening(title, body, by, handler, department_id, series, registered_on, origin)],
    )
    return opened


@dataclass(frozen=True)
class CaseOpening:
    """One case for ``cases_open``: what ``case_open`` takes, but the municipality."""

    title: str
    body: Body
    by: User
    handler: User | None = None
    department_id: int | None = None
    series: str = ""
    registered_on: date | None = None
    origin: Case | None = None


def cases_open(*, municipality: Municipality, cases: Sequence[CaseOpening]) -> list[tuple[Case, CaseEvent]]:
    """``case_open`` for several cases (the worker's routing step, a remiss per body): each checked,
    then every number in one statement and every row in one INSERT."""
    checked = []
    for opening in cases:
        if opening.body.municipality_id != municipality.pk:
            raise CaseError(_("Organet finns inte i den här kommunen."))
        if opening.handler is not None and opening.handler.municipality_id != municipality.pk:
            raise CaseError(_("Handläggaren hör inte till den här kommunen."))
        title = case_title_check(opening.title)
        registered_on = case_registered_on_check(opening.registered_on or clock.today())
        checked.append((opening, title, registered_on, opening.series or opening.body.diarium_series))
    numbers = diarium_numbers_allocate(
        municipality=municipality, wanted=[(series, on.year) for _o, _t, on, series in checked]
    )
    rows = [
        Case(
            municipality=municipality,
            series=series,
            year=registered_on.year,
            number=number,
            diarienummer=municipality.format_diarienummer(series=series, year=registered_on.year, number=number),
            title=title,
            body=opening.body,
            department_id=opening.department_id,
            handler=opening.handler,
            registered_on=registered_on,
            registered_by=opening.by,
            origin=opening.origin,
        )
        for (opening, title, registered_on, series), number in zip(checked, numbers, strict=True)
    ]
    Case.objects.bulk_create(rows)
    return [
        (
            case,
            event_build(
                case, action="case.registered", by=case.registered_by, diarienummer=case.diarienummer, title=case.title
            ),
        )
        for case in rows
    ]


@transaction.atomic
def case_import(
    *,
    municipality: Municipality,
    series: str,
    year: int,
    number: int,
    title: str,
    body: Body,
    by: User,
    registered_on: date,
    handler: User | None = None,
    department: Any = None,
) -> Case:
    """Bring in a case that already has a diarienummer (from an earlier system).

    The counter moves past the imported number so the series continues without a duplicate.
    """
    table = DiariumCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (municipality_id, series, year, last_number) VALUES (%s, %s, %s, %s)
            ON CONFLICT (municipality_id, series, year)
            DO UPDATE SET last_number = GREATEST({table}.last_number, EXCLUDED.last_number)
            """,  # noqa: S608 - the table name comes from the model, values are parameters
            [municipality.pk, series, year, number],
        )
    if Case.objects.filter(series=series, year=year, number=number).exists():
        raise CaseError(_("Diarienumret finns redan."))
    title = clean_text(title).strip()
    case = Case.objects.create(
        municipality=municipality,
        series=series,
        year=year,
        number=number,
        diarienummer=municipality.format_diarienummer(series=series, year=year, number=number),
        title=title,
        body=body,
        department=department,
        handler=handler,
        registered_on=registered_on,
        registered_by=by,
    )
    event_record(case, action="case.registered", by=by, diarienummer=case.diarienummer, title=title, imported=True)
    if handler is not None:
        _grant_handler(case, handler)
    return case


def _grant_handler(case: Case, handler: User) -> None:
    assign_perm("cases.handle_case", handler, case)


@transaction.atomic
def case_assign_handler(case: Case, *, handler: User, by: User) -> Case:
    if handler.municipality_id != case.municipality_id:
        raise CaseError(_("Handläggaren hör inte till den här kommunen."))
    if case.handler_id == handler.pk:
        return case
    previous = case.handler
    if previous is not None:
        remove_perm("cases.handle_case", previous, case)
    case.handler = handler
    case.save(update_fields=["handler"])
    _grant_handler(case, handler)
    event_record(case, action="case.handler_assigned", by=by, handler=handler.pk, name=str(handler))
    secret = list(case.documents.exclude(secrecy_provision=""))
    if secret:
        # Access to the secret handlingar follows the case: the new handläggare reads them from now
        # on, and what the previous one held as handläggare (explicit grants included) is taken back.
        if previous is not None:
            for document in secret:
                if previous.has_perm("cases.read_secret_document", document):
                    remove_perm("cases.read_secret_document", previous, document)
        event_record(
            case,
            action="case.secret_access_moved",
            by=by,
            documents=len(secret),
            previous=str(previous) if previous else "",
            name=str(handler),
        )
    return case


@transaction.atomic
def case_close(case: Case, *, by: User, on: date | None = None) -> Case:
    if not case.is_open:
        raise CaseError(_("Ärendet är redan avslutat."))
    case.status = CaseStatus.CLOSED
    case.closed_on = on or clock.today()
    case.save(update_fields=["status", "closed_on"])
    event_record(case, action="case.closed", by=by)
    from .remiss import remisser_withdraw_open  # remisser build on the diarium, not the other way

    remisser_withdraw_open(
        case, by=by, reason=_("Ärendet %(dnr)s är avgjort och avslutat.") % {"dnr": case.diarienummer}
    )
    return case


def _file_fields(upload: UploadedFile | None) -> dict[str, Any]:
    if upload is None:
        return {}
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return {
        "file": upload,
        "file_name": upload.name or "",
        "content_type": getattr(upload, "content_type", "") or "",
        "file_size": upload.size,
        "checksum": digest.hexdigest(),
    }


def _handling_check(direction: str, document_date: date, counterpart: str, description: str) -> tuple[date, str, str]:
    """What every registered handling must have (OSL 5 kap. 2 §): a possible date, cleaned text, and a
    counterpart when it came in or went out. Returns the date, counterpart and description to store."""
    document_date = document_date_check(document_date)
    counterpart, description = clean_text(counterpart).strip(), clean_text(description).strip()
    if direction in (Direction.INCOMING, Direction.OUTGOING) and not counterpart:
        raise CaseError(_("Ange avsändare eller mottagare för en inkommande eller utgående handling."))
    return document_date, counterpart, description


@transaction.atomic
def document_register(
    case: Case,
    *,
    direction: str,
    document_date: date,
    description: str,
    by: User,
    counterpart: str = "",
    upload: UploadedFile | None = None,
    secrecy_provision: str = "",
    secrecy_marked_on: date | None = None,
    secrecy_marked_by: Body | None = None,
    allow_closed: bool = False,
) -> Document:
    """Register a handling in a case (OSL 5 kap. 2 §: date, number, counterpart, description).

    A closed case takes no new handlingar, except what the system itself routes into it
    (``allow_closed``: an answer that arrives after the case was closed is still registered).
    """
    if not case.is_open and not allow_closed:
        raise CaseError(_("Ärendet är avslutat. Öppna det igen innan en ny handling registreras."))
    document_date, counterpart, description = _handling_check(direction, document_date, counterpart, description)
    if secrecy_provision:
        secrecy_marked_on = secrecy_marked_on or clock.today()
        secrecy_marked_by = secrecy_marked_by or case.body
    # Lock the case row so two registrations in the same case get consecutive numbers.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    last = locked.documents.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    document = Document.objects.create(
        municipality_id=case.municipality_id,
        case=locked,
        sequence=last + 1,
        direction=direction,
        document_date=document_date,
        counterpart=counterpart,
        description=description,
        secrecy_provision=secrecy_provision,
        secrecy_marked_on=secrecy_marked_on if secrecy_provision else None,
        secrecy_marked_by=secrecy_marked_by if secrecy_provision else None,
        registered_by=by,
        **_file_fields(upload),
    )
    event_record(
        locked,
        action="document.registered",
        by=by,
        document=str(document.uuid),
        sequence=document.sequence,
        secret=document.is_secret,
    )
    if document.file and kind_of(document.content_type, document.file_name):
        from ..outbox import outbox_enqueue
        from ..tasks import extract_document_text

        outbox_enqueue(extract_document_text, document.pk, municipality_id=case.municipality_id)
    if document.is_secret:
        # The registrar who registered it is granted explicitly; the case's handläggare reads it
        # by being the handläggare (cases.permissions.can_read_document), so access follows the case.
        document_grant_secret_access(document, user=by, by=by)
    return document


def document_first(
    case: Case,
    *,
    direction: str,
    document_date: date,
    description: str,
    counterpart: str,
    by: User,
    save: bool = True,
) -> tuple[Document, CaseEvent]:
    """The first handling of a case opened in this very transaction (``case_open``): number 1, with
    no lock and no look-up of the last number, since no one else can see the case yet. The
    ``document.registered`` event is built, not saved. No file, not secret: what the worker routes.
    With ``save=False`` the handling is not saved either, for a caller that saves several in one
    INSERT (its uuid, which the event names, is set already)."""
    document_date, counterpart, description = _handling_check(direction, document_date, counterpart, description)
    document = Document(
        municipality_id=case.municipality_id,
        case=case,
        sequence=1,
        direction=direction,
        document_date=document_date,
        counterpart=counterpart,
        description=description,
        registered_by=by,
    )
    if save:
        document.save(force_insert=True)
    return document, event_build(
        case, action="document.registered", by=by, document=str(document.uuid), sequence=1, secret=False
    )


@transaction.atomic
def document_grant_secret_access(document: Document, *, user: User, by: User) -> None:
    if user.municipality_id != document.municipality_id:
        raise CaseError(_("Användaren hör inte till den här kommunen."))
    assign_perm("cases.read_secret_document", user, document)
    event_record(
        document.case,
        action="document.secret_access_granted",
        by=by,
        document=str(document.uuid),
        user=user.pk,
        name=str(user),
    )


@transaction.atomic
def document_revoke_secret_access(document: Document, *, user: User, by: User) -> None:
    remove_perm("cases.read_secret_document", user, document)
    event_record(
        document.case,
        action="document.secret_access_revoked",
        by=by,
        document=str(document.uuid),
        user=user.pk,
        name=str(user),
    )
