"""Drafting as use cases: create, save with optimistic concurrency, review, approve, freeze, proposals."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.models import CaseEvent, Direction, Document, Notification, RenderedPdf
from cases.services import CaseError
from papers import permissions, services
from papers.content import PaperContent
from papers.defaults import install_default_templates
from papers.diff import content_diff, redline, satser_redline, three_way
from papers.models import DecisionProposal, Draft, DraftStatus, DraftVersion, PaperKind, PaperTemplate

from .helpers import register_case

SECTIONS_OF_A_REPORT = [
    "sammanfattning",
    "bakgrund",
    "samrad",
    "ekonomi",
    "barn",
    "miljo",
    "funktionshinder",
    "bedomning",
]
SATSER = ["Kommunstyrelsen föreslår kommunfullmäktige fastställer integrationsplanen.", "Planen gäller 2018-2021."]


@pytest.fixture
def case(ale):
    with ale.scope():
        install_default_templates(ale.municipality)
    return register_case(ale, handler=ale.official)


def template(town, kind=PaperKind.REPORT):
    with town.scope():
        return PaperTemplate.objects.get(kind=kind)


def create(town, case, by=None, kind=PaperKind.REPORT):
    with town.scope():
        return services.draft_create(case, template=template(town, kind), by=by or town.official)


def filled(draft, **overrides):
    """Everything a tjänsteutlåtande requires, filled in."""
    content = {
        "sections": {key: f"<p>Text om {key}.</p>" for key in SECTIONS_OF_A_REPORT},
        "proposal": SATSER,
        "basis": [{"text": "Tjänsteutlåtande 2017-12-13", "document": None}],
        "dispatch": ["Kommunstyrelsen"],
        "signatories": draft.content["signatories"],
    }
    content.update(overrides)
    return content


def save(town, draft, content, *, base=None, by=None, title=None, header=None):
    with town.scope():
        return services.draft_save(
            draft,
            base_version=draft.version if base is None else base,
            content=content,
            by=by or town.official,
            title=title,
            header=header,
        )


def submitted(town, case):
    draft = create(town, case)
    draft = save(town, draft, filled(draft))
    with town.scope():
        return services.draft_submit(draft, by=town.official)


def approved(town, case):
    draft = submitted(town, case)
    with town.scope():
        return services.draft_approve(draft, by=town.head)


def reload(town, draft):
    with town.scope():
        return Draft.objects.select_related("template", "case").get(pk=draft.pk)


def versions(town, draft):
    with town.scope():
        return list(DraftVersion.objects.filter(draft=draft).order_by("pk").values_list("number", "refused"))


def actions(town, case):
    with town.scope():
        return list(CaseEvent.objects.filter(case=case).order_by("id").values_list("action", flat=True))


# --- draft_create ----------------------------------------------------------------------------------


def test_a_new_draft_is_signed_by_the_head_and_then_the_author(ale, case):
    draft = create(ale, case)
    assert draft.content["signatories"] == [
        {"name": "Björn Chef", "title": "Kommunchef"},
        {"name": "Gunilla Handläggare", "title": "Utvecklingschef"},
    ]
    assert (draft.title, draft.addressee, draft.department, draft.status, draft.version) == (
        "Integrationsplan för kommunen 2018-2021",
        ale.ks,
        ale.department,
        DraftStatus.DRAFT,
        1,
    )
    with ale.scope():
        first = DraftVersion.objects.get(draft=draft)
        event = CaseEvent.objects.get(case=case, action="draft.created")
    assert (first.number, first.refused, first.content, first.saved_by) == (1, False, draft.content, ale.official)
    assert event.data == {"draft": str(draft.uuid), "kind": "tjänsteutlåtande", "title": draft.title}


def test_a_head_writing_a_draft_signs_alone(ale, case):
    draft = create(ale, case, by=ale.head)
    assert draft.content["signatories"] == [{"name": "Björn Chef", "title": "Kommunchef"}]


def test_without_a_head_in_the_department_the_author_signs_alone(ale, case):
    with scopes_disabled():
        ale.head.is_active = False
        ale.head.save(update_fields=["is_active"])
    draft = create(ale, case)
    assert draft.content["signatories"] == [{"name": "Gunilla Handläggare", "title": "Utvecklingschef"}]


def test_no_draft_is_written_in_a_closed_case(ale, case):
    from cases import services as case_services

    with ale.scope():
        case_services.case_close(case, by=ale.registrar)
        with pytest.raises(CaseError, match="Ärendet är avslutat."):
            services.draft_create(case, template=template(ale), by=ale.official)
        assert not Draft.objects.exists()


# --- draft_save ------------------------------------------------------------------------------------


def test_each_save_is_a_new_version(ale, case):
    draft = create(ale, case)
    draft = save(ale, draft, filled(draft))
    draft = save(ale, draft, filled(draft, dispatch=["Kommunstyrelsen", "Integrationssamordnaren"]))
    assert draft.version == 3
    assert reload(ale, draft).content["dispatch"] == ["Kommunstyrelsen", "Integrationssamordnaren"]
    assert versions(ale, draft) == [(1, False), (2, False), (3, False)]
    with ale.scope():
        assert DraftVersion.objects.get(draft=draft, number=3).based_on == 2


def test_the_content_is_sanitised_when_saved(ale, case):
    draft = create(ale, case)
    html = '<p onclick="steal()">Bakgrund<script>alert(1)</script> <a href="javascript:alert(1)">länk</a></p>'
    draft = save(ale, draft, filled(draft, sections={"bakgrund": html}))
    expected = '<p>Bakgrund <a rel="noopener noreferrer">länk</a></p>'
    assert reload(ale, draft).content["sections"] == {"bakgrund": expected}
    with ale.scope():
        assert DraftVersion.objects.get(draft=draft, number=2).content["sections"] == {"bakgrund": expected}


def test_unknown_sections_are_dropped_and_lists_trimmed(ale, case):
    draft = create(ale, case)
    content = {
        "sections": {"bakgrund": "<p>Bakgrund</p>", "okand": "<p>Finns inte i mallen</p>"},
        "proposal": ["  Första satsen  ", "", "   ", "x" * 2500] + [f"sats {n}" for n in range(150)],
        "basis": [{"text": "  Underlag  ", "document": ""}, {"text": "  "}],
        "dispatch": [" Kommunstyrelsen ", ""],
        "signatories": [{"name": " Björn Chef ", "title": " Kommunchef "}, {"name": "", "title": "Ingen"}],
    }
    saved = save(ale, draft, content).content
    assert saved["sections"] == {"bakgrund": "<p>Bakgrund</p>"}
    assert saved["proposal"][:2] == ["Första satsen", "x" * 2000]
    assert len(saved["proposal"]) == 100
    assert saved["basis"] == [{"text": "Underlag", "document": None}]
    assert saved["dispatch"] == ["Kommunstyrelsen"]
    assert saved["signatories"] == [{"name": "Björn Chef", "title": "Kommunchef"}]


def test_a_save_that_changes_nothing_makes_no_new_version(ale, case):
    draft = create(ale, case)
    draft = save(ale, draft, filled(draft))
    again = save(ale, draft, filled(draft))
    assert again.version == 2
    assert versions(ale, draft) == [(1, False), (2, False)]


def test_a_new_title_alone_is_a_new_version(ale, case):
    draft = create(ale, case)
    draft = save(ale, draft, draft.content, title="  Integrationsplan 2018–2021  ")
    assert (draft.version, draft.title) == (2, "Integrationsplan 2018–2021")


def test_the_header_is_saved_with_the_content(ale, case):
    draft = create(ale, case)
    draft = save(ale, draft, filled(draft), header={"paper_date": date(2017, 12, 1), "addressee": ale.kf})
    draft = reload(ale, draft)
    assert (draft.paper_date, draft.addressee, draft.version) == (date(2017, 12, 1), ale.kf, 2)


@pytest.mark.parametrize(
    ("title", "header", "errors"),
    [
        ("Plan", {"paper_date": date(2999, 1, 1)}, {"paper_date": "Datumet kan inte ligga i framtiden."}),
        ("   ", {}, {"title": "Rubriken får inte vara tom."}),
        ("x" * 256, {}, {"title": "Rubriken får vara högst 255 tecken."}),
    ],
)
def test_the_service_refuses_what_the_editor_refuses(ale, case, title, header, errors):
    """A command or the demo gets the same answer as the editor: the rules are the service's."""
    draft = create(ale, case)
    with pytest.raises(services.DraftInvalid) as raised:
        save(ale, draft, filled(draft), title=title, header=header)
    assert raised.value.errors == errors
    assert versions(ale, draft) == [(1, False)]


