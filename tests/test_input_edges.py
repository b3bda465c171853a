"""Input at the edges: impossible dates, NUL and control characters, decomposed Unicode and
oversized posts get a clear Swedish answer (never a 500, never a connection reset), and the
rules live in the services so a command gets the same answer as the form."""

from __future__ import annotations

import importlib
import unicodedata
from datetime import date, timedelta

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from cases import services, workdays
from cases.models import Case, Direction, Document, Remiss
from cases.validation import clean_text

from .helpers import register_case

OUT_OF_RANGE = "Ange ett datum mellan 1900-01-01 och 2100-12-31."
NFC = "förskola"
NFD = unicodedata.normalize("NFD", NFC)


def test_the_two_spellings_of_forskola_really_differ():
    assert NFD != NFC and len(NFD) == len(NFC) + 1


@pytest.fixture
def case(ale):
    return register_case(ale, handler=ale.official)


def register(client, town, **overrides):
    data = {
        "title": "Integrationsplan för Ale kommun 2018-2021",
        "body": town.ks.pk,
        "registered_on": timezone.localdate().isoformat(),
        **overrides,
    }
    return client.post(reverse("cases:register"), data)


def case_titles():
    with scopes_disabled():
        return list(Case.objects.values_list("title", flat=True))


# Dates


@pytest.mark.parametrize("deadline", ["9999-12-31", "2101-01-03", "1899-12-29"])
def test_a_remiss_deadline_outside_1900_2100_is_refused_in_swedish(client, ale, case, deadline):
    client.force_login(ale.secretary)
    data = {"from_body": ale.ksau.pk, "to_bodies": [ale.sn.pk], "deadline": deadline, "cover_note": ""}
    response = client.post(reverse("cases:remiss-send", args=[case.ref]), data)
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    with scopes_disabled():
        assert Remiss.objects.count() == 0


def test_the_date_inputs_carry_the_bounds(client, ale, case):
    client.force_login(ale.secretary)
    html = client.get(reverse("cases:remiss-send", args=[case.ref])).content.decode()
    assert 'min="1900-01-01"' in html and 'max="2100-12-31"' in html


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31"])
def test_a_document_date_before_1900_is_refused(client, ale, case, day):
    client.force_login(ale.registrar)
    data = {"direction": "internal", "document_date": day, "description": "Tjänsteutlåtande"}
    response = client.post(reverse("cases:document-register", args=[case.ref]), data)
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    with scopes_disabled():
        assert Document.objects.count() == 0


def test_a_registration_date_of_year_1_is_refused(client, ale):
    client.force_login(ale.registrar)
    response = register(client, ale, registered_on="0001-01-01")
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert case_titles() == []


def test_1900_01_01_is_still_a_date(client, ale, case):
    client.force_login(ale.registrar)
    data = {"direction": "internal", "document_date": "1900-01-01", "description": "Gammal karta"}
    response = client.post(reverse("cases:document-register", args=[case.ref]), data)
    assert response.status_code == 302
    with scopes_disabled():
        assert Document.objects.get().document_date == date(1900, 1, 1)


# The rules are the services': a command gets the same answers as the form.


def test_the_service_refuses_a_short_title_with_the_forms_message(ale):
    with ale.scope(), pytest.raises(services.CaseError, match="Ärendemeningen är för kort"):
        services.case_register(municipality=ale.municipality, title=" ab\x00 ", body=ale.ks, by=ale.registrar)


def test_the_service_refuses_a_future_or_impossible_registration_date(ale):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with ale.scope():
        with pytest.raises(services.CaseError, match="Registreringsdatumet kan inte ligga i framtiden."):
            services.case_register(
                municipality=ale.municipality, title="Bygglov", body=ale.ks, by=ale.registrar, registered_on=tomorrow
            )
        with pytest.raises(services.CaseError, match="1900-01-01 och 2100-12-31"):
            services.case_register(
                municipality=ale.municipality,
                title="Bygglov",
                body=ale.ks,
                by=ale.registrar,
                registered_on=date(1, 1, 1),
            )
    assert case_titles() == []


def test_the_service_refuses_a_document_date_of_year_1(ale, case):
    with ale.scope(), pytest.raises(services.CaseError, match="1900-01-01 och 2100-12-31"):
        services.document_register(
            case, direction=Direction.INTERNAL, document_date=date(1, 1, 1), description="Karta", by=ale.registrar
        )


# Text


def test_a_nul_byte_in_a_title_is_stripped_not_a_500(client, ale):
    client.force_login(ale.registrar)
    response = register(client, ale, title="Bygglov\x00 för\x1b[31m skola")
    assert response.status_code == 302
    assert case_titles() == ["Bygglov för[31m skola"]


def test_a_nul_byte_in_a_search_is_no_500(client, ale, case):
    client.force_login(ale.official)
    response = client.get(reverse("cases:diarium"), {"q": "Integration\x00splan"})
    assert response.status_code == 200
    assert [row.title for row in response.context["page"].rows] == [case.title]


