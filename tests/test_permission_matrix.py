"""Role × URL → status, as pretix tests its permissions. 404 hides what a user may not see."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

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
    "motion-detail":     (302,  200,     200,      200,      200, 200,       404,     403),
    "motion-register":   (302,  403,     200,      403,      403, 403,       200,     403),
    "meetings":          (302,  200,     200,      200,      200, 200,       200,     403),
    "meeting-detail":    (302,  200,     200,      200,      200, 200,       404,     403),
    "meeting-item":      (302,  404,     404,      200,      404, 404,       404,     403),
    "meeting-sign":      (302,  200,     200,      200,      200, 200,       404,     403),
}

# POSTs of the one-view-per-action URLs (an empty body: the permission check comes first, so the
# allowed roles get past it to a redirect with a message, everyone else 404).
POST_MATRIX = {
    #                     anon  official registrar secretary head politician outsider no_role
    "meeting-call":      (302,  404,     404,      302,      404, 404,       404,     403),
    "meeting-close":     (302,  404,     404,      302,      404, 404,       404,     403),
    "meeting-approve":   (302,  404,     404,      404,      404, 404,       404,     403),
    "meeting-item-save": (302,  404,     404,      200,      404, 404,       404,     403),
    "motion-refer":      (302,  404,     302,      302,      404, 404,       404,     403),
    "motion-decide":     (302,  404,     302,      302,      404, 404,       404,     403),
}
# fmt: on


@pytest.fixture
def world(ale, alingsas, pdf_upload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import UserFactory

    case = register_case(ale, handler=ale.official)
    public = register_document(ale, case, upload=pdf_upload)
    secret = register_document(ale, case, secret=True, upload=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n"))
    with ale.scope():
        from meetings import services as meeting_services
        from motions import services as motion_services

        from .test_motions import kf_member

        meeting = meeting_services.meeting_create(
            body=ale.un, starts_at=timezone.now() + timedelta(days=30), place="Sal A", by=ale.secretary
        )
        item = meeting.items.first()
    member = kf_member(ale, "Anna", "Andersson", "S")
    with ale.scope():
        motion = motion_services.motion_register(
            municipality=ale.municipality,
            title="Motion om bänkar",
            movers=[member],
            att_satser=["kommunen ställer ut bänkar"],
            raised_in=ale.kf,
            raised_on=date(2017, 11, 29),
            raised_paragraph=None,
            by=ale.registrar,
        )
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
        "motion-detail": reverse("motions:detail", args=[motion.case.ref]),
        "motion-register": reverse("motions:register"),
        "meetings": reverse("meetings:list"),
        "meeting-detail": reverse("meetings:detail", args=[meeting.uuid]),
        "meeting-item": reverse("meetings:item", args=[meeting.uuid, item.uuid]),
        "meeting-sign": reverse("meetings:sign", args=[meeting.uuid]),
        "meeting-call": reverse("meetings:call", args=[meeting.uuid]),
        "meeting-close": reverse("meetings:close", args=[meeting.uuid]),
        "meeting-approve": reverse("meetings:approve", args=[meeting.uuid]),
        "meeting-item-save": reverse("meetings:item-save", args=[meeting.uuid, item.uuid]),
        "motion-refer": reverse("motions:refer", args=[motion.case.ref]),
        "motion-decide": reverse("motions:decide", args=[motion.case.ref]),
    }
    return users, urls


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(MATRIX))
def test_matrix(client, world, role, name):
    users, urls = world
    if role != "anonymous":
        client.force_login(users[role])
    assert client.get(urls[name]).status_code == MATRIX[name][ROLES.index(role)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(POST_MATRIX))
def test_post_matrix(client, world, role, name):
    users, urls = world
    if role != "anonymous":
        client.force_login(users[role])
    assert client.post(urls[name]).status_code == POST_MATRIX[name][ROLES.index(role)]
