"""Diarienummer are allocated per municipality, series and year, without gaps or duplicates."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, transaction
from django_scopes import scope, scopes_disabled

from cases import services
from cases.models import Case, DiariumCounter

from .conftest import _make_town


def register(town, title="Budget", body=None, on=date(2017, 12, 13)):
    return services.case_register(
        municipality=town.municipality, title=title, body=body or town.ks, by=town.registrar, registered_on=on
    )


def test_it_numbers_cases_in_sequence_and_renders_the_municipality_format(ale, alingsas):
    with ale.scope():
        first, second = register(ale), register(ale)
        social = register(ale, body=ale.sn)
    with alingsas.scope():
        other = register(alingsas)
    assert (first.number, second.number, social.number) == (1, 2, 1)
    assert first.diarienummer == "KS.2017.1"
    assert social.diarienummer == "SN.2017.1"
    assert other.diarienummer == "KS 2017/1"


def test_a_new_year_starts_a_new_series(ale):
    with ale.scope():
        register(ale, on=date(2017, 12, 31))
        case = register(ale, on=date(2018, 1, 2))
    assert case.diarienummer == "KS.2018.1"


def test_a_rolled_back_registration_gives_its_number_back(ale):
    with ale.scope():
        register(ale)
        with pytest.raises(RuntimeError), transaction.atomic():
            register(ale)
            raise RuntimeError("the registration fails after the number was taken")
        case = register(ale)
    assert case.number == 2


def test_an_imported_case_keeps_its_number_and_the_series_continues_after_it(ale):
    with ale.scope():
        imported = services.case_import(
            municipality=ale.municipality,
            series="KS",
            year=2017,
            number=407,
            title="Integrationsplan",
            body=ale.ks,
            by=ale.registrar,
            registered_on=date(2017, 9, 1),
        )
        following = register(ale)
    assert imported.diarienummer == "KS.2017.407"
    assert following.diarienummer == "KS.2017.408"


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_get_distinct_consecutive_numbers():
    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    workers, per_worker = 8, 5
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work():
        try:
            barrier.wait()
            for _ in range(per_worker):
                with scope(municipality=town.municipality):
                    register(town)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with scopes_disabled():
        numbers = sorted(Case.objects.values_list("number", flat=True))
        counter = DiariumCounter.objects.get(series="KS", year=2017)
    assert numbers == list(range(1, workers * per_worker + 1))
    assert counter.last_number == workers * per_worker


@pytest.mark.django_db(transaction=True)
def test_a_registration_that_fails_while_another_waits_leaves_no_gap():
    """One transaction takes a number and holds it; a second waits on the lock; the first rolls back."""
    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    first_has_number = threading.Event()
    release_first = threading.Event()
    results: dict[str, int] = {}

    def first():
        try:
            with scope(municipality=town.municipality), transaction.atomic():
                register(town)
                first_has_number.set()
                release_first.wait(5)
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
        finally:
            connection.close()

    def second():
        first_has_number.wait(5)
        try:
            with scope(municipality=town.municipality):
                results["second"] = register(town).number
        finally:
            connection.close()

    t1, t2 = threading.Thread(target=first), threading.Thread(target=second)
    t1.start()
    t2.start()
    first_has_number.wait(5)
    release_first.set()
    t1.join()
    t2.join()
    assert results["second"] == 1