def test_tabs_and_line_breaks_survive_while_other_controls_go():
    assert clean_text("a\tb\r\nc\x00d\x07e\x7ff\x85g") == "a\tb\r\ncdefg"


def test_the_service_cleans_text_given_by_a_command(ale, case):
    with ale.scope():
        document = services.document_register(
            case,
            direction=Direction.INCOMING,
            document_date=date(2017, 12, 13),
            counterpart=f"Ale {NFD}\x00",
            description=f"Ansökan om plats i {NFD}\nbilaga",
            by=ale.registrar,
        )
    assert document.counterpart == f"Ale {NFC}"
    assert document.description == f"Ansökan om plats i {NFC}\nbilaga"


def test_a_title_pasted_decomposed_is_found_by_a_search_typed_composed(client, ale):
    client.force_login(ale.registrar)
    assert register(client, ale, title=f"Platser i {NFD} på Nödinge").status_code == 302
    assert case_titles() == [f"Platser i {NFC} på Nödinge"]
    client.force_login(ale.official)
    for query in (NFC, NFD, "nödinge"):
        response = client.get(reverse("cases:diarium"), {"q": query})
        assert [row.title for row in response.context["page"].rows] == [f"Platser i {NFC} på Nödinge"], query


def test_the_migration_brings_earlier_rows_to_nfc(ale, case):
    """Rows written before the cleaning (raw SQL here) are normalised by migration 0004."""
    with ale.scope():
        document = services.document_register(
            case, direction=Direction.INTERNAL, document_date=date(2017, 12, 13), description="x", by=ale.registrar
        )
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET title = %s WHERE id = %s", [f"Plan för {NFD}\x07", case.pk])
        cursor.execute(
            "UPDATE cases_document SET description = %s, counterpart = %s WHERE id = %s",
            [f"{NFD}\tlista", f"Ale {NFD}", document.pk],
        )

    def found() -> int:
        return Case.objects.filter(search_vector=SearchQuery(NFC, config="swedish")).count()

    with scopes_disabled():
        assert found() == 0, "the decomposed title is not found before the migration"
        migration = importlib.import_module("cases.migrations.0006_text_nfc")
        with connection.cursor() as cursor:
            for statement in migration.statements():
                cursor.execute(statement)
        case.refresh_from_db()
        document.refresh_from_db()
        assert case.title == f"Plan för {NFC}"
        assert document.description == f"{NFC}\tlista"
        assert document.counterpart == f"Ale {NFC}"
        assert found() == 1


# Size


def test_a_post_over_5_mb_is_answered_in_swedish(client, ale, case, settings):
    client.force_login(ale.registrar)
    data = {"direction": "internal", "document_date": "2017-12-13", "description": "x" * (6 * 1024 * 1024)}
    response = client.post(reverse("cases:document-register", args=[case.ref]), data)  # multipart
    assert response.status_code == 413
    html = response.content.decode()
    assert "Det du skickade var för stort" in html
    assert "högst 5 MB formulärdata" in html
    with scopes_disabled():
        assert Document.objects.count() == 0


def test_a_good_deadline_still_works(client, ale, case):
    client.force_login(ale.secretary)
    deadline = workdays.next_working_day(date.today() + timedelta(days=30))
    data = {"from_body": ale.ksau.pk, "to_bodies": [ale.sn.pk], "deadline": deadline.isoformat(), "cover_note": ""}
    assert client.post(reverse("cases:remiss-send", args=[case.ref]), data).status_code == 302


def test_a_password_is_passed_on_as_typed(client, ale):
    """Normalising passwords would lock out a user whose password was set in decomposed form."""
    ale.official.set_password(f"{NFD}-2017-losen")
    ale.official.save()
    response = client.post(reverse("login"), {"username": ale.official.username, "password": f"{NFD}-2017-losen"})
    assert response.status_code == 302


def test_an_over_long_title_is_refused_in_swedish_by_the_form_and_the_service(client, ale):
    from cases.services import CaseError, case_register

    client.force_login(ale.registrar)
    response = client.post(
        reverse("cases:register"), {"title": "Motion om " + "x" * 300, "body": ale.ks.pk, "registered_on": ""}
    )
    assert response.status_code == 200 and "som mest 255 tecken" in response.content.decode()
    with ale.scope(), pytest.raises(CaseError, match="högst 255 tecken; den är 310"):
        case_register(municipality=ale.municipality, title="Motion om " + "x" * 300, body=ale.ks, by=ale.registrar)


@pytest.mark.parametrize("holiday", ["06-06", "12-24", "12-31"])
def test_a_remiss_deadline_on_a_holiday_is_refused_with_the_next_working_day(client, ale, case, holiday):
    deadline = date.fromisoformat(f"{date.today().year + 1}-{holiday}")
    client.force_login(ale.secretary)
    response = client.post(
        reverse("cases:remiss-send", args=[case.ref]),
        {"from_body": ale.ksau.pk, "to_bodies": [ale.sn.pk], "deadline": deadline.isoformat()},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Svarsdatumet måste vara en arbetsdag" in html
    assert "Närmaste arbetsdag är" in html
