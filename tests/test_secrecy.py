"""A sekretessbelagd handling is listed with its sensitive fields masked; only those granted open it."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse

from cases import services
from cases.models import Document

from .helpers import register_case, register_document


def test_a_secret_document_is_listed_but_masked_for_someone_not_granted(client, ale):
    case = register_case(ale)
    register_document(ale, case, secret=True, description="Ansökan om ekonomiskt bistånd")
    client.force_login(ale.politician)
    page = client.get(reverse("cases:detail", args=[case.ref])).content.decode()
    assert "Ansökan om ekonomiskt bistånd" not in page
    assert "Enskild person" not in page
    assert "OSL 26 kap. 1 §" in page
    assert "Sekretess" in page


def test_the_registrar_who_registered_it_and_the_handler_can_read_it(client, ale):
    case = register_case(ale, handler=ale.official)
    register_document(ale, case, secret=True, description="Ansökan om ekonomiskt bistånd")
    for user in (ale.registrar, ale.official):
        client.force_login(user)
        page = client.get(reverse("cases:detail", args=[case.ref])).content.decode()
        assert "Ansökan om ekonomiskt bistånd" in page, user


def test_a_grant_opens_the_document_and_a_revocation_closes_it_again(client, ale, pdf_upload):
    case = register_case(ale)
    document = register_document(ale, case, secret=True, upload=pdf_upload)
    url = reverse("cases:document-file", args=[case.ref, document.uuid])
    client.force_login(ale.head)
    assert client.get(url).status_code == 404

    with ale.scope():
        services.document_grant_secret_access(document, user=ale.head, by=ale.registrar)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    with ale.scope():
        services.document_revoke_secret_access(document, user=ale.head, by=ale.registrar)
    assert client.get(url).status_code == 404


def test_access_cannot_be_granted_to_a_user_of_another_municipality(ale, alingsas):
    case = register_case(ale)
    document = register_document(ale, case, secret=True)
    with ale.scope():
        try:
            services.document_grant_secret_access(document, user=alingsas.head, by=ale.registrar)
        except services.CaseError as error:
            assert "kommun" in str(error)
        else:
            raise AssertionError("a grant across municipalities was accepted")


def test_grants_and_revocations_are_on_the_timeline(ale):
    case = register_case(ale)
    document = register_document(ale, case, secret=True)
    with ale.scope():
        services.document_grant_secret_access(document, user=ale.head, by=ale.registrar)
        actions = list(case.events.values_list("action", flat=True))
    assert actions.count("document.secret_access_granted") == 2  # the registrar at registration, then the head
    assert "document.registered" in actions


def test_the_database_refuses_a_secrecy_marking_without_date_and_authority(ale):
    case = register_case(ale)
    document = register_document(ale, case)
    with ale.scope():
        document.secrecy_provision = "OSL 26 kap. 1 §"
        try:
            with transaction.atomic():
                document.save(update_fields=["secrecy_provision"])
        except IntegrityError:
            pass
        else:
            raise AssertionError("an incomplete secrecy marking was stored")
        assert Document.objects.get(pk=document.pk).secrecy_provision == ""


def test_listing_many_secret_documents_costs_a_constant_number_of_queries(
    client, ale, settings, django_assert_max_num_queries
):
    settings.KEPT_PAGES = False  # the render's queries, each time (a kept page: tests/test_kept_pages.py)
    case = register_case(ale)
    for _ in range(2):
        register_document(ale, case, secret=True)
    client.force_login(ale.head)
    url = reverse("cases:detail", args=[case.ref])
    client.get(url)  # the handläggare list is kept in the cache from the first view on (test_user_options.py)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(10):
        register_document(ale, case, secret=True)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
