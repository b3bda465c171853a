"""The official's desk (issue 14, point 1): remisser to answer, papers by state, the head's review
list, and inbox items that clear when the task they announce is done."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cases import services as case_services
from cases.models import Direction, Notification, Remiss, RemissStatus
from cases.services.remiss import remiss_route
from papers import services as paper_services
from papers.defaults import install_default_templates

from .factories import CaseFactory
from .helpers import register_case
from .test_papers_services import create, filled, save, submitted

URL = reverse("cases:mine")


@pytest.fixture
def case(ale):
    with ale.scope():
        install_default_templates(ale.municipality)
    return register_case(ale, handler=ale.official)


def unread(user, prefix):
    with scopes_disabled():
        return Notification.objects.filter(recipient=user, key__startswith=prefix, read_at=None).count()


def test_my_papers_are_listed_by_state_with_the_reviewers_comment(client, ale, case):
    draft = create(ale, case)
    returned = submitted(ale, case)
    with ale.scope():
        paper_services.draft_return(returned, comment="Komplettera ekonomiavsnittet.", by=ale.head)
    waiting = submitted(ale, case)
    client.force_login(ale.official)
    page = client.get(URL).content.decode()
    section = page.split('id="papers-heading"')[1]
    order = [section.index(label) for label in ("Återsänd för ändring", "Utkast", "För granskning")]
    assert order == sorted(order)
    assert "Granskarens kommentar:</strong> Komplettera ekonomiavsnittet." in section
    assert reverse("papers:edit", args=[draft.uuid]) in section
    assert reverse("papers:review", args=[waiting.uuid]) in section
    assert "Väntar på min granskning" not in page  # an official reviews nothing


def test_a_head_sees_what_waits_for_review_and_it_leaves_the_inbox_once_reviewed(client, ale, case):
    draft = submitted(ale, case)
    assert unread(ale.head, f"draft:{draft.pk}:review:") == 1
    client.force_login(ale.head)
    page = client.get(URL).content.decode()
    review = page.split('id="review-heading"')[1].split("</section>")[0]
    assert reverse("papers:review", args=[draft.uuid]) in review
    with ale.scope():
        paper_services.draft_return(draft, comment="Se över bakgrunden.", by=ale.head)
    assert unread(ale.head, f"draft:{draft.pk}:review:") == 0  # done: out of the head's inbox
    assert unread(ale.official, f"draft:{draft.pk}:returned:") == 1
    page = client.get(URL).content.decode()
    assert (
        reverse("papers:review", args=[draft.uuid]) not in page.split('id="review-heading"')[1].split("</section>")[0]
    )
    draft = save(ale, draft, filled(draft))
    with ale.scope():
        paper_services.draft_submit(draft, by=ale.official)
    assert unread(ale.official, f"draft:{draft.pk}:returned:") == 0  # the change asked for is made


def test_remisser_my_department_must_answer_are_on_my_desk_and_clear_when_answered(client, ale):
    origin = CaseFactory(body=ale.ks, municipality=ale.municipality, registered_by=ale.registrar, title="Översiktsplan")
    deadline = date.today() + timedelta(days=10)
    with ale.scope():
        remiss = Remiss.objects.create(
            municipality=ale.municipality,
            case=origin,
            from_body=ale.ksau,
            to_body=ale.kf,
            deadline=deadline,
            sent_by=ale.secretary,
        )
        remiss_route(remiss.pk)  # KF belongs to the town's department: its head is told
        remiss.refresh_from_db()
    assert remiss.status == RemissStatus.RECEIVED
    assert unread(ale.head, f"remiss:{remiss.pk}:") == 1
    client.force_login(ale.official)  # same department as the receiving case
    page = client.get(URL).content.decode()
    answer = page.split('id="answer-heading"')[1].split("</section>")[0]
    assert remiss.response_case.diarienummer in answer and deadline.isoformat() in answer
    with ale.scope():
        reply = case_services.document_register(
            remiss.response_case,
            direction=Direction.INTERNAL,
            document_date=date.today(),
            description="Protokollsutdrag",
            by=ale.registrar,
        )
        case_services.remiss_answer(remiss, document=reply, by=ale.registrar)
    assert unread(ale.head, f"remiss:{remiss.pk}:") == 0
    page = client.get(URL).content.decode()
    assert "Du och din förvaltning har inga remisser att besvara." in page


def test_the_desk_costs_the_same_queries_for_few_and_many_papers(
    client,
    ale,
    case,
    django_assert_num_queries,
    django_assert_max_num_queries,
    settings,
):
    settings.KEPT_PAGES = False  # the render's queries, each time (a kept page: tests/test_kept_pages.py)
    client.force_login(ale.head)
    submitted(ale, case)
    with django_assert_max_num_queries(10) as small:
        client.get(URL)
    for _ in range(5):
        submitted(ale, case)
        create(ale, case, by=ale.head)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    review = response.content.decode().split('id="review-heading"')[1].split("</section>")[0]
    assert review.count('href="/utlatanden/') == 6  # all six waiting papers, in the same queries
