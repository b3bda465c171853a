"""The two seed papers as structured content, word for word (typos of the originals included)."""

from __future__ import annotations

ALE_TITLE = "Integrationsplan för Ale kommun 2018-2021"

ALE_CONTENT = {
    "sections": {
        "sammanfattning": (
            "<p>En väl fungerande integration är av stor vikt för Ale kommun. Syftet med integrationsplanen är att "
            "den enskilde Alebon ska integreras i kommunen på bästa sätt och att Ale kommun som arbetsgivare ska ha "
            "en gemensam strategi för integrationsarbete. Planen har vidare som syfte att inspirera verksamheter i "
            "kommunen att skapa lokala rutiner för integration.</p>"
        ),
        "bakgrund": (
            "<p>Sektor Arbete, trygghet, omsorg (ATO) har ett uppdrag att arbeta fram ett förslag till "
            "kommunövergripande integrationsplan. Verksamhetschef Irene Blomqvist och enhetschef Joakim Valtin har "
            "under 2017 deltagit vid olika integrationsforum och fört samtal med politiker och tjänstemän i andra "
            "kommuner.</p>"
            "<p>Integrationsarbetet måste vara en fråga som hela kommunen tar ansvar för är inte en angelägenhet för "
            "ett fåtal enheter och funktioner.</p>"
            "<p>Sektor ATO har tagit fram ett förslag till plan som också Omsorgs- och arbetsmarknadsnämnden ställt "
            "sig bakom.</p>"
        ),
        "samrad": "<p>Samråd har skett med övriga sektorer och i förvaltningsledningen.</p>",
        "ekonomi": "<p>Det är svårt att avgöra vilka ekonomiska konsekvenser förslaget har.</p>",
        "barn": "<p>Förslaget gynnar barnperspektivet.</p>",
        "miljo": "<p>Förslaget påverkar inte miljöperspektivet.</p>",
        "funktionshinder": "<p>Förslaget påverkar inte funktionshinderperspektivet.</p>",
        "bedomning": (
            "<p>En god integration är av största vikt för Ale kommun och Aleborna. Integration är en angelägenhet "
            "för hela organisationen och kan inte ensamt ägas av en eller några få enheter eller funktioner. "
            "Integration ska genomsyra alla verksamheter och därför är ett tvärsektoriellt arbetssätt nödvändigt "
            "för att det ska fungera.</p>"
        ),
    },
    "proposal": [
        "Kommunstyrelsen föreslår att kommunfullmäktige beslutar att fastställer Integrationsplan för Ale kommun "
        "2018-2021."
    ],
    "dispatch": ["För vidare hantering", "Förvaltningsledningen", "Joakim Valtin"],
    "signatories": [
        {"name": "Björn Järbur", "title": "Kommunchef"},
        {"name": "Gunilla Dörner Buskas", "title": "Utvecklingschef"},
    ],
}
ALE_BASIS = ["Tjänsteutlåtande, 2017-12-13", "Integrationsplan för Ale kommun 2018-2021"]

ALINGSAS_YTTRANDE_TITLE = (
    "Svar på motion angående tillfällig parlamentarisk arbetsgrupp för kommunens integrationsinsatser"
)


def alingsas_yttrande_content(att_satser: list[str]) -> dict[str, object]:
    items = "".join(f"<li>{att}</li>" for att in att_satser)
    return {
        "sections": {
            "arendebeskrivning": (
                "<p>Staffan Albinsson (C) har till kommunfullmäktige den 29 november 2017, § 243 lämnat en motion om "
                "inrättande av en tillfällig parlamentarisk arbetsgrupp för kommunens integrationsinsatser:</p>"
                f"<p>Motionären yrkar att:</p><ul>{items}</ul>"
                "<p>Kommunfullmäktige beslutade att lämna motionen till kommunstyrelsen för beredning. "
                "Kommunstyrelsens arbetsutskott har i sin tur remiteratt motionen till Socialnämnden och "
                "Utbildningsnämnden för yttrande.</p>"
            ),
            "yttrande": (
                "<p>I kommunfullmäktige fastsällda flerårsstrategi 2018-2020 (KF § 251/2017) tilldelades "
                "Utbildningsnämnden och Kultur- och fritidsnämnden ett riktat uppdrag att ”genom samverkan med det "
                "civila samhället och näringslivet arbeta vidare med en framgångsrik integration i syfte att öka "
                "andelen i arbete samt delaktigheten i samhället”. I enlighet med uppdraget pågår sedan årsskiftet en "
                "ökad samordning av aktiviteter i syfte att förbättra och effektivisera arbetet med "
                "integrationsfrämjande åtgärder. Från och med 2019 kommer de två nämnderna också att slås samman "
                "(KF § 87/2018) vilket kommer att innebära ytterligare samverkans- och samordningsvinster gällande "
                "integrationsarbetet i förvaltningarnas verksamheter. Härutöver sker ett fortsatt samarbete med barn- "
                "och ungdomsförvaltningen samt socialförvaltningen för att säkra trygga övergångar för nyanlända "
                "elever samt aktiviteter i syfte att främja nyanländas inträde på arbetsmarknaden (UN § 39/2018).</p>"
                "<p>Förvaltningen vill dock påtala den fortsatt stora utmaningen i att kunna erbjuda permanenta "
                "boenden för de individer som har avslutat etableringsprocessen. Det är därför förvaltningens "
                "uppfattning att boendefrågan bör samordnas centralt i kommunen för att uppnå en effektiv "
                "hantering.</p>"
            ),
        },
        "proposal": [
            "Utbildningsnämnden antar förvaltningens yttrande som sitt eget och avslår motionen med tillägg för de "
            "synpunkter som framgår av yttrandet."
        ],
        "basis": [],
        "dispatch": ["Kommunstyrelsens arbetsutskott"],
        "signatories": [
            {"name": "Åsa Holmstrand", "title": "Tf förvaltningschef"},
            {"name": "Pernilla Melin", "title": "Kvalitets- och nämndcontroller"},
        ],
    }
