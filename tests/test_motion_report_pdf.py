"""The report on undecided motions as a PDF, rendered by a real worker, read back with poppler."""

from __future__ import annotations

import re
import subprocess
from datetime import date

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
