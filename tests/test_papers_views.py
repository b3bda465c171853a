"""Drafting in the browser's requests: the case panel, the editor with autosave and conflicts, history,
review and approval, förslag till beslut; Swedish messages, nothing half-saved, 404 for outsiders."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Document
from papers import services
from papers.defaults import install_default_templates
from papers.models import DecisionProposal, Draft, DraftStatus, DraftVersion, PaperKind, PaperTemplate

from .helpers import register_case

TITLE = "Integrationsplan för kommunen 2018-2021"
REPORT_HEADINGS = [
    "Sammanfattning",
    "Förvaltningens beslutsförslag till kommunstyrelsen",
    "Underskrifter",
    "Beslutsunderlag",
    "Ärendet expedieras efter beslut till:",
    "Bakgrund",
    "Samråd/samverkan",
    "Ekonomisk bedömning/konsekvens",
    "Barnperspektivet",
    "Miljöperspektivet",
    "Funktionshinderperspektivet",
    "Förvaltningens bedömning och motivering",
]
FILLED_SECTIONS = ["sammanfattning", "bakgrund", "ekonomi", "barn", "miljo", "funktionshinder", "bedomning"]


@pytest.fixture
def case(ale):
    with ale.scope():
        install_default_templates(ale.municipality)
    return register_case(ale, handler=ale.official)


def template(town, kind=PaperKind.REPORT):
    with town.scope():
        return PaperTemplate.objects.get(kind=kind)


def create(town, case, by=None):
    with town.scope():
        return services.draft_create(case, template=template(town), by=by or town.official)


def reload(town, draft):
    with town.scope():
        return Draft.objects.get(pk=draft.pk)


def versions(town, draft):
    with town.scope():
        return list(DraftVersion.objects.filter(draft=draft).order_by("pk").values_list("number", "refused"))


def editor_data(town, draft, **overrides):
    """What the editor's form posts: the draft as it stands, with ``overrides``."""
    data = {
        "base_version": str(draft.version),
        "title": draft.title,
        "paper_date": draft.paper_date.isoformat(),
        "addressee": str(draft.addressee_id),
        "proposal": "Kommunfullmäktige fastställer integrationsplanen.\nPlanen gäller 2018-2021.",
        "basis-extra": "Tjänsteutlåtande 2017-12-13",
        "dispatch": "Kommunstyrelsen",
        "signatories": "Björn Chef, Kommunchef\nGunilla Handläggare, Utvecklingschef",
        **{f"section-{key}": f"<p>Text om {key}.</p>" for key in FILLED_SECTIONS},
    }
    data.update(overrides)
    return data


def edit_url(draft):
    return reverse("papers:edit", args=[draft.uuid])


def review_url(draft):
    return reverse("papers:review", args=[draft.uuid])


def action_url(draft, action):
    return reverse(f"papers:{action}", args=[draft.uuid])


def autosave(client, draft, data):
    return client.post(edit_url(draft), data, headers={"HX-Request": "true"})


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def filled(town, case):
    """A draft written by the official, saved once with everything required."""
    draft = create(town, case)
    with town.scope():
        data = editor_data(town, draft)
        services.draft_save(
            draft,
            base_version=1,
            content={
                "sections": {k[len("section-") :]: v for k, v in data.items() if k.startswith("section-")},
                "proposal": data["proposal"].splitlines(),
                "basis": [{"text": data["basis-extra"], "document": None}],
                "dispatch": [data["dispatch"]],
                "signatories": draft.content["signatories"],
            },
            by=town.official,
        )
    return reload(town, draft)


# --- the case page and a new draft ------------------------------------------------------------------


def test_the_case_page_offers_the_official_to_write_a_paper(client, ale, case):
    client.force_login(ale.official)
    body = page(client, reverse("cases:detail", args=[case.ref]))
    assert "Tjänsteutlåtanden och yttranden" in body
    assert "Skriv tjänsteutlåtande eller yttrande" in body
    assert reverse("papers:new", args=[case.ref]) in body


