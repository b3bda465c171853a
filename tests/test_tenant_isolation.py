"""A user of one municipality never sees, guesses or counts another's data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import ScopeError, scope

from cases.models import Case, Document

from .helpers import register_case, register_document


def test_a_query_without_a_scope_is_refused(ale):
    register_case(ale)
    with pytest.raises(ScopeError):
        list(Case.objects.all())


def test_a_scope_of_none_is_refused_rather_than_read_as_all(ale):
    register_case(ale)
    with scope(municipality=None), pytest.raises(ScopeError):
        Case.objects.count()


def test_the_scope_shows_only_the_municipalitys_own_rows(ale, alingsas):
    register_case(ale, title="Ärende i Ale")
    register_case(alingsas, title="Ärende i Alingsås")
    with ale.scope():
        assert list(Case.objects.values_list("title", flat=True)) == ["Ärende i Ale"]


def test_another_municipalitys_case_answers_404(client, ale, outsider):
    case = register_case(ale)
    client.force_login(outsider)
    assert client.get(reverse("cases:detail", args=[case.ref])).status_code == 404
    assert client.get(reverse("cases:document-register", args=[case.ref])).status_code == 404


def test_another_municipalitys_file_answers_404(client, ale, outsider, pdf_upload):
    case = register_case(ale)
    document = register_document(ale, case, upload=pdf_upload)
    client.force_login(outsider)
    url = reverse("cases:document-file", args=[case.ref, document.uuid])
    assert client.get(url).status_code == 404


def test_the_diarium_list_neither_shows_nor_counts_another_municipalitys_cases(client, ale, alingsas, outsider):
    for n in range(3):
        register_case(ale, title=f"Hemligt Aleärende {n}")
    client.force_login(outsider)
    response = client.get(reverse("cases:diarium"))
    assert response.status_code == 200
    assert "Aleärende" not in response.content.decode()
    assert response.context["page"].total == 0
    response = client.get(reverse("cases:diarium"), {"q": "Aleärende"})
    assert response.context["page"].total == 0


def test_a_same_numbered_case_in_the_other_municipality_is_not_reachable_by_ref(client, ale, alingsas):
    ale_case = register_case(ale, title="Ales ärende")
    alingsas_case = register_case(alingsas, title="Alingsås ärende")
    assert ale_case.ref == alingsas_case.ref
    client.force_login(alingsas.official)
    response = client.get(reverse("cases:detail", args=[ale_case.ref]))
    assert "Alingsås ärende" in response.content.decode()
    assert "Ales ärende" not in response.content.decode()


def test_documents_are_scoped_too(ale, alingsas):
    case = register_case(ale)
    register_document(ale, case)
    with alingsas.scope():
        assert Document.objects.count() == 0
