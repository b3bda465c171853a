"""Use cases of the organisation: bodies, departments, people, seats and users.

One typed function each, used alike by the demo data, the municipal administrator's pages and
any import; every write records an :class:`OrganisationEvent` (who, when, what) in the same
transaction. ``by`` is ``None`` only for the system itself (the demo loader at installation).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Body, Department, Membership, Municipality, OrganisationEvent, Person, Role, SeatRole, User
from .diarium import CaseError


def organisation_event_record(
    municipality: Municipality, *, action: str, target: object, by: User | None, **data: Any
) -> OrganisationEvent:
    return OrganisationEvent.objects.create(
        municipality=municipality, actor=by, action=action, target=str(target)[:200], data=data
    )


def _same_municipality(municipality: Municipality, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "municipality_id", municipality.pk) != municipality.pk:
            raise CaseError(_("%(what)s hör inte till %(place)s.") % {"what": obj, "place": municipality.name})


@transaction.atomic
def body_create(
    municipality: Municipality,
    *,
    name: str,
    short_name: str,
    kind: str,
    diarium_series: str,
    by: User | None,
    parent: Body | None = None,
    ordering: int = 100,
) -> Body:
    name, short_name, diarium_series = name.strip(), short_name.strip(), diarium_series.strip().upper()
    if not name or not short_name or not diarium_series:
        raise CaseError(_("Ange namn, förkortning och diarieserie för organet."))
    _same_municipality(municipality, parent)
    if Body.objects.filter(municipality=municipality, short_name__iexact=short_name).exists():
        raise CaseError(_("Det finns redan ett organ med förkortningen %(short)s.") % {"short": short_name})
    if Body.objects.filter(municipality=municipality, name__iexact=name).exists():
        raise CaseError(_("Det finns redan ett organ som heter %(name)s.") % {"name": name})
    body = Body.objects.create(
        municipality=municipality,
        name=name,
        short_name=short_name,
        kind=kind,
        parent=parent,
        diarium_series=diarium_series,
        ordering=ordering,
    )
    organisation_event_record(municipality, action="body.created", target=body, by=by, short_name=short_name, kind=kind)
    return body


@transaction.atomic
def department_create(municipality: Municipality, *, name: str, bodies: Iterable[Body], by: User | None) -> Department:
    name = name.strip()
    if not name:
        raise CaseError(_("Ange förvaltningens namn."))
    served = list(bodies)
    _same_municipality(municipality, *served)
    if Department.objects.filter(municipality=municipality, name__iexact=name).exists():
        raise CaseError(_("Det finns redan en förvaltning som heter %(name)s.") % {"name": name})
    department = Department.objects.create(municipality=municipality, name=name)
    department.bodies.set(served)
    organisation_event_record(
        municipality, action="department.created", target=department, by=by, bodies=[b.short_name for b in served]
    )
    return department


@transaction.atomic
def user_create(
    municipality: Municipality,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    roles: Iterable[str],
    by: User | None,
    password: str | None = None,
    title: str = "",
    department: Department | None = None,
) -> User:
    chosen = sorted(set(roles))
    unknown = [role for role in chosen if role not in Role.values]
    if unknown:
        raise CaseError(_("Okänd roll: %(roles)s.") % {"roles": ", ".join(unknown)})
    _same_municipality(municipality, department)
    if User.objects.filter(username__iexact=username).exists():
        raise CaseError(_("Användarnamnet %(name)s är upptaget.") % {"name": username})
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        municipality=municipality,
        roles=chosen,
        title=title.strip(),
        department=department,
    )
    organisation_event_record(municipality, action="user.created", target=user, by=by, roles=chosen)
    return user


@transaction.atomic
def person_create(
    municipality: Municipality,
    *,
    first_name: str,
    last_name: str,
    by: User | None,
    email: str = "",
    user: User | None = None,
) -> Person:
    if not first_name.strip() or not last_name.strip():
        raise CaseError(_("Ange för- och efternamn."))
    _same_municipality(municipality, user)
    person = Person.objects.create(
        municipality=municipality, first_name=first_name.strip(), last_name=last_name.strip(), email=email, user=user
    )
    organisation_event_record(municipality, action="person.created", target=person, by=by)
    return person


@transaction.atomic
def membership_create(
    person: Person,
    *,
    body: Body,
    role: str,
    party: str,
    starts_on: date,
    by: User | None,
    ends_on: date | None = None,
) -> Membership:
    """Give ``person`` a seat in ``body`` for a period. One person holds one seat in a body at a time."""
    municipality = person.municipality
    _same_municipality(municipality, body)
    if role not in SeatRole.values:
        raise CaseError(_("Okänd uppdragsroll: %(role)s.") % {"role": role})
    if ends_on is not None and ends_on < starts_on:
        raise CaseError(_("Uppdraget kan inte sluta innan det börjar."))
    overlapping = Membership.objects.filter(person=person, body=body, starts_on__lte=ends_on or date.max).exclude(
        ends_on__lt=starts_on
    )
    if overlapping.exists():
        raise CaseError(
            _("%(person)s har redan ett uppdrag i %(body)s under den perioden.") % {"person": person, "body": body}
        )
    membership = Membership.objects.create(
        municipality=municipality,
        person=person,
        body=body,
        role=role,
        party=party.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    organisation_event_record(
        municipality,
        action="membership.created",
        target=membership,
        by=by,
        body=body.short_name,
        role=role,
        party=party,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat() if ends_on else None,
    )
    return membership