def test_only_someone_who_may_edit_may_submit(ale, case):
    draft = create(ale, case)
    draft = save(ale, draft, filled(draft))
    with ale.scope(), pytest.raises(CaseError, match="Bara handläggaren"):
        services.draft_submit(draft, by=ale.secretary)
    assert reload(ale, draft).status == DraftStatus.DRAFT


def conflicting(town, case):
    """Gunilla and Björn open version 2; Björn saves first, then Gunilla saves from version 2."""
    draft = create(town, case)
    draft = save(town, draft, filled(draft))
    save(town, draft, filled(draft, dispatch=["Kommunstyrelsen", "Björns tillägg"]), by=town.head)
    with town.scope(), pytest.raises(services.DraftConflict) as raised:
        services.draft_save(
            draft, base_version=2, content=filled(draft, dispatch=["Gunillas mottagare"]), by=town.official
        )
    return draft, raised.value


def test_a_save_from_a_stale_version_is_refused_and_overwrites_nothing(ale, case):
    draft, conflict = conflicting(ale, case)
    assert conflict.draft.version == 3
    draft = reload(ale, draft)
    assert (draft.version, draft.content["dispatch"], draft.updated_by) == (
        3,
        ["Kommunstyrelsen", "Björns tillägg"],
        ale.head,
    )


