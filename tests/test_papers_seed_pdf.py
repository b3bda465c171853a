"""The seed papers, written through the services, come out as PDFs recognisably the same documents."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

from django.core.management import call_command
from django_scopes import scope

from alingsas_ale import seeds
from alingsas_ale.demo import ALINGSAS_ATT_SATSER
from cases.models import Municipality, PdfStatus, RenderedPdf
from cases.pdf import pdf_render
from papers.models import Draft, DraftStatus
from papers.sanitize import plain_text

from .pdftext import assert_in_order, pdftotext

SEED_DIR = Path(__file__).resolve().parent / "seeds"


def _sentences(html: str) -> list[str]:
    text = plain_text(html)
    return [s.strip() for s in re.split(r"(?<=[.:”])\s+|\n", text) if len(s.strip()) > 3]


def _render(draft: Draft) -> Path:
    pdf = RenderedPdf.objects.get(kind="draft", key=str(draft.uuid))
    assert pdf_render(pdf.pk) is True
    pdf.refresh_from_db()
    assert pdf.status == PdfStatus.DONE
    return Path(pdf.file.path)


def test_the_ale_tjansteutlatande_holds_every_heading_and_sentence_of_the_seed_in_order(db, tmp_path):
    call_command("load_demo")
    ale = Municipality.objects.get(slug="ale")
    with scope(municipality=ale):
        draft = Draft.objects.select_related("case").get(case__diarienummer="KS.2017.407")
        assert draft.status == DraftStatus.APPROVED
        path = _render(draft)
    text = pdftotext(path)
    expected = [
        "TJÄNSTEUTLÅTANDE",
        "Sektor kommunstyrelsen",
        "Diarienummer: KS.2017.407",
        "Datum: 2017-12-13",
        "Utvecklingschef Gunilla Dörner Buskas",
        "E-post: gunilla.dorner-buskas@ale.se",
        "Kommunstyrelsen",
        "Integrationsplan för Ale kommun 2018-2021",
        *_sentences(seeds.ALE_CONTENT["sections"]["sammanfattning"]),
        "Förvaltningens beslutsförslag till kommunstyrelsen",
        seeds.ALE_CONTENT["proposal"][0],
        "Björn Järbur",
        "Kommunchef",
        "Gunilla Dörner Buskas",
        "Utvecklingschef",
        "Beslutsunderlag",
        "Tjänsteutlåtande, 2017-12-13",
        "Integrationsplan för Ale kommun 2018-2021",
        "Ärendet expedieras efter beslut till:",
        "För vidare hantering",
        "Förvaltningsledningen",
        "Joakim Valtin",
    ]
    for key, heading in (
        ("bakgrund", "Bakgrund"),
        ("samrad", "Samråd/samverkan"),
        ("ekonomi", "Ekonomisk bedömning/konsekvens"),
        ("barn", "Barnperspektivet"),
        ("miljo", "Miljöperspektivet"),
        ("funktionshinder", "Funktionshinderperspektivet"),
        ("bedomning", "Förvaltningens bedömning och motivering"),
    ):
        expected += [heading, *_sentences(seeds.ALE_CONTENT["sections"][key])]
    assert_in_order(text, expected)
    assert "1(2)" in pdftotext(path, first=1, last=1)
    assert "2(2)" in pdftotext(path, first=2, last=2)

    # Every sentence of the original document is in the PDF.
    seed = (SEED_DIR / "004_19a20f594a78fea3.txt").read_text()
    for line in seed.splitlines():
        line = line.strip("#*- ").strip()
        if len(line) > 20:
            assert " ".join(line.split()) in text, line

    # Page 1 as an image: the header is there (text read from the page) and the page is not blank.
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")], check=True)
    png = next(tmp_path.glob("p-*.png"))
    assert png.stat().st_size > 10_000
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "Pages:           2" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert fonts.count(" yes ") >= 2  # embedded (PDF/A)


def test_the_alingsas_yttrande_reads_like_the_seed(db):
    call_command("load_demo")
    alingsas = Municipality.objects.get(slug="alingsas")
    with scope(municipality=alingsas):
        draft = Draft.objects.get(title=seeds.ALINGSAS_YTTRANDE_TITLE)
        path = _render(draft)
    text = pdftotext(path)
    content = seeds.alingsas_yttrande_content(ALINGSAS_ATT_SATSER)
    assert_in_order(
        text,
        [
            seeds.ALINGSAS_YTTRANDE_TITLE,
            "Ärendebeskrivning",
            "Staffan Albinsson (C) har till kommunfullmäktige den 29 november 2017, § 243",
            "Motionären yrkar att:",
            *ALINGSAS_ATT_SATSER,
            "remiteratt motionen till Socialnämnden och Utbildningsnämnden för yttrande.",
            "Förvaltningens yttrande",
            *_sentences(content["sections"]["yttrande"]),  # type: ignore[index]
            "Förslag till beslut",
            "Utbildningsnämnden antar förvaltningens yttrande som sitt eget och avslår motionen",
            "Beslutet ska skickas till",
            "Kommunstyrelsens arbetsutskott",
            "Åsa Holmstrand",
            "Tf förvaltningschef",
            "Pernilla Melin",
            "Kvalitets- och nämndcontroller",
        ],
    )
    assert date(2018, 5, 2).isoformat() in text
    # Every line of the original document is in the PDF (the original's own line breaks and typos).
    seed = (SEED_DIR / "000_c03d526c3219b4fd.txt").read_text()
    layout = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for line in seed.splitlines():
        line = " ".join(line.replace("\uf0b7", " ").split())
        if len(line) > 20:
            assert line in text or line in layout, line
