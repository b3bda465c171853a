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

from ..models import (
    Body,
    Department,
    MandatePeriod,
    Membership,
    Municipality,
    OrganisationEvent,
    Person,
    Role,
    SeatRole,
    User,
)
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
    deputy_order: int | None = None,
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
        deputy_order=deputy_order,
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


BODY_FIELDS = (
    "name",
    "short_name",
    "kind",
    "diarium_series",
    "parent",
    "ordering",
    "archive_location",
    "is_active",
    "answers_remisser_by_delegation",
)


def _logged(value: Any) -> str:
    """A setting's value for the log: a boolean as True/False (shown ja/nej), nothing as empty."""
    return str(value) if isinstance(value, bool) else str(value or "")


@transaction.atomic
def body_update(body: Body, *, by: User | None, secretaries: Iterable[User] | None = None, **changes: Any) -> Body:
    """Change a body's settings; the log records each changed field with its old and new value."""
    unknown = set(changes) - set(BODY_FIELDS)
    if unknown:
        raise ValueError(f"not a body setting: {sorted(unknown)}")
    municipality = body.municipality
    _same_municipality(municipality, changes.get("parent"))
    if changes.get("parent") is not None and changes["parent"].pk == body.pk:
        raise CaseError(_("Ett organ kan inte vara överordnat sig självt."))
    parent = changes["parent"] if "parent" in changes else body.parent
    delegated = changes.get("answers_remisser_by_delegation", body.answers_remisser_by_delegation)
    if delegated and parent is None:
        raise CaseError(
            _(
                "Bara ett organ med ett överordnat organ (ett utskott) kan besvara remisser på delegation: "
                "välj först nämnden eller styrelsen det hör till."
            )
        )
    for key in ("name", "short_name"):
        if key in changes:
            changes[key] = changes[key].strip()
            clash = Body.objects.filter(municipality=municipality, **{f"{key}__iexact": changes[key]}).exclude(
                pk=body.pk
            )
            if not changes[key] or clash.exists():
                raise CaseError(_("Namn och förkortning måste vara ifyllda och unika i kommunen."))
    if "diarium_series" in changes:
        changes["diarium_series"] = changes["diarium_series"].strip().upper()
    changed = {
        key: [_logged(getattr(body, key)), _logged(value)]
        for key, value in changes.items()
        if getattr(body, key) != value
    }
    for key, value in changes.items():
        setattr(body, key, value)
    if changed:
        body.save(update_fields=list(changes))
    if secretaries is not None:
        chosen = list(secretaries)
        _same_municipality(municipality, *chosen)
        before = sorted(str(u) for u in body.secretaries.all())
        after = sorted(str(u) for u in chosen)
        if before != after:
            body.secretaries.set(chosen)
            changed["secretaries"] = [", ".join(before), ", ".join(after)]
    if changed:
        organisation_event_record(municipality, action="body.updated", target=body, by=by, changes=changed)
    return body


@transaction.atomic
def membership_end(membership: Membership, *, ends_on: date, by: User) -> Membership:
    if ends_on < membership.starts_on:
        raise CaseError(_("Uppdraget kan inte sluta innan det börjar (%(d)s).") % {"d": membership.starts_on})
    old = membership.ends_on
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on"])
    organisation_event_record(
        membership.municipality,
        action="membership.ended",
        target=membership,
        by=by,
        ends_on=ends_on.isoformat(),
        previous=old.isoformat() if old else None,
    )
    return membership


@transaction.atomic
def user_update(
    user: User,
    *,
    by: User,
    roles: Iterable[str],
    title: str,
    department: Department | None,
    is_active: bool,
) -> User:
    """Change a user's roles and details. Nobody changes their own roles or switches themselves
    off (an administrator cannot give themselves a duty), and no role makes anyone staff."""
    chosen = sorted(set(roles))
    municipality = user.municipality
    if municipality is None or user.municipality_id != by.municipality_id:
        raise CaseError(_("Användaren hör inte till din kommun."))
    if user.pk == by.pk and (chosen != sorted(user.roles) or not is_active):
        raise CaseError(_("Du kan inte ändra dina egna roller eller stänga av dig själv."))
    unknown = [role for role in chosen if role not in Role.values]
    if unknown:
        raise CaseError(_("Okänd roll: %(roles)s.") % {"roles": ", ".join(unknown)})
    _same_municipality(municipality, department)
    changes: dict[str, list[Any]] = {}
    if chosen != sorted(user.roles):
        changes["roles"] = [sorted(user.roles), chosen]
    for key, value in (("title", title.strip()), ("department", department), ("is_active", is_active)):
        if getattr(user, key) != value:
            changes[key] = [str(getattr(user, key) or ""), str(value or "")]
    user.roles, user.title, user.department, user.is_active = chosen, title.strip(), department, is_active
    user.save(update_fields=["roles", "title", "department", "is_active"])
    if changes:
        organisation_event_record(municipality, action="user.updated", target=user, by=by, changes=changes)
    return user


@transaction.atomic
def mandate_period_create(
    municipality: Municipality, *, name: str, starts_on: date, ends_on: date, by: User | None
) -> MandatePeriod:
    if ends_on <= starts_on:
        raise CaseError(_("Mandatperioden måste sluta efter att den börjar."))
    if MandatePeriod.objects.filter(municipality=municipality, name__iexact=name.strip()).exists():
        raise CaseError(_("Det finns redan en mandatperiod som heter %(name)s.") % {"name": name})
    period = MandatePeriod.objects.create(
        municipality=municipality, name=name.strip(), starts_on=starts_on, ends_on=ends_on
    )
    organisation_event_record(
        municipality,
        action="mandate_period.created",
        target=period,
        by=by,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
    )
    return period
