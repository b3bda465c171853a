"""The typed content of a paper: every stored shape reads, and writes back unchanged."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from alingsas_ale import seeds
from alingsas_ale.demo import ALINGSAS_ATT_SATSER
from papers.content import BasisItem, PaperContent, Signatory
from papers.models import Draft

STORED_TODAY = {
    "sections": {"sammanfattning": "<p>Kort.</p>", "barn": "<p>Barnen <strong>gynnas</strong>.</p>"},
    "proposal": ["Kommunstyrelsen föreslår kommunfullmäktige besluta att fastställa planen."],
    "basis": [
        {"text": "Tjänsteutlåtande, 2017-12-13", "document": None},
        {"text": "Integrationsplan", "document": "4f1c7c5e-8d1a-4f5e-9d3a-1b2c3d4e5f60"},
    ],
    "dispatch": ["Kommunstyrelsen", "Integrationssamordnaren"],
    "signatories": [{"name": "Björn Järbur", "title": "Kommunchef"}, {"name": "Gunilla", "title": ""}],
}


def test_content_as_stored_today_round_trips_unchanged():
    paper = PaperContent.from_json(STORED_TODAY)
    assert paper.basis[1] == BasisItem(text="Integrationsplan", document="4f1c7c5e-8d1a-4f5e-9d3a-1b2c3d4e5f60")
    assert paper.signatories[0] == Signatory(name="Björn Järbur", title="Kommunchef")
    assert paper.to_json() == STORED_TODAY


def test_the_seed_papers_round_trip_unchanged():
    yttrande = seeds.alingsas_yttrande_content(ALINGSAS_ATT_SATSER)
    assert PaperContent.from_json(yttrande).to_json() == yttrande
    ale = {**seeds.ALE_CONTENT, "basis": []}
    assert PaperContent.from_json(ale).to_json() == ale


@pytest.mark.parametrize(
    "stored",
    [None, {}, {"sections": None}, {"proposal": "not a list", "basis": [None, 3]}, {"signatories": ["Anna"]}],
)
def test_missing_or_odd_parts_read_as_their_defaults(stored):
    paper = PaperContent.from_json(stored)
    assert paper.sections == {} and paper.proposal == [] and paper.basis == [] and paper.dispatch == []
    assert paper.to_json()["sections"] == {}


def test_a_bare_name_as_signatory_reads_as_a_person_without_title():
    assert PaperContent.from_json({"signatories": ["Anna"]}).signatories == [Signatory(name="Anna")]


def test_what_the_editor_shows_comes_from_the_typed_content():
    paper = PaperContent.from_json(STORED_TODAY)
    assert paper.chosen_documents == {"4f1c7c5e-8d1a-4f5e-9d3a-1b2c3d4e5f60"}
    assert paper.basis_extra == ["Tjänsteutlåtande, 2017-12-13"]
    assert paper.signatories_text == "Björn Järbur, Kommunchef\nGunilla"
    assert paper.text_of("text", "barn") == "Barnen gynnas."
    assert paper.text_of("proposal") == "1. Kommunstyrelsen föreslår kommunfullmäktige besluta att fastställa planen."
    assert paper.is_empty("text", "bakgrund") and not paper.is_empty("dispatch")


def test_cleaning_keeps_only_the_template_sections_and_sanitises_them():
    paper = PaperContent(
        sections={"barn": '<p onclick="x()">Barn</p><script>x()</script>', "okand": "<p>Bort</p>"},
        proposal=["  ", " Sats "],
        basis=[BasisItem(text="  ")],
        signatories=[Signatory(name=" ", title="Ingen"), Signatory(name=" Anna ", title=" Chef ")],
    )
    cleaned = paper.cleaned(["barn"])
    assert cleaned.sections == {"barn": "<p>Barn</p>"}
    assert (cleaned.proposal, cleaned.basis, cleaned.signatories) == (["Sats"], [], [Signatory("Anna", "Chef")])


def test_every_demo_draft_reads_through_the_typed_content_unchanged(db):
    call_command("load_demo")
    with scopes_disabled():
        drafts = list(Draft.objects.all())
        assert drafts
        for draft in drafts:
            assert draft.paper.to_json() == draft.content
            for version in draft.versions.all():
                assert version.paper.to_json() == version.content