def test_a_politician_sees_the_papers_but_is_not_offered_to_write(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.politician)
    body = page(client, reverse("cases:detail", args=[case.ref]))
    assert f"Tjänsteutlåtande: {TITLE}</a> – utkast, version 1, Gunilla Handläggare" in body
    assert "Skriv tjänsteutlåtande eller yttrande" not in body
    assert review_url(draft) in body


def test_a_new_draft_opens_in_the_editor(client, ale, case):
    client.force_login(ale.official)
    url = reverse("papers:new", args=[case.ref])
    body = page(client, url)
    assert "Tjänsteutlåtande" in body and "Yttrande" in body
    response = client.post(url, {"template": template(ale).pk})
    with ale.scope():
        draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(draft)
    assert (draft.author, draft.title, draft.version) == (ale.official, TITLE, 1)


@pytest.mark.parametrize(("template_value", "message"), [("", "Välj en mall."), ("999999", "Välj en mall i listan.")])
def test_a_new_draft_needs_a_template(client, ale, case, template_value, message):
    client.force_login(ale.official)
    response = client.post(reverse("papers:new", args=[case.ref]), {"template": template_value})
    assert response.status_code == 200
    assert message in response.content.decode()
    with ale.scope():
        assert not Draft.objects.exists()


def test_a_template_of_the_other_municipality_cannot_be_chosen(client, ale, alingsas, case):
    with alingsas.scope():
        install_default_templates(alingsas.municipality)
    client.force_login(ale.official)
    response = client.post(reverse("papers:new", args=[case.ref]), {"template": template(alingsas).pk})
    assert "Välj en mall i listan." in response.content.decode()
    with ale.scope():
        assert not Draft.objects.exists()


def test_a_politician_cannot_start_a_draft(client, ale, case):
    client.force_login(ale.politician)
    assert client.get(reverse("papers:new", args=[case.ref])).status_code == 404
    assert client.post(reverse("papers:new", args=[case.ref]), {"template": template(ale).pk}).status_code == 404
    with ale.scope():
        assert not Draft.objects.exists()


# --- the editor -------------------------------------------------------------------------------------


