"""The revisor's audit log: their municipality's rows only (404 for everyone else and for another
municipality's row), filters by who, what and dates, pages by the index, and a neutralised CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from audit.context import Actor, acting
from audit.models import AuditEntry
from cases.models import Role

from .factories import UserFactory
from .helpers import register_case

LOG = reverse("audit:log")
EXPORT = reverse("audit:export")


@pytest.fixture
def revisor(ale):
    return UserFactory(username="ale.revisor", municipality=ale.municipality, roles=[Role.AUDITOR])


@pytest.fixture
def other_revisor(alingsas):
    return UserFactory(username="alingsas.revisor", municipality=alingsas.municipality, roles=[Role.AUDITOR])


def rows_of(response) -> list[AuditEntry]:
    return [entry for entry, _who, _what in response.context["rows"]]


def export_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def first_row(town) -> AuditEntry:
    with scopes_disabled():
        return AuditEntry.objects.filter(municipality=town.municipality).order_by("id").first()


def test_a_revisor_sees_only_their_own_municipality_s_rows(client, ale, alingsas, revisor, other_revisor):
    register_case(ale)
    register_case(alingsas)
    client.force_login(revisor)
    response = client.get(LOG)
    assert response.status_code == 200
    rows = rows_of(response)
    assert len(rows) > 10
    assert {e.municipality_id for e in rows} == {ale.municipality.pk}
    everything = export_rows(client.get(EXPORT))
    with scopes_disabled():
        ale_count = AuditEntry.objects.filter(municipality=ale.municipality).count()
    assert len(everything) - 1 == ale_count
    assert "Alingsås kommun" not in str(everything) and "alingsas.registrar" not in str(everything)
    # Another municipality's row is not found; the revisor's own is.
    assert client.get(reverse("audit:entry", args=[first_row(alingsas).pk])).status_code == 404
    own = client.get(reverse("audit:entry", args=[first_row(ale).pk]))
    assert own.status_code == 200 and "Ale kommun" in own.content.decode()
    client.force_login(other_revisor)
    assert client.get(reverse("audit:entry", args=[first_row(ale).pk])).status_code == 404
    assert {e.municipality_id for e in rows_of(client.get(LOG))} == {alingsas.municipality.pk}


def test_only_a_revisor_reaches_the_pages_everyone_else_gets_404(client, ale, alingsas):
    admin = UserFactory(username="ale.admin", municipality=ale.municipality, roles=[Role.ADMIN])
    entry_url = reverse("audit:entry", args=[first_row(ale).pk])
    for url in (LOG, EXPORT, entry_url):
        assert client.get(url).status_code == 302  # anonymous: to the sign-in page
        for user in (ale.official, ale.registrar, ale.head, ale.politician, admin, alingsas.registrar):
            client.force_login(user)
            assert client.get(url).status_code == 404, (url, user)
        client.logout()


def test_the_pages_answer_get_only(client, revisor, ale):
    client.force_login(revisor)
    for url in (LOG, EXPORT, reverse("audit:entry", args=[first_row(ale).pk])):
        assert client.post(url).status_code == 405


def test_signing_in_a_revisor_lands_on_the_log(client, revisor):
    client.force_login(revisor)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == LOG
    assert "Granskningslogg" in client.get(LOG).content.decode()


def test_the_log_filters_by_who_what_and_dates(client, ale, revisor):
    with ale.scope(), acting(Actor(user_id=ale.head.pk)):
        register_case(ale, title="Chefens ärende")
    client.force_login(ale.registrar)
    client.post(
        reverse("cases:register"), {"title": "Registratorns ärende", "body": ale.ks.pk, "registered_on": "2017-12-13"}
    )
    client.force_login(revisor)

    by_registrar = rows_of(client.get(LOG, {"who": ale.registrar.pk}))
    assert by_registrar and {e.actor_id for e in by_registrar} == {ale.registrar.pk}
    by_system = rows_of(client.get(LOG, {"who": "system"}))
    assert by_system and {e.actor_id for e in by_system} == {None}

    cases = rows_of(client.get(LOG, {"table": "cases_case"}))
    assert {e.table_name for e in cases} == {"cases_case"}
    assert {e.data["title"] for e in cases} == {"Chefens ärende", "Registratorns ärende"}
    head_cases = rows_of(client.get(LOG, {"table": "cases_case", "who": ale.head.pk, "action": "INSERT"}))
    assert [e.data["title"] for e in head_cases] == ["Chefens ärende"]

    today = timezone.localdate()
    assert rows_of(client.get(LOG, {"table": "cases_case", "start": today, "end": today}))
    assert rows_of(client.get(LOG, {"table": "cases_case", "start": today + timedelta(days=1)})) == []
    assert rows_of(client.get(LOG, {"table": "cases_case", "end": today - timedelta(days=1)})) == []
    wrong = client.get(LOG, {"start": today, "end": today - timedelta(days=1)})
    assert rows_of(wrong) == [] and "Slutdatumet kan inte vara före startdatumet." in wrong.content.decode()

    exported = export_rows(client.get(EXPORT, {"table": "cases_case", "who": ale.head.pk}))
    assert [row[1 + 1] for row in exported[1:]] == [str(ale.head)]
    assert len(exported) == 2


def test_the_export_neutralises_cells_a_spreadsheet_would_run(client, ale, revisor):
    attacker = UserFactory(
        username="ale.attack", municipality=ale.municipality, first_name='=HYPERLINK("http://x")', last_name="A"
    )
    with ale.scope(), acting(Actor(user_id=attacker.pk)):
        register_case(ale, title="=1+1")
    client.force_login(revisor)
    rows = export_rows(client.get(EXPORT, {"who": attacker.pk}))
    assert rows[0][:3] == ["Löpnummer", "Tid", "Vem"]
    assert rows[1][2] == '\'=HYPERLINK("http://x") A'
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_pages_follow_the_index_and_cost_the_same_queries_at_any_size(client, ale, revisor):
    def queries(n_cases: int) -> tuple[int, int]:
        client.force_login(revisor)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LOG, {"table": "cases_case"})
        return len(rows_of(response)), len(captured)

    register_case(ale)
    small_rows, small_queries = queries(1)
    for n in range(60):
        register_case(ale, title=f"Ärende {n}")
    big_rows, big_queries = queries(61)
    assert (small_rows, big_rows) == (1, 50)
    assert small_queries == big_queries

    first = client.get(LOG, {"table": "cases_case"})
    older = first.context["page"].older
    second = rows_of(client.get(LOG, {"table": "cases_case", "fore": older}))
    assert len(second) == 11 and max(e.pk for e in second) < min(e.pk for e in rows_of(first))
    assert client.get(LOG, {"table": "cases_case", "fore": older}).context["page"].older is None
