"""Standard paper templates a municipality starts from (then edits in the admin)."""

from __future__ import annotations

from django.db import transaction

from cases.models import Municipality

from .models import BlockType, PaperKind, PaperTemplate, TemplateSection

# key, block type, heading, required, guidance
TJANSTEUTLATANDE = [
    (
        "sammanfattning",
        BlockType.SUMMARY,
        "",
        True,
        "Vad ärendet gäller och vad förvaltningen föreslår, i några meningar.",
    ),
    ("beslutsforslag", BlockType.PROPOSAL, "Förvaltningens beslutsförslag till {till}", True, ""),
    ("underskrifter", BlockType.SIGNATURES, "", True, ""),
    ("beslutsunderlag", BlockType.BASIS, "Beslutsunderlag", True, ""),
    ("expediering", BlockType.DISPATCH, "Ärendet expedieras efter beslut till:", False, ""),
    ("bakgrund", BlockType.TEXT, "Bakgrund", True, ""),
    ("samrad", BlockType.TEXT, "Samråd/samverkan", False, ""),
    ("ekonomi", BlockType.TEXT, "Ekonomisk bedömning/konsekvens", True, ""),
    ("barn", BlockType.TEXT, "Barnperspektivet", True, "Hur påverkas barn? (barnkonventionen)"),
    ("miljo", BlockType.TEXT, "Miljöperspektivet", True, ""),
    ("funktionshinder", BlockType.TEXT, "Funktionshinderperspektivet", True, ""),
    ("bedomning", BlockType.TEXT, "Förvaltningens bedömning och motivering", True, ""),
]

YTTRANDE = [
    ("arendebeskrivning", BlockType.TEXT, "Ärendebeskrivning", True, "Vad remissen gäller och vad som yrkas."),
    ("yttrande", BlockType.TEXT, "Förvaltningens yttrande", True, ""),
    ("forslag", BlockType.PROPOSAL, "Förslag till beslut", True, ""),
    ("skickas", BlockType.DISPATCH, "Beslutet ska skickas till", True, ""),
    ("underskrifter", BlockType.SIGNATURES, "", True, ""),
]


@transaction.atomic
def install_default_templates(municipality: Municipality) -> list[PaperTemplate]:
    created = []
    for kind, name, heading, sections in (
        (PaperKind.REPORT, "Tjänsteutlåtande", "TJÄNSTEUTLÅTANDE", TJANSTEUTLATANDE),
        (PaperKind.STATEMENT, "Yttrande", "YTTRANDE", YTTRANDE),
    ):
        template, was_created = PaperTemplate.objects.get_or_create(
            municipality=municipality, kind=kind, name=name, defaults={"heading": heading, "is_default": True}
        )
        if was_created:
            for order, (key, block, title, required, guidance) in enumerate(sections):
                TemplateSection.objects.create(
                    municipality=municipality,
                    template=template,
                    key=key,
                    block_type=block,
                    heading=title,
                    required=required,
                    guidance=guidance,
                    ordering=order * 10,
                )
            created.append(template)
    return created