def test_the_editor_shows_every_part_of_the_template(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    body = page(client, edit_url(draft))
    for heading in REPORT_HEADINGS:
        assert heading in body, heading
    assert "{till}" not in body
    positions = [body.index(heading) for heading in REPORT_HEADINGS[1:]]
    assert positions == sorted(positions)  # in the template's order
    assert 'name="base_version" id="base_version" value="1"' in body
    assert "Björn Chef, Kommunchef\nGunilla Handläggare, Utvecklingschef</textarea>" in body


def test_the_till_heading_follows_the_addressee(client, ale, case):
    draft = create(ale, case)
    with ale.scope():
        Draft.objects.filter(pk=draft.pk).update(addressee=ale.kf)
    client.force_login(ale.official)
    assert "Förvaltningens beslutsförslag till kommunfullmäktige" in page(client, edit_url(draft))


def test_an_autosave_answers_with_the_status_and_the_new_base_version(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    response = autosave(client, draft, editor_data(ale, draft))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert re.search(r"Sparat kl\. \d\d:\d\d:\d\d \(version 2\)\.", body)
    assert '<input type="hidden" name="base_version" id="base_version" value="2" hx-swap-oob="true">' in body
    draft = reload(ale, draft)
    assert draft.content["sections"]["barn"] == "<p>Text om barn.</p>"
    assert draft.content["proposal"] == [
        "Kommunfullmäktige fastställer integrationsplanen.",
        "Planen gäller 2018-2021.",
    ]


def test_an_autosave_that_changed_nothing_makes_no_new_version(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    autosave(client, draft, editor_data(ale, draft))
    response = autosave(client, draft, editor_data(ale, draft, base_version="2"))
    assert "(version 2)" in response.content.decode()
    assert versions(ale, draft) == [(1, False), (2, False)]


def test_an_autosave_strips_what_would_run(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    autosave(
        client, draft, editor_data(ale, draft, **{"section-barn": '<p onclick="x()">Barn<script>alert(1)</script></p>'})
    )
    assert reload(ale, draft).content["sections"]["barn"] == "<p>Barn</p>"


def test_a_normal_save_redirects_back_to_the_editor_with_a_message(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    response = client.post(edit_url(draft), editor_data(ale, draft), follow=True)
    assert response.redirect_chain == [(edit_url(draft), 302)]
    assert "Sparat som version 2." in response.content.decode()


def conflict(client, town, case):
    """Björn writes the draft; Gunilla (the handläggare) saves version 2; Björn's autosave still starts
    from version 1."""
    draft = create(town, case, by=town.head)
    client.force_login(town.official)
    autosave(client, draft, editor_data(town, draft, **{"section-barn": "<p>Barnen gynnas av planen.</p>"}))
    client.force_login(town.head)
    response = autosave(client, draft, editor_data(town, draft, **{"section-barn": "<p>Barnen missgynnas inte.</p>"}))
    return draft, response


def test_an_autosave_from_a_stale_version_is_refused_and_links_to_the_merge(client, ale, case):
    draft, response = conflict(client, ale, case)
    body = response.content.decode()
    with ale.scope():
        refused = DraftVersion.objects.get(draft=draft, refused=True)
    assert "Gunilla Handläggare sparade version 2 medan du skrev." in body
    assert "Din text är sparad separat och inget har skrivits över." in body
    assert reverse("papers:merge", args=[draft.uuid, refused.pk]) in body
    assert 'hx-swap-oob="true"' not in body  # the editor keeps its base version until merged
    assert reload(ale, draft).content["sections"]["barn"] == "<p>Barnen gynnas av planen.</p>"
    assert refused.content["sections"]["barn"] == "<p>Barnen missgynnas inte.</p>"
    assert versions(ale, draft) == [(1, False), (2, False), (2, True)]


def base_version_in(body):
    found = re.search(r'name="base_version" id="base_version" value="(-?\d+)"', body)
    assert found, "the editor has no base_version field"
    return found.group(1)


def test_a_spara_after_a_refused_date_never_overwrites_an_autosave_made_meanwhile(client, ale, case):
    """Issue 8.5, as reported: A opens the editor, B autosaves, A clicks Spara with a bad date and gets
    the form back, corrects the date and saves. That lost B's text 30 times of 30; now every round
    ends on the merge page with B's text as the draft and A's kept as a refused version."""
    draft = create(ale, case, by=ale.head)
    other = Client()
    other.force_login(ale.official)
    client.force_login(ale.head)
    for round_ in range(30):
        opened = base_version_in(page(client, edit_url(draft)))  # A opens the editor
        b_text = f"<p>B skrev runda {round_}.</p>"
        saved = autosave(other, reload(ale, draft), editor_data(ale, reload(ale, draft), **{"section-barn": b_text}))
        assert "Sparat kl." in saved.content.decode()  # B autosaves
        a_text = f"<p>A skrev runda {round_}.</p>"
        refused = client.post(
            edit_url(draft),
            editor_data(ale, draft, base_version=opened, paper_date="2017-13-45", **{"section-barn": a_text}),
        )
        assert refused.status_code == 400
        kept = base_version_in(refused.content.decode())
        assert kept == opened, f"round {round_}: the form came back with version {kept}, not {opened}"
        response = client.post(edit_url(draft), editor_data(ale, draft, base_version=kept, **{"section-barn": a_text}))
        with ale.scope():
            mine = DraftVersion.objects.filter(draft=draft, refused=True).latest("pk")
        assert response["Location"] == reverse("papers:merge", args=[draft.uuid, mine.pk])
        assert reload(ale, draft).content["sections"]["barn"] == b_text
        assert mine.content["sections"]["barn"] == a_text


def test_the_merge_page_shows_both_texts(client, ale, case):
    draft, _response = conflict(client, ale, case)
    with ale.scope():
        refused = DraftVersion.objects.get(draft=draft, refused=True)
    body = page(client, reverse("papers:merge", args=[draft.uuid, refused.pk]))
    assert "Gunilla Handläggare sparade version 2 den " in body
    assert (
        "<dt>Barnperspektivet</dt><dd>Barnen <del>gynnas</del><ins>missgynnas</ins> "
        "<del>av planen.</del><ins>inte.</ins></dd>"
    ) in body
    assert "Ni har båda ändrat: <strong>Barnperspektivet</strong>." in body
    # The form starts from version 2 and holds Björn's text where both wrote.
    assert 'name="base_version" id="base_version" value="2"' in body
    assert 'value="&lt;p&gt;Barnen missgynnas inte.&lt;/p&gt;"' in body


def test_the_merge_page_is_only_for_the_one_whose_save_was_refused(client, ale, case):
    draft, _response = conflict(client, ale, case)
    with ale.scope():
        refused = DraftVersion.objects.get(draft=draft, refused=True)
    client.force_login(ale.official)
    assert client.get(reverse("papers:merge", args=[draft.uuid, refused.pk])).status_code == 404


def test_saving_the_merge_makes_version_3(client, ale, case):
    draft, _response = conflict(client, ale, case)
    data = editor_data(ale, draft, base_version="2", **{"section-barn": "<p>Barnen gynnas och missgynnas inte.</p>"})
    response = client.post(edit_url(draft), data)
    assert response.status_code == 302
    draft = reload(ale, draft)
    assert (draft.version, draft.content["sections"]["barn"]) == (3, "<p>Barnen gynnas och missgynnas inte.</p>")


def test_a_normal_save_from_a_stale_version_goes_to_the_merge_page(client, ale, case):
    draft = create(ale, case, by=ale.head)
    client.force_login(ale.official)
    autosave(client, draft, editor_data(ale, draft))
    client.force_login(ale.head)
    response = client.post(edit_url(draft), editor_data(ale, draft, dispatch="Socialnämnden"))
    with ale.scope():
        refused = DraftVersion.objects.get(draft=draft, refused=True)
    assert response["Location"] == reverse("papers:merge", args=[draft.uuid, refused.pk])


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"paper_date": "13/12/2017"}, "Ange datumet som ÅÅÅÅ-MM-DD."),
        ({"paper_date": ""}, "Ange datumet som ÅÅÅÅ-MM-DD."),
        ({"title": "   "}, "Rubriken får inte vara tom."),
        ({"title": "x" * 256}, "Rubriken får vara högst 255 tecken."),
        ({"addressee": "999999"}, "Välj ett organ som finns i din kommun."),
        ({"base_version": ""}, "Sidan saknar versionsnummer. Ladda om sidan."),
    ],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_saved(client, ale, case, overrides, message):
    draft = create(ale, case)
    client.force_login(ale.official)
    response = client.post(edit_url(draft), editor_data(ale, draft, **overrides))
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert 'value="&lt;p&gt;Text om barn.&lt;/p&gt;"' in body  # what was written is still in the form
    assert versions(ale, draft) == [(1, False)]
    assert reload(ale, draft).content["sections"] == {}


def test_a_refused_save_keeps_the_title_and_addressee_that_were_typed(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    data = editor_data(
        ale, draft, title="Integrationsplan 2018-2021, reviderad", addressee=str(ale.kf.pk), paper_date="x"
    )
    body = client.post(edit_url(draft), data).content.decode()
    assert 'value="Integrationsplan 2018-2021, reviderad"' in body
    assert f'<option value="{ale.kf.pk}" selected>' in body


def test_bad_input_in_an_autosave_answers_in_the_status(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    response = autosave(client, draft, editor_data(ale, draft, paper_date="igår"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<span class="error-message">Ange datumet som ÅÅÅÅ-MM-DD. </span>' in body
    assert "hx-swap-oob" not in body
    assert versions(ale, draft) == [(1, False)]


def test_an_addressee_of_the_other_municipality_is_refused(client, ale, alingsas, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    response = client.post(edit_url(draft), editor_data(ale, draft, addressee=str(alingsas.ks.pk)))
    assert response.status_code == 400
    assert "Välj ett organ som finns i din kommun." in response.content.decode()
    assert versions(ale, draft) == [(1, False)]
    assert reload(ale, draft).addressee == ale.ks


def test_the_addressee_and_date_are_saved(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    client.post(edit_url(draft), editor_data(ale, draft, addressee=str(ale.kf.pk), paper_date="2017-12-01"))
    draft = reload(ale, draft)
    assert (draft.addressee, draft.paper_date.isoformat(), draft.version) == (ale.kf, "2017-12-01", 2)


def test_documents_of_the_case_can_be_chosen_as_basis_but_not_secret_ones(client, ale, case):
    from .helpers import register_document

    open_document = register_document(ale, case, description="Integrationsplan, förslag")
    secret_document = register_document(ale, case, secret=True, description="Ansökan från enskild")
    draft = create(ale, case)
    client.force_login(ale.official)
    body = page(client, edit_url(draft))
    assert "Integrationsplan, förslag" in body
    assert "Ansökan från enskild" not in body
    data = editor_data(ale, draft, **{"basis-doc": [str(open_document.uuid), str(secret_document.uuid)]})
    client.post(edit_url(draft), data)
    assert reload(ale, draft).content["basis"] == [
        {"text": "Integrationsplan, förslag", "document": str(open_document.uuid)},
        {"text": "Tjänsteutlåtande 2017-12-13", "document": None},
    ]


# --- history ----------------------------------------------------------------------------------------


def test_the_history_shows_what_changed_between_two_versions(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    autosave(client, draft, editor_data(ale, draft))
    autosave(
        client,
        draft,
        editor_data(
            ale, draft, base_version="2", title="Integrationsplan 2018-2021", dispatch="Kommunstyrelsen\nSocialnämnden"
        ),
    )
    body = page(client, reverse("papers:history", args=[draft.uuid]) + "?a=2&b=3")
    assert "Skillnader mellan version 2 och 3" in body
    assert "<dt>Rubrik</dt><dd>Integrationsplan <del>för kommunen </del>2018-2021</dd>" in body
    assert "<dt>Ärendet expedieras efter beslut till:</dt><dd>Kommunstyrelsen<ins><br>Socialnämnden</ins></dd>" in body
    assert '<dt>Bakgrund <span class="hint">(oförändrad)</span></dt>' in body
    assert "gällande" in body


def test_the_history_refuses_versions_that_do_not_exist(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    response = client.get(reverse("papers:history", args=[draft.uuid]), {"a": "1", "b": "7"})
    body = response.content.decode()
    assert "Välj två versioner som finns." in body
    assert "Skillnader mellan" not in body


# --- review ----------------------------------------------------------------------------------------


def test_submitting_a_draft_with_parts_missing_is_refused(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    body = page(client, review_url(draft))
    assert "Saknas innan granskning:" in body
    response = client.post(action_url(draft, "submit"), follow=True)
    body = response.content.decode()
    assert "Fyll i det som saknas innan granskning:" in body
    assert "Barnperspektivet" in body
    assert reload(ale, draft).status == DraftStatus.DRAFT


def test_the_missing_parts_are_named_as_in_the_editor(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    body = page(client, review_url(draft))
    assert "{till}" not in body
    assert "Saknas innan granskning: Sammanfattning, Förvaltningens beslutsförslag till kommunstyrelsen, " in body


def test_the_history_names_the_proposal_as_in_the_editor(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    autosave(client, draft, editor_data(ale, draft))
    body = page(client, reverse("papers:history", args=[draft.uuid]) + "?a=1&b=2")
    assert "<dt>Förvaltningens beslutsförslag till kommunstyrelsen</dt>" in body
    assert "{till}" not in body


def test_submit_and_approve_put_the_paper_in_the_case(client, ale, case):
    draft = filled(ale, case)
    client.force_login(ale.official)
    body = page(client, review_url(draft))
    assert "Skicka för granskning" in body
    assert "Godkänn och underteckna" not in body
    response = client.post(action_url(draft, "submit"), follow=True)
    assert response.redirect_chain == [(review_url(draft), 302)]
    assert "Skickat för granskning." in response.content.decode()
    assert reload(ale, draft).status == DraftStatus.REVIEW
    assert client.get(edit_url(draft))["Location"] == review_url(draft)  # locked while in review

    client.force_login(ale.head)
    body = page(client, review_url(draft))
    assert "Godkänn och underteckna" in body and "Skicka tillbaka med kommentar" in body
    response = client.post(action_url(draft, "approve"), follow=True)
    assert "Godkänt och registrerat i ärendet. PDF:en skapas." in response.content.decode()
    today = timezone.localdate().isoformat()
    with ale.scope():
        document = Document.objects.get(case=case)
        assert DecisionProposal.objects.filter(case=case, draft=draft).exists()
    assert document.description == f"Tjänsteutlåtande, {today}: {TITLE}"
    assert reload(ale, draft).status == DraftStatus.APPROVED
    case_page = page(client, reverse("cases:detail", args=[case.ref]))
    assert f"Tjänsteutlåtande, {today}: {TITLE}" in case_page
    assert "godkänd, version 2" in case_page
    assert "Förslag till beslut, steg för steg" in case_page


def test_returning_without_a_comment_is_refused(client, ale, case):
    draft = filled(ale, case)
    with ale.scope():
        services.draft_submit(draft, by=ale.official)
    client.force_login(ale.head)
    response = client.post(action_url(draft, "return"), {"comment": "  "}, follow=True)
    assert "Skriv vad som behöver ändras." in response.content.decode()
    assert reload(ale, draft).status == DraftStatus.REVIEW
    response = client.post(action_url(draft, "return"), {"comment": "Barnperspektivet är för tunt."}, follow=True)
    assert "Återsänt till handläggaren." in response.content.decode()
    client.force_login(ale.official)
    editor = page(client, edit_url(draft))
    assert "Granskarens kommentar" in editor and "Barnperspektivet är för tunt." in editor


def test_the_official_cannot_approve_their_own_paper(client, ale, case):
    draft = filled(ale, case)
    with ale.scope():
        services.draft_submit(draft, by=ale.official)
    client.force_login(ale.official)
    response = client.post(action_url(draft, "approve"), follow=True)
    assert "Du kan inte godkänna det här utkastet." in response.content.decode()
    assert reload(ale, draft).status == DraftStatus.REVIEW


def test_a_politician_reads_but_does_not_write(client, ale, case):
    draft = filled(ale, case)
    client.force_login(ale.politician)
    body = page(client, review_url(draft))
    assert TITLE in body and "Text om barn." in body
    assert "Skicka för granskning" not in body and "Redigera" not in body
    assert client.get(edit_url(draft))["Location"] == review_url(draft)
    assert client.post(edit_url(draft), editor_data(ale, draft, base_version="2")).status_code == 404
    assert client.post(action_url(draft, "submit")).status_code == 404
    draft = reload(ale, draft)
    assert (draft.status, draft.version) == (DraftStatus.DRAFT, 2)


def test_an_unknown_action_is_404(client, ale, case):
    draft = create(ale, case)
    client.force_login(ale.official)
    assert client.post(f"/utlatanden/{draft.uuid}/radera/").status_code == 404


@pytest.mark.parametrize("action", ["submit", "approve", "return", "reopen", "pdf"])
def test_each_action_has_its_own_url_at_the_old_path(action):
    uuid = "4f1c7c5e-8d1a-4f5e-9d3a-1b2c3d4e5f60"
    assert reverse(f"papers:{action}", args=[uuid]) == f"/utlatanden/{uuid}/{action}/"


def test_the_author_reopens_an_approved_paper_from_the_review_page(client, ale, case):
    draft = filled(ale, case)
    with ale.scope():
        services.draft_submit(draft, by=ale.official)
        services.draft_approve(draft, by=ale.head)
    client.force_login(ale.official)
    body = page(client, review_url(draft))
    assert "godkänd av Björn Chef" in body
    assert "Öppna för en ny version" in body
    response = client.post(action_url(draft, "reopen"), follow=True)
    assert response.redirect_chain[-1] == (edit_url(draft), 302)
    assert "Utlåtandet är öppnat för en ny version." in response.content.decode()


def test_the_reopen_and_review_buttons_follow_the_permission_door(client, ale, case):
    draft = filled(ale, case)
    with ale.scope():
        services.draft_submit(draft, by=ale.official)
    client.force_login(ale.head)
    assert "Godkänn och underteckna" in page(client, review_url(draft))
    with ale.scope():
        services.draft_approve(draft, by=ale.head)
    assert "Öppna för en ny version" in page(client, review_url(draft))
    client.force_login(ale.politician)
    body = page(client, review_url(draft))
    assert "Öppna för en ny version" not in body and "Godkänn och underteckna" not in body
    assert client.post(action_url(draft, "reopen"), follow=True).status_code == 200
    assert reload(ale, draft).status == DraftStatus.APPROVED


# --- another municipality ---------------------------------------------------------------------------


def test_a_user_of_the_other_municipality_gets_404_everywhere(client, ale, alingsas, case):
    draft = filled(ale, case)
    with ale.scope():
        refused = DraftVersion.objects.create(
            municipality=ale.municipality, draft=draft, number=2, title=draft.title, content=draft.content,
            saved_by=ale.official, refused=True, based_on=1,
        )  # fmt: skip
    for user in (alingsas.official, alingsas.head, alingsas.secretary):
        client.force_login(user)
        gets = [
            reverse("papers:new", args=[case.ref]),
            reverse("papers:proposals", args=[case.ref]),
            review_url(draft),
            edit_url(draft),
            reverse("papers:history", args=[draft.uuid]),
            reverse("papers:merge", args=[draft.uuid, refused.pk]),
        ]
        for url in gets:
            assert client.get(url).status_code == 404, (user, url)
        posts = [
            (reverse("papers:new", args=[case.ref]), {"template": template(ale).pk}),
            (reverse("papers:proposals", args=[case.ref]), {"label": "X", "body": ale.ks.pk, "satser": "X"}),
            (edit_url(draft), editor_data(ale, draft)),
        ] + [
            (action_url(draft, action), {"comment": "x"}) for action in ("submit", "approve", "return", "reopen", "pdf")
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 404, (user, url)
    draft = reload(ale, draft)
    assert (draft.status, draft.version) == (DraftStatus.DRAFT, 2)
    with ale.scope():
        assert Draft.objects.count() == 1
        assert not DecisionProposal.objects.exists()


# --- förslag till beslut ----------------------------------------------------------------------------


def proposals_url(case):
    return reverse("papers:proposals", args=[case.ref])


@pytest.fixture
def first_stage(ale, case):
    with ale.scope():
        return services.proposal_record(
            case,
            satser=["Kommunfullmäktige fastställer integrationsplanen.", "Planen gäller 2018-2021."],
            label="Förvaltningens förslag (Kommunledningskontoret)",
            body=None,
            by=ale.head,
        )


def test_a_secretary_adds_the_next_stage_and_sees_the_redline(client, ale, case, first_stage):
    client.force_login(ale.secretary)
    body = page(client, proposals_url(case))
    assert "1. Förvaltningens förslag (Kommunledningskontoret)" in body
    assert "Kommunfullmäktige fastställer integrationsplanen.\nPlanen gäller 2018-2021.</textarea>" in body
    data = {
        "label": "Kommunstyrelsens arbetsutskotts förslag",
        "body": ale.ksau.pk,
        "satser": "Kommunfullmäktige fastställa integrationsplanen.\n\nPlanen gäller 2018-2021.",
    }
    response = client.post(proposals_url(case), data, follow=True)
    body = response.content.decode()
    assert response.redirect_chain == [(proposals_url(case), 302)]
    assert "Förslaget är sparat." in body
    assert "2. Kommunstyrelsens arbetsutskotts förslag (Kommunstyrelsens arbetsutskott)" in body
    assert (
        "Kommunfullmäktige <del>fastställer</del><ins>fastställa</ins> integrationsplanen.<br>Planen gäller 2018-2021."
        in body
    )
    with ale.scope():
        second = DecisionProposal.objects.get(stage=2)
    assert (second.body, second.satser) == (
        ale.ksau,
        ["Kommunfullmäktige fastställa integrationsplanen.", "Planen gäller 2018-2021."],
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"satser": ""}, "Skriv minst en beslutssats."),
        ({"satser": " \n  \n"}, "Skriv minst en beslutssats."),
        ({"label": ""}, "Detta fält måste fyllas i."),
        ({"body": "999999"}, "Välj ett organ som finns i din kommun."),
    ],
)
def test_a_stage_with_bad_input_is_refused(client, ale, case, first_stage, overrides, message):
    client.force_login(ale.secretary)
    data = {
        "label": "Kommunstyrelsens förslag",
        "body": ale.ks.pk,
        "satser": "Kommunfullmäktige antar planen.",
        **overrides,
    }
    response = client.post(proposals_url(case), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    with ale.scope():
        assert DecisionProposal.objects.count() == 1


def test_a_body_of_the_other_municipality_cannot_propose(client, ale, alingsas, case, first_stage):
    client.force_login(ale.secretary)
    data = {"label": "Kommunstyrelsens förslag", "body": alingsas.ks.pk, "satser": "Kommunfullmäktige antar planen."}
    assert "Välj ett organ som finns i din kommun." in client.post(proposals_url(case), data).content.decode()
    with ale.scope():
        assert DecisionProposal.objects.count() == 1


@pytest.mark.parametrize("role", ["official", "head", "politician"])
def test_only_secretaries_and_registrars_record_stages(client, ale, case, first_stage, role):
    client.force_login(getattr(ale, role))
    body = page(client, proposals_url(case))
    assert "1. Förvaltningens förslag" in body and "Nästa steg" not in body
    data = {"label": "Kommunstyrelsens förslag", "body": ale.ks.pk, "satser": "Kommunfullmäktige antar planen."}
    assert client.post(proposals_url(case), data).status_code == 404
    with ale.scope():
        assert DecisionProposal.objects.count() == 1


# --- queries ---------------------------------------------------------------------------------------


def test_the_case_page_costs_the_same_queries_for_1_and_6_drafts(
    client, ale, case, settings, django_assert_num_queries, django_assert_max_num_queries
):
    settings.KEPT_PAGES = False  # the render's queries, each time (a kept page: tests/test_kept_pages.py)
    create(ale, case)
    client.force_login(ale.official)
    client.get(reverse("cases:detail", args=[case.ref]))  # warm the session and the content types
    with django_assert_max_num_queries(40) as one:
        client.get(reverse("cases:detail", args=[case.ref]))
    for _ in range(5):
        create(ale, case)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(reverse("cases:detail", args=[case.ref])).content.decode()
    assert body.count(f"Tjänsteutlåtande: {TITLE}") == 6
