"""Importing a body's seats from CSV: parse into a preview with an error list per row, then
commit all rows in one transaction or none.

The file has a header row with the columns ``namn``, ``parti``, ``roll``, ``från`` and ``till``
(``till`` may be empty) and optionally ``ordning`` (the order in which ersättare are called within
their party). Semicolon or comma separated, UTF-8 (with or without BOM) or Windows-1252 as Excel
writes it. A person is matched by full name within the municipality, or created.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Body, Membership, Person, SeatRole, User
from cases.services import CaseError, membership_create, organisation_event_record, person_create

REQUIRED = ("namn", "parti", "roll", "från", "till")
ROLE_WORDS = {
    "ledamot": SeatRole.MEMBER,
    "ersättare": SeatRole.DEPUTY,
    "ersattare": SeatRole.DEPUTY,
    "ordförande": SeatRole.CHAIR,
    "ordforande": SeatRole.CHAIR,
    "vice ordförande": SeatRole.VICE_CHAIR,
    "1:e vice ordförande": SeatRole.VICE_CHAIR,
    "förste vice ordförande": SeatRole.VICE_CHAIR,
    "2:e vice ordförande": SeatRole.SECOND_VICE_CHAIR,
    "andre vice ordförande": SeatRole.SECOND_VICE_CHAIR,
}
MAX_ROWS = 500


@dataclass
class SeatRow:
    line: int
    name: str
    party: str
    role: str
    starts_on: date | None
    ends_on: date | None
    order: int | None
    person: Person | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return str(SeatRole(self.role).label) if self.role in SeatRole.values else self.role


@dataclass
class SeatImport:
    rows: list[SeatRow]
    errors: list[str]  # errors of the file as a whole

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows) and not any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(row.errors) for row in self.rows)


def decode_upload(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CaseError(_("Filen kunde inte läsas som text (UTF-8 eller Windows-1252)."))


def _date(value: str, what: str, errors: list[str]) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        errors.append(_("%(what)s ”%(value)s” är inte ett datum (ÅÅÅÅ-MM-DD).") % {"what": what, "value": value})
        return None
    if not date(1900, 1, 1) <= day <= date(2100, 12, 31):
        errors.append(_("%(what)s måste ligga mellan 1900 och 2100.") % {"what": what})
        return None
    return day


def seats_import_parse(body: Body, text: str) -> SeatImport:
    """Read the CSV text and check every row against the rules, changing nothing."""
    text = text.strip("\ufeff")
    if not text.strip():
        return SeatImport(rows=[], errors=[_("Filen är tom.")])
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";"
    reader = csv.reader(io.StringIO(text), dialect)
    header = [cell.strip().lower() for cell in next(reader)]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        return SeatImport(
            rows=[],
            errors=[
                _("Rubrikraden saknar kolumnerna: %(cols)s. Första raden ska vara: namn;parti;roll;från;till.")
                % {"cols": ", ".join(missing)}
            ],
        )
    index = {column: header.index(column) for column in header}
    people = {f"{p.first_name} {p.last_name}".casefold(): p for p in Person.objects.all()}
    rows: list[SeatRow] = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            return SeatImport(rows=rows, errors=[_("Högst %(n)s rader kan läsas in åt gången.") % {"n": MAX_ROWS}])

        def cell(column: str, cells: list[str] = cells) -> str:
            position = index.get(column)
            return cells[position].strip() if position is not None and position < len(cells) else ""

        errors: list[str] = []
        name = " ".join(cell("namn").split())
        if len(name.split(" ")) < 2:
            errors.append(_("Ange för- och efternamn."))
        party = cell("parti")
        if not party:
            errors.append(_("Parti saknas."))
        elif len(party) > 10:
            errors.append(_("Partiets förkortning får vara högst 10 tecken."))
        role = ROLE_WORDS.get(cell("roll").lower(), "")
        if not role:
            errors.append(
                _("Rollen ”%(role)s” är okänd; skriv ledamot, ersättare, ordförande, 1:e eller 2:e vice ordförande.")
                % {"role": cell("roll")}
            )
        starts_on = _date(cell("från"), _("Från"), errors)
        if starts_on is None and not any("Från" in e for e in errors):
            errors.append(_("Från-datum saknas."))
        ends_on = _date(cell("till"), _("Till"), errors)
        if starts_on and ends_on and ends_on < starts_on:
            errors.append(_("Uppdraget slutar innan det börjar."))
        order: int | None = None
        if cell("ordning"):
            if cell("ordning").isdigit() and 0 < int(cell("ordning")) < 100:
                order = int(cell("ordning"))
            else:
                errors.append(_("Ordningen ska vara ett tal mellan 1 och 99."))
        rows.append(
            SeatRow(
                line=line,
                name=name,
                party=party,
                role=role,
                starts_on=starts_on,
                ends_on=ends_on,
                order=order,
                person=people.get(name.casefold()),
                errors=errors,
            )
        )
    _check_overlaps(body, rows)
    if not rows:
        return SeatImport(rows=[], errors=[_("Filen har inga rader under rubrikraden.")])
    return SeatImport(rows=rows, errors=[])


def _check_overlaps(body: Body, rows: list[SeatRow]) -> None:
    """A person holds one seat in a body at a time: against the database and within the file."""
    held = list(Membership.objects.filter(body=body).select_related("person"))
    for row in rows:
        if row.errors or row.starts_on is None:
            continue
        end = row.ends_on or date.max
        for seat in held:
            if row.person is not None and seat.person_id == row.person.pk:
                if seat.starts_on <= end and (seat.ends_on or date.max) >= row.starts_on:
                    row.errors.append(
                        _("%(name)s har redan ett uppdrag i %(body)s från %(d)s.")
                        % {"name": row.name, "body": body.name, "d": seat.starts_on}
                    )
        for other in rows:
            if other is row or other.line > row.line or other.starts_on is None:
                continue
            if other.name.casefold() == row.name.casefold():
                if other.starts_on <= end and (other.ends_on or date.max) >= row.starts_on:
                    row.errors.append(_("Samma person står redan på rad %(n)s för samma tid.") % {"n": other.line})


@transaction.atomic
def seats_import(body: Body, text: str, *, by: User) -> list[Membership]:
    """Import every row or none: the file is checked again inside the transaction."""
    parsed = seats_import_parse(body, text)
    if not parsed.is_valid:
        raise CaseError(
            _("Filen har %(n)s fel och lästes inte in. Rätta filen och försök igen.") % {"n": parsed.error_count}
        )
    created: list[Membership] = []
    new_people: dict[str, Person] = {}
    for row in parsed.rows:
        person = row.person or new_people.get(row.name.casefold())
        if person is None:
            first, _space, last = row.name.rpartition(" ")
            person = new_people[row.name.casefold()] = person_create(
                body.municipality, first_name=first, last_name=last, by=by
            )
        assert row.starts_on is not None  # noqa: S101 - is_valid guarantees it
        created.append(
            membership_create(
                person,
                body=body,
                role=row.role,
                party=row.party,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                deputy_order=row.order,
                by=by,
            )
        )
    organisation_event_record(body.municipality, action="seats.imported", target=body, by=by, rows=len(created))
    return created