def test_the_refused_text_is_kept_as_a_refused_version(ale, case):
    draft, conflict = conflicting(ale, case)
    with ale.scope():
        refused = DraftVersion.objects.filter(draft=draft, refused=True).first()
    assert refused is not None
    assert (refused.pk, refused.number, refused.based_on, refused.saved_by) == (conflict.refused.pk, 3, 2, ale.official)
    assert refused.content["dispatch"] == ["Gunillas mottagare"]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (DraftStatus.REVIEW, "Utkastet granskas och kan inte ändras förrän granskaren skickat tillbaka det."),
        (DraftStatus.APPROVED, "Utkastet är godkänt och låst. Öppna det för en ny version för att ändra."),
    ],
)
def test_a_draft_in_review_or_approved_cannot_be_saved(ale, case, status, message):
    draft = create(ale, case)
    with ale.scope():
        Draft.objects.filter(pk=draft.pk).update(status=status)
        with pytest.raises(CaseError) as raised:
            services.draft_save(draft, base_version=1, content=filled(draft), by=ale.official)
    assert str(raised.value) == message
    assert reload(ale, draft).version == 1
    assert versions(ale, draft) == [(1, False)]


# --- draft_submit, draft_return, can_review -------------------------------------------------------


def test_a_draft_with_empty_required_sections_cannot_be_submitted(ale, case):
    draft = create(ale, case)
    draft = save(ale, draft, filled(draft, sections={"bakgrund": "<p>Text</p>", "barn": "<p> </p><p>&nbsp;</p>"}))
    with ale.scope(), pytest.raises(CaseError) as raised:
        services.draft_submit(draft, by=ale.official)
    message = str(raised.value)
    assert message.startswith("Fyll i det som saknas innan granskning: ")
    assert message.endswith(
        "Ekonomisk bedömning/konsekvens, Barnperspektivet, Miljöperspektivet, "
        "Funktionshinderperspektivet, Förvaltningens bedömning och motivering."
    )
    assert "Bakgrund" not in message
    assert "Samråd" not in message  # not required
    assert reload(ale, draft).status == DraftStatus.DRAFT


def test_a_new_draft_lists_every_required_part_as_missing(ale, case):
    draft = create(ale, case)
    with ale.scope():
        missing = services.missing_sections(reload(ale, draft))
    assert missing[2:] == [
        "Beslutsunderlag",
        "Bakgrund",
        "Ekonomisk bedömning/konsekvens",
        "Barnperspektivet",
        "Miljöperspektivet",
        "Funktionshinderperspektivet",
        "Förvaltningens bedömning och motivering",
    ]
    assert len(missing) == 9  # the signatories are filled in from the start


