"""The report on undecided motions as a PDF, rendered by a real worker, read back with poppler."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.models import Membership, PdfStatus, Person, RenderedPdf
from cases.pdf import pdf_render
from motions import services as motion_services

from .conftest import _make_town
from .servers import wait_for

pytestmark = pytest.mark.worker


def _motion(town, title: str, raised_on: date, paragraph: int):
    person = Person.objects.create(municipality=town.municipality, first_name="Staffan", last_name="Albinsson")
    Membership.objects.create(
        municipality=town.municipality,
        person=person,
        body=town.kf,
        role="ledamot",
        party="C",
        starts_on=date(2015, 1, 1),
    )
    motion = motion_services.motion_register(
        municipality=town.municipality,
        title=title,
        movers=[motion_services.Mover(person=person, party="C")],
        att_satser=["en arbetsgrupp inrättas"],
        raised_in=town.kf,
        raised_on=raised_on,
        raised_paragraph=paragraph,
        by=town.registrar,
    )
    motion_services.motion_refer(motion, by=town.secretary)
    motion_services.motion_note_preparation(
        motion, note="Remissvar från socialnämnden saknas; ärendet kommer till fullmäktige i juni.", by=town.secretary
    )
    return motion


def pdftotext(path) -> str:
    """The PDF's text in reading order, with hyphenation at line ends undone and whitespace collapsed."""
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(re.sub(r"[\u2010-]\n", "", raw).split())


