"""The municipal administrator manages their own municipality's organisation in the app."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cases.models import Body, BodyKind, Membership, OrganisationEvent, Person, Role, SeatRole, User

from .factories import UserFactory

ELEVEN_AND_SIX = "namn;parti;roll;från;till;ordning\n" + "\n".join(
    [
        "Anna Ordförande;S;ordförande;2023-01-01;2026-12-31;",
        "Bo Vice;M;1:e vice ordförande;2023-01-01;2026-12-31;",
        "Cecilia Andra;C;2:e vice ordförande;2023-01-01;2026-12-31;",
        *[f"Ledamot Nummer{n};{'SM'[n % 2]};ledamot;2023-01-01;2026-12-31;" for n in range(4, 12)],
        *[f"Ersättare Nummer{n};{'SM'[n % 2]};ersättare;2023-01-01;2026-12-31;{(n + 1) // 2}" for n in range(1, 7)],
    ]
)


@pytest.fixture
def admin(ale) -> User:
    return UserFactory(
        username="ale.admin", municipality=ale.municipality, roles=[Role.ADMIN], first_name="Sara", last_name="Admin"
    )


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def test_the_administrator_sees_the_bodies_and_the_menu_link(admin_client, ale):
    page = admin_client.get(reverse("administration:overview")).content.decode()
    assert "Administration av Ale kommun" in page
    assert "Kommunstyrelsens arbetsutskott" in page
    assert f'href="{reverse("administration:overview")}"' in page


@pytest.mark.parametrize("role", ["registrar", "secretary", "official", "head", "politician"])
def test_no_other_role_reaches_the_administration(client, ale, role):
    client.force_login(getattr(ale, role))
    for url in (
        reverse("administration:overview"),
        reverse("administration:body", args=["KS"]),
        reverse("administration:users"),
        reverse("administration:log"),
    ):
        assert client.get(url).status_code == 404
    assert 'href="/administration/"' not in client.get(reverse("cases:mine")).content.decode()


def test_another_municipalitys_bodies_and_users_are_not_found(admin_client, ale, alingsas):
    with scopes_disabled():
        Body.objects.create(
            municipality=alingsas.municipality,
            name="Barn- och ungdomsnämnden",
            short_name="BUN",
            kind=BodyKind.COMMITTEE,
            diarium_series="BUN",
        )
    assert admin_client.get(reverse("administration:body", args=["BUN"])).status_code == 404
    assert admin_client.get(reverse("administration:seats-import", args=["BUN"])).status_code == 404
    assert admin_client.get(reverse("administration:user", args=[alingsas.registrar.username])).status_code == 404
    response = admin_client.post(
        reverse("administration:user", args=[alingsas.registrar.username]), {"roles": ["admin"], "is_active": "on"}
    )
    assert response.status_code == 404
    alingsas.registrar.refresh_from_db()
    assert alingsas.registrar.roles == [Role.REGISTRAR]
    users_page = admin_client.get(reverse("administration:users")).content.decode()
    assert alingsas.registrar.username not in users_page and ale.registrar.username in users_page


def test_the_administrator_cannot_give_themselves_a_role_or_staff_status(admin_client, admin):
    url = reverse("administration:user", args=[admin.username])
    response = admin_client.post(url, {"roles": ["admin", "chef"], "is_active": "on"})
    assert "Du kan inte ändra dina egna roller" in response.content.decode()
    response = admin_client.post(url, {"roles": ["admin", "superuser"], "is_active": "on", "is_staff": "on"})
    assert response.status_code == 200  # the form refuses an unknown choice
    admin.refresh_from_db()
    assert admin.roles == [Role.ADMIN] and not admin.is_staff and not admin.is_superuser


def test_roles_given_to_a_user_are_logged_with_who_and_what(admin_client, admin, ale):
    url = reverse("administration:user", args=[ale.official.username])
    response = admin_client.post(url, {"roles": ["handlaggare", "chef"], "title": "Enhetschef", "is_active": "on"})
    assert response.status_code == 302
    ale.official.refresh_from_db()
    assert ale.official.roles == ["chef", "handlaggare"] and ale.official.title == "Enhetschef"
    with ale.scope():
        event = OrganisationEvent.objects.get(action="user.updated")
    assert event.actor == admin and event.data["changes"]["roles"] == [["handlaggare"], ["chef", "handlaggare"]]
    log = admin_client.get(reverse("administration:log")).content.decode()
    assert "Kontot Gunilla Handläggare ändrades. (roller: handläggare → chef, handläggare;" in log
    assert "titel: Utvecklingschef → Enhetschef" in log
    assert "user.updated" not in log and "handlaggare" not in log


def test_a_body_is_created_with_secretaries_and_archive_location(admin_client, ale):
    response = admin_client.post(
        reverse("administration:body-new"),
        {
            "name": "Miljö- och byggnadsnämnden",
            "short_name": "MBN",
            "kind": BodyKind.COMMITTEE,
            "diarium_series": "mbn",
            "archive_location": "Sektor samhällsbyggnad, Alafors",
            "secretaries": [ale.secretary.pk],
            "ordering": 50,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    with ale.scope():
        body = Body.objects.get(short_name="MBN")
        assert body.diarium_series == "MBN" and body.archive_location.startswith("Sektor samhällsbyggnad")
        assert list(body.secretaries.all()) == [ale.secretary]
    page = admin_client.get(reverse("administration:body", args=["MBN"])).content.decode()
    assert "Maria Sekreterare" in page and "Sektor samhällsbyggnad, Alafors" in page


def test_a_duplicate_body_is_refused_in_swedish_and_nothing_is_saved(admin_client, ale):
    response = admin_client.post(
        reverse("administration:body-new"),
        {"name": "Ny styrelse", "short_name": "KS", "kind": BodyKind.BOARD, "diarium_series": "KS", "ordering": 1},
    )
    assert "Det finns redan ett organ med förkortningen KS" in response.content.decode()
    with ale.scope():
        assert not Body.objects.filter(name="Ny styrelse").exists()


def test_a_seat_is_added_and_ended_and_an_overlap_refused(admin_client, ale):
    with ale.scope():
        person = Person.objects.create(municipality=ale.municipality, first_name="Eva", last_name="Ek")
    url = reverse("administration:seat-add", args=["SN"])
    seat = {"person": person.pk, "role": SeatRole.MEMBER, "party": "S", "starts_on": "2023-01-01"}
    assert admin_client.post(url, seat).status_code == 302
    response = admin_client.post(url, {**seat, "starts_on": "2024-01-01"}, follow=True)
    assert "Eva Ek har redan ett uppdrag i Socialnämnden" in response.content.decode()
    with ale.scope():
        membership = Membership.objects.get(person=person)
    admin_client.post(reverse("administration:seat-end", args=["SN"]), {"seat": membership.pk, "ends_on": "2024-06-30"})
    membership.refresh_from_db()
    assert membership.ends_on == date(2024, 6, 30)


def _import(client, body, text, *, encoding="utf-8", confirm=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("administration:seats-import", args=[body])
    if confirm:
        return client.post(url, {"text": text, "confirm": "1"})
    return client.post(url, {"file": SimpleUploadedFile("uppdrag.csv", text.encode(encoding), "text/csv")})


def test_eleven_members_and_six_deputies_are_previewed_then_imported_whole(admin_client, ale):
    preview = _import(admin_client, "SN", ELEVEN_AND_SIX)
    page = preview.content.decode()
    assert "17 rader är klara att läsas in." in page and "2:e vice ordförande" in page
    with ale.scope():
        assert not Membership.objects.filter(body=ale.sn).exists()  # the preview saves nothing
    assert _import(admin_client, "SN", ELEVEN_AND_SIX, confirm=True).status_code == 302
    with ale.scope():
        seats = Membership.objects.filter(body=ale.sn)
        assert (
            seats.filter(
                role__in=[SeatRole.CHAIR, SeatRole.VICE_CHAIR, SeatRole.SECOND_VICE_CHAIR, SeatRole.MEMBER]
            ).count()
            == 11
        )
        assert seats.filter(role=SeatRole.DEPUTY).count() == 6
        assert seats.get(person__last_name="Nummer6", role=SeatRole.DEPUTY).deputy_order == 3
        assert OrganisationEvent.objects.filter(action="seats.imported").get().data == {"rows": 17}


def test_a_file_with_errors_lists_them_per_row_and_saves_nothing(admin_client, ale):
    text = "\n".join(
        [
            "namn;parti;roll;från;till",
            "Anna Andersson;S;ledamot;2023-01-01;2026-12-31",
            "Bo;M;ledamot;2023-01-01;",
            "Cecilia Ceder;;talman;2023-13-01;",
            "Dan Dahl;C;ersättare;2023-01-01;2022-12-31",
            "Anna Andersson;S;ersättare;2024-01-01;",
        ]
    )
    page = _import(admin_client, "SN", text).content.decode()
    assert "Filen har 6 fel." in page
    assert "Ange för- och efternamn." in page  # row 3
    assert "Parti saknas." in page and "Rollen ”talman” är okänd" in page and "”2023-13-01” är inte ett datum" in page
    assert "Uppdraget slutar innan det börjar." in page  # row 5
    assert "Samma person står redan på rad 2 för samma tid." in page  # row 6
    assert "Läs in" not in page.split("Granskning")[1]  # no confirm button
    response = _import(admin_client, "SN", text, confirm=True)  # a forged confirm is refused whole
    assert "lästes inte in" in response.content.decode()
    with ale.scope():
        assert not Membership.objects.filter(body=ale.sn).exists()
        assert not Person.objects.filter(last_name="Andersson").exists()


def test_a_header_without_the_columns_is_explained(admin_client):
    page = _import(admin_client, "SN", "förnamn,efternamn\nA,B").content.decode()
    assert "Rubrikraden saknar kolumnerna: namn, parti, roll, från, till." in page


def test_an_excel_file_in_windows_1252_with_commas_is_read(admin_client, ale):
    text = "namn,parti,roll,från,till\nÅsa Öberg,KD,ersättare,2023-01-01,\n"
    assert "1 rad är klar att läsas in." in _import(admin_client, "SN", text, encoding="cp1252").content.decode()


def test_the_body_page_costs_the_same_queries_for_3_and_17_seats(
    admin_client, ale, django_assert_num_queries, django_assert_max_num_queries
):
    from administration.services import seats_import

    url = reverse("administration:body", args=["SN"])
    with ale.scope():
        seats_import(ale.sn, "\n".join(ELEVEN_AND_SIX.splitlines()[:4]), by=ale.registrar)
    with django_assert_max_num_queries(15) as small:
        admin_client.get(url)
    with ale.scope():
        seats_import(ale.un, ELEVEN_AND_SIX, by=ale.registrar)
        Membership.objects.filter(body=ale.un).update(body=ale.sn)
    with django_assert_num_queries(len(small.captured_queries)):
        response = admin_client.get(url)
    assert response.content.decode().count("<tr>") >= 18
