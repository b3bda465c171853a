"""The organisation's use cases: the same functions serve the demo loader and the administrator."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, InternalError, transaction

from cases.models import BodyKind, OrganisationEvent, SeatRole
from cases.services import CaseError, body_create, department_create, membership_create, person_create, user_create


def test_a_body_is_created_and_the_change_is_logged(ale):
    with ale.scope():
        body = body_create(
            ale.municipality,
            name="Miljö- och byggnadsnämnden",
            short_name="MBN",
            kind=BodyKind.COMMITTEE,
            diarium_series="mbn",
            by=ale.secretary,
        )
        assert body.diarium_series == "MBN"
        event = OrganisationEvent.objects.get(action="body.created")
        assert (event.actor, event.target, event.data["short_name"]) == (
            ale.secretary,
            "Miljö- och byggnadsnämnden",
            "MBN",
        )


def test_it_refuses_a_second_body_with_the_same_short_name(ale):
    with ale.scope(), pytest.raises(CaseError, match="redan ett organ med förkortningen ks"):
        body_create(
            ale.municipality,
            name="Kommunstyrelsen 2",
            short_name="ks",
            kind=BodyKind.BOARD,
            diarium_series="KS",
            by=None,
        )


def test_it_refuses_a_parent_body_of_another_municipality(ale, alingsas):
    with ale.scope(), pytest.raises(CaseError, match="hör inte till Ale kommun"):
        body_create(
            ale.municipality,
            name="Ett utskott",
            short_name="UT",
            kind=BodyKind.COMMITTEE_OF_BOARD,
            diarium_series="KS",
            parent=alingsas.ks,
            by=None,
        )


def test_a_department_serves_only_its_own_municipalitys_bodies(ale, alingsas):
    with ale.scope():
        with pytest.raises(CaseError):
            department_create(ale.municipality, name="Sektor X", bodies=[alingsas.un], by=None)
        department = department_create(ale.municipality, name="Sektor X", bodies=[ale.un], by=None)
        assert list(department.bodies.all()) == [ale.un]


def test_a_user_gets_only_known_roles_and_a_free_username(ale):
    with ale.scope():
        with pytest.raises(CaseError, match="Okänd roll: superuser"):
            user_create(
                ale.municipality, username="ny", first_name="N", last_name="Y", email="", roles=["superuser"], by=None
            )
        with pytest.raises(CaseError, match="upptaget"):
            user_create(
                ale.municipality,
                username=ale.official.username,
                first_name="N",
                last_name="Y",
                email="",
                roles=[],
                by=None,
            )
        user = user_create(
            ale.municipality,
            username="ny",
            first_name="Ny",
            last_name="Person",
            email="",
            roles=["handlaggare"],
            by=None,
        )
        assert user.municipality == ale.municipality and user.roles == ["handlaggare"] and not user.is_staff


def test_one_person_holds_one_seat_in_a_body_at_a_time_but_may_sit_in_several_bodies(ale):
    with ale.scope():
        person = person_create(ale.municipality, first_name="Eva", last_name="Ledamot", by=None)
        membership_create(
            person, body=ale.un, role=SeatRole.MEMBER, party="S", starts_on=date(2023, 1, 1), ends_on=None, by=None
        )
        with pytest.raises(CaseError, match="redan ett uppdrag i Utbildningsnämnden"):
            membership_create(person, body=ale.un, role=SeatRole.DEPUTY, party="S", starts_on=date(2024, 1, 1), by=None)
        membership_create(person, body=ale.sn, role=SeatRole.DEPUTY, party="S", starts_on=date(2024, 1, 1), by=None)
        with pytest.raises(CaseError, match="kan inte sluta innan"):
            membership_create(
                person,
                body=ale.ks,
                role=SeatRole.MEMBER,
                party="S",
                starts_on=date(2024, 1, 1),
                ends_on=date(2023, 1, 1),
                by=None,
            )
        assert person.memberships.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_organisation_log_is_append_only(ale):
    with ale.scope():
        person_create(ale.municipality, first_name="Eva", last_name="Ledamot", by=ale.secretary)
        event = OrganisationEvent.objects.get()
        with pytest.raises((InternalError, IntegrityError), match="append-only"), transaction.atomic():
            OrganisationEvent.objects.filter(pk=event.pk).update(target="något annat")
        with pytest.raises((InternalError, IntegrityError), match="append-only"), transaction.atomic():
            OrganisationEvent.objects.filter(pk=event.pk).delete()
        assert OrganisationEvent.objects.get().target == "Eva Ledamot"