def test_the_worker_renders_the_report_and_the_page_links_it(client, worker):
    town = _make_town("alingsas", "Alingsås kommun", "{series} {year}/{number}")
    with town.scope():
        _motion(
            town,
            "Motion angående tillfällig parlamentarisk arbetsgrupp för integrationsinsatser",
            date(2017, 11, 29),
            243,
        )
    client.force_login(town.secretary)
    response = client.post(reverse("motions:report-pdf"), headers={"HX-Request": "true"})
    assert "PDF:en skapas" in response.content.decode()

    def rendered():
        with scopes_disabled():
            return RenderedPdf.objects.filter(status=PdfStatus.DONE).first()

    pdf = wait_for(rendered, timeout=60, what="the worker to render the PDF")
    text = pdftotext(pdf.file.path)
    assert "Redovisning av ej avgjorda motioner" in text
    assert "Alingsås kommun" in text
    assert "KS 2017/1" in text
    assert "parlamentarisk arbetsgrupp" in text
    assert "2017-11-29, § 243" in text
    assert "Staffan Albinsson (C)" in text
    assert "Remissvar från socialnämnden saknas" in text
    assert "Sida 1 av 1" in text
    info = subprocess.run(["pdfinfo", str(pdf.file.path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info

    status = client.get(reverse("cases:pdf-status", args=[pdf.uuid])).content.decode()
    assert "Öppna Redovisning av ej avgjorda motioner" in status
    download = client.get(reverse("cases:pdf", args=[pdf.uuid]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_it_renders_again_only_when_the_content_changed(ale):
    with ale.scope():
        motion = _motion(ale, "Motion om cykelvägar", date(2026, 1, 14), 5)
        pdf = RenderedPdf.objects.create(
            municipality=ale.municipality, kind="motion_report", key=timezone.localdate().isoformat()
        )
        assert pdf_render(pdf.pk) is True
        first = RenderedPdf.objects.get(pk=pdf.pk)
        assert pdf_render(pdf.pk) is False
        assert RenderedPdf.objects.get(pk=pdf.pk).render_count == 1
        motion_services.motion_note_preparation(motion, note="Nytt läge.", by=ale.secretary)
        assert pdf_render(pdf.pk) is True
        second = RenderedPdf.objects.get(pk=pdf.pk)
    assert second.render_count == 2
    assert second.checksum != first.checksum
    assert "Nytt läge." in pdftotext(second.file.path)


def test_another_municipality_cannot_open_the_pdf(client, ale, alingsas):
    with ale.scope():
        pdf = RenderedPdf.objects.create(municipality=ale.municipality, kind="motion_report", key="2026-01-01")
        pdf_render(pdf.pk)
    client.force_login(alingsas.secretary)
    assert client.get(reverse("cases:pdf", args=[pdf.uuid])).status_code == 404
    assert client.get(reverse("cases:pdf-status", args=[pdf.uuid])).status_code == 404


# A4 portrait, every column, nothing clipped ------------------------------------------------------

LONG_TITLE = (
    "Motion angående en tillfällig parlamentarisk arbetsgrupp för integrationsinsatser, "
    "kulturskolans lokaler och Kommunalförbundsavtalsuppföljningsgruppens arbetsordning i Surte och Nödinge"
)


def _full_report(town):
    """Two motions: one over a year with everything filled in, one recent with a long title."""
    from dateutil.relativedelta import relativedelta

    from cases.models import Case, Remiss, RemissStatus
    from cases.services import case_assign_handler

    today = timezone.localdate()
    old = _motion(town, "Motion om gatlyktor på Göteborgsvägen", today - relativedelta(months=14), 17)
    _motion(town, LONG_TITLE, today - relativedelta(months=2), 88)
    case = Case.objects.get(pk=old.case_id)
    case.department = town.department
    case.save(update_fields=["department"])
    case_assign_handler(case, handler=town.official, by=town.registrar)
    Remiss.objects.create(
        municipality=town.municipality,
        case=case,
        from_body=town.ksau,
        to_body=town.sn,
        deadline=date(2026, 3, 13),
        sent_by=town.secretary,
        status=RemissStatus.OVERDUE,
    )
    old.refresh_from_db()
    motion_services.motion_note_preparation(
        old,
        note="Inväntar trafiknämndens yttrande.",
        expected_decision_on=today + timedelta(days=40),
        by=town.secretary,
    )
    return old


def page_sizes(path) -> list[str]:
    pages = int(re.search(r"Pages:\s+(\d+)", _pdfinfo(path)).group(1))
    info = _pdfinfo(path, "-f", "1", "-l", str(pages))
    return re.findall(r"Page\s+\d+ size:\s+([\d.]+ x [\d.]+ pts)", info)


def _pdfinfo(path, *args) -> str:
    return subprocess.run(["pdfinfo", *args, str(path)], capture_output=True, text=True, check=True).stdout


def words_outside_the_page(path) -> list[str]:
    """Words whose box reaches past the page's margins (15 mm, 42.5 pt, left and right of A4's 595 pt):
    text that would be clipped, or printed where a printer's edge cuts it."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    outside = []
    for x_min, y_min, x_max, y_max, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html
    ):
        if float(x_min) < 42 or float(y_min) < 0 or float(x_max) > 553.3 or float(y_max) > 841.9:
            outside.append(word)
    return outside


def drawn_text(path) -> str:
    """The text in the order it is drawn (cell after cell, row after row), hyphenation undone."""
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(re.sub(r"[\u2010\u00ad-]\n", "", raw).split())


def left_edges(path, words: list[str]) -> list[float]:
    """Where on the page (x, pt) the first occurrence of each word begins."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', html)
    return [next(float(x) for x, w in boxes if w == word) for word in words]


def test_the_report_is_a4_portrait_with_every_column_in_order_and_nothing_clipped(ale):
    from .pdftext import assert_in_order

    today = timezone.localdate()
    with ale.scope():
        old = _full_report(ale)
        pdf = RenderedPdf.objects.create(municipality=ale.municipality, kind="motion_report", key=today.isoformat())
        assert pdf_render(pdf.pk) is True
        pdf = RenderedPdf.objects.get(pk=pdf.pk)
    assert page_sizes(pdf.file.path) and set(page_sizes(pdf.file.path)) == {"595.276 x 841.89 pts"}
    text = drawn_text(pdf.file.path)
    raised = old.raised_on.isoformat()
    assert_in_order(
        text,
        [
            f"per {today.isoformat()}",
            old.case.diarienummer,
            "Motion om gatlyktor på Göteborgsvägen",
            "Staffan Albinsson (C)",
            f"Väckt {raised}, § 17",
            f"Remitterad {raised}, § 17",
            "Kommunstyrelsen",
            "Kommunledningskontoret",
            "Handläggare: Gunilla Handläggare",
            "Remiss Socialnämnden, svar senast 2026-03-13: försenad",
            "14 månader",
            "Över ett år",
            "remitterad till KS för beredning",
            f"Beräknat beslut: {(today + timedelta(days=40)).isoformat()}",
            "Inväntar trafiknämndens yttrande.",
            "2 månader",
        ],
    )
    # Each column's content stands in its own column, left to right.
    columns = left_edges(pdf.file.path, [old.case.diarienummer, "Väckt", "Handläggare:", "14", "Beräknat"])
    assert columns == sorted(columns) and len(set(columns)) == 5, columns
    # The long title wraps (a word longer than the column breaks inside the cell): every character, in order.
    assert "".join(LONG_TITLE.split()) in "".join(text.split())
    assert words_outside_the_page(pdf.file.path) == []


# On the agenda, with the worker ------------------------------------------------------------------


def test_the_worker_registers_the_report_in_the_case_as_the_items_beslutsunderlag(client, worker):
    from cases.models import Document
    from meetings import services as meeting_services
    from meetings.models import MotionReport, MotionReportStatus

    from .test_meetings_protocol import at

    town = _make_town("ale", "Ale kommun", "{series}.{year}.{number}")
    with town.scope():
        _motion(town, "Motion om gatlyktor på Göteborgsvägen", date(2025, 2, 12), 17)
        meeting = meeting_services.meeting_create(
            body=town.kf,
            starts_at=at(timezone.localdate() + timedelta(days=30)),
            place="Sessionssalen",
            by=town.secretary,
        )
    client.force_login(town.secretary)
    response = client.post(
        reverse("meetings:motion-report-agenda"), {"meeting": str(meeting.uuid), "per": "2026-02-28"}
    )
    assert response.status_code == 302

    def registered():
        with scopes_disabled():
            return (
                MotionReport.objects.filter(status=MotionReportStatus.DONE).select_related("document", "item").first()
            )

    report = wait_for(registered, timeout=90, what="the worker to register the report")
    with scopes_disabled():
        document = Document.objects.get(pk=report.document_id)
        assert list(report.item.documents.all()) == [document]
        assert report.item.meeting_id == meeting.pk and report.case.body_id == town.kf.pk
    assert document.file_name == "Redovisning av ej avgjorda motioner per 2026-02-28.pdf"
    assert document.content_type == "application/pdf"
    text = pdftotext(document.file.path)
    assert "Motioner som väckts senast 2026-02-28" in text
    assert "Motion om gatlyktor på Göteborgsvägen" in text
    assert "12 månader" in text and "Över ett år" in text, text
    page = " ".join(client.get(reverse("motions:report"), {"per": "2026-02-28"}).content.decode().split())
    assert f"beslutsunderlaget är registrerat som handling {document.sequence}" in page