def test_the_missing_parts_are_named_as_the_editor_names_them(ale, case):
    draft = create(ale, case)
    with ale.scope():
        missing = services.missing_sections(reload(ale, draft))
    assert missing[:2] == ["Sammanfattning", "Förvaltningens beslutsförslag till kommunstyrelsen"]


def test_a_filled_draft_is_submitted_and_the_head_is_told(ale, case):
    draft = submitted(ale, case)
    assert reload(ale, draft).status == DraftStatus.REVIEW
    with ale.scope():
        notification = Notification.objects.get()
    assert (notification.recipient, notification.key) == (ale.head, f"draft:{draft.pk}:review:2")
    assert notification.subject == "Att granska: tjänsteutlåtande Integrationsplan för kommunen 2018-2021"
    assert notification.url == f"/utlatanden/{draft.uuid}/"
    assert actions(ale, case)[-1] == "draft.submitted"


def test_a_draft_cannot_be_submitted_twice(ale, case):
    draft = submitted(ale, case)
    with ale.scope(), pytest.raises(CaseError, match="Utkastet är redan skickat för granskning."):
        services.draft_submit(draft, by=ale.official)


def test_returning_a_draft_needs_a_comment(ale, case):
    draft = submitted(ale, case)
    with ale.scope():
        with pytest.raises(CaseError, match="Skriv vad som behöver ändras."):
            services.draft_return(draft, comment="   ", by=ale.head)
        assert reload(ale, draft).status == DraftStatus.REVIEW
        services.draft_return(draft, comment="  Barnperspektivet är för tunt.  ", by=ale.head)
        notification = Notification.objects.get(recipient=ale.official)
    draft = reload(ale, draft)
    assert (draft.status, draft.review_comment) == (DraftStatus.RETURNED, "Barnperspektivet är för tunt.")
    assert (notification.key, notification.body) == (f"draft:{draft.pk}:returned:2", "Barnperspektivet är för tunt.")
    # A returned draft can be edited and submitted again.
    draft = save(ale, draft, filled(draft, sections={**filled(draft)["sections"], "barn": "<p>Mer om barn.</p>"}))
    with ale.scope():
        assert services.draft_submit(draft, by=ale.official).status == DraftStatus.REVIEW


def test_only_a_head_other_than_the_author_may_review(ale, case):
    draft = create(ale, case, by=ale.head)
    draft = save(ale, draft, filled(draft), by=ale.head)
    with ale.scope():
        draft = services.draft_submit(draft, by=ale.head)
        assert not permissions.can_review(draft, ale.head)
        with pytest.raises(CaseError, match="Du kan inte godkänna det här utkastet."):
            services.draft_approve(draft, by=ale.head)
        with pytest.raises(CaseError, match="Du kan inte granska det här utkastet."):
            services.draft_return(draft, comment="Bra", by=ale.head)
        assert not Notification.objects.exists()  # the head is not told about their own paper
    assert reload(ale, draft).status == DraftStatus.REVIEW


@pytest.mark.parametrize("role", ["official", "registrar", "secretary", "politician"])
def test_nobody_but_a_head_may_review(ale, case, role):
    draft = submitted(ale, case)
    assert not permissions.can_review(draft, getattr(ale, role))
    assert permissions.can_review(draft, ale.head)


def test_a_draft_not_in_review_cannot_be_approved(ale, case):
    draft = create(ale, case)
    assert not permissions.can_review(draft, ale.head)
    with ale.scope(), pytest.raises(CaseError, match="Du kan inte godkänna det här utkastet."):
        services.draft_approve(draft, by=ale.head)


# --- draft_approve, draft_reopen, draft_freeze -------------------------------------------------------


