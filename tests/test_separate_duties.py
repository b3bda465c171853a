"""Roles are separate duties, and the Django admin belongs to platform operators only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.models import Direction, Role
from cases.services import case_register, document_register

from .factories import UserFactory


@pytest.fixture
def admin(ale):
    return UserFactory(username="ale.admin", municipality=ale.municipality, roles=[Role.ADMIN])


def test_the_administrator_holds_no_other_duty(admin):
    for role in (Role.REGISTRAR, Role.OFFICIAL, Role.HEAD, Role.SECRETARY, Role.POLITICIAN):
        assert not admin.has_role(role)
    assert admin.has_role(Role.ADMIN)


def test_the_administrator_cannot_register_a_case_or_open_the_diarium(client, admin):
    client.force_login(admin)
    assert client.get(reverse("cases:register")).status_code == 403
    assert client.get(reverse("cases:diarium")).status_code == 403


def test_signing_in_lands_each_duty_on_its_work(client, ale, admin):
    client.force_login(admin)
    assert client.get(reverse("home"))["Location"] == reverse("administration:overview")
    client.force_login(ale.official)
    assert client.get(reverse("home"))["Location"] == reverse("cases:mine")


def test_staff_status_alone_does_not_open_the_django_admin(client, ale):
    ale.registrar.is_staff = True
    ale.registrar.save()
    client.force_login(ale.registrar)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/admin/cases/user/").status_code == 302


def test_the_django_admin_never_shows_a_secret_handlings_description_or_counterpart(client, ale):
    with ale.scope():
        case = case_register(municipality=ale.municipality, title="Bistånd", body=ale.sn, by=ale.registrar)
        document_register(
            case,
            direction=Direction.INCOMING,
            document_date=case.registered_on,
            counterpart="Karl Karlsson, Storgatan 1",
            description="Ansökan om ekonomiskt bistånd för hyra",
            secrecy_provision="OSL 26 kap. 1 §",
            secrecy_marked_by=ale.sn,
            by=ale.registrar,
        )
    root = UserFactory(username="root", municipality=None, is_superuser=True, is_staff=True)
    client.force_login(root)
    listing = client.get("/admin/cases/document/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "(sekretess)" in page
    assert "Ansökan om ekonomiskt bistånd" not in page and "Karl Karlsson" not in page
    with scopes_disabled():
        from cases.models import Document

        pk = Document.objects.get().pk
    detail = client.get(f"/admin/cases/document/{pk}/change/").content.decode()
    assert "Ansökan om ekonomiskt bistånd" not in detail and "Karl Karlsson" not in detail
