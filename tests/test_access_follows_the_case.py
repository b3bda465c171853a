"""Access to a case's secret handlingar follows the case: reassigning it moves the access, logged."""

from __future__ import annotations

from django.urls import reverse

from cases import services
from cases.models import CaseEvent, Role

from .factories import UserFactory
from .helpers import register_case, register_document


def _can_open(client, user, case, document) -> bool:
    client.force_login(user)
    return client.get(reverse("cases:document-file", args=[case.ref, document.uuid])).status_code == 200


def test_reassigning_a_case_moves_the_secret_access_to_the_new_handler(client, ale, pdf_upload):
    first = ale.official
    second = UserFactory(username="ale.ny", municipality=ale.municipality, roles=[Role.OFFICIAL])
    case = register_case(ale, handler=first)
    document = register_document(ale, case, secret=True, upload=pdf_upload, description="Ansökan om bistånd")
    assert _can_open(client, first, case, document)
    assert not _can_open(client, second, case, document)

    with ale.scope():
        services.case_assign_handler(case, handler=second, by=ale.head)

    assert _can_open(client, second, case, document)
    assert not _can_open(client, first, case, document)  # before: the old handläggare kept reading
    page = client.get(reverse("cases:detail", args=[case.ref])).content.decode()
    assert "Ansökan om bistånd" not in page  # masked for the old handläggare on the case page too
    with ale.scope():
        moved = CaseEvent.objects.get(case=case, action="case.secret_access_moved")
    assert moved.actor == ale.head and moved.data["previous"] == str(first) and moved.data["name"] == str(second)
    client.force_login(ale.registrar)
    timeline = client.get(reverse("cases:detail", args=[case.ref])).content.decode()
    assert "sekretessbelagda handlingar följde ärendet till" in timeline


def test_an_explicit_grant_the_old_handler_held_is_taken_back_too(client, ale, pdf_upload):
    case = register_case(ale, handler=ale.official)
    document = register_document(ale, case, secret=True, upload=pdf_upload)
    with ale.scope():
        services.document_grant_secret_access(document, user=ale.official, by=ale.registrar)
        services.case_assign_handler(case, handler=ale.head, by=ale.registrar)
    assert not _can_open(client, ale.official, case, document)
    assert _can_open(client, ale.head, case, document)
    assert _can_open(client, ale.registrar, case, document)  # the registrar's own grant stays


def test_a_case_without_secret_handlingar_logs_no_access_move(ale):
    case = register_case(ale, handler=ale.official)
    register_document(ale, case)
    with ale.scope():
        services.case_assign_handler(case, handler=ale.head, by=ale.registrar)
        assert not CaseEvent.objects.filter(case=case, action="case.secret_access_moved").exists()