def test_approving_registers_the_paper_in_the_case(ale, case):
    draft = approved(ale, case)
    draft = reload(ale, draft)
    today = timezone.localdate()
    assert (draft.status, draft.approved_by) == (DraftStatus.APPROVED, ale.head)
    assert draft.approved_at is not None
    with ale.scope():
        document = Document.objects.get(case=case)
        proposal = DecisionProposal.objects.get(case=case)
        pdf = RenderedPdf.objects.get(kind="draft")
        event = CaseEvent.objects.get(case=case, action="draft.approved")
        notification = Notification.objects.get(recipient=ale.official)
    assert draft.document == document
    assert document.description == f"Tjänsteutlåtande, {today.isoformat()}: Integrationsplan för kommunen 2018-2021"
    assert (document.direction, document.document_date, document.sequence) == (Direction.INTERNAL, today, 1)
    assert (proposal.stage, proposal.satser, proposal.body, proposal.draft) == (1, SATSER, None, draft)
    assert proposal.label == "Förvaltningens förslag (Kommunledningskontoret)"
    assert (pdf.key, pdf.status) == (str(draft.uuid), "pending")
    assert event.data == {"draft": str(draft.uuid), "version": 2, "document": 1}
    assert notification.key == f"draft:{draft.pk}:approved"
    assert "registrerat som handling 1 i KS.2017.1" in notification.body


def test_an_approved_draft_is_locked(ale, case):
    draft = approved(ale, case)
    assert not permissions.can_edit(draft, ale.official)
    assert reload(ale, draft).is_locked


def test_reopening_an_approved_draft_makes_it_a_draft_again(ale, case):
    draft = approved(ale, case)
    with ale.scope():
        draft = services.draft_reopen(draft, by=ale.official)
    draft = reload(ale, draft)
    assert (draft.status, draft.approved_by, draft.document, draft.changed_after_freeze) == (
        DraftStatus.DRAFT,
        None,
        None,
        False,
    )
    with ale.scope():
        assert Document.objects.filter(case=case).count() == 1  # the approved handling stays in the diarium
    assert permissions.can_edit(draft, ale.official)
    assert actions(ale, case)[-1] == "draft.reopened"


def test_reopening_a_frozen_draft_flags_it_for_the_secretary(ale, case):
    draft = approved(ale, case)
    with ale.scope():
        draft = services.draft_freeze(draft, by=ale.secretary)
        frozen_at = draft.frozen_at
        services.draft_freeze(draft, by=ale.secretary)  # a second freeze changes nothing
        draft = services.draft_reopen(draft, by=ale.head)
    draft = reload(ale, draft)
    assert (draft.status, draft.changed_after_freeze, draft.frozen_at) == (DraftStatus.DRAFT, True, frozen_at)
    assert actions(ale, case).count("draft.frozen") == 1


def test_saving_a_frozen_draft_flags_it(ale, case):
    draft = approved(ale, case)
    with ale.scope():
        services.draft_freeze(draft, by=ale.secretary)
        draft = services.draft_reopen(draft, by=ale.official)
        Draft.objects.filter(pk=draft.pk).update(changed_after_freeze=False)
    draft = save(ale, reload(ale, draft), filled(draft, dispatch=["Kommunfullmäktige"]))
    assert reload(ale, draft).changed_after_freeze


def test_only_an_approved_draft_can_be_frozen(ale, case):
    draft = submitted(ale, case)
    with ale.scope(), pytest.raises(CaseError) as raised:
        services.draft_freeze(draft, by=ale.secretary)
    assert str(raised.value) == "Bara ett godkänt utlåtande kan läggas på föredragningslistan."
    assert reload(ale, draft).frozen_at is None


def test_only_the_author_or_a_head_may_reopen(ale, case):
    draft = approved(ale, case)
    with ale.scope(), pytest.raises(CaseError) as raised:
        services.draft_reopen(draft, by=ale.secretary)
    assert str(raised.value) == "Bara handläggaren eller en chef kan öppna ett godkänt utlåtande igen."
    with ale.scope(), pytest.raises(CaseError, match="Utkastet är inte godkänt."):
        services.draft_reopen(create(ale, case), by=ale.official)
    assert reload(ale, draft).status == DraftStatus.APPROVED


# --- proposals and diffs ----------------------------------------------------------------------------


