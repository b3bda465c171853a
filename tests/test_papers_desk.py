"""The official's desk without a browser (issue 14.3 and 14.4): the approved paper's PDF is its
handling's file; the PDF preview is marked UTKAST; an yttrande is called yttrande on the agenda, the
kallelse and the protocol; headings never repeat; comments and the preview keep to their doors;
images are kept only as the PNG the server wrote; the committed editor bundle is the build of its source."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from cases.models import CaseEvent, PdfStatus, RenderedPdf
from cases.pdf import html_to_pdf, pdf_render
from cases.services import CaseError
from meetings import services as meeting_services
from meetings.pdf import protocol_html
from papers.comments import comment_add, comment_resolve
from papers.defaults import install_default_templates
from papers.models import Draft, DraftStatus, PaperTemplate, ReviewComment
from papers.sanitize import clean_html
from papers.services import draft_approve, draft_create, draft_reopen, draft_save, draft_submit

from .factories import UserFactory
from .helpers import register_case
from .pdftext import assert_in_order, pdftotext
from .test_meetings_protocol import held_meeting

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def case(ale):
    with ale.scope():
        install_default_templates(ale.municipality)
    return register_case(ale, handler=ale.official)


FULL = {
    "sections": {
        "sammanfattning": "<p>Planen sammanfattas.</p>",
        "bakgrund": "<p>Planen gäller 2018–2021 och ska följas upp årligen.</p>",
        "samrad": "<p>Samråd har skett.</p>",
        "ekonomi": (
            "<table><tbody><tr><th>Post</th><th>Belopp</th></tr>"
            "<tr><td>Tolkning</td><td>120 000 kr</td></tr></tbody></table>"
        ),
        "barn": "<p>Barn.</p>",
        "miljo": "<p>Miljö.</p>",
        "funktionshinder": "<p>Funktionshinder.</p>",
        "bedomning": "<p>Förvaltningen tillstyrker.</p>",
    },
    "proposal": ["Kommunstyrelsen antar planen."],
    "basis": [{"text": "Integrationsplan 2018–2021", "document": None}],
    "dispatch": ["Sektor kommunstyrelsen"],
    "signatories": [{"name": "Gunilla Handläggare", "title": "Utvecklingschef"}],
}


def _report(town, case, content=FULL):
    install_default_templates(town.municipality)
    draft = draft_create(case, template=PaperTemplate.objects.get(name="Tjänsteutlåtande"), by=town.official)
    return draft_save(draft, base_version=draft.version, content=content, by=town.official)


def _in_review(town, case):
    draft = _report(town, case)
    return draft_submit(draft, by=town.official)


# --- 14.4: approval registers the paper with its PDF as the file --------------------------------------


def test_approval_registers_a_handling_whose_file_is_the_papers_pdf(ale, case):
    with ale.scope():
        draft = draft_approve(_in_review(ale, case), by=ale.head)
        document = draft.document
        assert document is not None and not document.file  # the worker has not rendered yet
        pdf = RenderedPdf.objects.get(kind="draft", key=str(draft.uuid))
        assert pdf_render(pdf.pk) is True
        document.refresh_from_db()
        pdf.refresh_from_db()
        assert pdf.status == PdfStatus.DONE
    data = Path(document.file.path).read_bytes()
    assert data.startswith(b"%PDF")
    assert document.content_type == "application/pdf"
    assert document.file_size == len(data)
    assert document.checksum == hashlib.sha256(data).hexdigest() == pdf.checksum
    assert document.file_name == f"Tjänsteutlåtande {case.diarienummer.replace('/', '-')} {draft.paper_date}.pdf"
    assert_in_order(
        pdftotext(document.file.path),
        ["TJÄNSTEUTLÅTANDE", draft.title, "Planen gäller 2018–2021", "Post", "Belopp", "Tolkning", "120 000 kr"],
    )
    assert "UTKAST" not in pdftotext(document.file.path)
    with ale.scope():
        assert CaseEvent.objects.filter(action="draft.pdf_registered", data__document=document.sequence).count() == 1
        # The handling's file never changes: rendering again leaves it as it was.
        RenderedPdf.objects.filter(pk=pdf.pk).update(source_hash="")
        pdf_render(pdf.pk)
        document.refresh_from_db()
        assert document.checksum == hashlib.sha256(data).hexdigest()
        assert CaseEvent.objects.filter(action="draft.pdf_registered").count() == 1


def test_a_paper_approved_again_registers_a_new_handling_with_its_own_pdf(ale, case):
    with ale.scope():
        draft = draft_approve(_in_review(ale, case), by=ale.head)
        pdf = RenderedPdf.objects.get(kind="draft", key=str(draft.uuid))
        pdf_render(pdf.pk)
        first = draft.document
        draft = draft_reopen(draft, by=ale.official)
        draft = draft_approve(draft_submit(draft, by=ale.official), by=ale.head)
        second = draft.document
        assert second.pk != first.pk and not second.file
        assert pdf_render(pdf.pk) is True  # the same text is rendered again for the new handling
        second.refresh_from_db()
        first.refresh_from_db()
    assert second.file and first.file and second.file.name != first.file.name


# --- 14.3: the PDF preview is marked UTKAST -----------------------------------------------------------


def test_the_pdf_preview_is_marked_utkast_at_any_stage(client, ale, case):
    with ale.scope():
        draft = _report(ale, case)
    client.force_login(ale.official)
    response = client.post(reverse("papers:preview", args=[draft.uuid]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "PDF:en skapas" in response.content.decode()
    with ale.scope():
        pdf = RenderedPdf.objects.get(kind="draft-preview", key=str(draft.uuid))
        assert pdf_render(pdf.pk) is True
        pdf.refresh_from_db()
        assert Draft.objects.get(pk=draft.pk).status == DraftStatus.DRAFT
    text = pdftotext(pdf.file.path)
    assert text.count("UTKAST") >= 2  # the page header and the mark across the page
    assert f"UTKAST – version {draft.version}" in text
    assert_in_order(text, ["TJÄNSTEUTLÅTANDE", draft.title, "Planen gäller 2018–2021", "Tolkning"])
    assert pdf.file_name.startswith("UTKAST Tjänsteutlåtande")
    download = client.get(reverse("cases:pdf", args=[pdf.uuid]))
    assert download.status_code == 200


def test_the_preview_and_the_comment_doors_give_404_to_those_outside(client, ale, alingsas, case):
    with ale.scope():
        draft = _report(ale, case)
    preview = reverse("papers:preview", args=[draft.uuid])
    comment = reverse("papers:comment-add", args=[draft.uuid])
    data = {"section_key": "bakgrund", "quote": "följas upp årligen", "body": "Vem följer upp?"}
    client.force_login(alingsas.official)
    assert client.post(preview).status_code == 404
    assert client.post(comment, data).status_code == 404
    client.force_login(ale.head)
    assert client.post(comment, data).status_code == 404  # not in review: nothing to comment on
    with ale.scope():
        draft_submit(draft, by=ale.official)
    client.force_login(ale.official)
    assert client.post(comment, data).status_code == 404  # the author does not review their own paper
    nobody = UserFactory(municipality=ale.municipality, roles=[])  # signed in, but no part in the diarium
    client.force_login(nobody)
    assert client.post(preview).status_code == 403  # the diarium's own door (diarium_user_required)
    client.force_login(ale.head)
    assert client.get(comment).status_code == 405
    assert client.post(comment, data).status_code == 302
    with ale.scope():
        made = ReviewComment.objects.get()
    resolve = reverse("papers:comment-resolve", args=[made.uuid])
    client.force_login(alingsas.head)
    assert client.post(resolve).status_code == 404
    client.force_login(ale.registrar)
    assert client.post(resolve).status_code == 404
    with ale.scope():
        assert ReviewComment.objects.get().resolved_at is None
    client.force_login(ale.head)  # its writer may close it
    assert client.post(resolve).status_code == 302
    with ale.scope():
        assert ReviewComment.objects.get().resolved_by == ale.head


def test_a_comment_must_quote_words_that_stand_in_the_part(ale, case):
    with ale.scope():
        draft = _in_review(ale, case)
        with pytest.raises(CaseError, match="Markera eller skriv ord"):
            comment_add(draft, section_key="bakgrund", quote="ord som inte finns", body="?", by=ale.head)
        with pytest.raises(CaseError, match="Välj en del"):
            comment_add(draft, section_key="proposal", quote="antar", body="?", by=ale.head)
        made = comment_add(
            draft, section_key="bakgrund", quote="  följas   upp\nårligen ", body="Vem följer upp?", by=ale.head
        )
        assert made.quote == "följas upp årligen"
        with pytest.raises(CaseError):
            comment_resolve(made, by=ale.registrar)
        assert CaseEvent.objects.filter(action="draft.commented").count() == 1


# --- 14.4: an yttrande is called yttrande; headings never repeat ---------------------------------------


def test_an_yttrande_is_called_yttrande_on_the_agenda_the_kallelse_and_the_protocol(client, ale, tmp_path):
    with ale.scope():
        meeting, item, people = held_meeting(ale, date(2030, 3, 12))
        assert item.draft.template.kind == "yttrande"
        meeting_services.meeting_call(meeting, by=ale.secretary, today=date(2030, 3, 1))
        kallelse = RenderedPdf.objects.get(kind="kallelse", key=str(meeting.uuid))
        pdf_render(kallelse.pk)
        kallelse.refresh_from_db()
        protocol = protocol_html(ale.municipality, str(meeting.uuid))
    client.force_login(ale.secretary)
    agenda = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    protocol_path = tmp_path / "protokoll.pdf"
    protocol_path.write_bytes(html_to_pdf(protocol))
    texts = {
        "agenda page": agenda,
        "kallelse pdf": pdftotext(kallelse.file.path),
        "protocol html": protocol,
        "protocol pdf": pdftotext(protocol_path),
    }
    for name, text in texts.items():
        assert not re.search("tjänsteutlåtande", text, re.IGNORECASE), name
    assert re.search(r">\s*yttrande\s*</a>", agenda)
    assert "Yttrande 2030-03-" in texts["kallelse pdf"] or "Yttrande" in texts["kallelse pdf"]
    assert "Yttrande," in texts["protocol pdf"]


def test_the_editor_heading_names_the_kind_once(client, ale, case):
    with ale.scope():
        report = _report(ale, case)
        statement = draft_create(case, template=PaperTemplate.objects.get(name="Yttrande"), by=ale.official)
        custom = PaperTemplate.objects.create(
            municipality=ale.municipality, kind="yttrande", name="Remissvar till regionen", heading="YTTRANDE"
        )
        third = draft_create(case, template=custom, by=ale.official)
    client.force_login(ale.official)
    headings = {}
    for draft in (report, statement, third):
        body = client.get(reverse("papers:edit", args=[draft.uuid])).content.decode()
        headings[draft.pk] = re.search(r"<h1>(.*?)</h1>", body, re.S).group(1).strip()
    assert headings[report.pk] == "Tjänsteutlåtande"
    assert headings[statement.pk] == "Yttrande"
    assert headings[third.pk] == "Yttrande – Remissvar till regionen"


# --- 14.3: images and the editor's HTML ---------------------------------------------------------------


def _data_uri(fmt: str, mime: str) -> str:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, fmt)
    return f"data:{mime};base64," + base64.b64encode(out.getvalue()).decode()


def test_an_image_is_kept_only_as_the_png_the_server_writes():
    jpeg = _data_uri("JPEG", "image/jpeg")
    cleaned = clean_html(f'<p>Karta:</p><img src="{jpeg}" alt="Karta" onerror="alert(1)" style="width:9px">')
    src = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="Karta">', cleaned)
    assert src, cleaned
    with Image.open(io.BytesIO(base64.b64decode(src.group(1)))) as image:
        assert image.format == "PNG" and image.size == (40, 20)
    assert clean_html(cleaned) == cleaned  # stable: a save that changed nothing stays a no-op
    for refused in (
        '<img src="https://tracker.example/pixel.png">',
        '<img src="/media/handlingar/2018/secret.png">',
        '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
        '<img src="data:image/png;base64,bm90IGFuIGltYWdl">',
        '<img src="javascript:alert(1)">',
    ):
        assert "<img" not in clean_html(f"<p>a</p>{refused}"), refused
    assert clean_html('<a href="data:text/html,<script>1</script>">x</a>') == '<a rel="noopener noreferrer">x</a>'


def test_tables_headings_lists_and_links_survive_and_word_noise_does_not():
    html = (
        '<h3 style="color:red">Budget</h3><table class="MsoTable" style="width:100%">'
        '<colgroup><col style="min-width:25px"></colgroup><tbody><tr><th colspan="2" rowspan="1"><p>Post</p></th></tr>'
        '<tr><td><p><span style="mso-x:1">A</span></p></td><td>1</td></tr></tbody></table><ol><li><p>Ett</p></li></ol>'
        '<p><a href="https://ale.se" target="_blank">Ale</a><o:p></o:p></p>'
    )
    assert clean_html(html) == (
        '<h3>Budget</h3><table><tbody><tr><th colspan="2" rowspan="1"><p>Post</p></th></tr><tr><td><p>A</p></td>'
        '<td>1</td></tr></tbody></table><ol><li><p>Ett</p></li></ol><p><a href="https://ale.se" '
        'rel="noopener noreferrer">Ale</a></p>'
    )


@pytest.mark.skipif(not (ROOT / "node_modules" / "esbuild").exists(), reason="npm packages not installed")
def test_the_committed_editor_bundle_is_the_build_of_its_source(tmp_path):
    out = tmp_path / "paper-editor.js"
    subprocess.run(["bash", str(ROOT / "scripts" / "build-editor.sh"), str(out)], check=True, cwd=ROOT)  # noqa: S603,S607
    assert out.read_bytes() == (ROOT / "static" / "vendor" / "paper-editor.js").read_bytes(), (
        "static/vendor/paper-editor.js is stale: run scripts/build-editor.sh and commit it"
    )
    assert shutil.which("bash")


def test_a_resent_save_of_the_text_already_saved_is_no_conflict(ale, case):
    """The answer to a save was lost (the tab reloaded, the network went) and the browser sends the same
    text again against the version it started from: nothing to refuse, no version, no merge page."""
    from papers.models import DraftVersion
    from papers.services import DraftConflict

    with ale.scope():
        draft = _report(ale, case)
        saved = draft_save(draft, base_version=draft.version, content={**FULL, "dispatch": ["KS"]}, by=ale.official)
        again = draft_save(saved, base_version=draft.version, content={**FULL, "dispatch": ["KS"]}, by=ale.official)
        assert again.version == saved.version
        assert not DraftVersion.objects.filter(draft=draft, refused=True).exists()
        with pytest.raises(DraftConflict):
            draft_save(saved, base_version=draft.version, content={**FULL, "dispatch": ["KF"]}, by=ale.official)
