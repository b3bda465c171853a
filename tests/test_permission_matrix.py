"""Role × URL → status, as pretix tests its permissions. 404 hides what a user may not see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .helpers import register_case, register_document

ROLES = ["anonymous", "official", "registrar", "secretary", "head", "politician", "outsider", "no_role"]

# url name -> expected status per role, in the order of ROLES (302 = sent to sign in)
# fmt: off
MATRIX = {
    #                     anon  official registrar secretary head politician outsider no_role
    "mine":              (302,  200,     200,      200,      200, 200,       200,     403),
    "diarium":           (302,  200,     200,      200,      200, 200,       200,     403),
    "register":          (302,  403,     200,      403,      403, 403,       200,     403),
    "detail":            (302,  200,     200,      200,      200, 200,       404,     403),
    "document-register": (302,  200,     200,      404,      404, 404,       404,     403),
    "document-file":     (302,  200,     200,      200,      200, 200,       404,     403),
    "secret-file":       (302,  200,     200,      404,      404, 404,       404,     403),
    "motions":           (302,  200,     200,      200,      200, 200,       200,     403),
}
# fmt: on


@pytest.fixture
def world(ale, alingsas, pdf_upload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import UserFactory

    case = register_case(ale, handler=ale.official)
    public = register_document(ale, case, upload=pdf_upload)
    secret = register_document(ale, case, secret=True, upload=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n"))
    users = {
        "official": ale.official,
        "registrar": ale.registrar,
        "secretary": ale.secretary,
        "head": ale.head,
        "politician": ale.politician,
        "outsider": alingsas.registrar,
        "no_role": UserFactory(municipality=ale.municipality, roles=[]),
    }
    urls = {
        "mine": reverse("cases:mine"),
        "diarium": reverse("cases:diarium"),
        "register": reverse("cases:register"),
        "detail": reverse("cases:detail", args=[case.ref]),
        "document-register": reverse("cases:document-register", args=[case.ref]),
        "document-file": reverse("cases:document-file", args=[case.ref, public.uuid]),
        "secret-file": reverse("cases:document-file", args=[case.ref, secret.uuid]),
        "motions": reverse("motions:list"),
    }
    return users, urls


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(MATRIX))
def test_matrix(client, world, role, name):
    users, urls = world
    if role != "anonymous":
        client.force_login(users[role])
    assert client.get(urls[name]).status_code == MATRIX[name][ROLES.index(role)]