def test_proposals_are_recorded_stage_by_stage(ale, case):
    with ale.scope():
        first = services.proposal_record(
            case, satser=SATSER, label="Förvaltningens förslag", body=None, by=ale.secretary
        )
        second = services.proposal_record(
            case,
            satser=[" Kommunstyrelsen föreslår kommunfullmäktige fastställa integrationsplanen. ", ""],
            label="Kommunstyrelsens arbetsutskotts förslag",
            body=ale.ksau,
            by=ale.secretary,
        )
        third = services.proposal_record(
            case, satser=second.satser, label="Kommunstyrelsens förslag", body=ale.ks, by=ale.secretary
        )
        with pytest.raises(CaseError, match="Skriv minst en beslutssats."):
            services.proposal_record(case, satser=["", "  "], label="Tomt", body=ale.kf, by=ale.secretary)
        stages = list(DecisionProposal.objects.filter(case=case).values_list("stage", "body__short_name"))
    assert [first.stage, second.stage, third.stage] == [1, 2, 3]
    assert stages == [(1, None), (2, "KSAU"), (3, "KS")]
    assert second.satser == ["Kommunstyrelsen föreslår kommunfullmäktige fastställa integrationsplanen."]
    assert actions(ale, case).count("proposal.recorded") == 3


def test_the_redline_of_satser_shows_the_changed_word():
    html = satser_redline(
        ["Kommunfullmäktige fastställer planen.", "Planen gäller 2018."],
        ["Kommunfullmäktige fastställa planen.", "Planen gäller 2018."],
    )
    assert html == "Kommunfullmäktige <del>fastställer</del><ins>fastställa</ins> planen.<br>Planen gäller 2018."


def test_the_redline_escapes_what_it_shows():
    assert redline("<b>a</b>", "<i>a</i>") == "<del>&lt;b&gt;a&lt;/b&gt;</del><ins>&lt;i&gt;a&lt;/i&gt;</ins>"


def test_a_content_diff_marks_only_the_changed_parts(ale, case):
    draft = create(ale, case)
    old = filled(draft)
    new = filled(draft, sections={**old["sections"], "barn": "<p>Barnen <strong>gynnas</strong> av planen.</p>"})
    new["dispatch"] = ["Kommunstyrelsen", "Socialnämnden"]
    with ale.scope():
        parts = content_diff(list(template(ale).sections.all()), old, new)
    changed = {part.label: part.html for part in parts if part.changed}
    assert changed == {
        "Barnperspektivet": "<del>Text</del><ins>Barnen</ins> <del>om</del><ins>gynnas</ins> "
        "<del>barn.</del><ins>av planen.</ins>",
        "Ärendet expedieras efter beslut till:": "Kommunstyrelsen<ins><br>Socialnämnden</ins>",
    }
    assert len(parts) == 12
    unchanged = next(part for part in parts if part.label == "Bakgrund")
    assert unchanged.html == "Text om bakgrund."


def test_a_three_way_merge_takes_each_part_from_whoever_changed_it():
    base = {
        "sections": {"bakgrund": "<p>B</p>", "barn": "<p>Barn</p>"},
        "proposal": ["1"],
        "basis": [],
        "dispatch": ["KS"],
        "signatories": [],
    }
    theirs = {**base, "sections": {**base["sections"], "bakgrund": "<p>B, deras</p>"}, "dispatch": ["KS", "SN"]}
    mine = {**base, "sections": {**base["sections"], "barn": "<p>Barn, mitt</p>"}, "proposal": ["1", "2"]}
    merged, conflicts = three_way(*map(PaperContent.from_json, (base, theirs, mine)))
    assert merged.to_json() == {
        "sections": {"bakgrund": "<p>B, deras</p>", "barn": "<p>Barn, mitt</p>"},
        "proposal": ["1", "2"],
        "basis": [],
        "dispatch": ["KS", "SN"],
        "signatories": [],
    }
    assert conflicts == []


def test_a_three_way_merge_keeps_my_text_where_both_changed_and_reports_it():
    base = {"sections": {"barn": "<p>Barn</p>"}, "proposal": ["1"], "basis": [], "dispatch": [], "signatories": []}
    theirs = {**base, "sections": {"barn": "<p>Barn, deras</p>"}, "proposal": ["1", "deras"]}
    mine = {**base, "sections": {"barn": "<p>Barn, mitt</p>"}, "proposal": ["1", "mitt"]}
    merged, conflicts = three_way(*map(PaperContent.from_json, (base, theirs, mine)))
    assert (merged.sections, merged.proposal) == ({"barn": "<p>Barn, mitt</p>"}, ["1", "mitt"])
    assert conflicts == ["section:barn", "proposal"]
